package server_test

import (
	"context"
	"net/http"
	"testing"

	"github.com/labstack/echo/v4"

	"github.com/klue-go/klue-client-server/klue"
	"github.com/klue-go/klue-client-server/klue/kluetest"
	"github.com/klue-go/klue-client-server/klue/server"
)

// TestUnboundMockedMediaRange checks that an operation whose success
// response lists a type that is not JSON before a media range is mocked,
// its answer sent as that type: the mock's result type follows the media
// type the response is sent as.
func TestUnboundMockedMediaRange(t *testing.T) {
	t.Parallel()
	const spec = `openapi: 3.0.3
info: {title: t, version: "1"}
paths:
  /note:
    get:
      operationId: getNote
      responses:
        "200":
          description: the note
          content:
            application/xml: {schema: {type: string}}
            text/*: {schema: {type: string}}
`
	pool := klue.NewPool()
	kluetest.Add(t, pool, "t", klue.Bytes("t.yaml", []byte(spec)))
	e := echo.New()
	err := server.Spawn(e, pool, "t", server.WithoutDocs(), server.WithUnboundMocked(
		func(context.Context, *klue.Operation, *http.Request) (*server.Reply, error) {
			return &server.Reply{Status: http.StatusOK, Body: "hello"}, nil
		}))
	if err != nil {
		t.Fatal(err)
	}
	rec := kluetest.Serve(t, e, http.MethodGet, "/note")
	if rec.Code != http.StatusOK || rec.Body.String() != "hello" {
		t.Errorf("GET /note: %d %q (%s), want 200 \"hello\"", rec.Code, rec.Body.String(), rec.Header().Get("Content-Type"))
	}
}
