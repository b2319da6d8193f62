package klue_test

import (
	"path/filepath"
	"slices"
	"testing"

	"github.com/klue-go/klue-client-server/internal/sharedtest"
	"github.com/klue-go/klue-client-server/klue"
)

func TestIntOrStringFormat(t *testing.T) {
	t.Parallel()
	for _, version := range []string{"swagger: '2.0'", "openapi: 3.0.3", "openapi: 3.1.0"} {
		defs := "components:\n  schemas:"
		if version == "swagger: '2.0'" {
			defs = "definitions:"
		}
		api := addSpec(t, version+`
info: {title: t, version: '1'}
paths: {}
`+defs+`
    Port:
      type: object
      properties:
        port: {type: string, format: int-or-string, default: 8080}
        name: {type: string, format: int-or-string, maxLength: 3}
`)
		m, err := api.Model("Port")
		if err != nil {
			t.Fatal(err)
		}
		for _, c := range []struct {
			v  any
			ok bool
		}{
			{map[string]any{"port": 8080}, true},
			{map[string]any{"port": "http"}, true},
			{map[string]any{"port": 80.5}, false},
			{map[string]any{"port": true}, false},
			{map[string]any{"port": nil}, false},
			{map[string]any{"name": 123456}, true}, // maxLength judges strings only
			{map[string]any{"name": "long"}, false},
		} {
			if err := m.Schema.Validate(c.v); (err == nil) != c.ok {
				t.Errorf("%s: %v: error %v, want ok=%v", version, c.v, err, c.ok)
			}
		}
		port := m.Schema.Property("port").Schema
		if !slices.Equal(port.Types, []string{"integer", "string"}) || port.Format != "int-or-string" {
			t.Errorf("%s: the view of port has types %v, format %q", version, port.Types, port.Format)
		}
	}
}

func TestKubernetesIntOrString(t *testing.T) {
	t.Parallel()
	pool := klue.NewPool()
	if err := pool.Add("k8s", klue.File(filepath.Join(sharedtest.Dir(t, "corpus"), "swagger2/kubernetes-swagger.json"))); err != nil {
		t.Fatal(err)
	}
	api, _ := pool.API("k8s")
	m, err := api.Model("io.k8s.api.core.v1.ServicePort")
	if err != nil {
		t.Fatal(err)
	}
	for _, v := range []any{
		map[string]any{"port": 80, "targetPort": 8080},
		map[string]any{"port": 80, "targetPort": "http"},
	} {
		if err := m.Schema.Validate(v); err != nil {
			t.Errorf("%v: %v", v, err)
		}
	}
}
