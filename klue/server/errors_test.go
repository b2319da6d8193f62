package server_test

import (
	"context"
	"fmt"
	"net/http"
	"strings"
	"sync"
	"testing"

	"github.com/klue-go/klue-client-server/klue"
	"github.com/klue-go/klue-client-server/klue/kluetest"
	"github.com/klue-go/klue-client-server/klue/persist"
	"github.com/klue-go/klue-client-server/klue/server"
)

const errorsSpec = `openapi: 3.0.3
info: {title: errors, version: '1'}
paths:
  /things/{id}:
    put:
      operationId: putThing
      parameters:
        - {name: id, in: path, required: true, schema: {type: string}}
        - {name: dry, in: query, schema: {type: boolean}}
      requestBody:
        required: true
        content:
          application/json:
            schema:
              type: object
              required: [name]
              properties:
                name: {type: string, minLength: 2}
                size: {type: integer, maximum: 10}
      responses:
        '200': {description: the thing}
        default:
          description: an error
          content:
            application/json:
              schema: {$ref: '#/components/schemas/Error'}
components:
  schemas:
    Error:
      type: object
      required: [code]
      properties:
        code: {type: integer}
        fields:
          type: array
          items:
            type: object
            required: [where, what]
            properties:
              where: {type: string}
              what: {type: string}
`

type thingError struct {
	Code   int          `json:"code"`
	Fields []thingField `json:"fields,omitempty"`
}

type thingField struct {
	Where string `json:"where"`
	What  string `json:"what"`
}

// TestErrorFormatterGetsViolations checks that an API's error formatter
// receives every violation klue found in a request, so that the API's own
// error model can list them.
func TestErrorFormatterGetsViolations(t *testing.T) {
	t.Parallel()
	var mu sync.Mutex
	var got []klue.Violation
	format := func(_ context.Context, e *klue.Error) any {
		mu.Lock()
		got = append([]klue.Violation(nil), e.Details...)
		mu.Unlock()
		out := thingError{Code: e.Status}
		for _, v := range e.Details {
			out.Fields = append(out.Fields, thingField{Where: v.Location, What: v.Message})
		}
		return out
	}
	pool := klue.NewPool()
	kluetest.Add(t, pool, "errors", klue.Bytes("errors.yaml", []byte(errorsSpec)), klue.WithErrorFormatter(format))
	server.Bind(pool, "putThing", func(context.Context, *struct {
		ID   string `path:"id"`
		Dry  bool   `query:"dry"`
		Body map[string]any
	}) (*struct{}, error) {
		return nil, nil
	})
	e := newEcho()
	if err := server.Spawn(e, pool, "errors"); err != nil {
		t.Fatal(err)
	}
	rec := send(e, request{method: "PUT", path: "/things/a?dry=maybe", body: `{"name":"x","size":11}`})
	if rec.Code != http.StatusBadRequest {
		t.Fatalf("status %d: %s", rec.Code, rec.Body.String())
	}
	mu.Lock()
	defer mu.Unlock()
	want := []string{"query.dry", "body.name", "body.size"}
	if len(got) != len(want) {
		t.Fatalf("the formatter got %v, want violations at %v", got, want)
	}
	for i, v := range got {
		if v.Location != want[i] || v.Message == "" {
			t.Errorf("violation %d: %+v, want one at %s with a message", i, v, want[i])
		}
	}
	body := rec.Body.String()
	for _, w := range want {
		if !strings.Contains(body, `"where":"`+w+`"`) {
			t.Errorf("the API's error model does not list %s: %s", w, body)
		}
	}
}

// TestPersistErrorsAnswered checks that a handler returning persist's
// ErrNotFound or ErrConflict, wrapped or not, is answered 404 or 409, with
// the store's message kept out of the answer.
func TestPersistErrorsAnswered(t *testing.T) {
	t.Parallel()
	tests := []struct {
		err    error
		status int
	}{
		{persist.ErrNotFound, http.StatusNotFound},
		{fmt.Errorf("users %q: %w", "secret-id", persist.ErrNotFound), http.StatusNotFound},
		{persist.ErrConflict, http.StatusConflict},
		{fmt.Errorf("save: %w", fmt.Errorf("users %q: %w", "secret-id", persist.ErrConflict)), http.StatusConflict},
		{fmt.Errorf("users: %w", persist.ErrDuplicate), http.StatusConflict},
		{persist.ErrCorrupt, http.StatusInternalServerError},
	}
	for _, tt := range tests {
		t.Run(tt.err.Error(), func(t *testing.T) {
			t.Parallel()
			pool := klue.NewPool()
			kluetest.Add(t, pool, "errors", klue.Bytes("errors.yaml", []byte(errorsSpec)))
			server.Bind(pool, "putThing", func(context.Context, *struct {
				ID   string `path:"id"`
				Body map[string]any
			}) (*struct{}, error) {
				return nil, tt.err
			})
			e := newEcho()
			logger, _ := newLogger()
			if err := server.Spawn(e, pool, "errors", server.WithLogger(logger)); err != nil {
				t.Fatal(err)
			}
			rec := send(e, request{method: "PUT", path: "/things/a", body: `{"name":"xy"}`})
			if rec.Code != tt.status {
				t.Errorf("status %d, want %d: %s", rec.Code, tt.status, rec.Body.String())
			}
			if strings.Contains(rec.Body.String(), "secret-id") || strings.Contains(rec.Body.String(), "persist:") {
				t.Errorf("the store's message reached the caller: %s", rec.Body.String())
			}
		})
	}
}
