package persist_test

import (
	"context"
	"errors"
	"fmt"
	"log"
	"net/http"

	"github.com/klue-go/klue-client-server/klue"
	"github.com/klue-go/klue-client-server/klue/persist"
)

// The spec declares what a store can be queried by: here tasks by team
// and rank, and one task per title.
const taskSpec = `swagger: '2.0'
info: {title: tasks, version: '1'}
paths: {}
definitions:
  Task:
    type: object
    x-persist: {store: tasks, indexes: [team, rank], unique: [title]}
    required: [id, title, team, rank]
    properties:
      id: {type: integer, format: int64}
      title: {type: string}
      team: {type: string}
      rank: {type: integer}
`

// Task is the Go type of the model; its IDs are integers.
type Task struct {
	ID    int64  `json:"id,omitempty"`
	Title string `json:"title"`
	Team  string `json:"team"`
	Rank  int    `json:"rank"`
}

func taskStore() *persist.Store[Task, int64] {
	pool := klue.NewPool()
	if err := pool.Add("tasks", klue.Bytes("tasks.yaml", []byte(taskSpec))); err != nil {
		log.Fatal(err)
	}
	tasks, err := persist.ForKey[Task, int64](pool, persist.WithBackend(persist.NewMemory()))
	if err != nil {
		log.Fatal(err)
	}
	return tasks
}

func ExampleStore_Find() {
	tasks := taskStore()
	ctx := context.Background()
	for i, title := range []string{"plan", "build", "test", "ship", "tell", "rest"} {
		// No ID: the backend gives the next integer.
		if _, err := tasks.Create(ctx, Task{Title: title, Team: []string{"blue", "red"}[i%2], Rank: 10 - i}); err != nil {
			log.Fatal(err)
		}
	}
	// The blue team's tasks, by decreasing rank, two at a time.
	q := persist.Query{Where: map[string]any{"team": "blue"}, OrderBy: "-rank", Limit: 2}
	for {
		page, err := tasks.Find(ctx, q)
		if err != nil {
			log.Fatal(err)
		}
		for _, r := range page.Records {
			fmt.Printf("#%d %s (rank %d)  ", r.Value.ID, r.Value.Title, r.Value.Rank)
		}
		fmt.Println("|")
		if page.Next == "" {
			break
		}
		q.Cursor = page.Next
	}
	// Only indexed properties can be queried.
	_, err := tasks.Find(ctx, persist.Query{Where: map[string]any{"tem": "blue"}})
	fmt.Println(err)
	// Output:
	// #1 plan (rank 10)  #3 test (rank 8)  |
	// #5 tell (rank 6)  |
	// persist: find tasks: property "tem" is not indexed (did you mean "team"?)
}

func ExampleStore_FindOne() {
	tasks := taskStore()
	ctx := context.Background()
	if _, err := tasks.Create(ctx, Task{Title: "plan", Team: "blue", Rank: 1}); err != nil {
		log.Fatal(err)
	}
	r, err := tasks.FindOne(ctx, "title", "plan")
	fmt.Println(r.Value.ID, r.Value.Team, err)

	// A second task with the same title is refused, atomically, with an
	// error that is a 409 for a handler to return.
	_, err = tasks.Create(ctx, Task{Title: "plan", Team: "red", Rank: 2})
	var ke *klue.Error
	fmt.Println(errors.Is(err, persist.ErrDuplicate), errors.As(err, &ke) && ke.Status == http.StatusConflict, err)

	_, err = tasks.FindOne(ctx, "title", "dream")
	fmt.Println(errors.Is(err, persist.ErrNotFound))
	// Output:
	// 1 blue <nil>
	// true true a record with this title exists
	// true
}

func ExampleWithMigration() {
	// Version 2 of the model requires "rank"; version 1 called it "level".
	pool := klue.NewPool()
	if err := pool.Add("tasks", klue.Bytes("tasks.yaml", []byte(taskSpec))); err != nil {
		log.Fatal(err)
	}
	backend := persist.NewMemory()
	ctx := context.Background()
	old := []byte(`{"id":7,"title":"plan","team":"blue","level":3}`)
	if err := backend.Save(ctx, "tasks", persist.Document{ID: "7", Data: old}); err != nil {
		log.Fatal(err)
	}
	tasks, err := persist.ForKey[Task, int64](pool, persist.WithBackend(backend),
		persist.WithMigration(func(doc map[string]any) (map[string]any, error) {
			level, ok := doc["level"]
			if !ok {
				return nil, errors.New("neither rank nor level")
			}
			delete(doc, "level")
			doc["rank"] = level
			return doc, nil
		}))
	if err != nil {
		log.Fatal(err)
	}
	r, err := tasks.Load(ctx, 7) // migrated on read
	fmt.Println(r.Value.Rank, r.Version, err)

	res, err := tasks.Migrate(ctx) // or all at once
	fmt.Println(res.Checked, res.Migrated, len(res.Unfit), err)
	// Output:
	// 3 1 <nil>
	// 1 1 0 <nil>
}

func ExampleStore_FindAll() {
	tasks := taskStore()
	ctx := context.Background()
	for i, title := range []string{"plan", "build", "test", "ship", "tell"} {
		if _, err := tasks.Create(ctx, Task{Title: title, Team: []string{"blue", "red"}[i%2], Rank: i}); err != nil {
			log.Fatal(err)
		}
	}
	// Every blue task by rank, read two at a time.
	for r, err := range tasks.FindAll(ctx, persist.Query{Where: map[string]any{"team": "blue"}, OrderBy: "rank", Limit: 2}) {
		if err != nil {
			log.Fatal(err)
		}
		fmt.Println(r.Value.Title)
	}
	// Output:
	// plan
	// test
	// tell
}
