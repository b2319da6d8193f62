package persisttest

import (
	"errors"
	"fmt"
	"runtime"
	"slices"
	"strconv"
	"sync"
	"sync/atomic"
	"testing"

	"github.com/klue-go/klue-client-server/klue/persist"
)

// writers is how many goroutines the concurrency cases run at once.
const writers = 50

// testSameRecord has 50 goroutines update one record at once, each adding
// one to its count and its own tag: with no lost update, the record ends
// with every increment and every tag.
func testSameRecord(t *testing.T, e *env) {
	ctx := t.Context()
	if _, err := e.items.Create(ctx, item{ID: "shared"}); err != nil {
		t.Fatal(err)
	}
	var wg sync.WaitGroup
	for g := range writers {
		wg.Go(func() {
			_, err := e.items.Update(ctx, "shared", func(v *item) error {
				v.Count++
				v.Tags = append(v.Tags, "g"+strconv.Itoa(g))
				runtime.Gosched() // let other writers in between the load and the save
				return nil
			})
			if err != nil {
				t.Errorf("writer %d: %v", g, err)
			}
		})
	}
	wg.Wait()
	r := mustLoad(t, e, "shared")
	if r.Value.Count != writers || r.Version != writers+1 {
		t.Fatalf("after %d updates: count %d, version %d; want %d, %d", writers, r.Value.Count, r.Version, writers, writers+1)
	}
	tags := slices.Clone(r.Value.Tags)
	slices.Sort(tags)
	if len(slices.Compact(tags)) != writers {
		t.Fatalf("after %d updates: %d distinct tags, want %d: %v", writers, len(tags), writers, r.Value.Tags)
	}
}

// testDifferentRecords has 50 goroutines write their own records at once,
// and read them back between writes: every read sees that goroutine's last
// write, never another's.
func testDifferentRecords(t *testing.T, e *env) {
	ctx := t.Context()
	const steps = 5
	var wg sync.WaitGroup
	for g := range writers {
		wg.Go(func() {
			id := fmt.Sprintf("rec-%02d", g)
			r, err := e.items.Create(ctx, item{ID: id, Text: id + " step 0"})
			if err != nil {
				t.Errorf("%s: Create: %v", id, err)
				return
			}
			for step := 1; step <= steps; step++ {
				r.Value.Count = step
				r.Value.Text = fmt.Sprintf("%s step %d", id, step)
				if r, err = e.items.Save(ctx, r); err != nil {
					t.Errorf("%s: Save step %d: %v", id, step, err)
					return
				}
				got, err := e.items.Load(ctx, id)
				if err != nil || !sameItem(got.Value, r.Value) || got.Version != r.Version {
					t.Errorf("%s: Load after step %d = %+v v%d, %v; want %+v v%d", id, step, got.Value, got.Version, err, r.Value, r.Version)
					return
				}
			}
		})
	}
	wg.Wait()
	if t.Failed() {
		return
	}
	n := 0
	for r, err := range e.items.All(ctx) {
		if err != nil {
			t.Fatal(err)
		}
		want := fmt.Sprintf("%s step %d", r.Value.ID, steps)
		if r.Value.Text != want || r.Value.Count != steps || r.Version != steps+1 {
			t.Errorf("%s = %+v v%d, want text %q, count %d, v%d", r.Value.ID, r.Value, r.Version, want, steps, steps+1)
		}
		n++
	}
	if n != writers {
		t.Fatalf("All: %d records, want %d", n, writers)
	}
}

// testCreateRace has 50 goroutines create the same ID at once: exactly one
// wins, the others get ErrConflict, and the winner's value is stored.
func testCreateRace(t *testing.T, e *env) {
	ctx := t.Context()
	var wins atomic.Int32
	var winner atomic.Int32
	var wg sync.WaitGroup
	for g := range writers {
		wg.Go(func() {
			_, err := e.items.Create(ctx, item{ID: "race", Count: g})
			switch {
			case err == nil:
				wins.Add(1)
				winner.Store(int32(g))
			case !errors.Is(err, persist.ErrConflict):
				t.Errorf("writer %d: %v, want nil or ErrConflict", g, err)
			}
		})
	}
	wg.Wait()
	if wins.Load() != 1 {
		t.Fatalf("%d creates succeeded, want 1", wins.Load())
	}
	checkItem(t, mustLoad(t, e, "race"), persist.Record[item]{Value: item{ID: "race", Count: int(winner.Load())}, Version: 1})
}
