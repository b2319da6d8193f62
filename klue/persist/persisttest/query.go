package persisttest

import (
	"cmp"
	"errors"
	"fmt"
	"math/rand/v2"
	"net/http"
	"regexp"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"testing"

	"github.com/klue-go/klue-client-server/klue"
	"github.com/klue-go/klue-client-server/klue/persist"
)

// entry is the value type of the suite's indexed model, Entry.
type entry struct {
	ID    string   `json:"id,omitempty"`
	Email string   `json:"email,omitempty"`
	Group string   `json:"group"`
	Rank  int      `json:"rank"`
	Score *float64 `json:"score,omitempty"`
	Done  bool     `json:"done"`
	Note  string   `json:"note,omitempty"`
}

// counter is the value type of the suite's model with integer IDs.
type counter struct {
	ID int64 `json:"id,omitempty"`
	N  int   `json:"n"`
}

// querySpec has the indexed model Entry in the store %[1]s and the model
// Counter, with integer IDs, in the store %[1]s_c.
const querySpec = `swagger: '2.0'
info: {title: persisttest, version: '1'}
paths: {}
definitions:
  Entry:
    type: object
    x-persist: {store: %[1]s, indexes: [group, rank, score, done], unique: [email]}
    required: [id, group, rank]
    additionalProperties: false
    properties:
      id: {type: string, minLength: 1}
      email: {type: string}
      group: {type: string}
      rank: {type: integer}
      score: {type: number}
      done: {type: boolean}
      note: {type: string}
  Counter:
    type: object
    x-persist: {store: %[1]s_c}
    required: [id, n]
    properties:
      id: {type: integer, format: int64, minimum: 1}
      n: {type: integer}
`

// stores are an API's typed stores of the suite's query models.
type stores struct {
	entries  *persist.Store[entry, string]
	counters *persist.Store[counter, int64]
}

// queryStores adds the query models to a new pool bound to b, in the
// stores named after store.
func queryStores(t *testing.T, b persist.Backend, store string) stores {
	t.Helper()
	pool := klue.NewPool()
	if err := pool.Add("query", klue.Bytes("query.yaml", fmt.Appendf(nil, querySpec, store))); err != nil {
		t.Fatalf("persisttest: suite spec: %v", err)
	}
	entries, err := persist.For[entry](pool, persist.WithBackend(b), persist.WithModel("Entry"))
	if err != nil {
		t.Fatal(err)
	}
	counters, err := persist.ForKey[counter, int64](pool, persist.WithBackend(b), persist.WithModel("Counter"))
	if err != nil {
		t.Fatal(err)
	}
	return stores{entries: entries, counters: counters}
}

func score(f float64) *float64 { return &f }

// seedEntries stores 30 entries: groups a, b, c in turn, ranks 9 down to 0
// three times, a score on two entries in three, done on every fourth, and
// returns them.
func seedEntries(t *testing.T, s stores) []entry {
	t.Helper()
	var all []entry
	for i := range 30 {
		e := entry{ID: fmt.Sprintf("e%02d", i), Group: string(rune('a' + i%3)), Rank: 9 - i%10, Done: i%4 == 0}
		if i%3 != 2 {
			e.Score = score(float64(i%7) - 2.5)
		}
		if _, err := s.entries.Create(t.Context(), e); err != nil {
			t.Fatal(err)
		}
		all = append(all, e)
	}
	return all
}

// findAll pages through q, limit records a page, and returns the IDs.
func findAll(t *testing.T, s *persist.Store[entry, string], q persist.Query) []string {
	t.Helper()
	var ids []string
	for pages := 0; ; pages++ {
		page, err := s.Find(t.Context(), q)
		if err != nil {
			t.Fatalf("Find %+v: %v", q, err)
		}
		if q.Limit > 0 && len(page.Records) > q.Limit {
			t.Fatalf("Find %+v: %d records, more than the limit", q, len(page.Records))
		}
		for _, r := range page.Records {
			ids = append(ids, r.Value.ID)
		}
		if page.Next == "" {
			return ids
		}
		if pages > 10_000 {
			t.Fatal("Find never ends")
		}
		q.Cursor = page.Next
	}
}

// expect returns the IDs of the entries that pass keep, ordered by less
// then by ID (decreasing both when desc).
func expect(all []entry, keep func(entry) bool, less func(a, b entry) int, desc bool) []string {
	var got []entry
	for _, e := range all {
		if keep(e) {
			got = append(got, e)
		}
	}
	slices.SortFunc(got, func(a, b entry) int {
		c := cmp.Or(less(a, b), cmp.Compare(a.ID, b.ID))
		if desc {
			return -c
		}
		return c
	})
	ids := []string{}
	for _, e := range got {
		ids = append(ids, e.ID)
	}
	return ids
}

func noOrder(a, b entry) int { return 0 }

// testFind queries the indexed properties: equality on one or several,
// ordering by each kind of property both ways, paging, and the errors.
func testFind(t *testing.T, e *env) {
	s := queryStores(t, e.backend, uniqueStore("find"))
	all := seedEntries(t, s)
	byRank := func(a, b entry) int { return cmp.Compare(a.Rank, b.Rank) }
	byScore := func(a, b entry) int { return cmp.Compare(*a.Score, *b.Score) }
	byGroup := func(a, b entry) int { return cmp.Compare(a.Group, b.Group) }
	byDone := func(a, b entry) int {
		return cmp.Compare(map[bool]int{false: 0, true: 1}[a.Done], map[bool]int{false: 0, true: 1}[b.Done])
	}
	cases := []struct {
		name string
		q    persist.Query
		want []string
	}{
		{"all by ID", persist.Query{Limit: 7}, expect(all, func(entry) bool { return true }, noOrder, false)},
		{"one group", persist.Query{Where: map[string]any{"group": "b"}, Limit: 4}, expect(all, func(e entry) bool { return e.Group == "b" }, noOrder, false)},
		{"group and done", persist.Query{Where: map[string]any{"group": "a", "done": true}}, expect(all, func(e entry) bool { return e.Group == "a" && e.Done }, noOrder, false)},
		{"rank", persist.Query{Where: map[string]any{"rank": 3}}, expect(all, func(e entry) bool { return e.Rank == 3 }, noOrder, false)},
		{"rank as int64", persist.Query{Where: map[string]any{"rank": int64(3)}}, expect(all, func(e entry) bool { return e.Rank == 3 }, noOrder, false)},
		{"score", persist.Query{Where: map[string]any{"score": -0.5}}, expect(all, func(e entry) bool { return e.Score != nil && *e.Score == -0.5 }, noOrder, false)},
		{"none", persist.Query{Where: map[string]any{"group": "z"}}, []string{}},
		{"by rank", persist.Query{OrderBy: "rank", Limit: 4}, expect(all, func(entry) bool { return true }, byRank, false)},
		{"by rank, decreasing", persist.Query{OrderBy: "-rank", Limit: 5}, expect(all, func(entry) bool { return true }, byRank, true)},
		{"group b by rank", persist.Query{Where: map[string]any{"group": "b"}, OrderBy: "rank", Limit: 2}, expect(all, func(e entry) bool { return e.Group == "b" }, byRank, false)},
		{"by score leaves out entries without one", persist.Query{OrderBy: "score", Limit: 3}, expect(all, func(e entry) bool { return e.Score != nil }, byScore, false)},
		{"by group, decreasing", persist.Query{OrderBy: "-group", Limit: 6}, expect(all, func(entry) bool { return true }, byGroup, true)},
		{"by done", persist.Query{OrderBy: "done", Limit: 8}, expect(all, func(entry) bool { return true }, byDone, false)},
		{"by ID, decreasing", persist.Query{OrderBy: "-id", Limit: 9}, expect(all, func(entry) bool { return true }, noOrder, true)},
	}
	for _, c := range cases {
		if got := findAll(t, s.entries, c.q); !slices.Equal(got, c.want) {
			t.Errorf("%s:\n got %v\nwant %v", c.name, got, c.want)
		}
	}

	ctx := t.Context()
	errs := []struct {
		name string
		q    persist.Query
		want string
	}{
		{"not indexed", persist.Query{Where: map[string]any{"nickname": "x"}}, `property "nickname" is not indexed (indexed: group, rank, score, done, email)`},
		{"did you mean", persist.Query{Where: map[string]any{"grup": "x"}}, `property "grup" is not indexed (did you mean "group"?)`},
		{"order by a property not indexed", persist.Query{OrderBy: "-nickname"}, `OrderBy: property "nickname" is not indexed`},
		{"wrong type", persist.Query{Where: map[string]any{"rank": "high"}}, `property "rank" is an integer, got "high"`},
		{"not an integer", persist.Query{Where: map[string]any{"rank": 1.5}}, `property "rank" is an integer, got 1.5`},
	}
	for _, c := range errs {
		if _, err := s.entries.Find(ctx, c.q); err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("%s: Find = %v, want an error with %q", c.name, err, c.want)
		}
	}
	// A cursor belongs to its order.
	page, err := s.entries.Find(ctx, persist.Query{OrderBy: "rank", Limit: 2})
	if err != nil || page.Next == "" {
		t.Fatalf("Find: %v, next %q", err, page.Next)
	}
	for _, order := range []string{"", "-rank", "group"} {
		if _, err := s.entries.Find(ctx, persist.Query{OrderBy: order, Cursor: page.Next}); !errors.Is(err, persist.ErrInvalidCursor) {
			t.Errorf("a cursor of rank order used with %q: %v, want ErrInvalidCursor", order, err)
		}
	}
}

// testUnique checks that a unique property refuses a second record with
// the same value, on create and on change, with a 409 error, and frees the
// value when the record lets it go.
func testUnique(t *testing.T, e *env) {
	ctx := t.Context()
	s := queryStores(t, e.backend, uniqueStore("unique"))
	if _, err := s.entries.Create(ctx, entry{ID: "ada", Email: "ada@example.com", Group: "a"}); err != nil {
		t.Fatal(err)
	}
	checkDuplicate := func(what string, err error) {
		t.Helper()
		ke, ok := errors.AsType[*klue.Error](err)
		if !errors.Is(err, persist.ErrDuplicate) || !ok || ke.Status != http.StatusConflict {
			t.Fatalf("%s: %v, want ErrDuplicate in a 409 klue.Error", what, err)
		}
		if errors.Is(err, persist.ErrConflict) {
			t.Fatalf("%s: %v is ErrConflict too, which Update retries", what, err)
		}
		dup, _ := errors.AsType[*persist.DuplicateError](err)
		want := fmt.Sprintf(`persist: duplicate: save %s "bob": another record has the same email`, s.entries.Name())
		if dup == nil || dup.Error() != want || ke.Message != "a record with this email exists" {
			t.Fatalf("%s: %v (cause %v), want the message \"a record with this email exists\" and the cause %s", what, err, dup, want)
		}
	}
	_, err := s.entries.Create(ctx, entry{ID: "bob", Email: "ada@example.com", Group: "b"})
	checkDuplicate("a second record with the same email", err)
	if _, err := s.entries.Load(ctx, "bob"); !errors.Is(err, persist.ErrNotFound) {
		t.Fatalf("the refused record was stored: %v", err)
	}
	if _, err := s.entries.Create(ctx, entry{ID: "bob", Email: "bob@example.com", Group: "b"}); err != nil {
		t.Fatal(err)
	}
	_, err = s.entries.Update(ctx, "bob", func(v *entry) error { v.Email = "ada@example.com"; return nil })
	checkDuplicate("a change to another record's email", err)
	// A record keeps its own value through a change.
	if _, err := s.entries.Update(ctx, "ada", func(v *entry) error { v.Rank = 5; return nil }); err != nil {
		t.Fatal(err)
	}
	// Records without the property do not collide.
	for _, id := range []string{"x1", "x2"} {
		if _, err := s.entries.Create(ctx, entry{ID: id, Group: "x"}); err != nil {
			t.Fatalf("a record without email: %v", err)
		}
	}
	r, err := s.entries.FindOne(ctx, "email", "ada@example.com")
	if err != nil || r.Value.ID != "ada" {
		t.Fatalf("FindOne = %+v, %v", r.Value, err)
	}
	if _, err := s.entries.FindOne(ctx, "email", "eve@example.com"); !errors.Is(err, persist.ErrNotFound) {
		t.Fatalf("FindOne of no one: %v, want ErrNotFound", err)
	}
	if _, err := s.entries.FindOne(ctx, "group", "a"); err == nil || !strings.Contains(err.Error(), "not unique") {
		t.Fatalf("FindOne on a property that is not unique: %v", err)
	}
	if r, err := s.entries.FindOne(ctx, "id", "bob"); err != nil || r.Value.Email != "bob@example.com" {
		t.Fatalf("FindOne by ID: %+v, %v", r.Value, err)
	}
	// Moving the value from one record to another, through a delete.
	if err := s.entries.Delete(ctx, "ada", 0); err != nil {
		t.Fatal(err)
	}
	if _, err := s.entries.Update(ctx, "bob", func(v *entry) error { v.Email = "ada@example.com"; return nil }); err != nil {
		t.Fatalf("taking a freed email: %v", err)
	}
	if r, err := s.entries.FindOne(ctx, "email", "ada@example.com"); err != nil || r.Value.ID != "bob" {
		t.Fatalf("FindOne after the move = %+v, %v", r.Value, err)
	}
}

// testUniqueRace has 50 goroutines create records with one email at once:
// exactly one wins.
func testUniqueRace(t *testing.T, e *env) {
	s := queryStores(t, e.backend, uniqueStore("uniquerace"))
	uniqueRace(t, []stores{s})
}

func uniqueRace(t *testing.T, ss []stores) {
	var wins atomic.Int32
	var wg sync.WaitGroup
	for g := range writers {
		wg.Go(func() {
			_, err := ss[g%len(ss)].entries.Create(t.Context(), entry{ID: fmt.Sprint("w", g), Email: "race@example.com", Group: "r"})
			switch {
			case err == nil:
				wins.Add(1)
			case !errors.Is(err, persist.ErrDuplicate):
				t.Errorf("writer %d: %v, want nil or ErrDuplicate", g, err)
			}
		})
	}
	wg.Wait()
	if wins.Load() != 1 {
		t.Fatalf("%d creates with one email succeeded, want 1", wins.Load())
	}
}

var uuidV7 = regexp.MustCompile(`^[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$`)

// testGeneratedIDs creates records without IDs: strings get UUIDs version
// 7, in increasing order, and integers the backend's next number; integer
// IDs sort as numbers.
func testGeneratedIDs(t *testing.T, e *env) {
	ctx := t.Context()
	name := uniqueStore("ids")
	s := queryStores(t, e.backend, name)
	var prev string
	for i := range 5 {
		r, err := s.entries.Create(ctx, entry{Group: "g", Rank: i})
		if err != nil {
			t.Fatal(err)
		}
		if !uuidV7.MatchString(r.Value.ID) || r.Value.ID <= prev {
			t.Fatalf("generated ID %q (after %q): want UUIDs version 7, increasing", r.Value.ID, prev)
		}
		prev = r.Value.ID
		if got, err := s.entries.Load(ctx, r.Value.ID); err != nil || got.Value.Rank != i {
			t.Fatalf("Load %q = %+v, %v", r.Value.ID, got.Value, err)
		}
	}
	// Integer IDs stored by hand, then generated ones: no collision.
	for _, id := range []int64{2, 10, 9} {
		if _, err := s.counters.Create(ctx, counter{ID: id, N: int(id)}); err != nil {
			t.Fatal(err)
		}
	}
	r, err := s.counters.Create(ctx, counter{N: 100})
	if err != nil || r.Value.ID <= 10 {
		t.Fatalf("generated integer ID %d, %v; want one above the IDs stored", r.Value.ID, err)
	}
	if got, err := s.counters.Load(ctx, r.Value.ID); err != nil || got.Value.N != 100 {
		t.Fatalf("Load(%d) = %+v, %v", r.Value.ID, got.Value, err)
	}
	page, err := s.counters.List(ctx, "", 2)
	if err != nil {
		t.Fatal(err)
	}
	var ids []int64
	for _, r := range page.Records {
		ids = append(ids, r.Value.ID)
	}
	page, err = s.counters.List(ctx, page.Next, 10)
	if err != nil {
		t.Fatal(err)
	}
	for _, r := range page.Records {
		ids = append(ids, r.Value.ID)
	}
	if want := []int64{2, 9, 10, r.Value.ID}; !slices.Equal(ids, want) {
		t.Fatalf("integer IDs listed as %v, want %v (numeric order)", ids, want)
	}
	// A page of an integer store cannot start after an ID that is not an
	// integer: no cursor gives one.
	if docs, err := e.backend.Find(ctx, name+"_c", persist.Selection{After: &persist.Position{ID: "nine"}, Limit: 10}); err == nil {
		t.Fatalf("Find after the ID \"nine\" of an integer store = %d documents, want an error", len(docs))
	}
	if err := s.counters.Delete(ctx, 9, 0); err != nil {
		t.Fatal(err)
	}
	if _, err := s.counters.Load(ctx, 9); !errors.Is(err, persist.ErrNotFound) {
		t.Fatalf("Load after Delete: %v", err)
	}
	generatedRace(t, []stores{s})
}

// generatedRace creates records without IDs from 50 goroutines spread over
// the stores, and checks that no two got the same ID.
func generatedRace(t *testing.T, ss []stores) {
	var mu sync.Mutex
	seen := map[int64]bool{}
	var wg sync.WaitGroup
	for g := range writers {
		wg.Go(func() {
			r, err := ss[g%len(ss)].counters.Create(t.Context(), counter{N: g})
			if err != nil {
				t.Errorf("writer %d: %v", g, err)
				return
			}
			mu.Lock()
			defer mu.Unlock()
			if seen[r.Value.ID] {
				t.Errorf("ID %d generated twice", r.Value.ID)
			}
			seen[r.Value.ID] = true
		})
	}
	wg.Wait()
}

// testFindWhileAdding pages through a store by an indexed property while
// records are added, before and after the position reached, between pages
// and from another goroutine: every record present from the start appears
// exactly once, in order.
func testFindWhileAdding(t *testing.T, e *env) {
	ctx := t.Context()
	s := queryStores(t, e.backend, uniqueStore("findadding"))
	const seeded = 60
	for i := range seeded {
		if _, err := s.entries.Create(ctx, entry{ID: fmt.Sprintf("s%03d", i), Group: "g", Rank: i * 10}); err != nil {
			t.Fatal(err)
		}
	}
	stop := make(chan struct{})
	var wg sync.WaitGroup
	// A bounded number of records from the background, so that the pages
	// come to an end however fast the writer is.
	wg.Go(func() {
		for i := range 3 * seeded {
			select {
			case <-stop:
				return
			default:
			}
			if _, err := s.entries.Create(ctx, entry{Group: "g", Rank: i * 7 % (seeded * 10)}); err != nil {
				t.Errorf("background Create: %v", err)
				return
			}
		}
	})
	seen := map[string]bool{}
	lastRank, lastID := -1, ""
	q := persist.Query{Where: map[string]any{"group": "g"}, OrderBy: "rank", Limit: 7}
	for page := 0; ; page++ {
		p, err := s.entries.Find(ctx, q)
		if err != nil {
			t.Fatal(err)
		}
		for _, r := range p.Records {
			v := r.Value
			if seen[v.ID] {
				t.Fatalf("page %d: %q listed twice", page, v.ID)
			}
			if v.Rank < lastRank || v.Rank == lastRank && v.ID <= lastID {
				t.Fatalf("page %d: %q (rank %d) listed after %q (rank %d)", page, v.ID, v.Rank, lastID, lastRank)
			}
			seen[v.ID], lastRank, lastID = true, v.Rank, v.ID
		}
		if p.Next == "" {
			break
		}
		q.Cursor = p.Next
		// Between pages: one record behind the position, one ahead.
		for _, rank := range []int{lastRank - 5, lastRank + 15} {
			if _, err := s.entries.Create(ctx, entry{Group: "g", Rank: rank}); err != nil {
				t.Fatal(err)
			}
		}
	}
	close(stop)
	wg.Wait()
	for i := range seeded {
		if id := fmt.Sprintf("s%03d", i); !seen[id] {
			t.Errorf("%s was there from the start but was not listed", id)
		}
	}
}

// testMigrate stores documents of an older model straight into the
// backend, and reads them through a store whose migration brings them up
// to date; those it cannot are left as they are and reported.
func testMigrate(t *testing.T, e *env) {
	ctx := t.Context()
	s := queryStores(t, e.backend, uniqueStore("migrate"))
	name := s.entries.Name()
	old := []persist.Document{
		{ID: "m1", Data: []byte(`{"id":"m1","group":"a","level":3}`)}, // rank was called level
		{ID: "m2", Data: []byte(`{"id":"m2","group":"b","level":4}`)},
		{ID: "m3", Data: []byte(`{"id":"m3","group":"c","rank":1}`)}, // already current
		{ID: "m4", Data: []byte(`{"id":"m4","group":"d"}`)},          // no level: cannot be migrated
	}
	for _, d := range old {
		if err := e.backend.Save(ctx, name, d); err != nil {
			t.Fatal(err)
		}
	}
	if _, err := s.entries.Load(ctx, "m1"); !errors.Is(err, persist.ErrCorrupt) {
		t.Fatalf("Load of an old document without migration: %v, want ErrCorrupt", err)
	}
	pool := klue.NewPool()
	if err := pool.Add("query", klue.Bytes("query.yaml", fmt.Appendf(nil, querySpec, name))); err != nil {
		t.Fatal(err)
	}
	migrating, err := persist.For[entry](pool, persist.WithBackend(e.backend), persist.WithModel("Entry"),
		persist.WithMigration(func(doc map[string]any) (map[string]any, error) {
			level, ok := doc["level"]
			if !ok {
				return nil, errors.New("no level")
			}
			delete(doc, "level")
			doc["rank"] = level
			return doc, nil
		}))
	if err != nil {
		t.Fatal(err)
	}
	// On read: migrated, not written.
	r, err := migrating.Load(ctx, "m1")
	if err != nil || r.Value.Rank != 3 || r.Version != 1 {
		t.Fatalf("Load with migration = %+v v%d, %v; want rank 3, v1", r.Value, r.Version, err)
	}
	if _, err := migrating.Load(ctx, "m4"); !errors.Is(err, persist.ErrCorrupt) || !strings.Contains(err.Error(), "no level") {
		t.Fatalf("Load of a document the migration refuses: %v, want ErrCorrupt with its reason", err)
	}
	// In bulk: written, the unfit left alone.
	res, err := migrating.Migrate(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if res.Checked != 4 || res.Migrated != 2 || len(res.Unfit) != 1 || res.Unfit[0].ID != "m4" {
		t.Fatalf("Migrate = %+v, want 4 checked, 2 migrated, m4 unfit", res)
	}
	for _, id := range []string{"m1", "m2"} {
		r, err := s.entries.Load(ctx, id)
		if err != nil || r.Version != 2 {
			t.Fatalf("%s after Migrate, read without migration: v%d, %v; want v2", id, r.Version, err)
		}
	}
	if doc, err := e.backend.Load(ctx, name, "m4"); err != nil || doc.Version != 1 {
		t.Fatalf("the unfit document: v%d, %v; want it left at v1", doc.Version, err)
	}
}

// RunShared runs the cases that need two instances of a backend sharing
// one database (two processes, or two Backends on one file): unique
// properties and generated IDs stay unique across them. a and b must be
// such instances.
func RunShared(t *testing.T, a, b persist.Backend) {
	t.Helper()
	store := uniqueStore("shared")
	t.Run("UniqueAcrossInstances", func(t *testing.T) {
		uniqueRace(t, []stores{queryStores(t, a, store), queryStores(t, b, store)})
	})
	t.Run("GeneratedIDsAcrossInstances", func(t *testing.T) {
		sa, sb := queryStores(t, a, store), queryStores(t, b, store)
		generatedRace(t, []stores{sa, sb})
		// Each instance sees what the other stored.
		r, err := sa.counters.Create(t.Context(), counter{N: -1})
		if err != nil {
			t.Fatal(err)
		}
		if got, err := sb.counters.Load(t.Context(), r.Value.ID); err != nil || got.Value.N != -1 {
			t.Fatalf("the other instance reads %+v, %v", got.Value, err)
		}
	})
}

// testUniqueOverDuplicates stores two documents with one email straight
// into the backend, then defines the store with email unique: the
// definition fails with ErrDuplicate, and the documents are left as they
// are.
func testUniqueOverDuplicates(t *testing.T, e *env) {
	ctx := t.Context()
	store := uniqueStore("uniqueover")
	for _, id := range []string{"d1", "d2"} {
		doc := persist.Document{ID: id, Data: fmt.Appendf(nil, `{"id":%q,"email":"same@example.com","group":"g","rank":1}`, id)}
		if err := e.backend.Save(ctx, store, doc); err != nil {
			t.Fatal(err)
		}
	}
	s := queryStores(t, e.backend, store)
	if err := s.entries.Define(ctx); !errors.Is(err, persist.ErrDuplicate) {
		t.Fatalf("Define of a unique index over duplicates: %v, want ErrDuplicate", err)
	}
	if _, err := s.entries.Load(ctx, "d1"); !errors.Is(err, persist.ErrDuplicate) {
		t.Fatalf("first use of a unique index over duplicates: %v, want ErrDuplicate", err)
	}
	for _, id := range []string{"d1", "d2"} {
		if doc, err := e.backend.Load(ctx, store, id); err != nil || doc.Version != 1 {
			t.Fatalf("%s after the failed definition: v%d, %v", id, doc.Version, err)
		}
	}
}

// testOrderOfValues orders by strings that sort differently in byte order
// and in a locale's, and by numbers stored as integers and as decimals:
// every backend orders strings by their bytes and numbers by value.
func testOrderOfValues(t *testing.T, e *env) {
	ctx := t.Context()
	s := queryStores(t, e.backend, uniqueStore("ordervalues"))
	groups := []string{"b", "Z", "é", "a", "É", "ab", "a b", "日本", "z", ""}
	scores := []float64{2, -1.5, 10, 2.25, -100, 0, 1e9, 3, 2.5, -0.25}
	for i, g := range groups {
		if _, err := s.entries.Create(ctx, entry{ID: fmt.Sprintf("v%d", i), Group: g, Rank: i, Score: score(scores[i])}); err != nil {
			t.Fatal(err)
		}
	}
	byGroup := slices.Clone(groups)
	slices.Sort(byGroup) // Go compares strings by their bytes
	var got []string
	for r, err := range s.entries.FindAll(t.Context(), persist.Query{OrderBy: "group", Limit: 3}) {
		if err != nil {
			t.Fatal(err)
		}
		got = append(got, r.Value.Group)
	}
	if !slices.Equal(got, byGroup) {
		t.Errorf("ordered by group: %q, want byte order %q", got, byGroup)
	}
	byScore := slices.Clone(scores)
	slices.Sort(byScore)
	slices.Reverse(byScore)
	var gotScores []float64
	for r, err := range s.entries.FindAll(t.Context(), persist.Query{OrderBy: "-score", Limit: 4}) {
		if err != nil {
			t.Fatal(err)
		}
		gotScores = append(gotScores, *r.Value.Score)
	}
	if !slices.Equal(gotScores, byScore) {
		t.Errorf("ordered by decreasing score: %v, want %v", gotScores, byScore)
	}
	if r, err := s.entries.Find(ctx, persist.Query{Where: map[string]any{"score": 2}}); err != nil || len(r.Records) != 1 || r.Records[0].Value.ID != "v0" {
		t.Errorf("score 2 (stored as an integer) found as %+v, %v", r.Records, err)
	}
	if r, err := s.entries.Find(ctx, persist.Query{Where: map[string]any{"group": "é"}}); err != nil || len(r.Records) != 1 || r.Records[0].Value.ID != "v2" {
		t.Errorf("group é found as %+v, %v", r.Records, err)
	}
}

// testRandomQueries compares Find with the same query worked out in Go,
// over random records and random queries (a fixed seed, so that a failure
// repeats): equality on zero to two properties, ordering by each indexed
// property both ways (ties, values missing, a unique property), random
// page sizes.
func testRandomQueries(t *testing.T, e *env) {
	ctx := t.Context()
	s := queryStores(t, e.backend, uniqueStore("random"))
	rnd := rand.New(rand.NewPCG(16, 2026))
	var all []entry
	for i := range 120 {
		v := entry{ID: fmt.Sprintf("r%03d", rnd.IntN(1000)*1000+i), Group: []string{"a", "b", "c", "B"}[rnd.IntN(4)], Rank: rnd.IntN(7) - 3, Done: rnd.IntN(2) == 0}
		if rnd.IntN(3) > 0 {
			v.Score = score(float64(rnd.IntN(9)) / 2)
		}
		if rnd.IntN(2) == 0 {
			v.Email = fmt.Sprintf("%d@example.com", rnd.IntN(1_000_000)*1000+i)
		}
		if _, err := s.entries.Create(ctx, v); err != nil {
			t.Fatal(err)
		}
		all = append(all, v)
	}
	boolInt := map[bool]int{false: 0, true: 1}
	orders := map[string]func(a, b entry) int{
		"":      noOrder,
		"group": func(a, b entry) int { return cmp.Compare(a.Group, b.Group) },
		"rank":  func(a, b entry) int { return cmp.Compare(a.Rank, b.Rank) },
		"score": func(a, b entry) int { return cmp.Compare(*a.Score, *b.Score) },
		"done":  func(a, b entry) int { return cmp.Compare(boolInt[a.Done], boolInt[b.Done]) },
		"email": func(a, b entry) int { return cmp.Compare(a.Email, b.Email) },
	}
	has := map[string]func(entry) bool{
		"score": func(v entry) bool { return v.Score != nil },
		"email": func(v entry) bool { return v.Email != "" },
	}
	names := []string{"", "group", "rank", "score", "done", "email"}
	for range 60 {
		q := persist.Query{Where: map[string]any{}, Limit: 1 + rnd.IntN(15)}
		conds := map[string]func(entry) bool{} // by property: a later one replaces an earlier
		for range rnd.IntN(3) {
			switch rnd.IntN(3) {
			case 0:
				g := []string{"a", "b", "c", "B"}[rnd.IntN(4)]
				q.Where["group"] = g
				conds["group"] = func(v entry) bool { return v.Group == g }
			case 1:
				r := rnd.IntN(7) - 3
				q.Where["rank"] = r
				conds["rank"] = func(v entry) bool { return v.Rank == r }
			default:
				d := rnd.IntN(2) == 0
				q.Where["done"] = d
				conds["done"] = func(v entry) bool { return v.Done == d }
			}
		}
		order := names[rnd.IntN(len(names))]
		desc := rnd.IntN(2) == 0
		q.OrderBy = order
		if desc {
			q.OrderBy = "-" + order
			if order == "" {
				q.OrderBy = "-id"
			}
		}
		keep := func(v entry) bool {
			if h := has[order]; h != nil && !h(v) {
				return false
			}
			for _, c := range conds {
				if !c(v) {
					return false
				}
			}
			return true
		}
		want := expect(all, keep, orders[order], desc)
		if got := findAll(t, s.entries, q); !slices.Equal(got, want) {
			t.Fatalf("Find %+v:\n got %v\nwant %v", q, got, want)
		}
	}
}
