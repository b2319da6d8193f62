package sample_test

import (
	"encoding/json"
	"fmt"

	"github.com/klue-go/klue-client-server/internal/sample"
	"github.com/klue-go/klue-client-server/klue"
)

func ExampleGenerator_Value() {
	spec := `openapi: 3.0.3
info: {title: pets, version: "1"}
paths: {}
components:
  schemas:
    Pet:
      type: object
      required: [id, name]
      properties:
        id: {type: integer, minimum: 1, maximum: 9}
        name: {type: string, pattern: "^[A-Z][a-z]{2,5}$"}
`
	pool := klue.NewPool()
	if err := pool.Add("pets", klue.Bytes("pets.yaml", []byte(spec))); err != nil {
		panic(err)
	}
	api, _ := pool.API("pets")
	pet, _ := api.Model("Pet")
	g := sample.New(sample.Config{Seed: 42})
	for range 3 {
		v, err := g.ValueFor(pet.Schema, klue.Neutral)
		if err != nil {
			panic(err)
		}
		data, _ := json.Marshal(v)
		fmt.Println(string(data), pet.ValidateJSON(data) == nil)
	}
	// Output:
	// {"id":1,"name":"Ogz"} true
	// {"id":9,"name":"Qac"} true
	// {"id":1,"name":"Pkec"} true
}
