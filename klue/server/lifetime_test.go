package server_test

import (
	"context"
	"errors"
	"io"
	"net/http"
	"net/http/httptest"
	"testing"
	"time"

	"github.com/klue-go/klue-client-server/klue"
	"github.com/klue-go/klue-client-server/klue/kluetest"
	"github.com/klue-go/klue-client-server/klue/server"
)

const lifetimeSpec = `
openapi: 3.0.3
info: {title: lifetime, version: '1'}
paths:
  /who:
    get:
      operationId: who
      parameters:
        - {in: header, name: X-User, schema: {type: string}}
      responses:
        '200':
          description: the user
          content:
            application/json:
              schema: {type: object, properties: {name: {type: string}}}
`

type whoIn struct {
	User string `header:"X-User"`
}

type whoOut struct {
	Name string `json:"name"`
}

// TestContextOutlivesRequest checks that a context a handler keeps after it
// returns still describes its own request: echo reuses its Context for the
// next request, and nothing reachable from the handler's ctx may follow it.
func TestContextOutlivesRequest(t *testing.T) {
	t.Parallel()
	pool := klue.NewPool()
	kluetest.Add(t, pool, "lifetime", klue.Bytes("lifetime.yaml", []byte(lifetimeSpec)))
	var kept []context.Context
	server.Bind(pool, "who", func(ctx context.Context, in *whoIn) (*whoOut, error) {
		kept = append(kept, context.WithoutCancel(ctx))
		return &whoOut{Name: in.User}, nil
	})
	e := newEcho()
	if err := server.Spawn(e, pool, "lifetime"); err != nil {
		t.Fatal(err)
	}
	for _, user := range []string{"alice", "bob"} {
		req := httptest.NewRequest(http.MethodGet, "/who", nil)
		req.Header.Set("X-User", user)
		rec := httptest.NewRecorder()
		e.ServeHTTP(rec, req)
		if rec.Code != http.StatusOK {
			t.Fatalf("%s: status %d: %s", user, rec.Code, rec.Body)
		}
	}
	alice, bob := kept[0], kept[1]
	if got := server.RequestHeader(alice).Get("X-User"); got != "alice" {
		t.Errorf("the first request's kept context reads X-User %q, want \"alice\"", got)
	}
	if got := server.RequestHeader(bob).Get("X-User"); got != "bob" {
		t.Errorf("the second request's kept context reads X-User %q, want \"bob\"", got)
	}
	if op := server.Operation(alice); op == nil || op.Name() != "who" {
		t.Errorf("the kept context's operation is %v", op)
	}

	// A writer kept past the handler's return writes nowhere: not into
	// the response of the request served next.
	w := server.ResponseWriter(alice)
	if w == nil {
		t.Fatal("ResponseWriter of a kept context is nil")
	}
	req := httptest.NewRequest(http.MethodGet, "/who", nil)
	req.Header.Set("X-User", "carol")
	stolen := httptest.NewRecorder()
	e.ServeHTTP(stolen, req)
	w.Header().Set("X-Injected", "yes")
	if _, err := w.Write([]byte("injected")); err == nil {
		t.Error("writing through a writer kept past the handler's return succeeded")
	}
	w.WriteHeader(http.StatusTeapot)
	body, _ := io.ReadAll(stolen.Result().Body)
	if stolen.Header().Get("X-Injected") != "" || string(body) != `{"name":"carol"}` || stolen.Code != http.StatusOK {
		t.Errorf("a kept writer reached the next response: %d %v %q", stolen.Code, stolen.Header(), body)
	}
}

// TestResponseWriterStreams checks that the writer of ResponseWriter
// streams: it is an http.Flusher, and http.NewResponseController reaches
// the connection's deadlines through it, to outlast the server's
// WriteTimeout.
func TestResponseWriterStreams(t *testing.T) {
	t.Parallel()
	pool := klue.NewPool()
	kluetest.Add(t, pool, "lifetime", klue.Bytes("lifetime.yaml", []byte(lifetimeSpec)))
	server.Bind(pool, "who", func(ctx context.Context, in *whoIn) (*whoOut, error) {
		w := server.ResponseWriter(ctx)
		if err := http.NewResponseController(w).SetWriteDeadline(time.Now().Add(time.Hour)); err != nil {
			return nil, err
		}
		w.Header().Set("Content-Type", "application/json")
		w.WriteHeader(http.StatusOK)
		_, _ = io.WriteString(w, `{"name":`)
		f, ok := w.(http.Flusher)
		if !ok {
			return nil, errors.New("the writer is not an http.Flusher")
		}
		f.Flush()
		_, _ = io.WriteString(w, `"streamed"}`)
		return nil, nil
	})
	e := newEcho()
	if err := server.Spawn(e, pool, "lifetime"); err != nil {
		t.Fatal(err)
	}
	addr := startServe(t, e, server.ServeConfig{})
	res, err := http.Get("http://" + addr + "/who")
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	body, _ := io.ReadAll(res.Body)
	if res.StatusCode != http.StatusOK || string(body) != `{"name":"streamed"}` {
		t.Errorf("%d %s", res.StatusCode, body)
	}
}
