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

const scalarBodySpec = `openapi: 3.1.0
info: {title: text, version: "1"}
paths:
  /counts:
    post:
      operationId: count
      requestBody:
        required: true
        content:
          text/plain:
            schema: {type: integer, minimum: 1, maximum: 5}
      responses:
        "200": {description: ok, content: {application/json: {schema: {type: object}}}}
  /flags:
    post:
      operationId: flag
      requestBody:
        required: true
        content:
          text/plain:
            schema: {type: boolean}
      responses:
        "200": {description: ok, content: {application/json: {schema: {type: object}}}}
`

// TestScalarTextBodyChecked sends text bodies whose schema is a number or
// a boolean: the text is read as that type, as a parameter's is, and
// checked, so that what the handler gets as text is what the schema
// allows.
func TestScalarTextBodyChecked(t *testing.T) {
	t.Parallel()
	pool := klue.NewPool()
	kluetest.Add(t, pool, "text", klue.Bytes("text.yaml", []byte(scalarBodySpec)))
	var got *string
	for _, op := range []string{"count", "flag"} {
		server.Bind(pool, klue.Key[string, map[string]any](op), func(_ context.Context, in *string) (*map[string]any, error) {
			got = in
			return &map[string]any{}, nil
		})
	}
	s := kluetest.Spawn(t, pool, "text")
	for _, tc := range []struct {
		path, body string
		want       int
	}{
		{"/counts", "3", http.StatusOK},
		{"/counts", "999", http.StatusBadRequest},
		{"/counts", "0", http.StatusBadRequest},
		{"/counts", "abc", http.StatusBadRequest},
		{"/counts", "3.5", http.StatusBadRequest},
		{"/counts", "3 ", http.StatusBadRequest},
		{"/flags", "true", http.StatusOK},
		{"/flags", "yes", http.StatusBadRequest},
	} {
		got = nil
		rec := s.Post(tc.path, "Content-Type: text/plain", []byte(tc.body))
		switch {
		case rec.Code != tc.want:
			t.Errorf("%s %q: status %d (%s), want %d", tc.path, tc.body, rec.Code, rec.Body, tc.want)
		case tc.want == http.StatusOK && (got == nil || *got != tc.body):
			t.Errorf("%s %q: the handler got %v", tc.path, tc.body, got)
		case tc.want != http.StatusOK && got != nil:
			t.Errorf("%s %q: the handler ran with %q", tc.path, tc.body, *got)
		}
	}
}
