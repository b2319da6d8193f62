package server_test

import (
	"context"
	"net/http"
	"testing"

	"github.com/klue-go/klue-client-server/klue"
	"github.com/klue-go/klue-client-server/klue/kluetest"
	"github.com/klue-go/klue-client-server/klue/server"
)

const multipartObjectSpec = `openapi: 3.0.3
info: {title: parts, version: "1"}
paths:
  /parts:
    post:
      operationId: parts
      requestBody:
        required: true
        content:
          multipart/form-data:
            schema:
              type: object
              properties:
                meta:
                  type: object
                  additionalProperties: false
                  properties: {kind: {type: string, maxLength: 3}}
      responses:
        "200": {description: ok, content: {application/json: {schema: {type: object}}}}
`

// TestMultipartObjectPartIsJSON sends an object property as a multipart
// part without an encoding: its default content type is application/json
// (OpenAPI 3.0, Encoding Object), so the part is read as JSON and checked
// as the object.
func TestMultipartObjectPartIsJSON(t *testing.T) {
	t.Parallel()
	pool := klue.NewPool()
	kluetest.Add(t, pool, "parts", klue.Bytes("parts.yaml", []byte(multipartObjectSpec)))
	var got []string
	server.Bind(pool, "parts", func(ctx context.Context, in *struct {
		Meta struct {
			Kind string `json:"kind"`
		} `form:"meta"`
	}) (*map[string]any, error) {
		got = append(got, in.Meta.Kind)
		return &map[string]any{}, nil
	})
	s := kluetest.Spawn(t, pool, "parts")
	part := func(meta string) []byte {
		return []byte("--XX\r\nContent-Disposition: form-data; name=\"meta\"\r\n\r\n" + meta + "\r\n--XX--\r\n")
	}
	const ct = "Content-Type: multipart/form-data; boundary=XX"
	if rec := s.Post("/parts", ct, part(`{"kind":"abc"}`)); rec.Code != http.StatusOK || len(got) != 1 || got[0] != "abc" {
		t.Errorf("a JSON object part: status %d, the handler saw %q: %.300s", rec.Code, got, rec.Body)
	}
	for _, meta := range []string{`{"kind":"abcdef"}`, `{"other":1}`, `{"kind":"a","kind":"b"}`, `not JSON`} {
		got = nil
		if rec := s.Post("/parts", ct, part(meta)); rec.Code != http.StatusBadRequest || len(got) > 0 {
			t.Errorf("part %s: status %d, the handler saw %q; want 400", meta, rec.Code, got)
		}
	}
}
