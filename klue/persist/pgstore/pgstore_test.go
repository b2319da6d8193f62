package pgstore_test

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"

	"github.com/klue-go/klue-client-server/internal/pgtest"
	"github.com/klue-go/klue-client-server/klue/persist"
	"github.com/klue-go/klue-client-server/klue/persist/persisttest"
	"github.com/klue-go/klue-client-server/klue/persist/pgstore"
)

func open(t testing.TB, url string) *pgstore.Backend {
	t.Helper()
	b, err := pgstore.Open(t.Context(), url)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(b.Close)
	return b
}

// TestPostgres runs the tests that can share one server, each in a
// database of its own.
func TestPostgres(t *testing.T) {
	t.Parallel()
	srv := pgtest.Start(t)
	tests := []struct {
		name string
		run  func(*testing.T, *pgtest.Server)
	}{
		{"Conformance", testConformance},
		{"InstancesCreateTablesAtOnce", testInstancesCreateTablesAtOnce},
		{"StoreNamesAreChecked", testStoreNamesAreChecked},
		{"ByteOrderWhateverTheCollation", testByteOrderWhateverTheCollation},
		{"NewKeepsThePool", testNewKeepsThePool},
		{"NULInTablesOfBefore", testNULInTablesOfBefore},
		{"TwoInstances", testTwoInstances},
		{"IndexedPropertiesAreChecked", testIndexedPropertiesAreChecked},
		{"NumericHoldsAgreesWithPostgres", testNumericHoldsAgreesWithPostgres},
		{"DeeperThanTheStack", testDeeperThanTheStack},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			tc.run(t, srv)
		})
	}
}

func testConformance(t *testing.T, srv *pgtest.Server) {
	b := open(t, srv.NewDatabase(t))
	persisttest.Run(t, func(*testing.T) persist.Backend { return b })
}

// Indexed property names go into the SQL of the indexes: Define checks
// them, whoever calls it.
func testIndexedPropertiesAreChecked(t *testing.T, srv *pgtest.Server) {
	b := open(t, srv.NewDatabase(t))
	for _, p := range []string{`a') ; DROP TABLE x; --`, "", "it's", `back\slash`, strings.Repeat("p", 64)} {
		layout := persist.Layout{Name: "things", IDKind: persist.String, Indexes: []persist.Index{{Property: p, Kind: persist.String}}}
		if err := b.Define(t.Context(), layout); err == nil || !strings.Contains(err.Error(), "cannot be indexed") {
			t.Errorf("Define with property %q: %v, want an error about the name", p, err)
		}
	}
}

// Two backends on one database stand for two service instances: unique
// properties and generated IDs stay unique across them.
func testTwoInstances(t *testing.T, srv *pgtest.Server) {
	url := srv.NewDatabase(t)
	persisttest.RunShared(t, open(t, url), open(t, url))
}

// Instances starting together create the same tables at once: none fails.
func testInstancesCreateTablesAtOnce(t *testing.T, srv *pgtest.Server) {
	url := srv.NewDatabase(t)
	const instances = 8
	backends := make([]*pgstore.Backend, instances)
	for i := range backends {
		backends[i] = open(t, url)
	}
	ctx := t.Context()
	for round := range 5 {
		store := fmt.Sprintf("together_%d", round)
		start := make(chan struct{})
		var wg sync.WaitGroup
		for i, b := range backends {
			wg.Go(func() {
				<-start
				doc := persist.Document{ID: fmt.Sprint("from-", i), Data: []byte(`{}`)}
				if err := b.Save(ctx, store, doc); err != nil {
					t.Errorf("%s, instance %d: %v", store, i, err)
				}
			})
		}
		close(start)
		wg.Wait()
		docs, err := backends[0].Find(ctx, store, persist.Selection{Limit: 100})
		if err != nil || len(docs) != instances {
			t.Fatalf("%s: %d documents, %v; want %d", store, len(docs), err, instances)
		}
	}
}

func testStoreNamesAreChecked(t *testing.T, srv *pgtest.Server) {
	b := open(t, srv.NewDatabase(t))
	ctx := t.Context()
	for _, name := range []string{`users"; DROP TABLE x; --`, "", "1users", "a-b", "ünïcode", strings.Repeat("a", 64)} {
		if _, err := b.Load(ctx, name, "a"); err == nil || errors.Is(err, persist.ErrNotFound) {
			t.Errorf("store %q: %v, want an error about the name", name, err)
		}
	}
	for _, name := range []string{"order", "select", "user", "Users", "users", strings.Repeat("a", 63)} {
		if err := b.Save(ctx, name, persist.Document{ID: "a", Data: []byte(`{}`)}); err != nil {
			t.Errorf("store %q: %v", name, err)
		}
	}
}

// IDs sort in byte order even in a database whose collation sorts
// otherwise.
func testByteOrderWhateverTheCollation(t *testing.T, srv *pgtest.Server) {
	ctx := t.Context()
	conn, err := pgx.Connect(ctx, srv.URL())
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close(context.Background())
	if _, err := conn.Exec(ctx, `CREATE DATABASE icu TEMPLATE template0 LOCALE_PROVIDER icu ICU_LOCALE 'en-US' LOCALE 'C'`); err != nil {
		t.Fatalf("a database with an ICU collation: %v", err)
	}
	var icuOrder []string
	rows, _ := conn.Query(ctx, `SELECT x FROM unnest(ARRAY['b', 'B', 'a', 'A', 'é', 'e']) AS x ORDER BY x COLLATE "en-x-icu"`)
	icuOrder, err = pgx.CollectRows(rows, pgx.RowTo[string])
	if err != nil {
		t.Fatal(err)
	}
	b := open(t, strings.Replace(srv.URL(), "/postgres?", "/icu?", 1))
	for _, id := range icuOrder {
		if err := b.Save(ctx, "ordered", persist.Document{ID: id, Data: []byte(`{}`)}); err != nil {
			t.Fatal(err)
		}
	}
	docs, err := b.Find(ctx, "ordered", persist.Selection{Limit: 100})
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, d := range docs {
		got = append(got, d.ID)
	}
	want := slices.Clone(icuOrder)
	slices.Sort(want)
	if !slices.Equal(got, want) {
		t.Fatalf("List order %q, want byte order %q (the locale's is %q)", got, want, icuOrder)
	}
	if slices.Equal(icuOrder, want) {
		t.Fatalf("the ICU order %q is byte order: the test proves nothing", icuOrder)
	}
}

// A table made before documents with U+0000 could be stored takes them
// too, and keeps the documents it held; jsonb, which cannot hold U+0000,
// still holds every document, for queries and indexes.
func testNULInTablesOfBefore(t *testing.T, srv *pgtest.Server) {
	ctx := t.Context()
	url := srv.NewDatabase(t)
	conn, err := pgx.Connect(ctx, url)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close(context.Background())
	if _, err := conn.Exec(ctx, `CREATE TABLE old (id text COLLATE "C" PRIMARY KEY, version bigint NOT NULL CHECK (version > 0), data jsonb NOT NULL);
		INSERT INTO old VALUES ('kept', 3, '{"a": 1}')`); err != nil {
		t.Fatal(err)
	}
	b := open(t, url)
	if doc, err := b.Load(ctx, "old", "kept"); err != nil || doc.Version != 3 || string(doc.Data) != `{"a": 1}` {
		t.Fatalf("the document of before: %+v %s, %v", doc, doc.Data, err)
	}
	withNUL := `{"a":"x\u0000y","\u0000":["\\u0000"]}`
	if err := b.Save(ctx, "old", persist.Document{ID: "nul", Data: []byte(withNUL)}); err != nil {
		t.Fatal(err)
	}
	if doc, err := b.Load(ctx, "old", "nul"); err != nil || string(doc.Data) != withNUL {
		t.Fatalf("the document with NUL: %s, %v", doc.Data, err)
	}
	var a string
	if err := conn.QueryRow(ctx, `SELECT data->>'a' FROM old WHERE id = 'nul'`).Scan(&a); err != nil || a != "x\uFFFDy" {
		t.Fatalf("jsonb holds %q, %v; want the text with U+FFFD for U+0000", a, err)
	}
}

func TestOpenErrors(t *testing.T) {
	t.Parallel()
	ctx, cancel := context.WithTimeout(t.Context(), 10*time.Second)
	defer cancel()
	for _, url := range []string{"postgres://nobody@127.0.0.1:1/x?connect_timeout=2", "not a url ://"} {
		if b, err := pgstore.Open(ctx, url); err == nil {
			b.Close()
			t.Errorf("Open(%q): no error", url)
		}
	}
}

// A backend made with New works through the caller's pool and leaves it
// open.
func testNewKeepsThePool(t *testing.T, srv *pgtest.Server) {
	ctx := t.Context()
	pool, err := pgxpool.New(ctx, srv.NewDatabase(t))
	if err != nil {
		t.Fatal(err)
	}
	defer pool.Close()
	b := pgstore.New(pool)
	if err := b.Save(ctx, "things", persist.Document{ID: "a", Data: []byte(`{"id": "a"}`)}); err != nil {
		t.Fatal(err)
	}
	b.Close()
	var data string
	if err := pool.QueryRow(ctx, `SELECT data::text FROM things WHERE id = 'a'`).Scan(&data); err != nil || data != `{"id": "a"}` {
		t.Fatalf("through the pool after Close: %q, %v", data, err)
	}
}

// A server whose stack holds less nesting than a document has (here
// max_stack_depth at its least, 100kB) refuses it as jsonb: the document
// is kept exactly all the same, and found by its indexed properties.
func testDeeperThanTheStack(t *testing.T, srv *pgtest.Server) {
	ctx := t.Context()
	url := srv.NewDatabase(t)
	conn, err := pgx.Connect(ctx, url)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close(context.Background())
	var db string
	if err := conn.QueryRow(ctx, `SELECT current_database()`).Scan(&db); err != nil {
		t.Fatal(err)
	}
	if _, err := conn.Exec(ctx, `ALTER DATABASE "`+db+`" SET max_stack_depth = '100kB'; SET max_stack_depth = '100kB'`); err != nil {
		t.Fatal(err)
	}
	deep := `{"n":2,"d":` + strings.Repeat(`[{"a":`, 4000) + `1` + strings.Repeat(`}]`, 4000) + `}`
	if _, err := conn.Exec(ctx, `SELECT $1::jsonb`, deep); err == nil {
		t.Fatal("the server holds the document as jsonb: make it deeper")
	}
	b := open(t, url)
	layout := persist.Layout{Name: "deep", IDKind: persist.String, Indexes: []persist.Index{{Property: "n", Kind: persist.Number}}}
	if err := b.Define(ctx, layout); err != nil {
		t.Fatal(err)
	}
	if err := b.Save(ctx, "deep", persist.Document{ID: "d", Data: []byte(deep)}); err != nil {
		t.Fatal(err)
	}
	if doc, err := b.Load(ctx, "deep", "d"); err != nil || string(doc.Data) != deep {
		t.Fatalf("the deep document: %.80s, %v", doc.Data, err)
	}
	docs, err := b.Find(ctx, "deep", persist.Selection{Where: []persist.Match{{Property: "n", Value: int64(2)}}, Limit: 10})
	if err != nil || len(docs) != 1 || string(docs[0].Data) != deep {
		t.Fatalf("Find n = 2: %d documents, %v", len(docs), err)
	}
}
