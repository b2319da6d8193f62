package persisttest

import (
	"fmt"
	"sync/atomic"
	"testing"

	"github.com/klue-go/klue-client-server/klue"
	"github.com/klue-go/klue-client-server/klue/persist"
)

// benchSpec has a small model: documents of about 90 bytes.
const benchSpec = `swagger: '2.0'
info: {title: bench, version: '1'}
paths: {}
definitions:
  Person:
    type: object
    x-persist: %[1]s
    required: [id, email]
    properties:
      id: {type: string}
      email: {type: string, format: email}
      name: {type: string}
      age: {type: integer, minimum: 0}
  Member:
    type: object
    x-persist: {store: %[1]s_m, indexes: [age], unique: [email]}
    required: [id, email]
    properties:
      id: {type: string}
      email: {type: string, format: email}
      name: {type: string}
      age: {type: integer, minimum: 0}
`

type person struct {
	ID    string `json:"id"`
	Email string `json:"email"`
	Name  string `json:"name"`
	Age   int    `json:"age"`
}

func newPerson(i int) person {
	return person{ID: fmt.Sprintf("person-%09d", i), Email: "ada@example.com", Name: "Ada Lovelace", Age: 36}
}

// newMember is a person with an email of its own and one of 100 ages.
func newMember(i int) person {
	return person{ID: fmt.Sprintf("person-%09d", i), Email: fmt.Sprintf("ada-%d@example.com", i), Name: "Ada Lovelace", Age: i % 100}
}

// Benchmark measures a backend the way services use it, through a typed
// store of small documents (about 90 bytes, validated on the way in and
// out), and reports saves/s or loads/s:
//
//   - Save: one new record per operation, from one goroutine;
//   - SaveParallel: the same from GOMAXPROCS goroutines;
//   - Update: saves over the record just saved (the version check);
//   - Load and LoadParallel: random records of a store of 5,000;
//   - SaveIndexed: Save into a store with a unique and a plain index;
//   - FindUnique: FindOne by a unique email among 100,000 records;
//   - FindPage: a page of 10 records of one age (1,000 records have it)
//     among 100,000, through a cursor.
//
// newBackend may return the same backend every time: each benchmark uses a
// store of its own.
func Benchmark(b *testing.B, newBackend func(*testing.B) persist.Backend) {
	b.Run("Save", func(b *testing.B) {
		people := benchStore(b, newBackend(b))
		ctx := b.Context()
		i := 0
		for b.Loop() {
			if _, err := people.Create(ctx, newPerson(i)); err != nil {
				b.Fatal(err)
			}
			i++
		}
		b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "saves/s")
	})
	b.Run("SaveParallel", func(b *testing.B) {
		people := benchStore(b, newBackend(b))
		ctx := b.Context()
		var next atomic.Int64
		b.RunParallel(func(pb *testing.PB) {
			for pb.Next() {
				if _, err := people.Create(ctx, newPerson(int(next.Add(1)))); err != nil {
					b.Error(err)
					return
				}
			}
		})
		b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "saves/s")
	})
	b.Run("Update", func(b *testing.B) {
		people := benchStore(b, newBackend(b))
		ctx := b.Context()
		r, err := people.Create(ctx, newPerson(0))
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
	})
	// The store Load and LoadParallel read.
	const stored = 5_000
	filled := filledStore(b, newBackend, "Person", stored, newPerson)
	b.Run("Load", func(b *testing.B) {
		people := filled(b)
		ctx := b.Context()
		i := 0
		for b.Loop() {
			if _, err := people.Load(ctx, newPerson(i%stored).ID); err != nil {
				b.Fatal(err)
			}
			i += 7919
		}
		b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "loads/s")
	})
	b.Run("LoadParallel", func(b *testing.B) {
		people := filled(b)
		ctx := b.Context()
		var next atomic.Int64
		b.RunParallel(func(pb *testing.PB) {
			for pb.Next() {
				if _, err := people.Load(ctx, newPerson(int(next.Add(7919)%stored)).ID); err != nil {
					b.Error(err)
					return
				}
			}
		})
		b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "loads/s")
	})
	b.Run("SaveIndexed", func(b *testing.B) {
		members := benchModel(b, newBackend(b), "Member")
		ctx := b.Context()
		i := 0
		for b.Loop() {
			if _, err := members.Create(ctx, newMember(i)); err != nil {
				b.Fatal(err)
			}
			i++
		}
		b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "saves/s")
	})
	const many = 100_000
	filledIndexed := filledStore(b, newBackend, "Member", many, newMember)
	b.Run("FindUnique", func(b *testing.B) {
		members := filledIndexed(b)
		ctx := b.Context()
		i := 0
		for b.Loop() {
			want := newMember(i % many)
			r, err := members.FindOne(ctx, "email", want.Email)
			if err != nil || r.Value.ID != want.ID {
				b.Fatalf("FindOne %s = %+v, %v", want.Email, r.Value, err)
			}
			i += 7919
		}
		b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "finds/s")
	})
	b.Run("FindPage", func(b *testing.B) {
		members := filledIndexed(b)
		ctx := b.Context()
		// A cursor per age, after its first record: each Find is a later
		// page, which starts from a position in the index.
		cursors := make([]string, 100)
		for age := range cursors {
			start, err := members.Find(ctx, persist.Query{Where: map[string]any{"age": age}, Limit: 1})
			if err != nil {
				b.Fatal(err)
			}
			cursors[age] = start.Next
		}
		i := 0
		for b.Loop() {
			page, err := members.Find(ctx, persist.Query{Where: map[string]any{"age": i % 100}, Limit: 10, Cursor: cursors[i%100]})
			if err != nil || len(page.Records) != 10 {
				b.Fatalf("Find: %d records, %v", len(page.Records), err)
			}
			i += 7919
		}
		b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "pages/s")
	})
}

// filledStore returns the store of model holding n records made by
// newRecord, made on the first call (not at all when -bench selects none
// of the benchmarks that read it) and kept for the next ones: its backend
// belongs to parent.
func filledStore(parent *testing.B, newBackend func(*testing.B) persist.Backend, model string, n int, newRecord func(int) person) func(*testing.B) *persist.Store[person, string] {
	var s *persist.Store[person, string]
	return func(b *testing.B) *persist.Store[person, string] {
		if s == nil {
			s = benchModel(b, newBackend(parent), model)
			for i := range n {
				if _, err := s.Create(b.Context(), newRecord(i)); err != nil {
					b.Fatal(err)
				}
			}
		}
		return s
	}
}

func benchStore(b *testing.B, backend persist.Backend) *persist.Store[person, string] {
	return benchModel(b, backend, "Person")
}

func benchModel(b *testing.B, backend persist.Backend, model string) *persist.Store[person, string] {
	b.Helper()
	pool := klue.NewPool()
	if err := pool.Add("bench", klue.Bytes("bench.yaml", fmt.Appendf(nil, benchSpec, uniqueStore("bench")))); err != nil {
		b.Fatal(err)
	}
	people, err := persist.For[person](pool, persist.WithBackend(backend), persist.WithModel(model))
	if err != nil {
		b.Fatal(err)
	}
	return people
}
