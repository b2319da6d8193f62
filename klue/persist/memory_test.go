package persist_test

import (
	"context"
	"fmt"
	"slices"
	"testing"

	"github.com/klue-go/klue-client-server/klue/persist"
	"github.com/klue-go/klue-client-server/klue/persist/persisttest"
)

func TestMemoryConformance(t *testing.T) {
	t.Parallel()
	persisttest.Run(t, func(*testing.T) persist.Backend { return persist.NewMemory() })
}

func TestMemoryZeroValue(t *testing.T) {
	t.Parallel()
	var shared persist.Memory
	persisttest.Run(t, func(*testing.T) persist.Backend { return &shared })
}

// One Memory shared by the stores of two pools stands for two instances.
func TestMemoryShared(t *testing.T) {
	t.Parallel()
	mem := persist.NewMemory()
	persisttest.RunShared(t, mem, mem)
}

// TestMemoryFindByUnique expects a find through a unique property's owner
// to return what matching every document returns, whatever the Go type
// of the value sought.
func TestMemoryFindByUnique(t *testing.T) {
	ctx := context.Background()
	m := persist.NewMemory()
	layout := persist.Layout{Name: "people", IDKind: persist.String, Indexes: []persist.Index{
		{Property: "email", Kind: persist.String, Unique: true},
		{Property: "n", Kind: persist.Integer, Unique: true},
		{Property: "age", Kind: persist.Integer},
	}}
	if err := m.Define(ctx, layout); err != nil {
		t.Fatal(err)
	}
	for i := range 20 {
		data := fmt.Sprintf(`{"email":"p%d@example.com","n":%d,"age":%d}`, i, i*10, i%3)
		if err := m.Save(ctx, "people", persist.Document{ID: fmt.Sprint(i), Data: []byte(data)}); err != nil {
			t.Fatal(err)
		}
	}
	for _, c := range []struct {
		where []persist.Match
		want  []string
	}{
		{[]persist.Match{{Property: "email", Value: "p7@example.com"}}, []string{"7"}},
		{[]persist.Match{{Property: "email", Value: "nobody@example.com"}}, nil},
		{[]persist.Match{{Property: "n", Value: int64(70)}}, []string{"7"}},
		{[]persist.Match{{Property: "n", Value: float64(70)}}, []string{"7"}},
		{[]persist.Match{{Property: "n", Value: int64(71)}}, nil},
		{[]persist.Match{{Property: "age", Value: int64(1)}, {Property: "n", Value: int64(70)}}, []string{"7"}},
		{[]persist.Match{{Property: "age", Value: int64(2)}, {Property: "n", Value: int64(70)}}, nil},
	} {
		docs, err := m.Find(ctx, "people", persist.Selection{Where: c.where, Limit: 100})
		if err != nil {
			t.Fatal(err)
		}
		var got []string
		for _, d := range docs {
			got = append(got, d.ID)
		}
		if !slices.Equal(got, c.want) {
			t.Errorf("%v: found %v, want %v", c.where, got, c.want)
		}
	}
}
