package mock_test

import (
	"context"
	"fmt"

	"github.com/klue-go/klue-client-server/klue"
	"github.com/klue-go/klue-client-server/klue/client"
	"github.com/klue-go/klue-client-server/klue/mock"
	"github.com/labstack/echo/v4"
)

// A test mounts a mock of a service it depends on, in-process, and calls
// it as it would call the service.
func ExampleSpawn() {
	pool := klue.NewPool()
	if err := pool.Add("pets", klue.Bytes("pets.yaml", []byte(preferSpec))); err != nil {
		panic(err)
	}
	e := echo.New()
	if err := mock.Spawn(e, pool, "pets", mock.Config{Seed: 1}); err != nil {
		panic(err)
	}
	if err := client.Configure(pool, "pets", client.WithLocal(e)); err != nil {
		panic(err)
	}
	type getPet struct {
		ID int `path:"id"`
	}
	type pet struct {
		ID   int    `json:"id"`
		Name string `json:"name"`
	}
	p, err := client.CallWith(pool.Client("pets"), klue.Key[getPet, pet]("getPet"), &getPet{ID: 7}).Do(context.Background())
	fmt.Println(p.Name, err)
	// Output: Rex <nil>
}
