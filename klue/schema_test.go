package klue_test

import (
	"encoding/json"
	"errors"
	"fmt"
	"path/filepath"
	"strings"
	"testing"

	"github.com/klue-go/klue-client-server/internal/sharedtest"
	"github.com/klue-go/klue-client-server/klue"
)

// valueCase is a JSON value and whether it must validate.
type valueCase struct {
	json  string
	valid bool
}

// checkModel validates each case against the model in the given direction.
func checkModel(t *testing.T, api *klue.API, model string, d klue.Direction, cases []valueCase) {
	t.Helper()
	m, err := api.Model(model)
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range cases {
		err := m.Schema.ValidateJSON(d, []byte(c.json))
		if (err == nil) != c.valid {
			t.Errorf("%s %s %s: error %v, want valid=%v", model, d, c.json, err, c.valid)
		}
	}
}

func TestNullable(t *testing.T) {
	t.Parallel()
	v2 := addSpec(t, `swagger: '2.0'
info: {title: t, version: '1'}
paths: {}
definitions:
  Name: {type: string, x-nullable: true, enum: [a, b]}
  Holder:
    type: object
    properties:
      ref: {$ref: '#/definitions/Plain', x-nullable: true}
  Plain: {type: object}
`)
	checkModel(t, v2, "Name", klue.Neutral, []valueCase{{`"a"`, true}, {`null`, true}, {`"c"`, false}, {`1`, false}})
	checkModel(t, v2, "Holder", klue.Neutral, []valueCase{{`{"ref": null}`, true}, {`{"ref": {}}`, true}, {`{"ref": 1}`, false}})

	v30 := addSpec(t, `openapi: 3.0.3
info: {title: t, version: '1'}
paths: {}
components:
  schemas:
    N: {type: integer, nullable: true, default: null}
    AllOf: {nullable: true, allOf: [{type: object, required: [a]}]}
    NotNull: {type: integer}
`)
	checkModel(t, v30, "N", klue.Neutral, []valueCase{{`null`, true}, {`3`, true}, {`"3"`, false}})
	checkModel(t, v30, "AllOf", klue.Neutral, []valueCase{{`null`, true}, {`{"a": 1}`, true}, {`{}`, false}})
	checkModel(t, v30, "NotNull", klue.Neutral, []valueCase{{`null`, false}})

	v31 := addSpec(t, `openapi: 3.1.0
info: {title: t, version: '1'}
components:
  schemas:
    N: {type: [integer, "null"]}
    Legacy: {type: integer, nullable: true}
`)
	checkModel(t, v31, "N", klue.Neutral, []valueCase{{`null`, true}, {`1`, true}, {`"x"`, false}})
	// nullable is not a keyword in 3.1.
	checkModel(t, v31, "Legacy", klue.Neutral, []valueCase{{`null`, false}})
	if m, _ := v31.Model("N"); !m.Schema.Nullable || m.Schema.Type() != "integer" {
		t.Errorf("the view of [integer, null]: nullable %v type %q", m.Schema.Nullable, m.Schema.Type())
	}
}

func TestExclusiveBounds(t *testing.T) {
	t.Parallel()
	api := addSpec(t, `swagger: '2.0'
info: {title: t, version: '1'}
paths: {}
definitions:
  Open: {type: number, minimum: 0, exclusiveMinimum: true, maximum: 10, exclusiveMaximum: true}
  Closed: {type: number, minimum: 0, exclusiveMinimum: false, maximum: 10}
`)
	checkModel(t, api, "Open", klue.Neutral, []valueCase{{`0`, false}, {`0.001`, true}, {`10`, false}, {`9.99`, true}})
	checkModel(t, api, "Closed", klue.Neutral, []valueCase{{`0`, true}, {`10`, true}, {`10.5`, false}})
	v31 := addSpec(t, "openapi: 3.1.0\ninfo: {title: t, version: '1'}\ncomponents: {schemas: {E: {type: number, exclusiveMinimum: 1}}}")
	checkModel(t, v31, "E", klue.Neutral, []valueCase{{`1`, false}, {`1.5`, true}})
}

func TestReadOnlyWriteOnly(t *testing.T) {
	t.Parallel()
	for _, version := range []string{"openapi: 3.0.3", "openapi: 3.1.0"} {
		api := addSpec(t, version+`
info: {title: t, version: '1'}
paths: {}
components:
  schemas:
    User:
      type: object
      required: [id, name, password]
      properties:
        id: {type: integer, readOnly: true}
        name: {type: string}
        password: {type: string, writeOnly: true}
        stamp: {$ref: '#/components/schemas/Stamp'}
    Stamp: {type: string, readOnly: true}
    Wrapper:
      type: object
      properties:
        user: {$ref: '#/components/schemas/User'}
`)
		checkModel(t, api, "User", klue.ForRequest, []valueCase{
			{`{"name": "max", "password": "1234"}`, true},
			{`{"id": 9, "name": "max", "password": "1234"}`, true},
			{`{"name": "max"}`, false},
		})
		checkModel(t, api, "User", klue.ForResponse, []valueCase{
			{`{"id": 7, "name": "max"}`, true},
			{`{"id": 7, "name": "max", "password": "1234"}`, false},
			{`{"name": "max"}`, false},
		})
		checkModel(t, api, "User", klue.Neutral, []valueCase{
			{`{"id": 7, "name": "max", "password": "x"}`, true},
			{`{"id": 7, "name": "max"}`, false},
		})
		// Direction reaches through $ref.
		checkModel(t, api, "Wrapper", klue.ForResponse, []valueCase{
			{`{"user": {"id": 1, "name": "a"}}`, true},
			{`{"user": {"id": 1, "name": "a", "password": "p"}}`, false},
		})
		checkModel(t, api, "Wrapper", klue.ForRequest, []valueCase{{`{"user": {"name": "a", "password": "p"}}`, true}})
	}
}

// TestReadOnlyWriteOnlyThroughCycles checks the directions of schemas
// that refer to each other in a cycle (compiled through lazy references),
// where most of each schema is the same in every direction and a part
// differs only by the direction of what it refers to.
func TestReadOnlyWriteOnlyThroughCycles(t *testing.T) {
	t.Parallel()
	api := addSpec(t, `openapi: 3.0.3
info: {title: t, version: '1'}
paths: {}
components:
  schemas:
    Folder:
      type: object
      required: [name]
      properties:
        name: {type: string, minLength: 1}
        tags: {type: array, items: {type: string, pattern: '^[a-z]+$'}}
        files: {type: array, items: {$ref: '#/components/schemas/File'}}
        parent: {$ref: '#/components/schemas/Folder'}
    File:
      type: object
      required: [id, name, secret]
      properties:
        id: {type: integer, readOnly: true}
        name: {type: string, minLength: 1}
        secret: {type: string, writeOnly: true}
        folder: {$ref: '#/components/schemas/Folder'}
`)
	checkModel(t, api, "Folder", klue.ForRequest, []valueCase{
		{`{"name": "a", "files": [{"name": "f", "secret": "s"}]}`, true},
		{`{"name": "a", "files": [{"name": "f"}]}`, false},
		{`{"name": "a", "tags": ["B"], "files": [{"name": "f", "secret": "s"}]}`, false},
		{`{"name": "a", "parent": {"name": "b", "files": [{"name": "f", "secret": "s", "folder": {"name": ""}}]}}`, false},
	})
	checkModel(t, api, "Folder", klue.ForResponse, []valueCase{
		{`{"name": "a", "files": [{"id": 1, "name": "f"}]}`, true},
		{`{"name": "a", "files": [{"name": "f"}]}`, false},
		{`{"name": "a", "files": [{"id": 1, "name": "f", "secret": "s"}]}`, false},
		{`{"name": "a", "parent": {"name": "b", "files": [{"id": 1, "name": "f", "folder": {"name": "c"}}]}}`, true},
	})
	checkModel(t, api, "Folder", klue.Neutral, []valueCase{
		{`{"name": "a", "files": [{"id": 1, "name": "f", "secret": "s"}]}`, true},
		{`{"name": "a", "files": [{"name": "f", "secret": "s"}]}`, false},
	})
	checkModel(t, api, "File", klue.ForRequest, []valueCase{
		{`{"name": "f", "secret": "s", "folder": {"name": "a", "tags": ["x"]}}`, true},
		{`{"name": "f", "secret": "s", "folder": {"name": "a", "tags": ["X"]}}`, false},
	})
}

func TestWriteOnlyMessage(t *testing.T) {
	t.Parallel()
	api := addSpec(t, `openapi: 3.0.3
info: {title: t, version: '1'}
paths: {}
components:
  schemas:
    User:
      type: object
      properties:
        password: {type: string, format: password, writeOnly: true}
`)
	m, _ := api.Model("User")
	err := m.Schema.ValidateJSON(klue.ForResponse, []byte(`{"password": "hunter2"}`))
	var ve *klue.ValidationError
	if !errors.As(err, &ve) || len(ve.Violations) != 1 {
		t.Fatalf("error %v", err)
	}
	v := ve.Violations[0]
	if v.Location != "password" || v.Message != "must not be present" || v.Value != nil {
		t.Errorf("violation %+v: the secret must not be echoed", v)
	}
}

func TestDiscriminator(t *testing.T) {
	t.Parallel()
	v2 := addSpec(t, `swagger: '2.0'
info: {title: t, version: '1'}
paths: {}
definitions:
  Pet:
    type: object
    discriminator: petType
    required: [petType, name]
    properties:
      petType: {type: string}
      name: {type: string}
  Cat:
    allOf:
      - $ref: '#/definitions/Pet'
      - type: object
        required: [huntingSkill]
        properties:
          huntingSkill: {type: string, enum: [lazy, aggressive]}
  Dog:
    allOf:
      - $ref: '#/definitions/Pet'
      - type: object
        required: [packSize]
        properties:
          packSize: {type: integer, minimum: 0}
`)
	checkModel(t, v2, "Pet", klue.Neutral, []valueCase{
		{`{"petType": "Cat", "name": "Tom", "huntingSkill": "lazy"}`, true},
		{`{"petType": "Cat", "name": "Tom"}`, false},
		{`{"petType": "Dog", "name": "Rex", "packSize": 3}`, true},
		{`{"petType": "Dog", "name": "Rex", "packSize": -1}`, false},
		{`{"name": "Rex"}`, false},
	})
	checkModel(t, v2, "Cat", klue.Neutral, []valueCase{
		{`{"petType": "Cat", "name": "Tom", "huntingSkill": "lazy"}`, true},
		{`{"petType": "Cat", "huntingSkill": "lazy"}`, false},
	})
	pet, _ := v2.Model("Pet")
	if d := pet.Schema.Discriminator; d == nil || d.PropertyName != "petType" || d.Mapping["Cat"] == nil || d.Mapping["Dog"].Name != "Dog" {
		t.Errorf("discriminator view %+v", d)
	}

	// OpenAPI 3 oneOf with overlapping members: without the discriminator
	// a cat that could also be a dog fails oneOf.
	v3 := addSpec(t, `openapi: 3.0.3
info: {title: t, version: '1'}
paths: {}
components:
  schemas:
    Pet:
      oneOf:
        - $ref: '#/components/schemas/Cat'
        - $ref: '#/components/schemas/Dog'
      discriminator:
        propertyName: kind
        mapping:
          kitty: '#/components/schemas/Cat'
    Cat: {type: object, required: [kind], properties: {kind: {type: string}, lives: {type: integer}}}
    Dog: {type: object, required: [kind], properties: {kind: {type: string}, bark: {type: string}}}
`)
	checkModel(t, v3, "Pet", klue.Neutral, []valueCase{
		{`{"kind": "kitty", "lives": 9}`, true},
		{`{"kind": "kitty", "lives": "nine"}`, false},
		{`{"kind": "Dog", "bark": "woof"}`, true},
		{`{"kind": "Dog", "bark": 1}`, false},
		{`{"kind": "Cat", "lives": 9}`, false},
		{`{"lives": 9}`, false},
	})
}

func TestFormats(t *testing.T) {
	t.Parallel()
	api := addSpec(t, `openapi: 3.0.3
info: {title: t, version: '1'}
paths: {}
components:
  schemas:
    I32: {type: integer, format: int32}
    I64: {type: integer, format: int64}
    F: {type: number, format: float}
    B: {type: string, format: byte}
    D: {type: string, format: date}
    DT: {type: string, format: date-time}
    E: {type: string, format: email}
    U: {type: string, format: uuid}
    URI: {type: string, format: uri}
    Phone: {type: string, format: phone}
    Dur: {type: string, format: duration}
`, klue.WithFormat("phone", func(s string) error {
		if !strings.HasPrefix(s, "+") {
			return fmt.Errorf("must start with +")
		}
		return nil
	}))
	tests := []struct {
		model string
		cases []valueCase
	}{
		{"I32", []valueCase{{`2147483647`, true}, {`2147483648`, false}, {`-2147483649`, false}}},
		{"I64", []valueCase{{`9223372036854775807`, true}, {`9223372036854775808`, false}}},
		{"F", []valueCase{{`3.4e38`, true}, {`3.5e38`, false}}},
		{"B", []valueCase{{`"aGVsbG8="`, true}, {`"not base64!"`, false}}},
		{"D", []valueCase{{`"2015-08-26"`, true}, {`"2015-13-26"`, false}}},
		{"DT", []valueCase{{`"2000-01-23T04:56:07.000008+00:00"`, true}, {`"yesterday"`, false}}},
		{"E", []valueCase{{`"a@b.c"`, true}, {`"nope"`, false}}},
		{"U", []valueCase{{`"0b9e4a52-4d3e-4a8b-9d3c-2f1e0c9b8a7d"`, true}, {`"1234"`, false}}},
		{"URI", []valueCase{{`"https://example.com/x"`, true}, {`"not a uri"`, false}}},
		{"Phone", []valueCase{{`"+33"`, true}, {`"33"`, false}, {`33`, false}}},
		{"Dur", []valueCase{{`"1s"`, true}}}, // not an OpenAPI format in 3.0: an annotation
	}
	for _, tt := range tests {
		checkModel(t, api, tt.model, klue.Neutral, tt.cases)
	}
	m, _ := api.Model("Phone")
	err := m.Schema.ValidateJSON(klue.Neutral, []byte(`"33"`))
	if err == nil || !strings.Contains(err.Error(), "phone") || !strings.Contains(err.Error(), "must start with +") {
		t.Errorf("custom format message %v should name the format and its reason", err)
	}
}

func TestPatternsGoCannotCompileAreEnforced(t *testing.T) {
	t.Parallel()
	api := addSpec(t, `swagger: '2.0'
info: {title: t, version: '1'}
paths: {}
definitions:
  Slug: {type: string, pattern: '^(?!-)[a-z-]+$', maxLength: 5}
  Code: {type: string, pattern: '^[A-Z]{3}$'}
`)
	if w := api.Warnings(); len(w) != 0 {
		t.Fatalf("warnings %v", w)
	}
	checkModel(t, api, "Slug", klue.Neutral, []valueCase{{`"ab-c"`, true}, {`"-ab"`, false}, {`"toolong"`, false}})
	checkModel(t, api, "Code", klue.Neutral, []valueCase{{`"ABC"`, true}, {`"abc"`, false}})
}

func TestOpenAPI31IDsAndAnchors(t *testing.T) {
	t.Parallel()
	check := func(t *testing.T, api *klue.API) {
		pet, _ := api.Model("Pet")
		details := pet.Schema.Property("petDetailsId")
		if details == nil || details.Schema.Ref == nil || details.Schema.Ref.Type() != "integer" {
			t.Fatalf("petDetailsId does not resolve through $id and $anchor: %+v", details)
		}
		// The $ref that YAML turned into null is reported, not fatal.
		found := false
		for _, w := range api.Warnings() {
			found = found || strings.Contains(w.Message, "$ref is empty (null)")
		}
		if !found {
			t.Error("the null $ref is not reported")
		}
	}
	check(t, addSpec(t, `openapi: 3.1.0
info: {title: pets, version: '1'}
paths: {}
components:
  schemas:
    Pet:
      type: object
      properties:
        petDetails:
          $ref: #/components/schemas/petdetails
        petDetailsId:
          $ref: /components/schemas/petdetails#pet_details_id
    PetDetails:
      $id: /components/schemas/petdetails
      type: object
      properties:
        id: {type: integer, $anchor: pet_details_id}
`))
	t.Run("corpus", func(t *testing.T) {
		pool := klue.NewPool()
		if err := pool.Add("pets", klue.File(filepath.Join(sharedtest.Dir(t, "corpus"), "oas31/swagger-petstore31.yaml"))); err != nil {
			t.Fatal(err)
		}
		api, _ := pool.API("pets")
		check(t, api)
	})
}

func TestRecursiveSchemas(t *testing.T) {
	t.Parallel()
	api := addSpec(t, `swagger: '2.0'
info: {title: t, version: '1'}
paths: {}
definitions:
  Node:
    type: object
    properties:
      value: {type: integer}
      children: {type: array, items: {$ref: '#/definitions/Node'}}
      other: {$ref: '#/definitions/Other'}
  Other:
    type: object
    properties:
      back: {$ref: '#/definitions/Node'}
`)
	checkModel(t, api, "Node", klue.Neutral, []valueCase{
		{`{"value": 1, "children": [{"value": 2, "children": [{"value": 3}]}]}`, true},
		{`{"children": [{"children": [{"value": "x"}]}]}`, false},
		{`{"other": {"back": {"other": {"back": {"value": true}}}}}`, false},
	})
	node, _ := api.Model("Node")
	items := node.Schema.Property("children").Schema.Items
	if items.Ref != node.Schema {
		t.Error("the recursive view does not point back at the model")
	}
}

func TestViolations(t *testing.T) {
	t.Parallel()
	api := addSpec(t, `swagger: '2.0'
info: {title: t, version: '1'}
paths: {}
definitions:
  Credentials:
    type: object
    required: [email, password]
    properties:
      email: {type: string, format: email}
      password: {type: string}
      int: {type: integer}
      tags: {type: array, items: {type: string, maxLength: 3}}
`)
	m, _ := api.Model("Credentials")
	err := m.ValidateJSON([]byte(`{"email": "nope", "int": "123123", "tags": ["ok", "toolong"]}`))
	var ve *klue.ValidationError
	if !errors.As(err, &ve) {
		t.Fatalf("error %T %v", err, err)
	}
	got := map[string]klue.Violation{}
	for _, v := range ve.Violations {
		got[v.Location] = v
	}
	for _, loc := range []string{"email", "password", "int", "tags.1"} {
		if _, ok := got[loc]; !ok {
			t.Errorf("no violation at %s in %v", loc, ve.Violations)
		}
	}
	if got["password"].Message != "is required" || got["int"].Value != "123123" {
		t.Errorf("violations %+v", ve.Violations)
	}
	var me *klue.ModelError
	if !errors.As(err, &me) || me.Model != "Credentials" || !strings.HasPrefix(err.Error(), "klue: invalid Credentials: ") {
		t.Errorf("model error %v", err)
	}
}

func TestModels(t *testing.T) {
	t.Parallel()
	api := addSpec(t, `swagger: '2.0'
info: {title: t, version: '1'}
paths: {}
definitions:
  Credentials:
    type: object
    required: [email]
    properties:
      email: {type: string}
      created: {type: string, format: date-time}
`)
	type creds struct {
		Email   string `json:"email"`
		Created string `json:"created,omitempty"`
	}
	m, err := api.Model("Credentials")
	if err != nil {
		t.Fatal(err)
	}
	var c creds
	if err := m.Decode([]byte(`{"email": "a@a.a", "int": "123123"}`), &c); err != nil || c.Email != "a@a.a" {
		t.Errorf("decode: %v %+v", err, c)
	}
	if err := m.Decode([]byte(`{"created": "2020-01-01T00:00:00Z"}`), &c); err == nil {
		t.Error("decoding a value without its required email succeeded")
	}
	data, err := m.Encode(creds{Email: "b@b.b"})
	if err != nil || !json.Valid(data) {
		t.Errorf("encode: %v %s", err, data)
	}
	if _, err := m.Encode(creds{Email: "b", Created: "not a date"}); err == nil {
		t.Error("encoding an invalid date-time succeeded")
	}
	if err := m.Validate(map[string]any{"email": 1}); err == nil {
		t.Error("validating a Go value of the wrong shape succeeded")
	}
	if _, err := api.Model("Credential"); err == nil || !strings.Contains(err.Error(), `did you mean "Credentials"`) {
		t.Errorf("unknown model: %v", err)
	}
}

// Type looks through refs, allOf (the first member that gives a type,
// whatever its place) and the nullable anyOf wrapper; Merged yields the
// schema and its allOf members, refs followed, depth first.
func TestSchemaTypeThroughComposition(t *testing.T) {
	t.Parallel()
	api := addSpec(t, `openapi: 3.1.0
info: {title: t, version: '1'}
components:
  schemas:
    Int: {type: integer}
    Ref: {$ref: '#/components/schemas/Int'}
    Later: {allOf: [{description: a note}, {$ref: '#/components/schemas/Int'}]}
    Nested: {allOf: [{allOf: [{minimum: 1}, {$ref: '#/components/schemas/Ref'}]}]}
    Nullable: {anyOf: [{type: "null"}, {$ref: '#/components/schemas/Int'}]}
    Several: {type: [integer, string]}
    None: {description: anything}
    Base: {type: object, properties: {a: {type: string}}}
    Extended: {allOf: [{$ref: '#/components/schemas/Base'}, {properties: {b: {type: string}}}], properties: {c: {type: string}}}
`)
	for name, want := range map[string]string{"Int": "integer", "Ref": "integer", "Later": "integer", "Nested": "integer", "Nullable": "integer", "Several": "", "None": ""} {
		m, err := api.Model(name)
		if err != nil {
			t.Fatal(err)
		}
		if got := m.Schema.Type(); got != want {
			t.Errorf("%s: Type() = %q, want %q", name, got, want)
		}
	}
	m, _ := api.Model("Extended")
	var names []string
	for r := range m.Schema.Merged() {
		for _, p := range r.Properties {
			names = append(names, p.Name)
		}
	}
	if got := strings.Join(names, ","); got != "c,a,b" {
		t.Errorf("properties through Merged: %s, want c,a,b", got)
	}
	if m.Schema.Property("b") == nil || m.Schema.Property("x") != nil {
		t.Error("Property does not look through allOf as Merged does")
	}
}

// A tuple's view lists the schema of each position, from OpenAPI 3.1's
// prefixItems and from draft 4's items given as an array, and the schema
// of the items after them.
func TestTupleView(t *testing.T) {
	t.Parallel()
	for _, spec := range []string{`openapi: 3.1.0
info: {title: t, version: '1'}
paths: {}
components:
  schemas:
    T: {type: array, prefixItems: [{type: integer}, {type: string}], items: {type: boolean}}
`, `swagger: '2.0'
info: {title: t, version: '1'}
paths: {}
definitions:
  T: {type: array, items: [{type: integer}, {type: string}], additionalItems: {type: boolean}}
`} {
		api := addSpec(t, spec)
		m, err := api.Model("T")
		if err != nil {
			t.Fatal(err)
		}
		s := m.Schema
		if len(s.PrefixItems) != 2 || s.PrefixItems[0].Type() != "integer" || s.PrefixItems[1].Type() != "string" || s.Items.Type() != "boolean" {
			t.Errorf("%s: prefixItems %v, items %v", spec[:12], s.PrefixItems, s.Items)
		}
		checkModel(t, api, "T", klue.Neutral, []valueCase{
			{`[1, "a", true, false]`, true},
			{`["a"]`, false},
			{`[1, "a", 2]`, false},
		})
	}
}
