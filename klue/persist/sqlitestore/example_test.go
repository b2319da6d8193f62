package sqlitestore_test

import (
	"context"
	"fmt"
	"log"
	"os"
	"path/filepath"

	"github.com/klue-go/klue-client-server/klue"
	"github.com/klue-go/klue-client-server/klue/persist"
	"github.com/klue-go/klue-client-server/klue/persist/sqlitestore"
)

type Note struct {
	ID   string `json:"id"`
	Text string `json:"text"`
}

func ExampleOpen() {
	dir, err := os.MkdirTemp("", "notes")
	if err != nil {
		log.Fatal(err)
	}
	defer os.RemoveAll(dir)

	pool := klue.NewPool()
	err = pool.Add("notes", klue.Bytes("notes.yaml", []byte(`
swagger: '2.0'
info: {title: notes, version: '1'}
paths: {}
definitions:
  Note:
    type: object
    x-persist: notes
    required: [id, text]
    properties:
      id: {type: string}
      text: {type: string, maxLength: 280}
`)))
	if err != nil {
		log.Fatal(err)
	}
	db, err := sqlitestore.Open(filepath.Join(dir, "klue.db"))
	if err != nil {
		log.Fatal(err)
	}
	defer db.Close()
	if err := persist.Use(pool, db); err != nil {
		log.Fatal(err)
	}
	notes, err := persist.For[Note](pool)
	if err != nil {
		log.Fatal(err)
	}
	ctx := context.Background()
	if _, err := notes.Create(ctx, Note{ID: "n1", Text: "hello"}); err != nil {
		log.Fatal(err)
	}
	r, err := notes.Load(ctx, "n1")
	fmt.Println(r.Value.Text, r.Version, err)
	// Output: hello 1 <nil>
}
