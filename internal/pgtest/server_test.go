package pgtest_test

import (
	"context"
	"testing"

	"github.com/jackc/pgx/v5"
	"github.com/klue-go/klue-client-server/internal/pgtest"
)

// A row committed before a restart, fast or immediate, is there after it.
func TestStartRestart(t *testing.T) {
	t.Parallel()
	srv := pgtest.Start(t)
	url := srv.NewDatabase(t)
	ctx := t.Context()
	exec := func(sql string, args ...any) {
		t.Helper()
		conn, err := pgx.Connect(ctx, url)
		if err != nil {
			t.Fatal(err)
		}
		defer conn.Close(context.Background())
		if _, err := conn.Exec(ctx, sql, args...); err != nil {
			t.Fatal(err)
		}
	}
	count := func() int {
		t.Helper()
		conn, err := pgx.Connect(ctx, url)
		if err != nil {
			t.Fatal(err)
		}
		defer conn.Close(context.Background())
		var n int
		if err := conn.QueryRow(ctx, "SELECT count(*) FROM t").Scan(&n); err != nil {
			t.Fatal(err)
		}
		return n
	}
	exec("CREATE TABLE t (n int)")
	exec("INSERT INTO t VALUES (1)")
	srv.Restart(t, false)
	exec("INSERT INTO t VALUES (2)")
	srv.Restart(t, true)
	if n := count(); n != 2 {
		t.Fatalf("%d rows after two restarts, want 2", n)
	}
	if other := srv.NewDatabase(t); other == url {
		t.Fatalf("NewDatabase gave the same database twice: %s", url)
	}
}
