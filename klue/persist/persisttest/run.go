package persisttest

import (
	"crypto/rand"
	"encoding/hex"
	"fmt"
	"strings"
	"testing"

	"github.com/klue-go/klue-client-server/klue"
	"github.com/klue-go/klue-client-server/klue/persist"
)

// Run runs the conformance suite. newBackend is called once per subtest and
// returns the backend under test; it may return the same backend every time
// (the subtests use distinct stores) and should register its own clean-up
// with t.Cleanup. Subtests run in parallel.
func Run(t *testing.T, newBackend func(t *testing.T) persist.Backend) {
	t.Helper()
	cases := []struct {
		name string
		run  func(*testing.T, *env)
	}{
		{"CRUD", testCRUD},
		{"NotFound", testNotFound},
		{"Conflict", testConflict},
		{"StaleDelete", testStaleDelete},
		{"Invalid", testInvalid},
		{"Corrupt", testCorrupt},
		{"Stores", testStores},
		{"SameRecord50", testSameRecord},
		{"DifferentRecords50", testDifferentRecords},
		{"CreateRace50", testCreateRace},
		{"Cancelled", testCancelled},
		{"Deadline", testDeadline},
		{"LargeDocument", testLargeDocument},
		{"Unicode", testUnicode},
		{"ExtremeNumbers", testExtremeNumbers},
		{"DeepNesting", testDeepNesting},
		{"Paging", testPaging},
		{"PagingWhileAdding", testPagingWhileAdding},
		{"Find", testFind},
		{"Unique", testUnique},
		{"UniqueRace50", testUniqueRace},
		{"UniqueOverDuplicates", testUniqueOverDuplicates},
		{"GeneratedIDs", testGeneratedIDs},
		{"FindWhileAdding", testFindWhileAdding},
		{"OrderOfValues", testOrderOfValues},
		{"RandomQueries", testRandomQueries},
		{"Migrate", testMigrate},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			t.Parallel()
			c.run(t, newEnv(t, newBackend(t), c.name))
		})
	}
}

// item is the value type of the suite's model.
type item struct {
	ID    string   `json:"id"`
	Count int      `json:"count"`
	Text  string   `json:"text,omitempty"`
	Tags  []string `json:"tags,omitempty"`
}

// spec is the suite's API: one x-persist model, Item, in the store named
// %s.
const spec = `swagger: '2.0'
info: {title: persisttest, version: '1'}
paths: {}
definitions:
  Item:
    type: object
    x-persist: {store: %s, id: id}
    required: [id, count]
    additionalProperties: false
    properties:
      id: {type: string, minLength: 1}
      count: {type: integer, minimum: 0}
      text: {type: string}
      tags: {type: array, items: {type: string}}
`

// env is what a subtest works with: the backend, and a typed store of items
// bound to it.
type env struct {
	backend persist.Backend
	pool    *klue.Pool
	items   *persist.Store[item, string]
}

func newEnv(t *testing.T, b persist.Backend, name string) *env {
	t.Helper()
	if b == nil {
		t.Fatal("persisttest: newBackend returned nil")
	}
	e := &env{backend: b, pool: klue.NewPool()}
	if err := persist.Use(e.pool, b); err != nil {
		t.Fatal(err)
	}
	e.items = e.addStore(t, "items", name)
	return e
}

// addStore adds an API to the pool whose Item model is kept in a store of
// its own, and returns that store.
func (e *env) addStore(t *testing.T, api, name string) *persist.Store[item, string] {
	t.Helper()
	store := uniqueStore(name)
	if err := e.pool.Add(api, klue.Bytes(api+".yaml", fmt.Appendf(nil, spec, store))); err != nil {
		t.Fatalf("persisttest: suite spec: %v", err)
	}
	s, err := persist.For[item](e.pool, persist.WithAPI(api), persist.WithModel("Item"))
	if err != nil {
		t.Fatalf("persisttest: For: %v", err)
	}
	if s.Name() != store {
		t.Fatalf("store name = %q, want %q", s.Name(), store)
	}
	return s
}

// uniqueStore names a store for one subtest: persisttest_<case>_<random>.
func uniqueStore(name string) string {
	var b [4]byte
	_, _ = rand.Read(b[:])
	return "persisttest_" + strings.ToLower(name) + "_" + hex.EncodeToString(b[:])
}
