package pgstore

import (
	"regexp"
	"strings"
	"testing"

	"github.com/klue-go/klue-client-server/internal/pgtest"
	"github.com/klue-go/klue-client-server/klue/persist"
)

// TestQueriesUseTheIndexes asks PostgreSQL how it runs the statements Find
// builds, over 20,000 documents: through the expression indexes Define
// creates, never by scanning the table or sorting it.
func TestQueriesUseTheIndexes(t *testing.T) {
	t.Parallel()
	srv := pgtest.Start(t)
	ctx := t.Context()
	b, err := Open(ctx, srv.NewDatabase(t))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(b.Close)
	layout := persist.Layout{Name: "users", IDKind: persist.String, Indexes: []persist.Index{
		{Property: "email", Kind: persist.String, Unique: true},
		{Property: "created", Kind: persist.String},
		{Property: "age", Kind: persist.Integer},
		{Property: "admin", Kind: persist.Boolean},
	}}
	if err := b.Define(ctx, layout); err != nil {
		t.Fatal(err)
	}
	fill := `INSERT INTO users (id, version, data)
		SELECT 'u' || i, 1, jsonb_build_object('email', 'u' || i || '@example.com', 'created', '2026-01-' || lpad((i % 28 + 1)::text, 2, '0') || 'T' || i, 'age', i % 90, 'admin', i % 1000 = 0)
		FROM generate_series(1, 20000) AS i`
	if _, err := b.pool.Exec(ctx, fill); err != nil {
		t.Fatal(err)
	}
	if _, err := b.pool.Exec(ctx, "ANALYZE users"); err != nil {
		t.Fatal(err)
	}
	q, err := b.table(ctx, "users")
	if err != nil {
		t.Fatal(err)
	}
	cases := []struct {
		name string
		sel  persist.Selection
		want string
	}{
		{"unique equality", persist.Selection{Where: []persist.Match{{Property: "email", Value: "u7@example.com"}}, Limit: 2}, `ux_users_email`},
		{"equality", persist.Selection{Where: []persist.Match{{Property: "age", Value: int64(30)}}, Limit: 10}, `ix_users_age`},
		{"boolean equality", persist.Selection{Where: []persist.Match{{Property: "admin", Value: true}}, Limit: 10}, `ix_users_admin`},
		{"order", persist.Selection{OrderBy: "created", Limit: 10}, `ix_users_created`},
		{"order after a position, decreasing", persist.Selection{OrderBy: "created", Desc: true, After: &persist.Position{Value: "2026-01-10", ID: "u9"}, Limit: 10}, `ix_users_created`},
		{"order by a number after a position", persist.Selection{OrderBy: "age", After: &persist.Position{Value: int64(40), ID: "u9"}, Limit: 10}, `ix_users_age`},
		{"order by a unique property", persist.Selection{OrderBy: "email", After: &persist.Position{Value: "u5", ID: "u9"}, Limit: 10}, `ux_users_email`},
	}
	for _, c := range cases {
		query, args, err := q.findSQL(c.sel)
		if err != nil {
			t.Fatal(err)
		}
		rows, err := b.pool.Query(ctx, "EXPLAIN "+query, args...)
		if err != nil {
			t.Fatal(err)
		}
		var plan []string
		for rows.Next() {
			var line string
			if err := rows.Scan(&line); err != nil {
				t.Fatal(err)
			}
			plan = append(plan, strings.TrimSpace(line))
		}
		rows.Close()
		text := strings.Join(plan, "\n")
		usesIndex := regexp.MustCompile(`Index (Only )?Scan (Backward )?using ` + c.want + ` `).MatchString(text)
		// Sorting what an equality found is cheap; an order must come
		// from the index.
		sorts := c.sel.OrderBy != "" && strings.Contains(text, "Sort")
		if !usesIndex || sorts || strings.Contains(text, "Seq Scan") {
			t.Errorf("%s: %s\nplan:\n%s\nwant an index scan on %s, and no sort when ordering", c.name, query, text, c.want)
		}
	}
}
