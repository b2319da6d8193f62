package pgstore_test

import (
	"context"
	"log"
	"os"

	"github.com/klue-go/klue-client-server/klue"
	"github.com/klue-go/klue-client-server/klue/persist"
	"github.com/klue-go/klue-client-server/klue/persist/pgstore"
)

type User struct {
	ID    string `json:"id"`
	Email string `json:"email"`
	Name  string `json:"name"`
}

// Every instance of a service opens the same database; the tables are
// created by whichever instance uses a store first.
func ExampleOpen() {
	ctx := context.Background()
	pool := klue.NewPool()
	if err := pool.Add("user", klue.File("specs/user.yaml")); err != nil {
		log.Fatal(err)
	}
	db, err := pgstore.Open(ctx, os.Getenv("DATABASE_URL")) // postgres://user@host/db
	if err != nil {
		log.Fatal(err)
	}
	defer db.Close()
	if err := persist.Use(pool, db); err != nil {
		log.Fatal(err)
	}
	users, err := persist.For[User](pool)
	if err != nil {
		log.Fatal(err)
	}
	if _, err := users.Update(ctx, "u1", func(u *User) error {
		u.Email = "ada@example.com"
		return nil
	}); err != nil {
		log.Print(err)
	}
}
