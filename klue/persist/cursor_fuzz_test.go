package persist_test

import (
	"context"
	"errors"
	"testing"

	"github.com/klue-go/klue-client-server/klue"
	"github.com/klue-go/klue-client-server/klue/persist"
)

// FuzzCursor gives Find cursors as a client may send them back: anything.
// Find either returns a page or an error wrapping ErrInvalidCursor; it
// never panics, and a page never holds a record twice with the page
// before.
func FuzzCursor(f *testing.F) {
	pool := klue.NewPool()
	if err := pool.Add("tasks", klue.Bytes("tasks.yaml", []byte(taskSpec))); err != nil {
		f.Fatal(err)
	}
	tasks, err := persist.ForKey[Task, int64](pool, persist.WithBackend(persist.NewMemory()))
	if err != nil {
		f.Fatal(err)
	}
	ctx := context.Background()
	for i, title := range []string{"a", "b", "c", "d", "e", "f", "g"} {
		if _, err := tasks.Create(ctx, Task{Title: title, Team: []string{"blue", "red"}[i%2], Rank: i % 3}); err != nil {
			f.Fatal(err)
		}
	}
	orders := []string{"", "-id", "rank", "-rank", "title", "-team"}
	for _, order := range orders {
		page, err := tasks.Find(ctx, persist.Query{OrderBy: order, Limit: 2})
		if err != nil {
			f.Fatal(err)
		}
		f.Add(page.Next, uint8(0))
	}
	f.Add("eyJpIjoiMSJ9", uint8(1))
	f.Add("eyJvIjoicmFuayIsInYiOiJ4IiwiaSI6IjEifQ", uint8(2))
	f.Fuzz(func(t *testing.T, cursor string, o uint8) {
		q := persist.Query{OrderBy: orders[int(o)%len(orders)], Limit: 3, Cursor: cursor}
		page, err := tasks.Find(ctx, q)
		if err != nil {
			if !errors.Is(err, persist.ErrInvalidCursor) {
				t.Fatalf("Find with cursor %q: %v, want a page or ErrInvalidCursor", cursor, err)
			}
			return
		}
		seen := map[int64]bool{}
		for _, r := range page.Records {
			if seen[r.Value.ID] {
				t.Fatalf("record %d twice in one page", r.Value.ID)
			}
			seen[r.Value.ID] = true
		}
	})
}
