package server_test

import (
	"context"
	"strings"
	"testing"

	"github.com/labstack/echo/v4"

	"github.com/klue-go/klue-client-server/klue"
	"github.com/klue-go/klue-client-server/klue/kluetest"
	"github.com/klue-go/klue-client-server/klue/server"
)

const paramDefaultSpec = `openapi: 3.0.3
info: {title: d, version: "1"}
paths:
  /r:
    get:
      operationId: r
      parameters:
        - {in: query, name: small, schema: {type: integer, default: 300}}
      responses:
        "200": {description: ok, content: {application/json: {schema: {type: object}}}}
`

// TestParameterDefaultThatDoesNotFit binds a parameter to a Go type that
// cannot hold its default: every request without it would be refused,
// blaming the client for what the server was given. Spawn reports the
// field instead; a type that holds it gets it.
func TestParameterDefaultThatDoesNotFit(t *testing.T) {
	t.Parallel()
	pool := klue.NewPool()
	kluetest.Add(t, pool, "d", klue.Bytes("d.yaml", []byte(paramDefaultSpec)))
	server.Bind(pool, "r", func(_ context.Context, in *struct {
		Small int8 `query:"small"`
	}) (*map[string]any, error) {
		return &map[string]any{}, nil
	})
	err := server.Spawn(echo.New(), pool, "d")
	if err == nil || !strings.Contains(err.Error(), "default") || !strings.Contains(err.Error(), "int8") {
		t.Errorf("Spawn: %v; want an error naming the default and int8", err)
	}

	pool = klue.NewPool()
	kluetest.Add(t, pool, "d", klue.Bytes("d.yaml", []byte(paramDefaultSpec)))
	server.Bind(pool, "r", func(_ context.Context, in *struct {
		Small int16 `query:"small"`
	}) (*map[string]any, error) {
		return &map[string]any{"small": in.Small}, nil
	})
	s := kluetest.Spawn(t, pool, "d")
	if rec := s.Get("/r"); rec.Code != 200 || strings.TrimSpace(rec.Body.String()) != `{"small":300}` {
		t.Errorf("the default: status %d: %s", rec.Code, rec.Body)
	}
}
