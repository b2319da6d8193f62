package pgstore_test

import (
	"context"
	"errors"
	"fmt"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/klue-go/klue-client-server/internal/pgtest"
	"github.com/klue-go/klue-client-server/klue/persist"
)

// TestRestartWhileSaving restarts PostgreSQL, once with a fast shutdown and
// once as after a crash, while four writers stream saves in: every save
// acknowledged is there afterwards, at its version or a later one, and the
// writers get going again after each restart.
func TestRestartWhileSaving(t *testing.T) {
	t.Parallel()
	srv := pgtest.Start(t)
	b := open(t, srv.NewDatabase(t))
	const store = "fault"

	type ack struct {
		id      string
		version int64
	}
	var (
		mu     sync.Mutex
		acked  []ack
		failed atomic.Int64
		phase  atomic.Int32 // how many restarts are done
		after  [3]atomic.Int64
	)
	stop := make(chan struct{})
	var wg sync.WaitGroup
	for w := range 4 {
		wg.Go(func() {
			version := map[string]int64{}
			for n := 0; ; n++ {
				select {
				case <-stop:
					return
				default:
				}
				// Mostly new records, and updates of earlier ones.
				id := fmt.Sprintf("w%d-%06d", w, n)
				if n%3 == 2 {
					id = fmt.Sprintf("w%d-%06d", w, n-2)
				}
				p := phase.Load()
				ctx, cancel := context.WithTimeout(t.Context(), 5*time.Second)
				err := b.Save(ctx, store, persist.Document{ID: id, Version: version[id], Data: fmt.Appendf(nil, `{"id":%q,"n":%d}`, id, n)})
				cancel()
				switch {
				case err == nil:
					version[id]++
					mu.Lock()
					acked = append(acked, ack{id, version[id]})
					mu.Unlock()
					after[p].Add(1)
				case errors.Is(err, persist.ErrConflict):
					// The save failed as far as this writer knows, yet
					// committed: learn the version actually stored.
					if doc, err := b.Load(t.Context(), store, id); err == nil {
						version[id] = doc.Version
					}
					failed.Add(1)
				default:
					failed.Add(1)
					time.Sleep(10 * time.Millisecond)
				}
			}
		})
	}
	waitFor := func(p int32) {
		t.Helper()
		deadline := time.Now().Add(30 * time.Second)
		for after[p].Load() < 50 {
			if time.Now().After(deadline) {
				t.Fatalf("after %d restarts: only %d saves acknowledged in 30s", p, after[p].Load())
			}
			time.Sleep(10 * time.Millisecond)
		}
	}
	waitFor(0)
	srv.Restart(t, false)
	phase.Store(1)
	waitFor(1)
	srv.Restart(t, true)
	phase.Store(2)
	waitFor(2)
	close(stop)
	wg.Wait()

	if failed.Load() == 0 {
		t.Fatal("the restarts interrupted no save, so the test proved nothing")
	}
	latest := map[string]int64{}
	for _, a := range acked {
		latest[a.id] = max(latest[a.id], a.version)
	}
	for id, v := range latest {
		doc, err := b.Load(t.Context(), store, id)
		if err != nil {
			t.Errorf("acknowledged %s v%d: %v", id, v, err)
			continue
		}
		if doc.Version < v {
			t.Errorf("acknowledged %s v%d, found v%d", id, v, doc.Version)
		}
	}
	t.Logf("%d saves acknowledged (%d, %d, %d around the restarts), %d failed, %d records checked",
		len(acked), after[0].Load(), after[1].Load(), after[2].Load(), failed.Load(), len(latest))
}
