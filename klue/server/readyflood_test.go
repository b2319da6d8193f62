package server_test

import (
	"context"
	"net/http"
	"net/http/httptest"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/klue-go/klue-client-server/klue/server"
	"github.com/labstack/echo/v4"
)

// TestReadyChecksShared floods GET /readyz while a check is slow: the
// requests in flight share one run of the checks, so that unauthenticated
// probes do not multiply the work (a database ping each) nor, for a check
// that does not heed its context, the goroutines left behind.
func TestReadyChecksShared(t *testing.T) {
	t.Parallel()
	const n = 20
	var runs atomic.Int64
	release := make(chan struct{})
	e := newEcho()
	var entered atomic.Int64
	e.Pre(func(next echo.HandlerFunc) echo.HandlerFunc {
		return func(c echo.Context) error {
			entered.Add(1)
			return next(c)
		}
	})
	err := server.Health(e, []server.ReadyCheck{{Name: "store", Check: func(ctx context.Context) error {
		runs.Add(1)
		select {
		case <-release:
		case <-ctx.Done():
		}
		return nil
	}}})
	if err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewServer(e)
	t.Cleanup(srv.Close)
	var wg sync.WaitGroup
	statuses := make([]int, n)
	for i := range n {
		wg.Go(func() {
			res, err := http.Get(srv.URL + "/readyz")
			if err != nil {
				t.Error(err)
				return
			}
			res.Body.Close()
			statuses[i] = res.StatusCode
		})
	}
	for deadline := time.Now().Add(10 * time.Second); (entered.Load() < n || runs.Load() < 1) && time.Now().Before(deadline); {
		time.Sleep(time.Millisecond)
	}
	got := runs.Load()
	close(release)
	wg.Wait()
	if got != 1 {
		t.Errorf("%d requests in flight ran the check %d times, want once", n, got)
	}
	for i, s := range statuses {
		if s != http.StatusOK {
			t.Errorf("request %d: status %d", i, s)
		}
	}
}
