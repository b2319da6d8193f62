package server_test

import (
	"context"
	"net/http"
	"testing"

	"github.com/klue-go/klue-client-server/klue"
	"github.com/klue-go/klue-client-server/klue/kluetest"
	"github.com/klue-go/klue-client-server/klue/server"
	"github.com/labstack/echo/v4"
)

const headSpec = `openapi: 3.0.3
info: {title: head, version: "1"}
paths:
  /items/{id}:
    get:
      operationId: get_item
      parameters:
        - {name: id, in: path, required: true, schema: {type: integer}}
        - {name: limit, in: query, schema: {type: integer, maximum: 10}}
      responses:
        "200":
          description: ok
          headers:
            X-Count: {schema: {type: integer}}
          content: {application/json: {schema: {type: object, properties: {id: {type: integer}}}}}
    delete:
      operationId: delete_item
      parameters:
        - {name: id, in: path, required: true, schema: {type: integer}}
      responses:
        "204": {description: gone}
  /notes:
    get:
      operationId: get_doc
      responses:
        "200": {description: ok, content: {text/plain: {schema: {type: string}}}}
    head:
      operationId: head_doc
      responses:
        "204": {description: no content}
  /jobs:
    post:
      operationId: start_job
      responses:
        "201": {description: started}
`

type headItem struct {
	ID int `json:"id"`
}

type headAnswer struct {
	Count int `header:"X-Count"`
	Body  *headItem
}

// TestHeadServesGet checks that HEAD is served for every GET operation
// that declares no HEAD of its own (RFC 9110 section 9.3.2): the same
// checks, the same handler, the same status and headers, and no body.
func TestHeadServesGet(t *testing.T) {
	t.Parallel()
	calls := map[string]int{}
	pool := klue.NewPool()
	kluetest.Add(t, pool, "head", klue.Bytes("head.yaml", []byte(headSpec)))
	server.Bind(pool, "get_item", func(ctx context.Context, in *struct {
		ID    int `path:"id"`
		Limit int `query:"limit"`
	}) (*headAnswer, error) {
		calls["get_item"]++
		return &headAnswer{Count: 3, Body: &headItem{ID: in.ID}}, nil
	})
	server.Bind(pool, "delete_item", func(ctx context.Context, in *struct {
		ID int `path:"id"`
	}) (*struct{}, error) {
		return &struct{}{}, nil
	})
	server.Bind(pool, "get_doc", func(ctx context.Context, in *struct{}) (*string, error) {
		calls["get_doc"]++
		s := "text"
		return &s, nil
	})
	server.Bind(pool, "head_doc", func(ctx context.Context, in *struct{}) (*struct{}, error) {
		calls["head_doc"]++
		return &struct{}{}, nil
	})
	server.Bind(pool, "start_job", func(ctx context.Context, in *struct{}) (*struct{}, error) {
		return &struct{}{}, nil
	})
	s := kluetest.Spawn(t, pool, "head")

	get := s.Get("/items/7?limit=2")
	if get.Code != http.StatusOK || get.Body.Len() == 0 {
		t.Fatalf("GET /items/7: %d %q", get.Code, get.Body)
	}
	head := s.Do(http.MethodHead, "/items/7?limit=2")
	if head.Code != http.StatusOK {
		t.Errorf("HEAD /items/7: status %d (%s); want 200", head.Code, head.Body)
	}
	if head.Body.Len() != 0 {
		t.Errorf("HEAD /items/7: a body %q; want none", head.Body)
	}
	for _, h := range []string{"Content-Type", "X-Count"} {
		if got, want := head.Header().Get(h), get.Header().Get(h); got != want || want == "" {
			t.Errorf("HEAD /items/7: %s %q; GET answers %q", h, got, want)
		}
	}
	if calls["get_item"] != 2 {
		t.Errorf("the GET handler ran %d times for a GET and a HEAD; want 2", calls["get_item"])
	}

	for _, target := range []string{"/items/7?limit=11", "/items/x"} {
		rec := s.Do(http.MethodHead, target)
		if want := s.Get(target).Code; rec.Code != want || want == http.StatusOK {
			t.Errorf("HEAD %s: status %d; GET answers %d", target, rec.Code, want)
		}
		if rec.Body.Len() != 0 {
			t.Errorf("HEAD %s: a body %q; want none", target, rec.Body)
		}
	}

	if rec := s.Do(http.MethodHead, "/notes"); rec.Code != http.StatusNoContent || calls["head_doc"] != 1 || calls["get_doc"] != 0 {
		t.Errorf("HEAD /notes: status %d, calls %v; want the declared HEAD operation's 204", rec.Code, calls)
	}

	rec := s.Do(http.MethodHead, "/jobs")
	if rec.Code != http.StatusMethodNotAllowed || rec.Header().Get("Allow") != "POST" {
		t.Errorf("HEAD /jobs: status %d, Allow %q; want 405, POST", rec.Code, rec.Header().Get("Allow"))
	}
	rec = s.Do(http.MethodPut, "/items/7")
	if allow := rec.Header().Get("Allow"); rec.Code != http.StatusMethodNotAllowed || allow != "DELETE, GET, HEAD" {
		t.Errorf("PUT /items/7: status %d, Allow %q; want 405, DELETE, GET, HEAD", rec.Code, allow)
	}
}

// TestHeadGivesWayToTheApplication checks that a HEAD route the
// application registered itself is kept, not refused as a conflict.
func TestHeadGivesWayToTheApplication(t *testing.T) {
	t.Parallel()
	pool := klue.NewPool()
	kluetest.Add(t, pool, "head", klue.Bytes("head.yaml", []byte(`openapi: 3.0.3
info: {title: head, version: "1"}
paths:
  /plain:
    get:
      operationId: get_plain
      responses:
        "200": {description: ok, content: {text/plain: {schema: {type: string}}}}
`)))
	server.Bind(pool, "get_plain", func(ctx context.Context, in *struct{}) (*string, error) {
		s := "text"
		return &s, nil
	})
	e := kluetest.NewEcho()
	e.HEAD("/plain", func(c echo.Context) error { return c.NoContent(http.StatusTeapot) })
	if err := server.Spawn(e, pool, "head"); err != nil {
		t.Fatal(err)
	}
	if rec := kluetest.Serve(t, e, http.MethodHead, "/plain"); rec.Code != http.StatusTeapot {
		t.Errorf("HEAD /plain: status %d; want the application's 418", rec.Code)
	}
}
