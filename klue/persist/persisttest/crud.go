package persisttest

import (
	"errors"
	"slices"
	"testing"

	"github.com/klue-go/klue-client-server/klue/persist"
)

// testCRUD creates, reads, updates and deletes a record, checking the
// versions every step reports.
func testCRUD(t *testing.T, e *env) {
	ctx := t.Context()
	want := item{ID: "a", Count: 1, Text: "first", Tags: []string{"x", "y"}}
	r, err := e.items.Create(ctx, want)
	if err != nil {
		t.Fatalf("Create: %v", err)
	}
	if r.Version != 1 {
		t.Fatalf("Create: version %d, want 1", r.Version)
	}
	got := mustLoad(t, e, "a")
	checkItem(t, got, persist.Record[item]{Value: want, Version: 1})

	got.Value.Count = 2
	got.Value.Tags = nil
	r, err = e.items.Save(ctx, got)
	if err != nil {
		t.Fatalf("Save: %v", err)
	}
	if r.Version != 2 {
		t.Fatalf("Save: version %d, want 2", r.Version)
	}
	checkItem(t, mustLoad(t, e, "a"), persist.Record[item]{Value: item{ID: "a", Count: 2, Text: "first"}, Version: 2})

	r, err = e.items.Update(ctx, "a", func(v *item) error { v.Count++; return nil })
	if err != nil {
		t.Fatalf("Update: %v", err)
	}
	checkItem(t, r, persist.Record[item]{Value: item{ID: "a", Count: 3, Text: "first"}, Version: 3})
	checkItem(t, mustLoad(t, e, "a"), r)

	// The backend's own view agrees with the typed one.
	doc, err := e.backend.Load(ctx, e.items.Name(), "a")
	if err != nil || doc.ID != "a" || doc.Version != 3 {
		t.Fatalf("backend Load = %q v%d, %v; want \"a\" v3", doc.ID, doc.Version, err)
	}

	if err := e.items.Delete(ctx, "a", 3); err != nil {
		t.Fatalf("Delete: %v", err)
	}
	if _, err := e.items.Load(ctx, "a"); !errors.Is(err, persist.ErrNotFound) {
		t.Fatalf("Load after Delete: %v, want ErrNotFound", err)
	}
	// A deleted ID can be created again, from version 1.
	if r, err := e.items.Create(ctx, want); err != nil || r.Version != 1 {
		t.Fatalf("Create after Delete: v%d, %v; want v1", r.Version, err)
	}
	// Delete with version 0 removes whatever version is stored.
	if _, err := e.items.Update(ctx, "a", func(v *item) error { v.Count = 9; return nil }); err != nil {
		t.Fatal(err)
	}
	if err := e.items.Delete(ctx, "a", 0); err != nil {
		t.Fatalf("Delete any version: %v", err)
	}
	if page := mustList(t, e, "", 10); len(page.Records) != 0 {
		t.Fatalf("List after Delete: %d records, want 0", len(page.Records))
	}
}

// testNotFound checks every operation on an ID that was never stored.
func testNotFound(t *testing.T, e *env) {
	ctx := t.Context()
	if _, err := e.items.Load(ctx, "missing"); !errors.Is(err, persist.ErrNotFound) {
		t.Errorf("Load: %v, want ErrNotFound", err)
	}
	if err := e.items.Delete(ctx, "missing", 0); !errors.Is(err, persist.ErrNotFound) {
		t.Errorf("Delete: %v, want ErrNotFound", err)
	}
	if err := e.items.Delete(ctx, "missing", 4); !errors.Is(err, persist.ErrNotFound) {
		t.Errorf("Delete with a version: %v, want ErrNotFound", err)
	}
	if _, err := e.items.Update(ctx, "missing", func(*item) error { return nil }); !errors.Is(err, persist.ErrNotFound) {
		t.Errorf("Update: %v, want ErrNotFound", err)
	}
	// Saving at a version means the record was read: it cannot be created
	// that way.
	if _, err := e.items.Save(ctx, persist.Record[item]{Value: item{ID: "missing"}, Version: 3}); !errors.Is(err, persist.ErrConflict) {
		t.Errorf("Save at version 3: %v, want ErrConflict", err)
	}
	if _, err := e.items.Load(ctx, "missing"); !errors.Is(err, persist.ErrNotFound) {
		t.Errorf("Load after a failed Save: %v, want ErrNotFound", err)
	}
	if _, err := e.backend.Load(ctx, e.items.Name(), "missing"); !errors.Is(err, persist.ErrNotFound) {
		t.Errorf("backend Load: %v, want ErrNotFound", err)
	}
	if page := mustList(t, e, "", 10); len(page.Records) != 0 || page.Next != "" {
		t.Errorf("List of an empty store = %d records, next %q", len(page.Records), page.Next)
	}
}

// testConflict checks that a stale version never overwrites a newer one.
func testConflict(t *testing.T, e *env) {
	ctx := t.Context()
	first, err := e.items.Create(ctx, item{ID: "c", Count: 1})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := e.items.Create(ctx, item{ID: "c", Count: 100}); !errors.Is(err, persist.ErrConflict) {
		t.Fatalf("Create of an existing ID: %v, want ErrConflict", err)
	}
	a, b := mustLoad(t, e, "c"), mustLoad(t, e, "c")
	a.Value.Count = 2
	if _, err := e.items.Save(ctx, a); err != nil {
		t.Fatalf("first writer: %v", err)
	}
	b.Value.Count = 3
	if _, err := e.items.Save(ctx, b); !errors.Is(err, persist.ErrConflict) {
		t.Fatalf("second writer, stale: %v, want ErrConflict", err)
	}
	if _, err := e.items.Save(ctx, first); !errors.Is(err, persist.ErrConflict) {
		t.Fatalf("save at version 1 over version 2: %v, want ErrConflict", err)
	}
	// A version ahead of the stored one is as wrong as one behind.
	ahead := a
	ahead.Version = 7
	if _, err := e.items.Save(ctx, ahead); !errors.Is(err, persist.ErrConflict) {
		t.Fatalf("save at version 7 over version 2: %v, want ErrConflict", err)
	}
	checkItem(t, mustLoad(t, e, "c"), persist.Record[item]{Value: item{ID: "c", Count: 2}, Version: 2})
}

// testStaleDelete checks that a delete at a stale version deletes nothing.
func testStaleDelete(t *testing.T, e *env) {
	ctx := t.Context()
	if _, err := e.items.Create(ctx, item{ID: "d", Count: 1}); err != nil {
		t.Fatal(err)
	}
	if _, err := e.items.Update(ctx, "d", func(v *item) error { v.Count = 2; return nil }); err != nil {
		t.Fatal(err)
	}
	if err := e.items.Delete(ctx, "d", 1); !errors.Is(err, persist.ErrConflict) {
		t.Fatalf("Delete at version 1 of version 2: %v, want ErrConflict", err)
	}
	checkItem(t, mustLoad(t, e, "d"), persist.Record[item]{Value: item{ID: "d", Count: 2}, Version: 2})
	if err := e.items.Delete(ctx, "d", 2); err != nil {
		t.Fatalf("Delete at the stored version: %v", err)
	}
}

// testStores checks that two stores of one backend keep apart.
func testStores(t *testing.T, e *env) {
	ctx := t.Context()
	other := e.addStore(t, "other", "stores_other")
	if _, err := e.items.Create(ctx, item{ID: "same", Count: 1}); err != nil {
		t.Fatal(err)
	}
	if _, err := other.Load(ctx, "same"); !errors.Is(err, persist.ErrNotFound) {
		t.Fatalf("Load from the other store: %v, want ErrNotFound", err)
	}
	if _, err := other.Create(ctx, item{ID: "same", Count: 2}); err != nil {
		t.Fatalf("Create of the same ID in the other store: %v", err)
	}
	if err := other.Delete(ctx, "same", 0); err != nil {
		t.Fatal(err)
	}
	checkItem(t, mustLoad(t, e, "same"), persist.Record[item]{Value: item{ID: "same", Count: 1}, Version: 1})
}

func mustLoad(t *testing.T, e *env, id string) persist.Record[item] {
	t.Helper()
	r, err := e.items.Load(t.Context(), id)
	if err != nil {
		t.Fatalf("Load %q: %v", id, err)
	}
	return r
}

func mustList(t *testing.T, e *env, cursor string, limit int) persist.Page[item] {
	t.Helper()
	p, err := e.items.List(t.Context(), cursor, limit)
	if err != nil {
		t.Fatalf("List: %v", err)
	}
	return p
}

func checkItem(t *testing.T, got, want persist.Record[item]) {
	t.Helper()
	if got.Version != want.Version || !sameItem(got.Value, want.Value) {
		t.Fatalf("record = %+v v%d, want %+v v%d", got.Value, got.Version, want.Value, want.Version)
	}
}

func sameItem(a, b item) bool {
	return a.ID == b.ID && a.Count == b.Count && a.Text == b.Text && slices.Equal(a.Tags, b.Tags)
}
