package server_test

import (
	"context"
	"errors"
	"strings"
	"testing"

	"github.com/klue-go/klue-client-server/klue"
	"github.com/klue-go/klue-client-server/klue/kluetest"
	"github.com/klue-go/klue-client-server/klue/server"
	"github.com/labstack/echo/v4"
)

const orderSpec = `
openapi: 3.0.3
info: {title: order, version: "1"}
paths:
  /a:
    get:
      operationId: getA
      responses:
        "200": {description: ok}
  /b:
    get:
      operationId: getB
      responses:
        "200": {description: ok}
`

func orderPool(t *testing.T, names ...string) *klue.Pool {
	t.Helper()
	pool := klue.NewPool()
	for _, n := range names {
		if err := pool.Add(n, klue.Bytes(n+".yaml", []byte(orderSpec))); err != nil {
			t.Fatal(err)
		}
	}
	return pool
}

func nothing(context.Context, *struct{}) (*struct{}, error) { return &struct{}{}, nil }

// mustPanic runs f and returns what it panicked with, failing when it did
// not panic.
func mustPanic(t *testing.T, f func()) string {
	t.Helper()
	var got any
	func() {
		defer func() { got = recover() }()
		f()
	}()
	if got == nil {
		t.Fatal("no panic")
	}
	return got.(string)
}

func TestBindAfterSpawnPanics(t *testing.T) {
	t.Parallel()
	pool := orderPool(t, "order")
	server.Bind(pool, "getA", nothing)
	if err := server.Spawn(kluetest.NewEcho(), pool, "order", server.WithUnboundNotImplemented()); err != nil {
		t.Fatal(err)
	}
	msg := mustPanic(t, func() { server.Bind(pool, "getB", nothing) })
	for _, want := range []string{`Bind "getB" after Spawn of API "order"`, "bind every handler before spawning"} {
		if !strings.Contains(msg, want) {
			t.Errorf("panic %q lacks %q", msg, want)
		}
	}
	// A Bind that fails after every API is spawned has no Spawn left to
	// report it: it panics too, rather than being lost.
	msg = mustPanic(t, func() { server.Bind(pool, "getC", nothing) })
	if !strings.Contains(msg, `"getC"`) || !strings.Contains(msg, "after Spawn") {
		t.Errorf("panic %q", msg)
	}
}

func TestBindToAnotherAPIAfterSpawnWorks(t *testing.T) {
	t.Parallel()
	pool := orderPool(t, "one", "two")
	server.Bind(pool, "getA", nothing, server.InAPI("one"))
	server.Bind(pool, "getB", nothing, server.InAPI("one"))
	if err := server.Spawn(kluetest.NewEcho(), pool, "one"); err != nil {
		t.Fatal(err)
	}
	// API two is not spawned yet: binding its handlers now is in order,
	// and a failed Bind is still reported by its Spawn.
	server.Bind(pool, "getA", nothing, server.InAPI("two"))
	server.Bind(pool, "getX", nothing, server.InAPI("two"))
	err := server.Spawn(kluetest.NewEcho(), pool, "two")
	if err == nil || !strings.Contains(err.Error(), `"getX"`) {
		t.Fatalf("Spawn: %v", err)
	}
}

func TestFailedBindIsReportedOnce(t *testing.T) {
	t.Parallel()
	pool := orderPool(t, "order")
	server.Bind(pool, "getA", func(context.Context, *struct {
		Limit int `query:"limit"`
	}) (*struct{}, error) {
		return nil, nil
	})
	err := server.Spawn(kluetest.NewEcho(), pool, "order")
	var se *server.SpawnError
	if !errors.As(err, &se) {
		t.Fatalf("Spawn: %v", err)
	}
	var a, b int
	for _, p := range se.Problems {
		switch {
		case strings.Contains(p.Error(), "/a"):
			a++
		case strings.Contains(p.Error(), "GET /b has no handler"):
			b++
		}
	}
	// GET /a: its Bind failed, which is said once; GET /b: unbound.
	if a != 1 || b != 1 || len(se.Problems) != 2 {
		t.Errorf("problems:\n%v", err)
	}
}

// The decorator options are checked as the client's are, and their
// problems reported by Spawn with the rest.
func TestDecoratorOptionProblems(t *testing.T) {
	t.Parallel()
	pool := orderPool(t, "order")
	server.Bind(pool, "getA", nothing)
	server.Bind(pool, "getB", nothing)
	mw := func(next echo.HandlerFunc) echo.HandlerFunc { return next }
	e := newEcho()
	err := server.Spawn(e, pool, "order",
		server.WithDecorator(nil),
		server.WithNamedDecorator("", mw),
		server.WithNamedDecorator("audit", nil),
		server.WithNamedDecorator("stamp", mw),
		server.WithNamedDecorator("stamp", mw))
	for _, want := range []string{"WithDecorator(nil)", "WithNamedDecorator: empty name", `WithNamedDecorator("audit", nil)`, `"stamp" is registered twice`} {
		if err == nil || !strings.Contains(err.Error(), want) {
			t.Errorf("Spawn error %v lacks %q", err, want)
		}
	}
	if len(e.Routes()) != 0 {
		t.Error("Spawn mounted routes despite the problems")
	}
}

// A Bind whose key is not found, or whose handler is nil, is one problem:
// the operation it meant is not reported again as having no handler.
func TestMistakenBindIsReportedOnce(t *testing.T) {
	t.Parallel()
	for name, bind := range map[string]func(*klue.Pool){
		"misspelt key": func(pool *klue.Pool) { server.Bind(pool, "getAX", nothing) },
		"nil handler": func(pool *klue.Pool) {
			server.Bind(pool, "getA", (func(context.Context, *struct{}) (*struct{}, error))(nil))
		},
	} {
		pool := orderPool(t, "order")
		bind(pool)
		err := server.Spawn(newEcho(), pool, "order")
		var se *server.SpawnError
		if !errors.As(err, &se) || len(se.Problems) != 2 {
			t.Errorf("%s: want the Bind's problem and GET /b's:\n%v", name, err)
			continue
		}
		if msg := err.Error(); strings.Contains(msg, "GET /a has no handler") || !strings.Contains(msg, "GET /b has no handler") {
			t.Errorf("%s:\n%v", name, err)
		}
	}
	pool := orderPool(t, "order")
	server.Bind(pool, "getAX", nothing)
	if err := server.Spawn(newEcho(), pool, "order"); err == nil || !strings.Contains(err.Error(), `(did you mean "getA"`) {
		t.Errorf("the misspelt key's problem does not name the one meant: %v", err)
	}
}
