package binding_test

import (
	"testing"

	"github.com/klue-go/klue-client-server/internal/binding"
	"github.com/klue-go/klue-client-server/klue"
)

// TestBinary decides which schemas are a file's content by the rules of
// the specs: format binary (OpenAPI 3.0, Swagger 2.0's file), a
// contentEncoding, or a contentMediaType that is not text (OpenAPI 3.1);
// a string whose contentMediaType is text (JSON, XML, text/*) holds that
// text (JSON Schema 2020-12 §8.3).
func TestBinary(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		schema string
		want   bool
	}{
		{`{type: string, format: binary}`, true},
		{`{type: string, contentMediaType: application/octet-stream}`, true},
		{`{type: string, contentMediaType: image/png}`, true},
		{`{type: string, contentMediaType: application/pdf}`, true},
		{`{type: string, contentMediaType: "*/*"}`, true},
		{`{type: string, contentEncoding: base64}`, true},
		{`{type: string, contentMediaType: application/json, contentEncoding: base64}`, true},
		{`{allOf: [{type: string, contentMediaType: image/png}]}`, true},
		{`{type: string}`, false},
		{`{type: string, format: byte}`, false},
		{`{type: string, contentMediaType: application/json}`, false},
		{`{type: string, contentMediaType: application/vnd.api+json}`, false},
		{`{type: string, contentMediaType: text/plain}`, false},
		{`{type: string, contentMediaType: text/html; charset=utf-8}`, false},
		{`{type: string, contentMediaType: application/xml}`, false},
		{`{type: string, contentMediaType: image/svg+xml}`, false},
		{`{type: string, contentMediaType: application/yaml}`, false},
		{`{type: string, contentMediaType: application/x-www-form-urlencoded}`, false},
		{`{type: string, contentMediaType: APPLICATION/JSON}`, false},
	} {
		s := schemaOf(t, tc.schema)
		if got := binding.Binary(s); got != tc.want {
			t.Errorf("Binary(%s) = %v, want %v", tc.schema, got, tc.want)
		}
	}
}

// schemaOf loads an OpenAPI 3.1 document whose only request body has the
// schema given, and returns that schema.
func schemaOf(t *testing.T, schema string) *klue.Schema {
	t.Helper()
	doc := `openapi: 3.1.0
info: {title: t, version: "1"}
paths:
  /f:
    post:
      requestBody:
        content:
          application/octet-stream:
            schema: ` + schema + `
      responses:
        "204": {description: done}
`
	pool := klue.NewPool()
	if err := pool.Add("f", klue.Bytes("f.yaml", []byte(doc))); err != nil {
		t.Fatal(err)
	}
	api, err := pool.API("f")
	if err != nil {
		t.Fatal(err)
	}
	return api.Operations()[0].Body.Content[0].Schema
}
