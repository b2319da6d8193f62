package server_test

import (
	"context"
	"fmt"
	"io"
	"net/http"
	"strings"
	"testing"

	"github.com/klue-go/klue-client-server/klue"
	"github.com/klue-go/klue-client-server/klue/kluetest"
	"github.com/klue-go/klue-client-server/klue/server"
)

const multipartManySpec = `openapi: 3.0.3
info: {title: many, version: "1"}
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
              required: [name, files]
              properties:
                name: {type: string, maxLength: 5}
                files: {type: array, items: {type: string, format: binary}}
      responses:
        "200": {description: ok}
`

// TestMultipartBinaryInBody binds an upload to a body model (Req itself,
// or its Body field) rather than to form-tagged fields: a binary property
// holds the file's content, as octets in a []byte and as text in a string
// or an any, never the file's name, whether the part had a filename or
// not, in each way a spec can say that a property is a file.
func TestMultipartBinaryInBody(t *testing.T) {
	t.Parallel()
	type bytesModel struct {
		Name string `json:"name"`
		File []byte `json:"file"`
	}
	type textModel struct {
		Name string  `json:"name"`
		File *string `json:"file"`
	}
	binds := map[string]func(pool *klue.Pool, got *string){
		"Req is a model, []byte": func(pool *klue.Pool, got *string) {
			server.Bind(pool, "upload", func(_ context.Context, in *bytesModel) (*struct{}, error) {
				*got = in.Name + "|" + string(in.File)
				return &struct{}{}, nil
			})
		},
		"Body is a model, *string": func(pool *klue.Pool, got *string) {
			server.Bind(pool, "upload", func(_ context.Context, in *struct{ Body textModel }) (*struct{}, error) {
				*got = in.Body.Name + "|" + *in.Body.File
				return &struct{}{}, nil
			})
		},
		"Body is a model, io.Reader": func(pool *klue.Pool, got *string) {
			server.Bind(pool, "upload", func(_ context.Context, in *struct {
				Body struct {
					Name string    `json:"name"`
					File io.Reader `json:"file"`
				}
			}) (*struct{}, error) {
				data, err := io.ReadAll(in.Body.File)
				if err != nil {
					return nil, err
				}
				*got = in.Body.Name + "|" + string(data)
				return &struct{}{}, nil
			})
		},
		"Body is a map": func(pool *klue.Pool, got *string) {
			server.Bind(pool, "upload", func(_ context.Context, in *struct{ Body map[string]any }) (*struct{}, error) {
				*got = fmt.Sprint(in.Body["name"], "|", in.Body["file"])
				return &struct{}{}, nil
			})
		},
	}
	for spec, text := range multipartKindSpecs {
		for bind, bindFn := range binds {
			t.Run(spec+"/"+bind, func(t *testing.T) {
				t.Parallel()
				pool := klue.NewPool()
				kluetest.Add(t, pool, "kinds", klue.Bytes("kinds.yaml", []byte(text)))
				var got string
				bindFn(pool, &got)
				s := kluetest.Spawn(t, pool, "kinds")
				for _, filename := range []string{"f.txt", "-"} {
					got = ""
					body := part("name", "-", "abc") + part("file", filename, "the \x00\xff bytes") + "--XX--\r\n"
					rec := s.Post("/uploads", "Content-Type: multipart/form-data; boundary=XX", []byte(body))
					if rec.Code != http.StatusOK || got != "abc|the \x00\xff bytes" {
						t.Errorf("filename %q: status %d (%s), the handler saw %q; want the content", filename, rec.Code, rec.Body, got)
					}
				}
			})
		}
	}
}

// TestMultipartFilesInBody binds an array of files to a body model: each
// item holds one file's content.
func TestMultipartFilesInBody(t *testing.T) {
	t.Parallel()
	for what, bind := range map[string]func(pool *klue.Pool, got *[]string){
		"[][]byte": func(pool *klue.Pool, got *[]string) {
			server.Bind(pool, "upload", func(_ context.Context, in *struct {
				Name  string   `json:"name"`
				Files [][]byte `json:"files"`
			}) (*struct{}, error) {
				for _, f := range in.Files {
					*got = append(*got, string(f))
				}
				return &struct{}{}, nil
			})
		},
		"[]string": func(pool *klue.Pool, got *[]string) {
			server.Bind(pool, "upload", func(_ context.Context, in *struct {
				Name  string   `json:"name"`
				Files []string `json:"files"`
			}) (*struct{}, error) {
				*got = in.Files
				return &struct{}{}, nil
			})
		},
	} {
		t.Run(what, func(t *testing.T) {
			t.Parallel()
			pool := klue.NewPool()
			kluetest.Add(t, pool, "many", klue.Bytes("many.yaml", []byte(multipartManySpec)))
			var got []string
			bind(pool, &got)
			s := kluetest.Spawn(t, pool, "many")
			for _, n := range []int{1, 3} {
				got = nil
				var want []string
				body := part("name", "-", "abc")
				for i := range n {
					want = append(want, fmt.Sprintf("content %d", i))
					body += part("files", fmt.Sprintf("f%d", i), want[i])
				}
				rec := s.Post("/uploads", "Content-Type: multipart/form-data; boundary=XX", []byte(body+"--XX--\r\n"))
				if rec.Code != http.StatusOK || strings.Join(got, ",") != strings.Join(want, ",") {
					t.Errorf("%d files: status %d (%s), the handler saw %q; want %q", n, rec.Code, rec.Body, got, want)
				}
			}
		})
	}
}
