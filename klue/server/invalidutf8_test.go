package server_test

import (
	"context"
	"net/http"
	"testing"
	"unicode/utf8"

	"github.com/klue-go/klue-client-server/klue"
	"github.com/klue-go/klue-client-server/klue/kluetest"
	"github.com/klue-go/klue-client-server/klue/server"
)

const invalidUTF8Spec = `openapi: 3.0.3
info: {title: utf8, version: "1"}
paths:
  /items/{id}:
    get:
      operationId: item
      parameters:
        - {name: id, in: path, required: true, schema: {type: string}}
        - {name: q, in: query, schema: {type: string}}
        - {name: X-Tag, in: header, schema: {type: string}}
        - {name: c, in: cookie, schema: {type: string}}
      responses:
        "200": {description: ok, content: {application/json: {schema: {type: object}}}}
  /forms:
    post:
      operationId: form
      requestBody:
        content:
          application/x-www-form-urlencoded:
            schema: {type: object, properties: {name: {type: string}}}
      responses:
        "200": {description: ok, content: {application/json: {schema: {type: object}}}}
  /uploads:
    post:
      operationId: upload
      requestBody:
        required: true
        content:
          multipart/form-data:
            schema:
              type: object
              required: [name, file]
              properties:
                name: {type: string, maxLength: 3}
                file: {type: string, format: binary}
      responses:
        "200": {description: ok, content: {application/json: {schema: {type: object}}}}
`

func invalidUTF8Server(t *testing.T, seen *[]string) *kluetest.Server {
	pool := klue.NewPool()
	kluetest.Add(t, pool, "utf8", klue.Bytes("utf8.yaml", []byte(invalidUTF8Spec)))
	server.Bind(pool, "item", func(ctx context.Context, in *struct {
		ID  string `path:"id"`
		Q   string `query:"q"`
		Tag string `header:"X-Tag"`
		C   string `cookie:"c"`
	}) (*map[string]any, error) {
		*seen = append(*seen, in.ID, in.Q, in.Tag, in.C)
		return &map[string]any{}, nil
	})
	server.Bind(pool, "form", func(ctx context.Context, in *struct {
		Name string `form:"name"`
	}) (*map[string]any, error) {
		*seen = append(*seen, in.Name)
		return &map[string]any{}, nil
	})
	server.Bind(pool, "upload", func(ctx context.Context, in *struct {
		Name string       `form:"name"`
		File *server.File `form:"file"`
	}) (*map[string]any, error) {
		file := "<no file>"
		if in.File != nil {
			file = "file " + in.File.Filename
		}
		*seen = append(*seen, in.Name, file)
		return &map[string]any{}, nil
	})
	return kluetest.Spawn(t, pool, "utf8")
}

// TestParameterInvalidUTF8 sends string parameters and form fields that are
// not UTF-8: a JSON body holding such a string is refused (RFC 8259 §8.1),
// and a handler never sees one through any other way in.
func TestParameterInvalidUTF8(t *testing.T) {
	t.Parallel()
	var seen []string
	s := invalidUTF8Server(t, &seen)
	for _, tc := range []struct {
		name string
		do   func() int
	}{
		{"path", func() int { return s.Get("/items/a%FFb").Code }},
		{"query", func() int { return s.Get("/items/a?q=%FF").Code }},
		{"header", func() int { return s.Get("/items/a", "X-Tag: a\xffb").Code }},
		{"cookie", func() int { return s.Get("/items/a", "Cookie: c=a\xffb").Code }},
		{"form", func() int {
			return s.Post("/forms", "Content-Type: application/x-www-form-urlencoded", []byte("name=%FF")).Code
		}},
		{"multipart", func() int {
			return s.Post("/uploads", "Content-Type: multipart/form-data; boundary=XX",
				[]byte("--XX\r\nContent-Disposition: form-data; name=\"name\"\r\n\r\n\xff\r\n"+
					"--XX\r\nContent-Disposition: form-data; name=\"file\"; filename=\"f\"\r\n\r\nx\r\n--XX--\r\n")).Code
		}},
	} {
		seen = nil
		code := tc.do()
		for _, v := range seen {
			if !utf8.ValidString(v) {
				t.Errorf("%s: status %d, the handler saw %q; want 400", tc.name, code, v)
			}
		}
		if code != http.StatusBadRequest && tc.name != "cookie" {
			t.Errorf("%s: status %d, want 400", tc.name, code)
		}
	}
}
