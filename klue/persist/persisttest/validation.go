package persisttest

import (
	"errors"
	"strings"
	"testing"

	"github.com/klue-go/klue-client-server/klue"
	"github.com/klue-go/klue-client-server/klue/persist"
)

// testInvalid checks that a value that does not fit the model is refused and
// that nothing is written.
func testInvalid(t *testing.T, e *env) {
	ctx := t.Context()
	bad := []struct {
		name string
		v    item
	}{
		{"negative count", item{ID: "bad", Count: -1}},
		{"no ID and a negative count", item{ID: "", Count: -1}},
	}
	for _, c := range bad {
		_, err := e.items.Create(ctx, c.v)
		if _, ok := errors.AsType[*klue.ModelError](err); !ok {
			t.Errorf("Create with %s: %v, want a *klue.ModelError", c.name, err)
		}
	}
	if _, err := e.items.Load(ctx, "bad"); !errors.Is(err, persist.ErrNotFound) {
		t.Fatalf("Load of a refused value: %v, want ErrNotFound", err)
	}

	if _, err := e.items.Create(ctx, item{ID: "good", Count: 1}); err != nil {
		t.Fatal(err)
	}
	r := mustLoad(t, e, "good")
	r.Value.Count = -5
	if _, err := e.items.Save(ctx, r); err == nil {
		t.Fatal("Save of an invalid change: no error")
	}
	_, err := e.items.Update(ctx, "good", func(v *item) error { v.Count = -5; return nil })
	if _, ok := errors.AsType[*klue.ModelError](err); !ok {
		t.Fatalf("Update to an invalid value: %v, want a *klue.ModelError", err)
	}
	checkItem(t, mustLoad(t, e, "good"), persist.Record[item]{Value: item{ID: "good", Count: 1}, Version: 1})

	// An ID that no record can have.
	long := item{ID: strings.Repeat("x", persist.MaxIDLength+1), Count: 1}
	if _, err := e.items.Create(ctx, long); err == nil {
		t.Fatal("Create with an ID too long: no error")
	}
	if _, err := e.items.Create(ctx, item{ID: "nul\x00", Count: 1}); err == nil {
		t.Fatal("Create with NUL in the ID: no error")
	}
	if page := mustList(t, e, "", 10); len(page.Records) != 1 {
		t.Fatalf("List: %d records, want only the valid one", len(page.Records))
	}
}

// testCorrupt writes documents that do not fit the model straight into the
// backend, and checks that reading them reports the ID instead of returning
// them.
func testCorrupt(t *testing.T, e *env) {
	ctx := t.Context()
	store := e.items.Name()
	docs := []persist.Document{
		{ID: "schema", Data: []byte(`{"id":"schema","count":-1}`)},
		{ID: "extra", Data: []byte(`{"id":"extra","count":1,"admin":true}`)},
		{ID: "other-id", Data: []byte(`{"id":"someone-else","count":1}`)},
		{ID: "not-object", Data: []byte(`[1,2,3]`)},
	}
	for _, d := range docs {
		if err := e.backend.Save(ctx, store, d); err != nil {
			t.Fatalf("backend Save %q: %v", d.ID, err)
		}
	}
	for _, d := range docs {
		_, err := e.items.Load(ctx, d.ID)
		if !errors.Is(err, persist.ErrCorrupt) || !strings.Contains(err.Error(), `"`+d.ID+`"`) {
			t.Errorf("Load %q: %v, want ErrCorrupt naming the ID", d.ID, err)
		}
		_, err = e.items.Update(ctx, d.ID, func(*item) error { return nil })
		if !errors.Is(err, persist.ErrCorrupt) {
			t.Errorf("Update %q: %v, want ErrCorrupt", d.ID, err)
		}
	}
	if _, err := e.items.List(ctx, "", 10); !errors.Is(err, persist.ErrCorrupt) {
		t.Errorf("List over corrupt records: %v, want ErrCorrupt", err)
	}
	// A corrupt record can still be deleted, which repairs the store.
	for _, d := range docs {
		if err := e.items.Delete(ctx, d.ID, 1); err != nil {
			t.Errorf("Delete %q: %v", d.ID, err)
		}
	}
	if page := mustList(t, e, "", 10); len(page.Records) != 0 {
		t.Errorf("List after repair: %d records, want 0", len(page.Records))
	}
}
