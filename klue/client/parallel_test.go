package client_test

import (
	"bytes"
	"context"
	"errors"
	"net/http"
	"runtime"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/klue-go/klue-client-server/klue"
	"github.com/klue-go/klue-client-server/klue/client"
)

// Calls of different result types run at once; each keeps its result.
func TestParallelResults(t *testing.T) {
	t.Parallel()
	remote := petsOnLoopback(t, nil).Client("pets")
	version := client.Call[Version](remote, "version")
	pet := client.CallWith[Pet](remote, "get_pet", &PetID{ID: 1})
	pets := client.CallWith[[]Pet](remote, "list_pets", &ListPets{Tags: []string{"cat"}})
	if _, err := version.Result(); !errors.Is(err, client.ErrNotRun) {
		t.Errorf("Result before running: %v", err)
	}
	if err := client.Parallel(t.Context(), []client.Runner{version, pet, pets}); err != nil {
		t.Fatal(err)
	}
	v, verr := version.Result()
	p, perr := pet.Result()
	l, lerr := pets.Result()
	if verr != nil || perr != nil || lerr != nil {
		t.Fatal(verr, perr, lerr)
	}
	if v.Name != "pets" || p.Name != "Rex" || len(*l) != 1 || (*l)[0].Name != "Tom" {
		t.Errorf("results %+v %+v %+v", v, p, l)
	}
}

// Errors are joined, in the order of the calls, each naming its operation;
// the calls that succeeded keep their results.
func TestParallelErrors(t *testing.T) {
	t.Parallel()
	remote := petsOnLoopback(t, nil).Client("pets")
	missing := client.CallWith[Pet](remote, "get_pet", &PetID{ID: 404})
	unknown := client.Call[Pet](remote, "get_pest")
	version := client.Call[Version](remote, "version")
	err := client.Parallel(t.Context(), []client.Runner{missing, unknown, version})
	if err == nil {
		t.Fatal("no error")
	}
	lines := strings.Split(err.Error(), "\n")
	if len(lines) != 2 || !strings.HasPrefix(lines[0], "klue: pets.get_pet: GET ") || !strings.HasSuffix(lines[0], "404 Not Found: no pet 404") ||
		!strings.HasPrefix(lines[1], `klue: pets.get_pest: API "pets" has no client operation "get_pest"`) {
		t.Errorf("joined error:\n%v", err)
	}
	if klue.StatusOf(err) != http.StatusNotFound {
		t.Errorf("status %d", klue.StatusOf(err))
	}
	if v, err := version.Result(); err != nil || v.Version != "1.0.0" {
		t.Errorf("the successful call: %+v, %v", v, err)
	}
	if _, err := missing.Result(); !errors.Is(err, klue.ErrNotFound) {
		t.Errorf("the failed call: %v", err)
	}
}

// inFlight counts the requests being served at once.
type inFlight struct {
	now, peak atomic.Int32
	hold      time.Duration
	// all, when set, holds each request until all have arrived (or a
	// second has passed).
	all   int32
	ready chan struct{}
	once  sync.Once
}

func (f *inFlight) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	n := f.now.Add(1)
	defer f.now.Add(-1)
	for {
		p := f.peak.Load()
		if n <= p || f.peak.CompareAndSwap(p, n) {
			break
		}
	}
	if f.all > 0 {
		if n >= f.all {
			f.once.Do(func() { close(f.ready) })
		}
		select {
		case <-f.ready:
		case <-time.After(time.Second):
		case <-r.Context().Done():
		}
	} else {
		select {
		case <-time.After(f.hold):
		case <-r.Context().Done():
			return
		}
	}
	jsonAnswer(http.StatusOK, `{"name":"pets","version":"1"}`)(w, r)
}

func versions(remote *klue.Client, n int) []client.Runner {
	calls := make([]client.Runner, n)
	for i := range calls {
		calls[i] = client.Call[Version](remote, "version")
	}
	return calls
}

// WithMaxConcurrency bounds the calls in flight; without it, all run at
// once.
func TestParallelConcurrency(t *testing.T) {
	t.Parallel()
	cases := []struct {
		name string
		srv  *inFlight
		opts []client.ParallelOption
		peak func(int32) bool
	}{
		{"unbounded", &inFlight{all: 10, ready: make(chan struct{})}, nil, func(p int32) bool { return p == 10 }},
		{"at most 3", &inFlight{hold: 20 * time.Millisecond}, []client.ParallelOption{client.WithMaxConcurrency(3)}, func(p int32) bool { return p >= 1 && p <= 3 }},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			srv := serve(t, tc.srv)
			pool := newPool(t, []klue.Option{klue.WithHost(hostOf(srv))}, "pets")
			if err := client.Parallel(t.Context(), versions(pool.Client("pets"), 10), tc.opts...); err != nil {
				t.Fatal(err)
			}
			if p := tc.srv.peak.Load(); !tc.peak(p) {
				t.Errorf("peak of %d calls in flight", p)
			}
		})
	}
}

// WithFailFast cancels the other calls at the first failure, and leaves
// their cancellations out of the error.
func TestParallelFailFast(t *testing.T) {
	t.Parallel()
	mux := http.NewServeMux()
	mux.HandleFunc("/v1/pets/{id}", func(w http.ResponseWriter, _ *http.Request) {
		jsonAnswer(http.StatusNotFound, `{"status":404,"error":"Not Found"}`)(w, nil)
	})
	mux.HandleFunc("/v1/version", func(_ http.ResponseWriter, r *http.Request) { stall(10*time.Second)(nil, r) })
	srv := serve(t, mux)
	pool := newPool(t, []klue.Option{klue.WithHost(hostOf(srv))}, "pets")
	remote := pool.Client("pets")
	slow := versions(remote, 4)
	failing := client.CallWith[Pet](remote, "get_pet", &PetID{ID: 9})
	start := time.Now()
	err := client.Parallel(t.Context(), append(slow, failing), client.WithFailFast())
	if time.Since(start) > 5*time.Second {
		t.Errorf("took %v: the slow calls were not cancelled", time.Since(start))
	}
	if klue.StatusOf(err) != http.StatusNotFound || strings.Count(err.Error(), "\n") != 0 {
		t.Errorf("error %v, want the 404 alone", err)
	}
	for _, r := range slow {
		if _, err := r.(*client.Prepared[Version]).Result(); !errors.Is(err, context.Canceled) {
			t.Errorf("a cancelled call: %v", err)
		}
	}
}

// A panic in one call becomes that call's error; the others are not
// affected.
func TestParallelPanic(t *testing.T) {
	t.Parallel()
	pool := newPool(t, nil, "pets")
	configure(t, pool, "pets", client.WithNamedDecorator("auth", func(*http.Request) error { panic("decorator bug") }),
		client.WithLocal(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			jsonAnswer(http.StatusOK, `{"name":"pets","version":"1"}`)(w, r)
		})))
	remote := pool.Client("pets")
	bad := client.CallWith[Pet](remote, "create_pet", &NewPet{Name: "Rex"})
	good := client.Call[Version](remote, "version")
	err := client.Parallel(t.Context(), []client.Runner{bad, good})
	var pe *client.PanicError
	if !errors.As(err, &pe) || pe.Value != "decorator bug" || !bytes.Contains(pe.Stack, []byte("klue/client")) {
		t.Fatalf("error %v", err)
	}
	if !strings.HasPrefix(err.Error(), "klue: pets.create_pet: panic: decorator bug") {
		t.Errorf("message %q", err)
	}
	if _, err := bad.Result(); !errors.As(err, &pe) {
		t.Errorf("the panicking call's error: %v", err)
	}
	if v, err := good.Result(); err != nil || v.Name != "pets" {
		t.Errorf("the other call: %+v, %v", v, err)
	}
}

// A context cancelled while calls are in flight stops them all, and no
// goroutine started for them is left behind. Not parallel: it counts the
// process's goroutines.
func TestParallelCancelLeavesNoGoroutine(t *testing.T) {
	stalling := &inFlight{hold: 10 * time.Second}
	srv := serve(t, stalling)
	transport := http.DefaultTransport.(*http.Transport).Clone()
	pool := newPool(t, []klue.Option{klue.WithHost(hostOf(srv))}, "pets")
	configure(t, pool, "pets", client.WithTransport(transport), client.WithNamedDecorator("auth", bearer("x")))
	before := runtime.NumGoroutine()

	ctx, cancel := context.WithCancel(t.Context())
	go func() {
		for stalling.now.Load() < 20 {
			time.Sleep(5 * time.Millisecond)
		}
		cancel()
	}()
	calls := versions(pool.Client("pets"), 20)
	err := client.Parallel(ctx, calls)
	if !errors.Is(err, context.Canceled) {
		t.Fatalf("error %v", err)
	}
	if n := ownedGoroutines(); n != 0 {
		t.Errorf("%d goroutines of the client still running after Parallel returned:\n%s", n, stacks())
	}
	// The transport's connections were closed by the cancellation, and the
	// server's goroutines end with them.
	transport.CloseIdleConnections()
	deadline := time.Now().Add(5 * time.Second)
	for runtime.NumGoroutine() > before && time.Now().Before(deadline) {
		time.Sleep(10 * time.Millisecond)
	}
	if after := runtime.NumGoroutine(); after > before {
		t.Errorf("%d goroutines before the calls, %d after:\n%s", before, after, stacks())
	}
}

// ownedGoroutines counts the goroutines running code of the client
// package or of conc. The package's own tests waiting to run in parallel
// (the internal ones are functions of package client too) are not.
func ownedGoroutines() int {
	n := 0
	for _, g := range strings.Split(stacks(), "\n\n") {
		if strings.Contains(g, "testing.(*T).Parallel(") {
			continue
		}
		if strings.Contains(g, "klue-client-server/klue/client.") || strings.Contains(g, "sourcegraph/conc") {
			n++
		}
	}
	return n
}

func stacks() string {
	buf := make([]byte, 1<<20)
	return string(buf[:runtime.Stack(buf, true)])
}
