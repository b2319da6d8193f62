package server_test

import (
	"context"
	"net/http"
	"testing"

	"github.com/klue-go/klue-client-server/klue"
	"github.com/klue-go/klue-client-server/klue/kluetest"
	"github.com/klue-go/klue-client-server/klue/server"
)

const contentMediaSpec = `openapi: 3.1.0
info: {title: media, version: "1"}
paths:
  /docs:
    post:
      operationId: post
      requestBody:
        required: true
        content:
          multipart/form-data:
            schema:
              type: object
              required: [doc, image]
              properties:
                doc: {type: string, contentMediaType: application/json, maxLength: 12}
                image: {type: string, contentMediaType: image/png}
      responses:
        "200": {description: ok}
`

// TestContentMediaTypeOfText sends a multipart body whose property doc is
// a string holding JSON text (OpenAPI 3.1's contentMediaType
// application/json) beside a file (contentMediaType image/png): doc is a
// value, checked as a string whether its part has a filename or not,
// image a file whatever its content.
func TestContentMediaTypeOfText(t *testing.T) {
	t.Parallel()
	pool := klue.NewPool()
	kluetest.Add(t, pool, "media", klue.Bytes("media.yaml", []byte(contentMediaSpec)))
	var got *string
	server.Bind(pool, "post", func(_ context.Context, in *struct {
		Doc   string       `form:"doc"`
		Image *server.File `form:"image"`
	}) (*struct{}, error) {
		got = &in.Doc
		return &struct{}{}, nil
	})
	s := kluetest.Spawn(t, pool, "media")
	for _, tc := range []struct {
		what      string
		parts     string
		want      int
		wantValue string
	}{
		{"JSON text", part("doc", "-", `{"a":1}`) + part("image", "i.png", "\x89PNG\xff"), http.StatusOK, `{"a":1}`},
		{"JSON text in a part with a filename", part("doc", "d.json", `{"a":1}`) + part("image", "-", "\x89PNG\xff"), http.StatusOK, `{"a":1}`},
		{"text too long", part("doc", "-", `{"a":"0123456789"}`) + part("image", "i.png", "x"), http.StatusBadRequest, ""},
		{"text too long, with a filename", part("doc", "d.json", `{"a":"0123456789"}`) + part("image", "i.png", "x"), http.StatusBadRequest, ""},
		{"not UTF-8", part("doc", "d.json", "\"\xff\"") + part("image", "i.png", "x"), http.StatusBadRequest, ""},
	} {
		got = nil
		rec := s.Post("/docs", "Content-Type: multipart/form-data; boundary=XX", []byte(tc.parts+"--XX--\r\n"))
		switch {
		case rec.Code != tc.want:
			t.Errorf("%s: status %d (%s), want %d", tc.what, rec.Code, rec.Body, tc.want)
		case tc.want == http.StatusOK && (got == nil || *got != tc.wantValue):
			t.Errorf("%s: the handler saw %v, want %q", tc.what, got, tc.wantValue)
		case tc.want != http.StatusOK && got != nil:
			t.Errorf("%s: the handler ran with %q", tc.what, *got)
		}
	}
}
