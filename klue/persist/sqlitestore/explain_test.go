package sqlitestore

import (
	"fmt"
	"path/filepath"
	"strings"
	"testing"

	"github.com/klue-go/klue-client-server/klue/persist"
)

// TestQueriesUseTheIndexes asks SQLite how it runs the statements Find
// builds: through the expression indexes Define creates, never by scanning
// the table or sorting it.
func TestQueriesUseTheIndexes(t *testing.T) {
	t.Parallel()
	b, err := Open(filepath.Join(t.TempDir(), "klue.db"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { b.Close() })
	ctx := t.Context()
	layout := persist.Layout{Name: "users", IDKind: persist.String, Indexes: []persist.Index{
		{Property: "email", Kind: persist.String, Unique: true},
		{Property: "created", Kind: persist.String},
		{Property: "age", Kind: persist.Integer},
	}}
	if err := b.Define(ctx, layout); err != nil {
		t.Fatal(err)
	}
	for i := range 500 {
		doc := persist.Document{ID: fmt.Sprint("u", i), Data: fmt.Appendf(nil, `{"email":"u%d@example.com","created":"2026-01-%02d","age":%d}`, i, i%28+1, i%90)}
		if err := b.Save(ctx, "users", doc); err != nil {
			t.Fatal(err)
		}
	}
	if _, err := b.writer.ExecContext(ctx, "ANALYZE"); err != nil {
		t.Fatal(err)
	}
	st, err := b.table(ctx, "users")
	if err != nil {
		t.Fatal(err)
	}
	cases := []struct {
		name string
		sel  persist.Selection
		want string
	}{
		{"unique equality", persist.Selection{Where: []persist.Match{{Property: "email", Value: "u7@example.com"}}, Limit: 2}, `SEARCH users USING INDEX ux_users_email`},
		{"equality", persist.Selection{Where: []persist.Match{{Property: "age", Value: int64(30)}}, Limit: 10}, `SEARCH users USING INDEX ix_users_age`},
		{"order", persist.Selection{OrderBy: "created", Limit: 10}, `USING INDEX ix_users_created`},
		{"order after a position, decreasing", persist.Selection{OrderBy: "created", Desc: true, After: &persist.Position{Value: "2026-01-10", ID: "u9"}, Limit: 10}, `SEARCH users USING INDEX ix_users_created`},
		{"order after a position", persist.Selection{OrderBy: "age", After: &persist.Position{Value: int64(40), ID: "u9"}, Limit: 10}, `SEARCH users USING INDEX ix_users_age`},
		{"by ID after a position", persist.Selection{After: &persist.Position{ID: "u9"}, Limit: 10}, `SEARCH users USING INDEX sqlite_autoindex_users_1`},
	}
	for _, c := range cases {
		query, args, err := st.findSQL(c.sel)
		if err != nil {
			t.Fatal(err)
		}
		rows, err := b.reader.QueryContext(ctx, "EXPLAIN QUERY PLAN "+query, args...)
		if err != nil {
			t.Fatal(err)
		}
		var plan []string
		for rows.Next() {
			var id, parent, unused int
			var detail string
			if err := rows.Scan(&id, &parent, &unused, &detail); err != nil {
				t.Fatal(err)
			}
			plan = append(plan, detail)
		}
		rows.Close()
		text := strings.Join(plan, "; ")
		if !strings.Contains(text, c.want) || strings.Contains(text, "TEMP B-TREE") {
			t.Errorf("%s: %s\nplan: %s\nwant it to use %s, without sorting", c.name, query, text, c.want)
		}
	}
}
