package server_test

import (
	"context"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync/atomic"
	"testing"

	"github.com/labstack/echo/v4"

	"github.com/klue-go/klue-client-server/klue"
	"github.com/klue-go/klue-client-server/klue/kluetest"
	"github.com/klue-go/klue-client-server/klue/server"
)

const mockedSpec = `openapi: 3.0.3
info: {title: t, version: "1"}
paths:
  /things/{id}:
    put:
      operationId: putThing
      security: [{key: []}]
      parameters:
        - {name: id, in: path, required: true, schema: {type: integer, minimum: 1}}
      requestBody:
        required: true
        content:
          application/json:
            schema: {type: object, required: [name], properties: {name: {type: string}}}
      responses:
        "204":
          description: stored; this spec gives the empty answer a schema
          content:
            application/json:
              schema: {type: object}
components:
  securitySchemes:
    key: {type: apiKey, in: header, name: X-Key}
`

// TestUnboundMocked checks that a mocked operation reads and validates its
// request as a bound one does before the mock answers, checks no
// credentials, and that a 204 needs no body whatever its schema.
func TestUnboundMocked(t *testing.T) {
	t.Parallel()
	pool := klue.NewPool()
	kluetest.Add(t, pool, "t", klue.Bytes("t.yaml", []byte(mockedSpec)))
	var calls atomic.Int32
	e := echo.New()
	err := server.Spawn(e, pool, "t", server.WithoutDocs(), server.WithUnboundMocked(
		func(_ context.Context, op *klue.Operation, r *http.Request) (*server.Reply, error) {
			calls.Add(1)
			return &server.Reply{Status: http.StatusNoContent}, nil
		}))
	if err != nil {
		t.Fatal(err)
	}
	put := func(path, body string) int {
		req := httptest.NewRequest(http.MethodPut, path, strings.NewReader(body))
		req.Header.Set("Content-Type", "application/json")
		rec := httptest.NewRecorder()
		e.ServeHTTP(rec, req)
		return rec.Code
	}
	if code := put("/things/1", `{"name":"a"}`); code != http.StatusNoContent || calls.Load() != 1 {
		t.Errorf("a valid request: %d, %d calls", code, calls.Load())
	}
	for _, bad := range []struct{ path, body string }{{"/things/0", `{"name":"a"}`}, {"/things/1", `{}`}, {"/things/1", `[`}} {
		if code := put(bad.path, bad.body); code != http.StatusBadRequest {
			t.Errorf("PUT %s %s: %d, want 400", bad.path, bad.body, code)
		}
	}
	if calls.Load() != 1 {
		t.Errorf("the mock answered %d invalid requests", calls.Load()-1)
	}
}
