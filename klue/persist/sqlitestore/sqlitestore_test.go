package sqlitestore_test

import (
	"database/sql"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/klue-go/klue-client-server/klue/persist"
	"github.com/klue-go/klue-client-server/klue/persist/persisttest"
	"github.com/klue-go/klue-client-server/klue/persist/sqlitestore"
)

func open(t testing.TB, path string, opts ...sqlitestore.Option) *sqlitestore.Backend {
	t.Helper()
	b, err := sqlitestore.Open(path, opts...)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		if err := b.Close(); err != nil {
			t.Error(err)
		}
	})
	return b
}

// Every subtest gets its own file.
func TestConformance(t *testing.T) {
	t.Parallel()
	persisttest.Run(t, func(t *testing.T) persist.Backend {
		return open(t, filepath.Join(t.TempDir(), "klue.db"))
	})
}

// All subtests share one file, each in its own table.
func TestConformanceSharedFile(t *testing.T) {
	t.Parallel()
	b := open(t, filepath.Join(t.TempDir(), "klue.db"))
	persisttest.Run(t, func(*testing.T) persist.Backend { return b })
}

func TestReopen(t *testing.T) {
	t.Parallel()
	path := filepath.Join(t.TempDir(), "klue.db")
	ctx := t.Context()
	b, err := sqlitestore.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	if err := b.Save(ctx, "things", persist.Document{ID: "a", Data: []byte(`{"id":"a"}`)}); err != nil {
		t.Fatal(err)
	}
	if err := b.Close(); err != nil {
		t.Fatal(err)
	}
	if _, err := b.Load(ctx, "things", "a"); err == nil {
		t.Fatal("Load after Close: no error")
	}
	doc, err := open(t, path).Load(ctx, "things", "a")
	if err != nil || doc.Version != 1 || string(doc.Data) != `{"id":"a"}` {
		t.Fatalf("after reopening: %+v, %v", doc, err)
	}
}

// Several instances open the same file at once, create the same table on
// first use at once, and write to it: none fails, and versions are checked
// across instances.
func TestInstancesShareAFile(t *testing.T) {
	t.Parallel()
	path := filepath.Join(t.TempDir(), "klue.db")
	ctx := t.Context()
	const instances = 6
	backends := make([]*sqlitestore.Backend, instances)
	var wg sync.WaitGroup
	for i := range instances {
		wg.Go(func() {
			b, err := sqlitestore.Open(path)
			if err != nil {
				t.Errorf("instance %d: Open: %v", i, err)
				return
			}
			t.Cleanup(func() { b.Close() })
			backends[i] = b
			doc := persist.Document{ID: fmt.Sprint("from-", i), Data: []byte(`{}`)}
			if err := b.Save(ctx, "shared", doc); err != nil {
				t.Errorf("instance %d: first Save: %v", i, err)
			}
		})
	}
	wg.Wait()
	if t.Failed() {
		return
	}
	docs, err := backends[0].Find(ctx, "shared", persist.Selection{Limit: 100})
	if err != nil || len(docs) != instances {
		t.Fatalf("List = %d documents, %v; want %d", len(docs), err, instances)
	}
	// A version read through one instance is stale for another after a save.
	if err := backends[1].Save(ctx, "shared", persist.Document{ID: "from-0", Version: 1, Data: []byte(`{"n":1}`)}); err != nil {
		t.Fatal(err)
	}
	if err := backends[2].Save(ctx, "shared", persist.Document{ID: "from-0", Version: 1, Data: []byte(`{"n":2}`)}); !errors.Is(err, persist.ErrConflict) {
		t.Fatalf("stale save through another instance: %v, want ErrConflict", err)
	}
}

func TestStoreNamesAreChecked(t *testing.T) {
	t.Parallel()
	b := open(t, filepath.Join(t.TempDir(), "klue.db"))
	ctx := t.Context()
	for _, name := range []string{`users"; DROP TABLE x; --`, "", "1users", "a-b", "ünïcode", strings.Repeat("a", 64)} {
		if _, err := b.Load(ctx, name, "a"); err == nil || errors.Is(err, persist.ErrNotFound) {
			t.Errorf("store %q: %v, want an error about the name", name, err)
		}
	}
	// Reserved words are fine once quoted.
	for _, name := range []string{"order", "select", "group", "Users"} {
		if err := b.Save(ctx, name, persist.Document{ID: "a", Data: []byte(`{}`)}); err != nil {
			t.Errorf("store %q: %v", name, err)
		}
	}
}

func TestOpenErrors(t *testing.T) {
	t.Parallel()
	for _, path := range []string{"", ":memory:", "file:x.db", filepath.Join(t.TempDir(), "missing", "dir", "klue.db")} {
		if b, err := sqlitestore.Open(path); err == nil {
			b.Close()
			t.Errorf("Open(%q): no error", path)
		}
	}
}

func TestWAL(t *testing.T) {
	t.Parallel()
	path := filepath.Join(t.TempDir(), "odd name ?#%.db")
	b := open(t, path, sqlitestore.WithFullSync(), sqlitestore.WithReaders(2), sqlitestore.WithBusyTimeout(time.Second))
	if err := b.Save(t.Context(), "things", persist.Document{ID: "a", Data: []byte(`{}`)}); err != nil {
		t.Fatal(err)
	}
	for _, f := range []string{path, path + "-wal"} {
		if _, err := os.Stat(f); err != nil {
			t.Errorf("%v", err)
		}
	}
}

// Two backends on one file stand for two processes: unique properties and
// generated IDs stay unique across them.
func TestTwoInstances(t *testing.T) {
	t.Parallel()
	path := filepath.Join(t.TempDir(), "klue.db")
	persisttest.RunShared(t, open(t, path), open(t, path))
}

// Indexed property names go into the SQL of the indexes: Define checks
// them, whoever calls it.
func TestIndexedPropertiesAreChecked(t *testing.T) {
	t.Parallel()
	b := open(t, filepath.Join(t.TempDir(), "klue.db"))
	for _, p := range []string{`a"') ; DROP TABLE x; --`, "", "it's", `back\slash`, strings.Repeat("p", 64)} {
		layout := persist.Layout{Name: "things", IDKind: persist.String, Indexes: []persist.Index{{Property: p, Kind: persist.String}}}
		if err := b.Define(t.Context(), layout); err == nil || !strings.Contains(err.Error(), "cannot be indexed") {
			t.Errorf("Define with property %q: %v, want an error about the name", p, err)
		}
	}
}

// A table made before the column exact gets it on first use, keeps its
// documents, and takes documents too deep for SQLite's JSON functions
// beside an index.
func TestDeepDocumentsInTablesOfBefore(t *testing.T) {
	t.Parallel()
	ctx := t.Context()
	path := filepath.Join(t.TempDir(), "old.db")
	db, err := sql.Open("sqlite", path)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := db.Exec(`CREATE TABLE old (id TEXT PRIMARY KEY NOT NULL, version INTEGER NOT NULL, data TEXT NOT NULL);
		INSERT INTO old VALUES ('kept', 3, '{"n": 1}')`); err != nil {
		t.Fatal(err)
	}
	db.Close()
	b := open(t, path)
	layout := persist.Layout{Name: "old", IDKind: persist.String, Indexes: []persist.Index{{Property: "n", Kind: persist.Number}}}
	if err := b.Define(ctx, layout); err != nil {
		t.Fatal(err)
	}
	if doc, err := b.Load(ctx, "old", "kept"); err != nil || doc.Version != 3 || string(doc.Data) != `{"n": 1}` {
		t.Fatalf("the document of before: %+v %s, %v", doc, doc.Data, err)
	}
	deep := `{"n":2,"d":` + strings.Repeat("[", 1500) + strings.Repeat("]", 1500) + `}`
	if err := b.Save(ctx, "old", persist.Document{ID: "deep", Data: []byte(deep)}); err != nil {
		t.Fatal(err)
	}
	if doc, err := b.Load(ctx, "old", "deep"); err != nil || string(doc.Data) != deep {
		t.Fatalf("the deep document: %.80s, %v", doc.Data, err)
	}
	docs, err := b.Find(ctx, "old", persist.Selection{Where: []persist.Match{{Property: "n", Value: int64(2)}}, Limit: 10})
	if err != nil || len(docs) != 1 || string(docs[0].Data) != deep {
		t.Fatalf("Find n = 2: %d documents, %v", len(docs), err)
	}
}
