package server_test

import (
	"context"
	"net/http"
	"testing"

	"github.com/klue-go/klue-client-server/klue"
	"github.com/klue-go/klue-client-server/klue/kluetest"
	"github.com/klue-go/klue-client-server/klue/server"
)

const textBodySpec = `openapi: 3.0.3
info: {title: text, version: "1"}
paths:
  /notes:
    post:
      operationId: note
      requestBody:
        required: true
        content:
          text/plain:
            schema: {type: string, maxLength: 5, pattern: "^[a-z]+$"}
          application/octet-stream:
            schema: {type: string, format: binary}
      responses:
        "200": {description: ok, content: {application/json: {schema: {type: object}}}}
`

// TestTextBodyChecked sends text bodies the schema refuses: a body read as
// a string is checked against its schema as a string, as a JSON one is.
func TestTextBodyChecked(t *testing.T) {
	t.Parallel()
	for _, raw := range []bool{false, true} {
		pool := klue.NewPool()
		kluetest.Add(t, pool, "text", klue.Bytes("text.yaml", []byte(textBodySpec)))
		var got []string
		if raw {
			server.Bind(pool, "note", func(ctx context.Context, in *[]byte) (*map[string]any, error) {
				got = append(got, string(*in))
				return &map[string]any{}, nil
			})
		} else {
			server.Bind(pool, "note", func(ctx context.Context, in *string) (*map[string]any, error) {
				got = append(got, *in)
				return &map[string]any{}, nil
			})
		}
		s := kluetest.Spawn(t, pool, "text")
		for _, body := range []string{"abcdefghij", "AB", "a b"} {
			got = nil
			rec := s.Post("/notes", "Content-Type: text/plain; charset=utf-8", []byte(body))
			if rec.Code != http.StatusBadRequest || len(got) > 0 {
				t.Errorf("raw %v, text/plain %q: status %d, the handler saw %q; want 400 and no call", raw, body, rec.Code, got)
			}
		}
		got = nil
		if rec := s.Post("/notes", "Content-Type: text/plain", []byte("abc")); rec.Code != http.StatusOK || len(got) != 1 || got[0] != "abc" {
			t.Errorf("raw %v, text/plain \"abc\": status %d, the handler saw %q", raw, rec.Code, got)
		}
		got = nil
		bin := "\xff\x00binary, longer than five"
		if rec := s.Post("/notes", "Content-Type: application/octet-stream", []byte(bin)); rec.Code != http.StatusOK || len(got) != 1 || got[0] != bin {
			t.Errorf("raw %v, octets: status %d, the handler saw %q", raw, rec.Code, got)
		}
	}
}
