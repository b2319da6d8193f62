package server_test

import (
	"context"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/klue-go/klue-client-server/klue"
	"github.com/klue-go/klue-client-server/klue/kluetest"
	"github.com/klue-go/klue-client-server/klue/server"
)

// integerRuleSpec takes an integer in every place: body, query, header,
// path, and a form (urlencoded and multipart).
func integerRuleSpec(version string) string {
	if version == "2.0" {
		return `swagger: '2.0'
info: {title: t, version: '1'}
paths:
  /b:
    post:
      operationId: body
      parameters:
        - {name: body, in: body, schema: {type: object, properties: {n: {type: integer}}}}
      responses: {'200': {description: ok, schema: {}}}
  /p/{n}:
    get:
      operationId: params
      parameters:
        - {name: n, in: path, required: true, type: integer}
        - {name: q, in: query, type: integer}
        - {name: X-N, in: header, type: integer}
      responses: {'200': {description: ok, schema: {}}}
  /f:
    post:
      operationId: form
      consumes: [application/x-www-form-urlencoded, multipart/form-data]
      parameters:
        - {name: n, in: formData, type: integer}
      responses: {'200': {description: ok, schema: {}}}
`
	}
	return `openapi: ` + version + `
info: {title: t, version: '1'}
paths:
  /b:
    post:
      operationId: body
      requestBody: {content: {application/json: {schema: {type: object, properties: {n: {type: integer}}}}}}
      responses: {'200': {description: ok, content: {application/json: {schema: {}}}}}
  /p/{n}:
    get:
      operationId: params
      parameters:
        - {name: n, in: path, required: true, schema: {type: integer}}
        - {name: q, in: query, schema: {type: integer}}
        - {name: X-N, in: header, schema: {type: integer}}
      responses: {'200': {description: ok, content: {application/json: {schema: {}}}}}
  /f:
    post:
      operationId: form
      requestBody:
        content:
          application/x-www-form-urlencoded: {schema: {type: object, properties: {n: {type: integer}}}}
          multipart/form-data: {schema: {type: object, properties: {n: {type: integer}}}}
      responses: {'200': {description: ok, content: {application/json: {schema: {}}}}}
`
}

// What counts as an integer is one rule per spec version, the same for the
// validator and the decoder in every place: OpenAPI 3.1 (JSON Schema
// 2020-12) counts 1.0 and 1e2 as integers; Swagger 2.0 and OpenAPI 3.0
// (JSON Schema drafts 4 and 5) only numbers written without a fraction or
// an exponent. Either way a request is served or refused with 400 (never
// a 404 or a 500), and Schema.Validate says the same.
func TestIntegerRuleIsOnePerVersion(t *testing.T) {
	t.Parallel()
	for _, version := range []string{"2.0", "3.0.3", "3.1.0"} {
		t.Run(version, func(t *testing.T) {
			t.Parallel()
			pool := klue.NewPool()
			kluetest.Add(t, pool, "k", klue.Bytes("k.yaml", []byte(integerRuleSpec(version))))
			type body struct {
				N *int `json:"n"`
			}
			server.Bind(pool, klue.Key[body, int]("body"), func(_ context.Context, in *body) (*int, error) { return in.N, nil })
			type params struct {
				N int  `path:"n"`
				Q *int `query:"q"`
				H *int `header:"X-N"`
			}
			server.Bind(pool, klue.Key[params, []int]("params"), func(_ context.Context, in *params) (*[]int, error) {
				out := []int{in.N}
				for _, p := range []*int{in.Q, in.H} {
					if p != nil {
						out = append(out, *p)
					}
				}
				return &out, nil
			})
			type form struct {
				N *int `form:"n"`
			}
			server.Bind(pool, klue.Key[form, int]("form"), func(_ context.Context, in *form) (*int, error) { return in.N, nil })
			s := kluetest.Spawn(t, pool, "k")
			api, err := pool.API("k")
			if err != nil {
				t.Fatal(err)
			}
			op, err := api.Operation("body")
			if err != nil {
				t.Fatal(err)
			}
			schema := op.Body.Content[0].Schema
			integers := version == "3.1.0"
			for _, text := range []string{"1.0", "1e2", "100E-2", "12.50e1"} {
				want := http.StatusBadRequest
				if integers {
					want = http.StatusOK
				}
				for where, rec := range map[string]*httptest.ResponseRecorder{
					"body":      s.Post("/b", "Content-Type: application/json", []byte(`{"n":`+text+`}`)),
					"path":      s.Get("/p/" + text),
					"query":     s.Get("/p/1?q=" + text),
					"header":    s.Get("/p/1", "X-N: "+text),
					"form":      s.Post("/f", "Content-Type: application/x-www-form-urlencoded", []byte("n="+text)),
					"multipart": s.Post("/f", "Content-Type: multipart/form-data; boundary=B", []byte("--B\r\nContent-Disposition: form-data; name=\"n\"\r\n\r\n"+text+"\r\n--B--\r\n")),
				} {
					if rec.Code != want {
						t.Errorf("%s %s: %d %s, want %d", where, text, rec.Code, strings.TrimSpace(rec.Body.String()), want)
					}
				}
				err := schema.ValidateJSON(klue.ForRequest, []byte(`{"n":`+text+`}`))
				if (err == nil) != integers {
					t.Errorf("Validate %s: %v, want valid=%t", text, err, integers)
				}
			}
			// A fraction is no integer in any version; a plain integer is
			// one in all.
			for where, rec := range map[string]*httptest.ResponseRecorder{
				"body 1.5":  s.Post("/b", "Content-Type: application/json", []byte(`{"n":1.5}`)),
				"query 1.5": s.Get("/p/1?q=1.5"),
				"path 1.5":  s.Get("/p/1.5"),
			} {
				if rec.Code != http.StatusBadRequest {
					t.Errorf("%s: %d, want 400", where, rec.Code)
				}
			}
			if rec := s.Get("/p/7?q=8", "X-N: 9"); rec.Code != http.StatusOK || strings.TrimSpace(rec.Body.String()) != "[7,8,9]" {
				t.Errorf("plain integers: %d %s", rec.Code, rec.Body)
			}
		})
	}
}
