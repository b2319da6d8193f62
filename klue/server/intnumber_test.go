package server_test

import (
	"context"
	"net/http"
	"strings"
	"testing"

	"github.com/klue-go/klue-client-server/klue"
	"github.com/klue-go/klue-client-server/klue/kluetest"
	"github.com/klue-go/klue-client-server/klue/server"
)

const intNumberSpec = `openapi: 3.1.0
info: {title: ints, version: "1"}
paths:
  /ints:
    post:
      operationId: ints
      requestBody:
        required: true
        content:
          application/json:
            schema:
              type: object
              properties:
                n: {type: integer}
                small: {type: integer, maximum: 200}
                list: {type: array, items: {type: integer}}
                f: {type: number}
      responses:
        "200": {description: ok, content: {application/json: {schema: {type: object}}}}
`

// TestIntegerWithAFraction sends integers written with a fraction of zero
// or an exponent, which JSON Schema 2020-12 counts as integers (1.0 is the
// integer 1): the Go integer fields get them, while a fraction, or a value
// out of the field's range, is still refused.
func TestIntegerWithAFraction(t *testing.T) {
	t.Parallel()
	pool := klue.NewPool()
	kluetest.Add(t, pool, "ints", klue.Bytes("ints.yaml", []byte(intNumberSpec)))
	server.Bind(pool, "ints", func(_ context.Context, in *struct {
		N     *int64   `json:"n"`
		Small *uint8   `json:"small"`
		List  []int32  `json:"list"`
		F     *float64 `json:"f"`
	}) (*map[string]any, error) {
		return seen(in)
	})
	s := kluetest.Spawn(t, pool, "ints")
	for _, tc := range []struct {
		body string
		want int
		got  string
	}{
		{`{"n":1.0}`, 200, `{"n":1}`},
		{`{"n":1e2}`, 200, `{"n":100}`},
		{`{"n":1.5E+1}`, 200, `{"n":15}`},
		{`{"n":-0.0}`, 200, `{"n":0}`},
		{`{"n":12300e-2}`, 200, `{"n":123}`},
		{`{"small":2.0e2,"list":[1.0,2,3e0],"f":1.0}`, 200, `{"f":1,"list":[1,2,3],"small":200}`},
		{`{"n":0.5e1}`, 200, `{"n":5}`},
		{`{"n":100e-2}`, 200, `{"n":1}`},
		{`{"n":0.0e-999}`, 200, `{"n":0}`},
		{`{"n":1.5}`, 400, ""},
		{`{"n":5e-1}`, 400, ""},
		{`{"n":1.000000000000000000001}`, 400, ""},
		{`{"n":1e19}`, 400, ""},
		{`{"n":1e1000000000}`, 400, ""},
		{`{"small":-1.0}`, 400, ""},
	} {
		rec := s.Post("/ints", "Content-Type: application/json", []byte(tc.body))
		body := strings.TrimSpace(rec.Body.String())
		switch {
		case rec.Code != tc.want:
			t.Errorf("%s: status %d (%.300s), want %d", tc.body, rec.Code, body, tc.want)
		case tc.want == http.StatusOK && body != tc.got:
			t.Errorf("%s: the handler got %s, want %s", tc.body, body, tc.got)
		}
	}
}

// TestIntegerWithAFractionIn30 sends the same integers to an OpenAPI 3.0
// spec, whose JSON Schema draft counts as integers only the numbers
// written without a fraction or an exponent: they are refused.
func TestIntegerWithAFractionIn30(t *testing.T) {
	t.Parallel()
	pool := klue.NewPool()
	kluetest.Add(t, pool, "ints", klue.Bytes("ints.yaml", []byte(strings.Replace(intNumberSpec, "3.1.0", "3.0.3", 1))))
	server.Bind(pool, "ints", func(_ context.Context, in *struct {
		N *int64 `json:"n"`
	}) (*map[string]any, error) {
		return seen(in)
	})
	s := kluetest.Spawn(t, pool, "ints")
	for _, body := range []string{`{"n":1.0}`, `{"n":1e2}`} {
		if rec := s.Post("/ints", "Content-Type: application/json", []byte(body)); rec.Code != http.StatusBadRequest {
			t.Errorf("%s: status %d (%s), want 400", body, rec.Code, rec.Body)
		}
	}
}
