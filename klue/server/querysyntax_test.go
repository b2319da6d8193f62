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

const querySyntaxSpec = `openapi: 3.0.3
info: {title: query, version: "1"}
paths:
  /search:
    get:
      operationId: search
      parameters:
        - {name: n, in: query, schema: {type: integer, maximum: 10}}
        - {name: q, in: query, schema: {type: string}}
      responses:
        "200": {description: ok, content: {application/json: {schema: {type: object}}}}
`

// TestQueryThatDoesNotParse sends queries net/url cannot read whole: the
// pairs it cannot read were dropped, so that a parameter the client sent
// reached the handler as absent. Such a query is a 400 naming it.
func TestQueryThatDoesNotParse(t *testing.T) {
	t.Parallel()
	pool := klue.NewPool()
	kluetest.Add(t, pool, "query", klue.Bytes("query.yaml", []byte(querySyntaxSpec)))
	calls := 0
	server.Bind(pool, "search", func(ctx context.Context, in *struct {
		N *int   `query:"n"`
		Q string `query:"q"`
	}) (*map[string]any, error) {
		calls++
		return &map[string]any{}, nil
	})
	s := kluetest.Spawn(t, pool, "query")
	for _, query := range []string{
		"n=%zz",
		"n=1;n=11",
		"n=11;q=a",
		"q=a&n=%1",
		"%zz=1",
	} {
		calls = 0
		rec := s.Get("/search?" + query)
		if rec.Code != http.StatusBadRequest || calls > 0 || !strings.Contains(rec.Body.String(), `"location":"query"`) {
			t.Errorf("?%s: status %d, %d handler calls: %.300s; want 400 at query and no call", query, rec.Code, calls, rec.Body)
		}
	}
	calls = 0
	if rec := s.Get("/search?n=1&q=a%20b"); rec.Code != http.StatusOK || calls != 1 {
		t.Errorf("a valid query: status %d: %.300s", rec.Code, rec.Body)
	}
}
