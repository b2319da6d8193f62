package typedjson_test

import (
	"fmt"
	"reflect"
	"strings"

	"github.com/klue-go/klue-client-server/internal/jsonvalid"
	"github.com/klue-go/klue-client-server/internal/typedjson"
	"github.com/santhosh-tekuri/jsonschema/v6"
)

type Login struct {
	Email    string `json:"email"`
	Password string `json:"password"`
}

func ExampleDecoder() {
	doc, _ := jsonschema.UnmarshalJSON(strings.NewReader(`{"type":"object","required":["email"],
		"properties":{"email":{"type":"string","minLength":3},"password":{"type":"string","minLength":8}}}`))
	c := jsonschema.NewCompiler()
	_ = c.AddResource("mem://login.json", doc)
	schema, _ := c.Compile("mem://login.json")
	dec := typedjson.NewDecoder(reflect.TypeFor[Login](), jsonvalid.Compile(schema))

	var in Login
	ok := dec.Decode([]byte(`{"email":"ada@example.com","password":"correct horse"}`), reflect.ValueOf(&in).Elem())
	fmt.Println(ok, in.Email)

	// Too short a password: the general path decides, and explains.
	in = Login{}
	ok = dec.Decode([]byte(`{"email":"ada@example.com","password":"abc"}`), reflect.ValueOf(&in).Elem())
	fmt.Println(ok)
	// Output:
	// true ada@example.com
	// false
}

func ExampleEncoder() {
	enc := typedjson.NewEncoder(reflect.TypeFor[Login](), nil)
	out, ok := enc.Append(nil, reflect.ValueOf(&Login{Email: "<ada>"}))
	fmt.Println(string(out), ok)
	// Output:
	// {"email":"\u003cada\u003e","password":""} true
}
