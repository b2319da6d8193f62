package persist_test

import (
	"testing"

	"github.com/klue-go/klue-client-server/klue/persist"
	"github.com/klue-go/klue-client-server/klue/persist/persisttest"
)

// BenchmarkMemory measures the typed layer (encoding, validation on the way
// in and out, decoding) over the in-memory backend.
func BenchmarkMemory(b *testing.B) {
	backend := persist.NewMemory()
	persisttest.Benchmark(b, func(*testing.B) persist.Backend { return backend })
}
