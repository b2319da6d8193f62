package persist_test

import (
	"context"
	"errors"
	"fmt"
	"log"

	"github.com/klue-go/klue-client-server/klue"
	"github.com/klue-go/klue-client-server/klue/persist"
)

// The spec marks the models to store with x-persist; here users are kept in
// the store "users" under their "id".
const userSpec = `swagger: '2.0'
info: {title: user, version: '1'}
paths: {}
definitions:
  Member:
    type: object
    x-persist: users
    required: [id, email]
    properties:
      id: {type: string}
      email: {type: string, format: email}
      name: {type: string}
`

// Member is the Go type of the model of the same name.
type Member struct {
	ID    string `json:"id"`
	Email string `json:"email"`
	Name  string `json:"name,omitempty"`
}

func ExampleUse() {
	pool := klue.NewPool()
	if err := pool.Add("user", klue.Bytes("user.yaml", []byte(userSpec))); err != nil {
		log.Fatal(err)
	}
	// Once, at start-up: every store of the pool keeps its records in this
	// backend (sqlitestore.Open or pgstore.Open in a real service).
	if err := persist.Use(pool, persist.NewMemory()); err != nil {
		log.Fatal(err)
	}
	members, err := persist.For[Member](pool)
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println("store:", members.Name(), "ID property:", members.IDProperty())
	// Output: store: users ID property: id
}

func ExampleFor() {
	pool := klue.NewPool()
	if err := pool.Add("user", klue.Bytes("user.yaml", []byte(userSpec))); err != nil {
		log.Fatal(err)
	}
	if err := persist.Use(pool, persist.NewMemory()); err != nil {
		log.Fatal(err)
	}
	members, err := persist.For[Member](pool) // the model "Member", found by the type's name
	if err != nil {
		log.Fatal(err)
	}
	ctx := context.Background()

	created, err := members.Create(ctx, Member{ID: "m1", Email: "ada@example.com"})
	fmt.Println("created version", created.Version, err)

	// Read, change, save: the save succeeds only if nobody saved in between.
	r, _ := members.Load(ctx, "m1")
	r.Value.Name = "Ada"
	r, err = members.Save(ctx, r)
	fmt.Println("saved version", r.Version, err)

	// A writer still holding version 1 cannot overwrite version 2.
	created.Value.Name = "Stale"
	_, err = members.Save(ctx, created)
	fmt.Println("stale save is a conflict:", errors.Is(err, persist.ErrConflict))

	// Values are checked against the model before anything is written.
	_, err = members.Create(ctx, Member{ID: "m2", Email: "not an email"})
	fmt.Println(err)

	_, err = members.Load(ctx, "m2")
	fmt.Println(errors.Is(err, persist.ErrNotFound))

	// Asking for a model that is not there says what is.
	_, err = persist.For[Member](pool, persist.WithModel("Membr"))
	fmt.Println(err)
	// Output:
	// created version 1 <nil>
	// saved version 2 <nil>
	// stale save is a conflict: true
	// persist: save users: klue: invalid Member: email: 'not an email' is not valid email: missing @
	// true
	// persist: no API of the pool has a model "Membr" (did you mean "Member"?)
}

func ExampleStore_Update() {
	pool := klue.NewPool()
	if err := pool.Add("user", klue.Bytes("user.yaml", []byte(userSpec))); err != nil {
		log.Fatal(err)
	}
	members, err := persist.For[Member](pool, persist.WithBackend(persist.NewMemory()))
	if err != nil {
		log.Fatal(err)
	}
	ctx := context.Background()
	if _, err := members.Create(ctx, Member{ID: "m1", Email: "ada@example.com"}); err != nil {
		log.Fatal(err)
	}
	// Update loads, changes and saves, and starts again if another writer
	// got in between: no update is lost.
	r, err := members.Update(ctx, "m1", func(m *Member) error {
		m.Name = "Ada Lovelace"
		return nil
	})
	fmt.Println(r.Value.Name, r.Version, err)
	// Output: Ada Lovelace 2 <nil>
}

func ExampleStore_List() {
	pool := klue.NewPool()
	if err := pool.Add("user", klue.Bytes("user.yaml", []byte(userSpec))); err != nil {
		log.Fatal(err)
	}
	members, err := persist.For[Member](pool, persist.WithBackend(persist.NewMemory()))
	if err != nil {
		log.Fatal(err)
	}
	ctx := context.Background()
	for _, id := range []string{"c", "a", "e", "b", "d"} {
		if _, err := members.Create(ctx, Member{ID: id, Email: id + "@example.com"}); err != nil {
			log.Fatal(err)
		}
	}
	// Page through in ID order; Next is "" after the last page.
	cursor := ""
	for {
		page, err := members.List(ctx, cursor, 2)
		if err != nil {
			log.Fatal(err)
		}
		for _, r := range page.Records {
			fmt.Print(r.Value.ID, " ")
		}
		fmt.Println("|")
		if page.Next == "" {
			break
		}
		cursor = page.Next
	}
	// Output:
	// a b |
	// c d |
	// e |
}
