package server_test

import (
	"context"
	"net/http"
	"strings"
	"testing"

	"github.com/labstack/echo/v4"

	"github.com/klue-go/klue-client-server/klue"
	"github.com/klue-go/klue-client-server/klue/kluetest"
	"github.com/klue-go/klue-client-server/klue/server"
)

// nullSpecs say, each in its spec's own words, that a count is at least
// one or null.
var nullSpecs = map[string]string{
	"openapi 3.0 nullable": `openapi: 3.0.3
info: {title: null, version: "1"}
paths:
  /counts:
    post:
      operationId: count
      parameters:
        - {in: query, name: q, schema: {type: integer, minimum: 1, nullable: true}}
      requestBody:
        content:
          application/json:
            schema:
              type: object
              properties:
                n: {type: integer, minimum: 1, nullable: true}
      responses:
        "200": {description: ok, content: {application/json: {schema: {type: object}}}}
`,
	"openapi 3.1 type null": `openapi: 3.1.0
info: {title: null, version: "1"}
paths:
  /counts:
    post:
      operationId: count
      parameters:
        - {in: query, name: q, schema: {type: [integer, "null"], minimum: 1}}
      requestBody:
        content:
          application/json:
            schema:
              type: object
              properties:
                n: {type: [integer, "null"], minimum: 1}
      responses:
        "200": {description: ok, content: {application/json: {schema: {type: object}}}}
`,
}

// TestNullIntoAFieldThatCannotHoldIt binds a count that may be null to a
// Go int, which would get 0 for null: a value the schema refuses
// (minimum: 1) and not the one sent. Spawn refuses such a field, in a
// body and in a parameter; a *int gets nil.
func TestNullIntoAFieldThatCannotHoldIt(t *testing.T) {
	t.Parallel()
	for name, spec := range nullSpecs {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			for what, bind := range map[string]func(*klue.Pool){
				"a body member": func(pool *klue.Pool) {
					server.Bind(pool, "count", func(_ context.Context, in *struct {
						Body struct {
							N int `json:"n"`
						}
					}) (*map[string]any, error) {
						return &map[string]any{}, nil
					})
				},
				"a parameter": func(pool *klue.Pool) {
					server.Bind(pool, "count", func(_ context.Context, in *struct {
						Q int `query:"q"`
					}) (*map[string]any, error) {
						return &map[string]any{}, nil
					})
				},
			} {
				pool := klue.NewPool()
				kluetest.Add(t, pool, "null", klue.Bytes("null.yaml", []byte(spec)))
				bind(pool)
				err := server.Spawn(echo.New(), pool, "null")
				if err == nil || !strings.Contains(err.Error(), "use *int") {
					t.Errorf("%s: Spawn: %v; want an error saying to use *int", what, err)
				}
			}
			pool := klue.NewPool()
			kluetest.Add(t, pool, "null", klue.Bytes("null.yaml", []byte(spec)))
			var got []string
			server.Bind(pool, "count", func(_ context.Context, in *struct {
				Q    *int `query:"q"`
				Body struct {
					N *int `json:"n"`
				}
			}) (*map[string]any, error) {
				got = []string{fmtPtr(in.Q), fmtPtr(in.Body.N)}
				return &map[string]any{}, nil
			})
			s := kluetest.Spawn(t, pool, "null")
			rec := s.Post("/counts?q=null", "Content-Type: application/json", []byte(`{"n":null}`))
			if rec.Code != http.StatusOK || strings.Join(got, ",") != "nil,nil" {
				t.Errorf("nulls: status %d (%s), the handler got %q", rec.Code, rec.Body, got)
			}
			for _, target := range []string{"/counts?q=0", "/counts"} {
				body := `{"n":1}`
				if target == "/counts" {
					body = `{"n":0}`
				}
				got = nil
				if rec := s.Post(target, "Content-Type: application/json", []byte(body)); rec.Code != http.StatusBadRequest || got != nil {
					t.Errorf("%s %s: status %d, the handler got %q; want 400", target, body, rec.Code, got)
				}
			}
		})
	}
}

// fmtPtr shows a *int: nil, or as many x as it holds.
func fmtPtr(p *int) string {
	if p == nil {
		return "nil"
	}
	return strings.Repeat("x", *p)
}
