package client_test

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/klue-go/klue-client-server/klue"
	"github.com/klue-go/klue-client-server/klue/client"
)

// flaky answers the n-th request (from 1) with fail(n, w, r) when that
// returns true, else with a valid answer for any pets operation.
type flaky struct {
	n    atomic.Int32
	fail func(n int, w http.ResponseWriter, r *http.Request) bool
}

func (f *flaky) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	n := int(f.n.Add(1))
	_, _ = io.Copy(io.Discard, r.Body)
	if f.fail(n, w, r) {
		return
	}
	w.Header().Set("Content-Type", "application/json")
	switch {
	case r.URL.Path == "/v1/version":
		_, _ = io.WriteString(w, `{"name":"pets","version":"1.0.0"}`)
	case r.Method == http.MethodPost:
		w.WriteHeader(http.StatusCreated)
		_, _ = io.WriteString(w, `{"id":5,"name":"Rex"}`)
	default:
		_, _ = io.WriteString(w, `{"id":1,"name":"Rex"}`)
	}
}

// The failures a server can inflict.
func status(code int, headers ...string) func(w http.ResponseWriter) {
	return func(w http.ResponseWriter) {
		for i := 0; i+1 < len(headers); i += 2 {
			w.Header().Set(headers[i], headers[i+1])
		}
		w.WriteHeader(code)
	}
}

// hangUp closes the connection without an answer.
func hangUp(w http.ResponseWriter) {
	conn, _, err := http.NewResponseController(w).Hijack()
	if err == nil {
		_ = conn.Close()
	}
}

// stall waits d, or until the client goes away.
func stall(d time.Duration) func(w http.ResponseWriter, r *http.Request) {
	return func(_ http.ResponseWriter, r *http.Request) {
		select {
		case <-time.After(d):
		case <-r.Context().Done():
		}
	}
}

// flakyPets serves the pets API with f on loopback.
func flakyPets(t testing.TB, f *flaky, poolOpts []klue.Option, opts ...client.ClientOption) *klue.Client {
	t.Helper()
	srv := serve(t, f)
	pool := newPool(t, append([]klue.Option{klue.WithHost(hostOf(srv))}, poolOpts...), "pets")
	configure(t, pool, "pets", append([]client.ClientOption{client.WithBackoff(time.Millisecond, 5*time.Millisecond), client.WithNamedDecorator("auth", bearer("good"))}, opts...)...)
	return pool.Client("pets")
}

// Connection failures, timeouts and 503s are tried again for idempotent
// methods: a server that fails twice, then answers, is called three times.
func TestRetryFailsTwiceThenSucceeds(t *testing.T) {
	t.Parallel()
	cases := []struct {
		name string
		fail func(w http.ResponseWriter, r *http.Request)
	}{
		{"503", func(w http.ResponseWriter, _ *http.Request) { status(503)(w) }},
		{"502", func(w http.ResponseWriter, _ *http.Request) { status(502)(w) }},
		{"connection closed", func(w http.ResponseWriter, _ *http.Request) { hangUp(w) }},
		{"timeout", stall(2 * time.Second)},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			f := &flaky{fail: func(n int, w http.ResponseWriter, r *http.Request) bool {
				if n <= 2 {
					tc.fail(w, r)
					return true
				}
				return false
			}}
			remote := flakyPets(t, f, []klue.Option{klue.WithTimeout(200 * time.Millisecond)})
			v, err := client.Call[Version](remote, "version").Do(t.Context())
			if err != nil {
				t.Fatal(err)
			}
			if v.Name != "pets" || f.n.Load() != 3 {
				t.Errorf("result %+v after %d requests, want 3", v, f.n.Load())
			}
		})
	}
}

// After the last attempt the error says how many there were.
func TestRetryGivesUp(t *testing.T) {
	t.Parallel()
	f := &flaky{fail: func(_ int, w http.ResponseWriter, _ *http.Request) bool { status(503)(w); return true }}
	remote := flakyPets(t, f, nil)
	_, err := client.Call[Version](remote, "version").Do(t.Context())
	api, _ := remote.API()
	base, _ := api.BaseURL()
	want := "klue: pets.version: GET " + base + "/version: 503 Service Unavailable (3 attempts)"
	if err == nil || err.Error() != want {
		t.Fatalf("error\n %v\nwant\n %s", err, want)
	}
	if f.n.Load() != 3 || !errors.Is(err, klue.ErrUnavailable) {
		t.Errorf("%d requests; errors.Is(ErrUnavailable) = %v", f.n.Load(), errors.Is(err, klue.ErrUnavailable))
	}

	f2 := &flaky{fail: func(_ int, w http.ResponseWriter, _ *http.Request) bool { status(503)(w); return true }}
	remote2 := flakyPets(t, f2, nil, client.WithAttempts(5))
	if _, err := client.Call[Version](remote2, "version", client.WithAttempts(2)).Do(t.Context()); err == nil || f2.n.Load() != 2 {
		t.Errorf("per-call attempts: %d requests, error %v", f2.n.Load(), err)
	}
	if _, err := client.Call[Version](remote2, "version").Do(t.Context()); err == nil || f2.n.Load() != 2+5 {
		t.Errorf("per-API attempts: %d requests, error %v", f2.n.Load()-2, err)
	}
}

// POST and PATCH are not tried again unless the call asks for it; answers
// that are not worth retrying (404) are not either.
func TestNoRetry(t *testing.T) {
	t.Parallel()
	cases := []struct {
		name     string
		fail     func(w http.ResponseWriter, r *http.Request)
		call     func(ctx context.Context, remote *klue.Client) error
		requests int32
	}{
		{"POST 503", func(w http.ResponseWriter, _ *http.Request) { status(503)(w) }, func(ctx context.Context, remote *klue.Client) error {
			_, err := client.CallWith[Pet](remote, "create_pet", &NewPet{Name: "Rex"}).Do(ctx)
			return err
		}, 1},
		{"POST connection closed", func(w http.ResponseWriter, _ *http.Request) { hangUp(w) }, func(ctx context.Context, remote *klue.Client) error {
			_, err := client.CallWith[Pet](remote, "create_pet", &NewPet{Name: "Rex"}).Do(ctx)
			return err
		}, 1},
		{"PATCH 503", func(w http.ResponseWriter, _ *http.Request) { status(503)(w) }, func(ctx context.Context, remote *klue.Client) error {
			_, err := client.CallWith[Pet](remote, "rename_pet", &struct {
				ID   int `path:"id"`
				Body NewPet
			}{1, NewPet{Name: "Rex"}}).Do(ctx)
			return err
		}, 1},
		{"POST allowed to retry", func(w http.ResponseWriter, _ *http.Request) { status(503)(w) }, func(ctx context.Context, remote *klue.Client) error {
			_, err := client.CallWith[Pet](remote, "create_pet", &NewPet{Name: "Rex"}, client.WithRetryNonIdempotent()).Do(ctx)
			return err
		}, 3},
		{"GET 404", func(w http.ResponseWriter, _ *http.Request) { status(404)(w) }, func(ctx context.Context, remote *klue.Client) error {
			_, err := client.CallWith[Pet](remote, "get_pet", &PetID{ID: 1}).Do(ctx)
			return err
		}, 1},
		{"GET 500", func(w http.ResponseWriter, _ *http.Request) { status(500)(w) }, func(ctx context.Context, remote *klue.Client) error {
			_, err := client.CallWith[Pet](remote, "get_pet", &PetID{ID: 1}).Do(ctx)
			return err
		}, 1},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			f := &flaky{fail: func(_ int, w http.ResponseWriter, r *http.Request) bool { tc.fail(w, r); return true }}
			remote := flakyPets(t, f, nil)
			if err := tc.call(t.Context(), remote); err == nil {
				t.Fatal("no error")
			}
			if got := f.n.Load(); got != tc.requests {
				t.Errorf("%d requests, want %d", got, tc.requests)
			}
		})
	}
}

// 429 and 503 answers honour Retry-After.
func TestRetryAfter(t *testing.T) {
	t.Parallel()
	f := &flaky{fail: func(n int, w http.ResponseWriter, _ *http.Request) bool {
		if n == 1 {
			status(429, "Retry-After", "1")(w)
			return true
		}
		return false
	}}
	remote := flakyPets(t, f, nil)
	start := time.Now()
	if _, err := client.Call[Version](remote, "version").Do(t.Context()); err != nil {
		t.Fatal(err)
	}
	if elapsed := time.Since(start); elapsed < time.Second || elapsed > 3*time.Second {
		t.Errorf("took %v, want the second attempt after Retry-After's second", elapsed)
	}
	if f.n.Load() != 2 {
		t.Errorf("%d requests", f.n.Load())
	}
}

// The context's deadline wins over the API's timeout and over Retry-After.
func TestContextDeadlineWins(t *testing.T) {
	t.Parallel()
	t.Run("Retry-After past the deadline", func(t *testing.T) {
		t.Parallel()
		f := &flaky{fail: func(_ int, w http.ResponseWriter, _ *http.Request) bool {
			status(503, "Retry-After", "30")(w)
			return true
		}}
		remote := flakyPets(t, f, nil)
		ctx, cancel := context.WithTimeout(t.Context(), 2*time.Second)
		defer cancel()
		start := time.Now()
		_, err := client.Call[Version](remote, "version").Do(ctx)
		if klue.StatusOf(err) != 503 || time.Since(start) > time.Second || f.n.Load() != 1 {
			t.Errorf("error %v after %v and %d requests: want the 503 at once", err, time.Since(start), f.n.Load())
		}
	})
	t.Run("deadline shorter than the timeout", func(t *testing.T) {
		t.Parallel()
		f := &flaky{fail: func(_ int, w http.ResponseWriter, r *http.Request) bool { stall(5*time.Second)(w, r); return true }}
		remote := flakyPets(t, f, nil)
		start := time.Now()
		ctx, cancel := context.WithTimeout(t.Context(), 300*time.Millisecond)
		defer cancel()
		_, err := client.Call[Version](remote, "version").Do(ctx)
		elapsed := time.Since(start)
		if !errors.Is(err, context.DeadlineExceeded) || klue.StatusOf(err) != http.StatusGatewayTimeout {
			t.Errorf("error %v", err)
		}
		if elapsed < 300*time.Millisecond || elapsed > 3*time.Second {
			t.Errorf("took %v, want the 300ms deadline, long before the server's 5s stall", elapsed)
		}
	})
}

// The API's timeout bounds an attempt, within 10%; a call can override it.
// The test does not run in parallel with others, which would compete for
// the CPU with its timing.
func TestTimeoutHonoured(t *testing.T) {
	const timeout = time.Second
	cases := []struct {
		name     string
		poolOpts []klue.Option
		callOpts []client.CallOption
	}{
		{"API timeout", []klue.Option{klue.WithTimeout(timeout)}, nil},
		{"call timeout", []klue.Option{klue.WithTimeout(time.Minute)}, []client.CallOption{client.WithTimeout(timeout)}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			f := &flaky{fail: func(_ int, w http.ResponseWriter, r *http.Request) bool { stall(10*time.Second)(w, r); return true }}
			remote := flakyPets(t, f, tc.poolOpts)
			start := time.Now()
			_, err := client.CallWith[Pet](remote, "create_pet", &NewPet{Name: "Rex"}, tc.callOpts...).Do(t.Context())
			elapsed := time.Since(start)
			if klue.StatusOf(err) != http.StatusGatewayTimeout || !strings.Contains(err.Error(), fmt.Sprintf("timed out after %v", timeout)) {
				t.Errorf("error %v", err)
			}
			// The server stalls for 10 s: a call back well before that was cut
			// by the timeout. The margin is wide because a loaded machine can
			// delay any wake-up; the time the call took is not a benchmark.
			if elapsed < timeout || elapsed > timeout+2*time.Second {
				t.Errorf("took %v, want %v (cut long before the server's 10s stall)", elapsed, timeout)
			}
		})
	}
}

// Backoff waits grow and stay within bounds.
func TestBackoffBounds(t *testing.T) {
	t.Parallel()
	var times []time.Time
	f := &flaky{fail: func(_ int, w http.ResponseWriter, _ *http.Request) bool {
		times = append(times, time.Now())
		status(503)(w)
		return true
	}}
	srv := serve(t, f)
	pool := newPool(t, []klue.Option{klue.WithHost(hostOf(srv))}, "pets")
	configure(t, pool, "pets", client.WithBackoff(40*time.Millisecond, 100*time.Millisecond), client.WithAttempts(4),
		client.WithNamedDecorator("auth", bearer("good")))
	if _, err := client.Call[Version](pool.Client("pets"), "version").Do(t.Context()); err == nil {
		t.Fatal("no error")
	}
	if len(times) != 4 {
		t.Fatalf("%d attempts", len(times))
	}
	// A sleep is never shorter than asked, so the lower bounds hold on any
	// machine; the upper bounds of each draw are checked without a clock in
	// TestBackoffDraws, since a loaded machine can stretch any wait.
	lower := []time.Duration{20, 40, 50} // ms: half of 40, 80, 100 (capped)
	for i, b := range lower {
		if gap := times[i+1].Sub(times[i]); gap < b*time.Millisecond {
			t.Errorf("wait %d: %v, want at least %dms", i+1, gap, b)
		}
	}
}
