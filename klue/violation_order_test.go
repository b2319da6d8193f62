package klue_test

import (
	"errors"
	"slices"
	"testing"

	"github.com/klue-go/klue-client-server/klue"
)

// The violations of one value come in the same order every time (by
// location), whatever order jsonschema meets the properties in.
func TestViolationsSortedByLocation(t *testing.T) {
	t.Parallel()
	pool := klue.NewPool()
	spec := `{"openapi": "3.0.3", "info": {"title": "t", "version": "1"}, "paths": {},
	  "components": {"schemas": {"User": {"type": "object", "properties": {
	    "email": {"type": "string", "format": "email"}, "name": {"type": "string", "minLength": 1},
	    "password": {"type": "string", "minLength": 8}, "age": {"type": "integer"}}}}}}`
	if err := pool.Add("t", klue.Bytes("t.json", []byte(spec))); err != nil {
		t.Fatal(err)
	}
	api, _ := pool.API("t")
	m, err := api.Model("User")
	if err != nil {
		t.Fatal(err)
	}
	want := []string{"age", "email", "name", "password"}
	for range 50 {
		err := m.ValidateJSON([]byte(`{"password": "abc", "name": "", "email": "x", "age": "old"}`))
		var ve *klue.ValidationError
		if !errors.As(err, &ve) {
			t.Fatalf("got %v, want a *klue.ValidationError", err)
		}
		var got []string
		for _, v := range ve.Violations {
			got = append(got, v.Location)
		}
		if !slices.Equal(got, want) {
			t.Fatalf("violations at %v, want %v", got, want)
		}
	}
}
