package client_test

import (
	"errors"
	"net/http"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/klue-go/klue-client-server/klue"
	"github.com/klue-go/klue-client-server/klue/client"
)

// x-decorate-request applies the decorator registered under its name to
// that operation only; a global decorator applies to all, first; both run
// before each attempt.
func TestDecorators(t *testing.T) {
	t.Parallel()
	var posts atomic.Int32
	rec := &capture{answer: func(w http.ResponseWriter, r *http.Request) {
		if r.Method == http.MethodPost && posts.Add(1) <= 2 {
			w.WriteHeader(http.StatusServiceUnavailable)
			return
		}
		jsonAnswer(http.StatusCreated, `{"id":1,"name":"Rex"}`)(w, r)
	}}
	srv := serve(t, rec)
	pool := newPool(t, []klue.Option{klue.WithHost(hostOf(srv))}, "pets")
	var authCalls atomic.Int32
	configure(t, pool, "pets",
		client.WithBackoff(time.Millisecond, time.Millisecond),
		client.WithDecorator(func(r *http.Request) error {
			r.Header.Add("X-Trace", "global")
			return nil
		}),
		client.WithNamedDecorator("auth", func(r *http.Request) error {
			authCalls.Add(1)
			r.Header.Add("X-Trace", "auth")
			r.Header.Set("Authorization", "Bearer t0k3n")
			return nil
		}))
	remote := pool.Client("pets")
	if _, err := client.CallWith[Pet](remote, "create_pet", &NewPet{Name: "Rex"}, client.WithRetryNonIdempotent(), client.WithoutResponseValidation()).Do(t.Context()); err != nil {
		t.Fatal(err)
	}
	s := rec.last(t)
	if got := strings.Join(s.Header.Values("X-Trace"), ","); got != "global,auth" || s.Header.Get("Authorization") != "Bearer t0k3n" {
		t.Errorf("decorated headers %v", s.Header)
	}
	if authCalls.Load() != 3 || rec.count() != 3 {
		t.Errorf("decorator ran %d times for %d attempts, want 3 and 3", authCalls.Load(), rec.count())
	}
	if _, err := client.Call[struct{}](remote, "version", client.WithoutResponseValidation()).Do(t.Context()); err != nil {
		t.Fatal(err)
	}
	s = rec.last(t)
	if got := strings.Join(s.Header.Values("X-Trace"), ","); got != "global" || s.Header.Get("Authorization") != "" {
		t.Errorf("an undecorated operation got %v", s.Header)
	}
}

// A decorator's error fails the call; nothing is sent and nothing retried.
func TestDecoratorError(t *testing.T) {
	t.Parallel()
	rec := &capture{}
	srv := serve(t, rec)
	pool := newPool(t, []klue.Option{klue.WithHost(hostOf(srv))}, "pets")
	boom := errors.New("token expired")
	configure(t, pool, "pets", client.WithNamedDecorator("auth", func(*http.Request) error { return boom }))
	_, err := client.CallWith[Pet](pool.Client("pets"), "create_pet", &NewPet{Name: "Rex"}, client.WithRetryNonIdempotent()).Do(t.Context())
	if !errors.Is(err, boom) || !strings.Contains(err.Error(), "request decorator: token expired") {
		t.Errorf("error %v", err)
	}
	if rec.count() != 0 {
		t.Errorf("%d requests sent", rec.count())
	}
}

// Configure checks every x-decorate-request name at start-up, with "did you
// mean"; without Configure, only the operations that need a missing
// decorator fail, when they are called.
func TestConfigureChecksDecorators(t *testing.T) {
	t.Parallel()
	pool := newPool(t, nil, "pets")
	err := client.Configure(pool, "pets", client.WithNamedDecorator("auht", bearer("x")))
	if !errors.Is(err, klue.ErrUnknownKey) || !strings.Contains(err.Error(), `no request decorator "auth" (did you mean "auht"?)`) ||
		!strings.Contains(err.Error(), "POST /pets") {
		t.Errorf("Configure: %v", err)
	}

	rec := &capture{answer: jsonAnswer(200, `{"name":"pets","version":"1"}`)}
	srv := serve(t, rec)
	pool2 := newPool(t, []klue.Option{klue.WithHost(hostOf(srv))}, "pets")
	if _, err := client.Call[Version](pool2.Client("pets"), "version").Do(t.Context()); err != nil {
		t.Errorf("an operation without decorators: %v", err)
	}
	_, err = client.CallWith[Pet](pool2.Client("pets"), "create_pet", &NewPet{Name: "Rex"}).Do(t.Context())
	if !errors.Is(err, klue.ErrUnknownKey) || !strings.Contains(err.Error(), `request decorator "auth"`) {
		t.Errorf("an operation with a missing decorator: %v", err)
	}
	if rec.count() != 1 {
		t.Errorf("%d requests, want 1", rec.count())
	}
	if err := client.Configure(pool2, "pets", client.WithNamedDecorator("auth", bearer("x"))); err == nil || !strings.Contains(err.Error(), "already used") {
		t.Errorf("Configure after a call: %v", err)
	}
}

// Configure reports every bad option at once, and only once per API.
func TestConfigureErrors(t *testing.T) {
	t.Parallel()
	pool := newPool(t, nil, "pets")
	err := client.Configure(pool, "pets",
		client.WithNamedDecorator("auth", bearer("x")),
		client.WithAttempts(0), client.WithTimeout(-time.Second), client.WithBackoff(time.Second, time.Millisecond),
		client.WithLocal(nil), client.WithTransport(nil), client.WithMaxResponseBytes(0),
		client.WithNamedDecorator("auth", bearer("y")), client.WithDecorator(nil))
	for _, want := range []string{"WithAttempts(0)", "WithTimeout(-1s)", "WithBackoff(1s, 1ms)", "WithLocal(nil)", "WithTransport(nil)",
		"WithMaxResponseBytes(0)", `"auth" is registered twice`, "WithDecorator(nil)"} {
		if err == nil || !strings.Contains(err.Error(), want) {
			t.Errorf("error %v does not mention %s", err, want)
		}
	}
	configure(t, pool, "pets", client.WithNamedDecorator("auth", bearer("x")))
	if err := client.Configure(pool, "pets", client.WithNamedDecorator("auth", bearer("x"))); err == nil || !strings.Contains(err.Error(), "already configured") {
		t.Errorf("second Configure: %v", err)
	}
}

// Answers larger than the bound fail the call.
func TestMaxResponseBytes(t *testing.T) {
	t.Parallel()
	rec := &capture{answer: jsonAnswer(200, `{"name":"`+strings.Repeat("x", 4096)+`","version":"1"}`)}
	srv := serve(t, rec)
	pool := newPool(t, []klue.Option{klue.WithHost(hostOf(srv))}, "pets")
	configure(t, pool, "pets", client.WithMaxResponseBytes(1024), client.WithNamedDecorator("auth", bearer("x")))
	_, err := client.Call[Version](pool.Client("pets"), "version").Do(t.Context())
	if klue.StatusOf(err) != http.StatusBadGateway || !strings.Contains(err.Error(), "larger than 1024 bytes") {
		t.Errorf("error %v", err)
	}
}

// A failed Configure is not forgotten: the API's calls fail with its error,
// rather than run with the defaults, until a Configure succeeds.
func TestFailedConfigureFailsTheCalls(t *testing.T) {
	t.Parallel()
	rec := &capture{answer: jsonAnswer(200, `{"name":"pets","version":"1"}`)}
	srv := serve(t, rec)
	pool := newPool(t, []klue.Option{klue.WithHost(hostOf(srv))}, "pets")
	cfgErr := client.Configure(pool, "pets", client.WithNamedDecorator("auht", bearer("x")))
	if cfgErr == nil {
		t.Fatal("Configure with a misspelt decorator succeeded")
	}
	_, err := client.Call[Version](pool.Client("pets"), "version").Do(t.Context())
	if err == nil || !strings.Contains(err.Error(), `no request decorator "auth"`) || rec.count() != 0 {
		t.Fatalf("a call after a failed Configure: %v (%d requests sent)", err, rec.count())
	}
	configure(t, pool, "pets", client.WithNamedDecorator("auth", bearer("x")))
	if _, err := client.Call[Version](pool.Client("pets"), "version").Do(t.Context()); err != nil || rec.count() != 1 {
		t.Errorf("a call after a Configure that succeeded: %v", err)
	}
}
