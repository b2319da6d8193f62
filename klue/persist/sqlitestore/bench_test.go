package sqlitestore_test

import (
	"fmt"
	"path/filepath"
	"sync/atomic"
	"testing"

	"github.com/klue-go/klue-client-server/klue"
	"github.com/klue-go/klue-client-server/klue/persist"
	"github.com/klue-go/klue-client-server/klue/persist/sqlitestore"
)

// benchSpec has a small model: a document of about 80 bytes.
const benchSpec = `swagger: '2.0'
info: {title: bench, version: '1'}
paths: {}
definitions:
  Person:
    type: object
    x-persist: people
    required: [id, email]
    properties:
      id: {type: string}
      email: {type: string, format: email}
      name: {type: string}
      age: {type: integer, minimum: 0}
`

type Person struct {
	ID    string `json:"id"`
	Email string `json:"email"`
	Name  string `json:"name"`
	Age   int    `json:"age"`
}

func benchStore(b *testing.B, opts ...sqlitestore.Option) *persist.Store[Person] {
	b.Helper()
	pool := klue.NewPool()
	if err := pool.Add("bench", klue.Bytes("bench.yaml", []byte(benchSpec))); err != nil {
		b.Fatal(err)
	}
	people, err := persist.For[Person](pool, persist.WithBackend(open(b, filepath.Join(b.TempDir(), "bench.db"), opts...)))
	if err != nil {
		b.Fatal(err)
	}
	return people
}

func person(i int) Person {
	return Person{ID: fmt.Sprintf("person-%09d", i), Email: "ada@example.com", Name: "Ada Lovelace", Age: 36}
}

// BenchmarkSave creates small documents, one save per operation.
func BenchmarkSave(b *testing.B) {
	for _, c := range []struct {
		name string
		opts []sqlitestore.Option
	}{
		{"sync=normal", nil},
		{"sync=full", []sqlitestore.Option{sqlitestore.WithFullSync()}},
	} {
		b.Run(c.name, func(b *testing.B) {
			people := benchStore(b, c.opts...)
			ctx := b.Context()
			i := 0
			for b.Loop() {
				if _, err := people.Create(ctx, person(i)); err != nil {
					b.Fatal(err)
				}
				i++
			}
			b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "saves/s")
		})
	}
}

// BenchmarkSaveParallel creates small documents from GOMAXPROCS goroutines.
func BenchmarkSaveParallel(b *testing.B) {
	people := benchStore(b)
	ctx := b.Context()
	var next atomic.Int64
	b.RunParallel(func(pb *testing.PB) {
		for pb.Next() {
			if _, err := people.Create(ctx, person(int(next.Add(1)))); err != nil {
				b.Error(err)
				return
			}
		}
	})
	b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "saves/s")
}

// BenchmarkUpdate saves over the record just saved: the version check path.
func BenchmarkUpdate(b *testing.B) {
	people := benchStore(b)
	ctx := b.Context()
	r, err := people.Create(ctx, person(0))
	if err != nil {
		b.Fatal(err)
	}
	for b.Loop() {
		r.Value.Age++
		if r, err = people.Save(ctx, r); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "saves/s")
}

// BenchmarkLoad loads small documents from a store of 10,000.
func BenchmarkLoad(b *testing.B) {
	people := benchStore(b)
	ctx := b.Context()
	const n = 10_000
	for i := range n {
		if _, err := people.Create(ctx, person(i)); err != nil {
			b.Fatal(err)
		}
	}
	b.Run("serial", func(b *testing.B) {
		i := 0
		for b.Loop() {
			if _, err := people.Load(ctx, person(i%n).ID); err != nil {
				b.Fatal(err)
			}
			i += 7919
		}
		b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "loads/s")
	})
	b.Run("parallel", func(b *testing.B) {
		var next atomic.Int64
		b.RunParallel(func(pb *testing.PB) {
			for pb.Next() {
				if _, err := people.Load(ctx, person(int(next.Add(7919))%n).ID); err != nil {
					b.Error(err)
					return
				}
			}
		})
		b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "loads/s")
	})
}
