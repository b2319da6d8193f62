package server_test

import (
	"context"
	"strings"
	"testing"

	"github.com/klue-go/klue-client-server/klue"
	"github.com/klue-go/klue-client-server/klue/server"
)

func TestUnroutedOperationsAreNotMounted(t *testing.T) {
	t.Parallel()
	bind := func(pool *klue.Pool, key string) {
		server.Bind(pool, klue.Key[struct{}, struct{}](key), func(context.Context, *struct{}) (*struct{}, error) { return &struct{}{}, nil })
	}

	pool := klue.NewPool(klue.WithLenient())
	for name, file := range map[string]string{"identical": "../testdata/paths/identical.yaml", "variants": "../testdata/paths/variants.yaml"} {
		if err := pool.Add(name, klue.File(file)); err != nil {
			t.Fatal(err)
		}
	}
	bind(pool, "getA")
	e := newEcho()
	if err := server.Spawn(e, pool, "identical", server.WithUnboundNotImplemented()); err != nil {
		t.Fatal(err)
	}
	if err := server.Spawn(e, pool, "variants", server.WithUnboundNotImplemented(), server.WithoutDocs()); err != nil {
		t.Fatal(err)
	}
	for _, c := range []struct {
		path string
		code int
		body string
	}{
		// The first template declared answers every request of both.
		{"/journals/7", 501, "getJournalByID"},
		{"/journals/6f1c0a52-9a34-4c0e-8a55-3d3c59e1a0a5", 501, "getJournalByID"},
		{"/a", 200, ""},
		{"/a?beta=true", 200, ""},
		{"/files/1", 404, ""},
	} {
		rec := send(e, request{method: "GET", path: c.path})
		if rec.Code != c.code || !strings.Contains(rec.Body.String(), c.body) {
			t.Errorf("GET %s: %d %s, want %d with %q", c.path, rec.Code, rec.Body.String(), c.code, c.body)
		}
	}

	// A handler bound to an operation that is never routed is a mistake.
	pool2 := klue.NewPool(klue.WithLenient())
	if err := pool2.Add("variants", klue.File("../testdata/paths/variants.yaml")); err != nil {
		t.Fatal(err)
	}
	bind(pool2, "getABeta")
	err := server.Spawn(newEcho(), pool2, "variants", server.WithUnboundNotImplemented())
	if err == nil || !strings.Contains(err.Error(), "GET /a?beta=true has a handler, but is not routed: a request path holds no query ('?'); GET /a answers its requests") {
		t.Errorf("Spawn: %v", err)
	}
}
