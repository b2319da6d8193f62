package klue_test

import (
	"reflect"
	"strings"
	"testing"

	"github.com/klue-go/klue-client-server/klue"
)

// persistModel is a Swagger 2.0 spec whose model User carries the given
// x-persist, with scalar, object and array properties, and a property
// coming through $ref and allOf.
const persistModel = `swagger: '2.0'
info: {title: t, version: '1'}
paths: {}
definitions:
  Email: {type: string, format: email}
  Base:
    type: object
    properties:
      created: {type: string, format: date-time}
  User:
    x-persist: %s
    allOf:
      - $ref: '#/definitions/Base'
      - type: object
        properties:
          id: {type: integer}
          email: {$ref: '#/definitions/Email'}
          age: {type: integer}
          score: {type: number}
          admin: {type: boolean}
          address: {type: object}
          tags: {type: array, items: {type: string}}
          any: {}
          "bad'name": {type: string}
`

func TestPersistIndexes(t *testing.T) {
	t.Parallel()
	api := addSpec(t, strings.Replace(persistModel, "%s", "{store: users, indexes: [created, age, score], unique: [email, admin]}", 1))
	m, err := api.Model("User")
	if err != nil {
		t.Fatal(err)
	}
	ps, ok := m.Persist()
	want := klue.PersistSpec{Store: "users", IDProperty: "id", IDType: "integer", Indexes: []klue.PersistIndex{
		{Property: "created", Type: "string"},
		{Property: "age", Type: "integer"},
		{Property: "score", Type: "number"},
		{Property: "email", Type: "string", Unique: true},
		{Property: "admin", Type: "boolean", Unique: true},
	}}
	if !ok || !reflect.DeepEqual(ps, want) {
		t.Fatalf("Persist() = %+v, %v\nwant %+v", ps, ok, want)
	}
	// The caller owns what it is given.
	ps.Indexes[0].Property = "changed"
	if again, _ := m.Persist(); again.Indexes[0].Property != "created" {
		t.Fatal("changing the returned indexes changed the model")
	}
}

func TestPersistIndexesListedInBoth(t *testing.T) {
	t.Parallel()
	api := addSpec(t, `swagger: '2.0'
info: {title: t, version: '1'}
paths: {}
definitions:
  User:
    type: object
    x-persist: {indexes: [email], unique: [email]}
    properties:
      id: {type: string}
      email: {type: string}
`)
	m, _ := api.Model("User")
	ps, _ := m.Persist()
	want := []klue.PersistIndex{{Property: "email", Type: "string", Unique: true}}
	if !reflect.DeepEqual(ps.Indexes, want) || ps.Store != "user" || ps.IDType != "string" {
		t.Fatalf("Persist() = %+v, want store user, string IDs, %+v", ps, want)
	}
}

func TestPersistIndexErrors(t *testing.T) {
	t.Parallel()
	cases := []struct {
		xpersist string
		want     string
	}{
		{"{indexes: [emial]}", `spec.yaml:11:27: /definitions/User/x-persist/indexes/0: x-persist indexes: model User has no property "emial" (did you mean "email"?)`},
		{"{unique: [address]}", `x-persist/unique/0: x-persist unique: property "address" is an object: an indexed property must be a string, an integer, a number or a boolean`},
		{"{indexes: [tags]}", `property "tags" is an array: an indexed property must be`},
		{"{indexes: [any]}", `property "any" has no single type`},
		{"{indexes: [id]}", `"id" is the ID property, which is always indexed and unique`},
		{"{indexes: [age, age]}", `x-persist/indexes/1: x-persist indexes: "age" is listed twice`},
		{"{indexes: email}", `x-persist/indexes: x-persist indexes must be a list of property names, got string`},
		{"{indexes: [{a: b}]}", `x-persist indexes: want a property name, got object`},
		{"{indexs: [age]}", `x-persist/indexs: x-persist has no setting "indexs" (did you mean "indexes"?)`},
		{`{indexes: ["bad'name"]}`, `property "bad'name" cannot be indexed`},
	}
	for _, c := range cases {
		t.Run(c.xpersist, func(t *testing.T) {
			t.Parallel()
			err := loadError(t, strings.Replace(persistModel, "%s", c.xpersist, 1))
			if !strings.Contains(err.Error(), c.want) {
				t.Fatalf("error:\n%v\nwant it to contain\n%s", err, c.want)
			}
		})
	}
}

func TestPersistIDType(t *testing.T) {
	t.Parallel()
	for _, c := range []struct{ id, want string }{
		{"{type: string, format: uuid}", "string"},
		{"{type: integer, format: int64}", "integer"},
		{"{type: number}", ""},
	} {
		api := addSpec(t, `swagger: '2.0'
info: {title: t, version: '1'}
paths: {}
definitions:
  Thing:
    type: object
    x-persist: true
    properties:
      id: `+c.id+`
`)
		m, _ := api.Model("Thing")
		if ps, _ := m.Persist(); ps.IDType != c.want {
			t.Errorf("id %s: IDType %q, want %q", c.id, ps.IDType, c.want)
		}
	}
}
