package server_test

import (
	"context"
	"net/http"
	"strings"
	"testing"

	"github.com/klue-go/klue-client-server/klue"
	"github.com/klue-go/klue-client-server/klue/kluetest"
	"github.com/klue-go/klue-client-server/klue/server"
)

const responseUTF8Spec = `openapi: 3.0.3
info: {title: utf8, version: "1"}
paths:
  /typed:
    get:
      operationId: typed
      responses:
        "200": {description: ok, content: {application/json: {schema: {type: object, properties: {name: {type: string}}}}}}
  /map:
    get:
      operationId: asMap
      responses:
        "200": {description: ok, content: {application/json: {schema: {type: object}}}}
`

// TestResponseNotUTF8 has handlers answer strings that are not UTF-8,
// which JSON cannot carry: encoding/json would replace the bad bytes with
// U+FFFD and send other data than the handler's, so the answer is a 500
// with no detail, while text that holds U+FFFD itself, or the six
// characters \ufffd, goes out as it is.
func TestResponseNotUTF8(t *testing.T) {
	t.Parallel()
	pool := klue.NewPool()
	kluetest.Add(t, pool, "utf8", klue.Bytes("utf8.yaml", []byte(responseUTF8Spec)))
	type named struct {
		Name string `json:"name"`
	}
	var name string
	server.Bind(pool, "typed", func(context.Context, *struct{}) (*named, error) { return &named{Name: name}, nil })
	server.Bind(pool, "asMap", func(context.Context, *struct{}) (*map[string]any, error) {
		return &map[string]any{"name": name}, nil
	})
	logger, _ := newLogger()
	s := kluetest.Spawn(t, pool, "utf8", server.WithLogger(logger))
	for _, tc := range []struct {
		name string
		want int
	}{
		{"a\xffb", http.StatusInternalServerError},
		{"\xff", http.StatusInternalServerError},
		{"a\ufffdb", http.StatusOK},
		{`a\ufffdb`, http.StatusOK},
		{`a\\ufffdb`, http.StatusOK},
	} {
		name = tc.name
		for _, path := range []string{"/typed", "/map"} {
			rec := s.Get(path)
			if rec.Code != tc.want || tc.want == http.StatusInternalServerError && strings.Contains(rec.Body.String(), "name") {
				t.Errorf("%s %q: status %d (%s), want %d", path, tc.name, rec.Code, rec.Body, tc.want)
			}
		}
	}
}
