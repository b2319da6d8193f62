package server_test

import (
	"context"
	"io"
	"net/http"
	"strings"
	"testing"

	"github.com/klue-go/klue-client-server/klue"
	"github.com/klue-go/klue-client-server/klue/kluetest"
	"github.com/klue-go/klue-client-server/klue/server"
)

// The same upload (a short string name, a required binary file) in each
// way a spec can say that a property is a file.
var multipartKindSpecs = map[string]string{
	"openapi 3.0 format binary": `openapi: 3.0.3
info: {title: kinds, version: "1"}
paths:
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
                name: {type: string, maxLength: 5}
                file: {type: string, format: binary}
      responses:
        "200": {description: ok}
`,
	"swagger 2.0 type file": `swagger: "2.0"
info: {title: kinds, version: "1"}
paths:
  /uploads:
    post:
      operationId: upload
      consumes: [multipart/form-data]
      parameters:
        - {name: name, in: formData, required: true, type: string, maxLength: 5}
        - {name: file, in: formData, required: true, type: file}
      responses:
        "200": {description: ok}
`,
	"openapi 3.1 contentMediaType": `openapi: 3.1.0
info: {title: kinds, version: "1"}
paths:
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
                name: {type: string, maxLength: 5}
                file: {type: string, contentMediaType: application/octet-stream}
      responses:
        "200": {description: ok}
`,
	"openapi 3.1 contentEncoding": `openapi: 3.1.0
info: {title: kinds, version: "1"}
paths:
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
                name: {type: string, maxLength: 5}
                file: {type: string, contentEncoding: base64}
      responses:
        "200": {description: ok}
`,
}

// part renders one multipart part; a filename of "-" means none.
func part(name, filename, content string) string {
	cd := `form-data; name="` + name + `"`
	if filename != "-" {
		cd += `; filename="` + filename + `"`
	}
	return "--XX\r\nContent-Disposition: " + cd + "\r\n\r\n" + content + "\r\n"
}

// TestMultipartPartsAsTheSchemaSays sends parts of the kind the schema
// does not expect: a file part for a string property is read for its
// content (checked by the schema, never replaced by the file's name), and
// a plain part for a binary property is the file's content.
func TestMultipartPartsAsTheSchemaSays(t *testing.T) {
	t.Parallel()
	for spec, text := range multipartKindSpecs {
		t.Run(spec, func(t *testing.T) {
			t.Parallel()
			type seen struct {
				name, filename, content string
				file                    bool
			}
			var got *seen
			pool := klue.NewPool()
			kluetest.Add(t, pool, "kinds", klue.Bytes("kinds.yaml", []byte(text)))
			server.Bind(pool, "upload", func(ctx context.Context, in *struct {
				Name string       `form:"name"`
				File *server.File `form:"file"`
			}) (*struct{}, error) {
				got = &seen{name: in.Name}
				if in.File != nil {
					data, err := io.ReadAll(in.File)
					if err != nil {
						return nil, err
					}
					got.file, got.filename, got.content = true, in.File.Filename, string(data)
				}
				return &struct{}{}, nil
			})
			s := kluetest.Spawn(t, pool, "kinds")
			for _, tc := range []struct {
				what  string
				parts []string
				code  int
				want  seen // when code is 200
			}{
				{"a file part for name whose content is too long",
					[]string{part("name", "ab", "abcdefghijk"), part("file", "f", "x")}, http.StatusBadRequest, seen{}},
				{"a file part for name whose content is not UTF-8",
					[]string{part("name", "ab", "a\xffb"), part("file", "f", "x")}, http.StatusBadRequest, seen{}},
				{"a file part for name",
					[]string{part("name", "ab", "abc"), part("file", "f.txt", "xyz")}, http.StatusOK,
					seen{name: "abc", file: true, filename: "f.txt", content: "xyz"}},
				{"a plain part for the file",
					[]string{part("name", "-", "abc"), part("file", "-", "the bytes")}, http.StatusOK,
					seen{name: "abc", file: true, content: "the bytes"}},
				{"no part for the required file",
					[]string{part("name", "-", "abc")}, http.StatusBadRequest, seen{}},
			} {
				got = nil
				body := strings.Join(tc.parts, "") + "--XX--\r\n"
				rec := s.Post("/uploads", "Content-Type: multipart/form-data; boundary=XX", []byte(body))
				if rec.Code != tc.code {
					t.Errorf("%s: status %d (%s), the handler saw %+v; want %d", tc.what, rec.Code, rec.Body, got, tc.code)
					continue
				}
				if tc.code == http.StatusBadRequest {
					if got != nil {
						t.Errorf("%s: the handler ran with %+v", tc.what, *got)
					}
					continue
				}
				if got == nil || *got != tc.want {
					t.Errorf("%s: the handler saw %+v; want %+v", tc.what, got, tc.want)
				}
			}
		})
	}
}

// TestMultipartBinaryAsText binds a binary property to a string field and
// a []byte one: they hold the file's content, never its name.
func TestMultipartBinaryAsText(t *testing.T) {
	t.Parallel()
	var got *string
	pool := klue.NewPool()
	kluetest.Add(t, pool, "kinds", klue.Bytes("kinds.yaml", []byte(multipartKindSpecs["openapi 3.0 format binary"])))
	server.Bind(pool, "upload", func(ctx context.Context, in *struct {
		Name  string `form:"name"`
		File  string `form:"file"`
		Bytes []byte `form:"file"`
	}) (*struct{}, error) {
		if string(in.Bytes) != in.File {
			t.Errorf("as bytes %q, as a string %q", in.Bytes, in.File)
		}
		got = &in.File
		return &struct{}{}, nil
	})
	s := kluetest.Spawn(t, pool, "kinds")
	for _, filename := range []string{"f.txt", "-"} {
		got = nil
		body := part("name", "-", "abc") + part("file", filename, "the bytes") + "--XX--\r\n"
		rec := s.Post("/uploads", "Content-Type: multipart/form-data; boundary=XX", []byte(body))
		if rec.Code != http.StatusOK || got == nil || *got != "the bytes" {
			t.Errorf("filename %q: status %d (%s), the handler saw %v; want the content", filename, rec.Code, rec.Body, got)
		}
	}
}
