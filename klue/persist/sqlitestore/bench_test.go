package sqlitestore_test

import (
	"path/filepath"
	"testing"

	"github.com/klue-go/klue-client-server/klue/persist"
	"github.com/klue-go/klue-client-server/klue/persist/persisttest"
	"github.com/klue-go/klue-client-server/klue/persist/sqlitestore"
)

// BenchmarkSQLite measures saves and loads per second, with the default
// synchronous=NORMAL and with WithFullSync.
func BenchmarkSQLite(b *testing.B) {
	for _, c := range []struct {
		name string
		opts []sqlitestore.Option
	}{
		{"sync=normal", nil},
		{"sync=full", []sqlitestore.Option{sqlitestore.WithFullSync()}},
	} {
		b.Run(c.name, func(b *testing.B) {
			persisttest.Benchmark(b, func(b *testing.B) persist.Backend {
				return open(b, filepath.Join(b.TempDir(), "bench.db"), c.opts...)
			})
		})
	}
}
