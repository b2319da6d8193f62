package server_test

import (
	"context"
	"net/http"
	"testing"

	"github.com/klue-go/klue-client-server/klue"
	"github.com/klue-go/klue-client-server/klue/kluetest"
	"github.com/klue-go/klue-client-server/klue/server"
)

const segmentSpec = `openapi: 3.0.3
info: {title: segments, version: "1"}
paths:
  /files/{name}:
    get:
      operationId: getFile
      parameters:
        - {name: name, in: path, required: true, schema: {type: string}}
      responses:
        "200": {description: ok, content: {application/json: {schema: {type: object}}}}
  /reports/{id}.json:
    get:
      operationId: getReport
      parameters:
        - {name: id, in: path, required: true, schema: {type: string}}
      responses:
        "200": {description: ok, content: {application/json: {schema: {type: object}}}}
`

// TestPathParameterIsOneSegment sends paths whose last parameter would
// take more than one segment: a path parameter's value is one segment,
// where only an escaped slash may stand for a slash.
func TestPathParameterIsOneSegment(t *testing.T) {
	t.Parallel()
	pool := klue.NewPool()
	kluetest.Add(t, pool, "segments", klue.Bytes("segments.yaml", []byte(segmentSpec)))
	var got []string
	server.Bind(pool, "getFile", func(ctx context.Context, in *struct {
		Name string `path:"name"`
	}) (*map[string]any, error) {
		got = append(got, in.Name)
		return &map[string]any{"name": in.Name}, nil
	})
	server.Bind(pool, "getReport", func(ctx context.Context, in *struct {
		ID string `path:"id"`
	}) (*map[string]any, error) {
		got = append(got, in.ID)
		return &map[string]any{"id": in.ID}, nil
	})
	s := kluetest.Spawn(t, pool, "segments")
	for _, path := range []string{
		"/files/a/b",
		"/files/../../etc/passwd",
		"/files/abc/",
		"/files/a//b",
		"/reports/a/b.json",
		"/reports/../secret.json",
	} {
		got = nil
		rec := s.Get(path)
		if rec.Code != http.StatusNotFound || len(got) > 0 {
			t.Errorf("GET %s: status %d, the handler saw %q; want 404 and no call", path, rec.Code, got)
		}
	}
	for path, want := range map[string]string{
		"/files/a%2Fb":        "a/b",
		"/files/..%2F..":      "../..",
		"/files/abc":          "abc",
		"/reports/a%2Fb.json": "a/b",
	} {
		got = nil
		rec := s.Get(path)
		if rec.Code != http.StatusOK || len(got) != 1 || got[0] != want {
			t.Errorf("GET %s: status %d, the handler saw %q; want 200 and %q", path, rec.Code, got, want)
		}
	}
}
