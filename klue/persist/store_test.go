package persist_test

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"testing"

	"github.com/klue-go/klue-client-server/klue/persist"
)

func newUsers(t *testing.T) (*persist.Store[User, string], *persist.Memory) {
	t.Helper()
	pool := newShop(t, false)
	mem := persist.NewMemory()
	if err := persist.Use(pool, mem); err != nil {
		t.Fatal(err)
	}
	users, err := persist.For[User](pool)
	if err != nil {
		t.Fatal(err)
	}
	return users, mem
}

func TestErrorMessages(t *testing.T) {
	t.Parallel()
	users, mem := newUsers(t)
	ctx := t.Context()
	if _, err := users.Create(ctx, User{ID: "u1", Email: "a@b.c"}); err != nil {
		t.Fatal(err)
	}
	if err := mem.Save(ctx, "users", persist.Document{ID: "bad", Data: []byte(`{"id":"bad","email":"nope"}`)}); err != nil {
		t.Fatal(err)
	}
	cases := []struct {
		name string
		op   func() error
		is   error
		msg  string
	}{
		{"not found", func() error { _, err := users.Load(ctx, "u2"); return err }, persist.ErrNotFound, `persist: not found: load users "u2"`},
		{"conflict", func() error { _, err := users.Create(ctx, User{ID: "u1", Email: "a@b.c"}); return err }, persist.ErrConflict, `persist: conflict: save users "u1"`},
		{"stale delete", func() error { return users.Delete(ctx, "u1", 7) }, persist.ErrConflict, `persist: conflict: delete users "u1"`},
		{"corrupt", func() error { _, err := users.Load(ctx, "bad"); return err }, persist.ErrCorrupt, `persist: corrupt record: users "bad": klue: invalid User: email: `},
		{"invalid value", func() error { _, err := users.Create(ctx, User{ID: "u3", Email: "nope"}); return err }, nil, `persist: save users: klue: invalid User: email: `},
		{"bad cursor", func() error { _, err := users.List(ctx, "%%%", 0); return err }, persist.ErrInvalidCursor, `persist: invalid cursor`},
		{"impossible ID", func() error { _, err := users.Load(ctx, ""); return err }, persist.ErrNotFound, `persist: not found: load users ""`},
		{"negative version", func() error {
			_, err := users.Save(ctx, persist.Record[User]{Value: User{ID: "u1", Email: "a@b.c"}, Version: -1})
			return err
		}, nil, `persist: save users: negative version -1`},
		{"ID changed by Update", func() error {
			_, err := users.Update(ctx, "u1", func(u *User) error { u.ID = "u9"; return nil })
			return err
		}, nil, `persist: update users "u1": the change set the ID to "u9"`},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			err := c.op()
			if err == nil || !strings.HasPrefix(err.Error(), c.msg) {
				t.Fatalf("error = %v, want it to start with %q", err, c.msg)
			}
			if c.is != nil && !errors.Is(err, c.is) {
				t.Fatalf("errors.Is(%v, %v) = false", err, c.is)
			}
		})
	}
}

func TestIntegerIDs(t *testing.T) {
	t.Parallel()
	pool := newShop(t, false)
	mem := persist.NewMemory()
	counters, err := persist.ForKey[Counter, int](pool, persist.WithBackend(mem))
	if err != nil {
		t.Fatal(err)
	}
	ctx := t.Context()
	if _, err := counters.Create(ctx, Counter{ID: 42, N: 1}); err != nil {
		t.Fatal(err)
	}
	r, err := counters.Load(ctx, 42)
	if err != nil || r.Value != (Counter{ID: 42, N: 1}) {
		t.Fatalf("Load 42 = %+v, %v", r.Value, err)
	}
	if doc, err := mem.Load(ctx, "counter", "42"); err != nil || doc.Version != 1 {
		t.Fatalf("the backend holds %+v, %v", doc, err)
	}
}

func TestUpdateStopsOnChangeError(t *testing.T) {
	t.Parallel()
	users, _ := newUsers(t)
	ctx := t.Context()
	if _, err := users.Create(ctx, User{ID: "u1", Email: "a@b.c"}); err != nil {
		t.Fatal(err)
	}
	stop := errors.New("no change wanted")
	if _, err := users.Update(ctx, "u1", func(*User) error { return stop }); err != stop {
		t.Fatalf("Update = %v, want the change's own error", err)
	}
	if r, _ := users.Load(ctx, "u1"); r.Version != 1 {
		t.Fatalf("version %d after a refused change, want 1", r.Version)
	}
}

// conflicting is a backend whose saves always conflict once, as if another
// writer had just saved the record.
type conflicting struct {
	*persist.Memory
	saves int
}

func (c *conflicting) Save(ctx context.Context, store string, doc persist.Document) error {
	c.saves++
	if c.saves == 1 {
		if err := c.Memory.Save(ctx, store, doc); err != nil {
			return err
		}
		return fmt.Errorf("lost the race: %w", persist.ErrConflict)
	}
	return c.Memory.Save(ctx, store, doc)
}

func TestUpdateRetriesOnConflict(t *testing.T) {
	t.Parallel()
	pool := newShop(t, false)
	b := &conflicting{Memory: persist.NewMemory(), saves: 1}
	users, err := persist.For[User](pool, persist.WithBackend(b))
	if err != nil {
		t.Fatal(err)
	}
	ctx := t.Context()
	if _, err := users.Create(ctx, User{ID: "u1", Email: "a@b.c"}); err != nil {
		t.Fatal(err)
	}
	b.saves = 0
	calls := 0
	r, err := users.Update(ctx, "u1", func(u *User) error { calls++; u.Name = fmt.Sprint(calls); return nil })
	if err != nil {
		t.Fatal(err)
	}
	// The first save went through but reported a conflict; the retry saw
	// version 2 and saved version 3.
	if calls != 2 || r.Version != 3 || r.Value.Name != "2" {
		t.Fatalf("Update: %d calls, %+v v%d; want 2 calls, name 2, v3", calls, r.Value, r.Version)
	}
}

func TestListPageSizes(t *testing.T) {
	t.Parallel()
	users, _ := newUsers(t)
	ctx := t.Context()
	const n = persist.MaxPageSize + 5
	for i := range n {
		if _, err := users.Create(ctx, User{ID: fmt.Sprintf("u%05d", i), Email: "a@b.c"}); err != nil {
			t.Fatal(err)
		}
	}
	cases := []struct {
		limit, want int
	}{
		{0, persist.DefaultPageSize},
		{-3, persist.DefaultPageSize},
		{7, 7},
		{n, persist.MaxPageSize},
	}
	for _, c := range cases {
		page, err := users.List(ctx, "", c.limit)
		if err != nil || len(page.Records) != c.want || page.Next == "" {
			t.Errorf("List(limit %d) = %d records, next %q, %v; want %d and a next page", c.limit, len(page.Records), page.Next, err, c.want)
		}
	}
	seen := 0
	for r, err := range users.All(ctx) {
		if err != nil {
			t.Fatal(err)
		}
		if want := fmt.Sprintf("u%05d", seen); r.Value.ID != want {
			t.Fatalf("All: record %d is %q, want %q", seen, r.Value.ID, want)
		}
		seen++
		if seen == 250 {
			break
		}
	}
	if seen != 250 {
		t.Fatalf("All stopped after %d records", seen)
	}
}
