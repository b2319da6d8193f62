package persisttest

import (
	"context"
	"errors"
	"fmt"
	"testing"
	"time"

	"github.com/klue-go/klue-client-server/klue/persist"
)

// testCancelled checks that every operation given a cancelled context fails
// with context.Canceled, and that a cancelled save writes nothing.
func testCancelled(t *testing.T, e *env) {
	if _, err := e.items.Create(t.Context(), item{ID: "kept", Count: 1}); err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(t.Context())
	cancel()
	ops := map[string]func() error{
		"Load":   func() error { _, err := e.items.Load(ctx, "kept"); return err },
		"Create": func() error { _, err := e.items.Create(ctx, item{ID: "new", Count: 1}); return err },
		"Save": func() error {
			_, err := e.items.Save(ctx, persist.Record[item]{Value: item{ID: "kept", Count: 2}, Version: 1})
			return err
		},
		"Update": func() error {
			_, err := e.items.Update(ctx, "kept", func(v *item) error { v.Count = 3; return nil })
			return err
		},
		"Delete": func() error { return e.items.Delete(ctx, "kept", 0) },
		"List":   func() error { _, err := e.items.List(ctx, "", 10); return err },
	}
	for name, op := range ops {
		if err := op(); !errors.Is(err, context.Canceled) {
			t.Errorf("%s with a cancelled context: %v, want context.Canceled", name, err)
		}
	}
	if _, err := e.items.Load(t.Context(), "new"); !errors.Is(err, persist.ErrNotFound) {
		t.Errorf("Load of a cancelled Create: %v, want ErrNotFound", err)
	}
	checkItem(t, mustLoad(t, e, "kept"), persist.Record[item]{Value: item{ID: "kept", Count: 1}, Version: 1})
}

// testDeadline saves records until a short deadline passes: the save that
// fails reports context.DeadlineExceeded, and every save that returned nil
// is stored.
func testDeadline(t *testing.T, e *env) {
	ctx, cancel := context.WithTimeout(t.Context(), 50*time.Millisecond)
	defer cancel()
	var acked []string
	var err error
	for i := 0; ; i++ {
		id := fmt.Sprintf("dl-%06d", i)
		if _, err = e.items.Create(ctx, item{ID: id, Count: i}); err != nil {
			break
		}
		acked = append(acked, id)
	}
	if !errors.Is(err, context.DeadlineExceeded) {
		t.Fatalf("save past the deadline: %v, want context.DeadlineExceeded", err)
	}
	for _, id := range acked {
		if _, err := e.items.Load(t.Context(), id); err != nil {
			t.Fatalf("acknowledged %s: %v", id, err)
		}
	}
}
