package server_test

import (
	"context"
	"errors"
	"net/http"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/klue-go/klue-client-server/klue/server"
)

func TestHealth(t *testing.T) {
	t.Parallel()
	var storeDown atomic.Bool
	e := newEcho()
	logger, logs := newLogger()
	err := server.Health(e, []server.ReadyCheck{
		{Name: "store", Check: func(context.Context) error {
			if storeDown.Load() {
				return errors.New("dial tcp 10.0.0.7:5432: connection refused")
			}
			return nil
		}},
		{Name: "cache", Check: func(context.Context) error { return nil }},
	}, server.WithLogger(logger))
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		path, want string
		down       bool
		status     int
	}{
		{"/healthz", `{"status":"ok"}`, false, 200},
		{"/readyz", `{"status":"ok","checks":{"cache":"ok","store":"ok"}}`, false, 200},
		{"/healthz", `{"status":"ok"}`, true, 200},
		{"/readyz", `{"status":"unavailable","checks":{"cache":"ok","store":"fail"}}`, true, 503},
		{"/readyz", `{"status":"ok","checks":{"cache":"ok","store":"ok"}}`, false, 200},
	}
	for _, tt := range tests {
		storeDown.Store(tt.down)
		rec := send(e, request{method: "GET", path: tt.path})
		if rec.Code != tt.status || strings.TrimSpace(rec.Body.String()) != tt.want {
			t.Errorf("GET %s (store down: %v): %d %s, want %d %s", tt.path, tt.down, rec.Code, rec.Body.String(), tt.status, tt.want)
		}
		if rec.Header().Get("Cache-Control") != "no-store" {
			t.Errorf("GET %s: Cache-Control %q", tt.path, rec.Header().Get("Cache-Control"))
		}
	}
	if l := logs.String(); !strings.Contains(l, "check=store") || !strings.Contains(l, "connection refused") {
		t.Errorf("the failed check is not logged: %s", l)
	}
}

// TestHealthCheckBounded checks that a check that hangs, ignoring its
// context, or panics, fails /readyz instead of holding or crashing it.
func TestHealthCheckBounded(t *testing.T) {
	t.Parallel()
	e := newEcho()
	logger, _ := newLogger()
	release := make(chan struct{})
	defer close(release)
	err := server.Health(e, []server.ReadyCheck{
		{Name: "hangs", Check: func(context.Context) error { <-release; return nil }},
		{Name: "panics", Check: func(context.Context) error { panic("boom") }},
	}, server.WithLogger(logger))
	if err != nil {
		t.Fatal(err)
	}
	start := time.Now()
	rec := send(e, request{method: "GET", path: "/readyz"})
	if rec.Code != http.StatusServiceUnavailable || !strings.Contains(rec.Body.String(), `"hangs":"fail"`) || !strings.Contains(rec.Body.String(), `"panics":"fail"`) {
		t.Errorf("%d %s", rec.Code, rec.Body.String())
	}
	if d := time.Since(start); d > server.ReadyTimeout+time.Second {
		t.Errorf("/readyz took %v", d)
	}
}

func TestHealthRefusesBadChecks(t *testing.T) {
	t.Parallel()
	ok := func(context.Context) error { return nil }
	err := server.Health(newEcho(), []server.ReadyCheck{{Name: "", Check: ok}, {Name: "db"}, {Name: "x", Check: ok}, {Name: "x", Check: ok}})
	for _, want := range []string{"check 0 has no name", `check "db" has no function`, `two checks are named "x"`} {
		if err == nil || !strings.Contains(err.Error(), want) {
			t.Errorf("error %v, want it to say %q", err, want)
		}
	}
}
