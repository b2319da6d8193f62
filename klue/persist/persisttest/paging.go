package persisttest

import (
	"errors"
	"fmt"
	"sync"
	"testing"

	"github.com/klue-go/klue-client-server/klue/persist"
)

// testPaging lists a store a few records at a time.
func testPaging(t *testing.T, e *env) {
	ctx := t.Context()
	const n = 23
	for i := n - 1; i >= 0; i-- {
		if _, err := e.items.Create(ctx, item{ID: fmt.Sprintf("p%03d", i), Count: i}); err != nil {
			t.Fatal(err)
		}
	}
	var ids []string
	cursor, pages := "", 0
	for {
		page := mustList(t, e, cursor, 5)
		pages++
		if len(page.Records) > 5 {
			t.Fatalf("page %d has %d records, more than the limit 5", pages, len(page.Records))
		}
		for _, r := range page.Records {
			ids = append(ids, r.Value.ID)
		}
		if page.Next == "" {
			break
		}
		cursor = page.Next
	}
	if pages != 5 || len(ids) != n {
		t.Fatalf("%d pages, %d records; want 5 pages, %d records", pages, len(ids), n)
	}
	for i, id := range ids {
		if want := fmt.Sprintf("p%03d", i); id != want {
			t.Fatalf("record %d is %q, want %q", i, id, want)
		}
	}
	// A page exactly as large as the store has no next page.
	if page := mustList(t, e, "", n); len(page.Records) != n || page.Next != "" {
		t.Fatalf("List(%d) = %d records, next %q; want all, no next", n, len(page.Records), page.Next)
	}
	if _, err := e.items.List(ctx, "not a cursor!", 5); !errors.Is(err, persist.ErrInvalidCursor) {
		t.Fatalf("List with a bad cursor: %v, want ErrInvalidCursor", err)
	}
}

// testPagingWhileAdding pages through a store while records are added, both
// between pages (before and after the cursor) and from another goroutine:
// every record present from the start appears exactly once, in increasing
// ID order, and nothing appears twice.
func testPagingWhileAdding(t *testing.T, e *env) {
	ctx := t.Context()
	const seeded = 60
	for i := range seeded {
		if _, err := e.items.Create(ctx, item{ID: fmt.Sprintf("k%03d0", i), Count: i}); err != nil {
			t.Fatal(err)
		}
	}
	stop := make(chan struct{})
	var wg sync.WaitGroup
	wg.Go(func() {
		for i := 0; ; i++ {
			select {
			case <-stop:
				return
			default:
			}
			if _, err := e.items.Create(ctx, item{ID: fmt.Sprintf("k%03d5-bg", i%seeded*7%seeded), Count: i}); err != nil && !errors.Is(err, persist.ErrConflict) {
				t.Errorf("background Create: %v", err)
				return
			}
		}
	})
	seen := map[string]bool{}
	last, cursor := "", ""
	for page := 0; ; page++ {
		p := mustList(t, e, cursor, 7)
		for _, r := range p.Records {
			id := r.Value.ID
			if seen[id] {
				t.Fatalf("page %d: %q listed twice", page, id)
			}
			if id <= last {
				t.Fatalf("page %d: %q listed after %q", page, id, last)
			}
			seen[id], last = true, id
		}
		if p.Next == "" {
			break
		}
		cursor = p.Next
		// Between pages: one record behind the cursor, one ahead.
		for _, id := range []string{fmt.Sprintf("k%03d1", page), fmt.Sprintf("k%03d9", (page*7+20)%seeded)} {
			if _, err := e.items.Create(ctx, item{ID: id, Count: page}); err != nil && !errors.Is(err, persist.ErrConflict) {
				t.Fatalf("Create between pages: %v", err)
			}
		}
	}
	close(stop)
	wg.Wait()
	for i := range seeded {
		if id := fmt.Sprintf("k%03d0", i); !seen[id] {
			t.Errorf("%s was there from the start but was not listed", id)
		}
	}
}
