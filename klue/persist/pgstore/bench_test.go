package pgstore_test

import (
	"testing"

	"github.com/klue-go/klue-client-server/internal/pgtest"
	"github.com/klue-go/klue-client-server/klue/persist"
	"github.com/klue-go/klue-client-server/klue/persist/persisttest"
)

// BenchmarkPostgres measures saves and loads per second against a
// throwaway server on loopback (fsync off: the figures are for the
// backend's own work and the round trips, not for the disk).
func BenchmarkPostgres(b *testing.B) {
	srv := pgtest.Start(b)
	backend := open(b, srv.NewDatabase(b))
	persisttest.Benchmark(b, func(*testing.B) persist.Backend { return backend })
}
