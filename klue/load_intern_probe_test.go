package klue_test

import (
	"fmt"
	"strings"
	"testing"
	"testing/fstest"

	"github.com/klue-go/klue-client-server/klue"
)

// bodySchema returns the JSON request body schema of the operation key.
func bodySchema(t *testing.T, api *klue.API, key string) *klue.Schema {
	t.Helper()
	op, err := api.Operation(key)
	if err != nil {
		t.Fatal(err)
	}
	return op.Body.Content[0].Schema
}

// TestEqualSchemasKeepWhatTellsThemApart checks that schemas held once
// because they convert to the same JSON are never merged where something
// klue reads beside that JSON tells them apart.
func TestEqualSchemasKeepWhatTellsThemApart(t *testing.T) {
	t.Parallel()
	t.Run("discriminator mapping", func(t *testing.T) {
		t.Parallel()
		api := addSpec(t, `openapi: 3.0.3
info: {title: t, version: '1'}
paths:
  /a:
    post:
      requestBody:
        content:
          application/json:
            schema:
              oneOf: [{$ref: '#/components/schemas/Cat'}, {$ref: '#/components/schemas/Dog'}]
              discriminator: {propertyName: kind, mapping: {x: '#/components/schemas/Cat'}}
      responses: {'204': {description: ok}}
  /b:
    post:
      requestBody:
        content:
          application/json:
            schema:
              oneOf: [{$ref: '#/components/schemas/Cat'}, {$ref: '#/components/schemas/Dog'}]
              discriminator: {propertyName: kind, mapping: {x: '#/components/schemas/Dog'}}
      responses: {'204': {description: ok}}
components:
  schemas:
    Cat: {type: object, required: [kind, meow], properties: {kind: {type: string}, meow: {type: boolean}}}
    Dog: {type: object, required: [kind, bark], properties: {kind: {type: string}, bark: {type: boolean}}}
`)
		cat, dog := []byte(`{"kind": "x", "meow": true}`), []byte(`{"kind": "x", "bark": true}`)
		if err := bodySchema(t, api, "POST /a").ValidateJSON(klue.ForRequest, cat); err != nil {
			t.Errorf("/a refuses a cat: %v", err)
		}
		if err := bodySchema(t, api, "POST /a").ValidateJSON(klue.ForRequest, dog); err == nil {
			t.Error("/a takes a dog")
		}
		if err := bodySchema(t, api, "POST /b").ValidateJSON(klue.ForRequest, dog); err != nil {
			t.Errorf("/b refuses a dog: %v", err)
		}
		if err := bodySchema(t, api, "POST /b").ValidateJSON(klue.ForRequest, cat); err == nil {
			t.Error("/b takes a cat")
		}
	})
	t.Run("positions of problems", func(t *testing.T) {
		t.Parallel()
		le := loadError(t, `openapi: 3.0.3
info: {title: t, version: '1'}
paths:
  /a:
    get:
      parameters: [{in: query, name: n, schema: {type: integer, minimum: 5, default: 1}}]
      responses: {'204': {description: ok}}
  /b:
    get:
      parameters: [{in: query, name: n, schema: {type: integer, minimum: 5, default: 1}}]
      responses: {'204': {description: ok}}
`)
		lines := problemLines(le)
		if len(lines) != 2 || !strings.HasPrefix(lines[0], "spec.yaml:6:") || !strings.HasPrefix(lines[1], "spec.yaml:10:") {
			t.Errorf("problems %q, want one on line 6 and one on line 10", lines)
		}
	})
	t.Run("readOnly", func(t *testing.T) {
		t.Parallel()
		api := addSpec(t, `openapi: 3.0.3
info: {title: t, version: '1'}
paths:
  /a:
    post:
      requestBody:
        content:
          application/json:
            schema: {type: object, required: [id], properties: {id: {type: integer, readOnly: true}}}
      responses: {'204': {description: ok}}
  /b:
    post:
      requestBody:
        content:
          application/json:
            schema: {type: object, required: [id], properties: {id: {type: integer}}}
      responses: {'204': {description: ok}}
`)
		if err := bodySchema(t, api, "POST /a").ValidateJSON(klue.ForRequest, []byte(`{}`)); err != nil {
			t.Errorf("/a requires its readOnly id in requests: %v", err)
		}
		if err := bodySchema(t, api, "POST /b").ValidateJSON(klue.ForRequest, []byte(`{}`)); err == nil {
			t.Error("/b does not require its id")
		}
	})
	t.Run("relative refs from files in other directories", func(t *testing.T) {
		t.Parallel()
		op := func(name string) string {
			return name + ":\n  post:\n    requestBody:\n      content:\n        application/json:\n          schema: {type: object, properties: {m: {$ref: 'models.yaml#/M'}}}\n    responses: {'204': {description: ok}}\n"
		}
		fsys := fstest.MapFS{
			"api/openapi.yaml":  {Data: []byte("openapi: 3.1.0\ninfo: {title: t, version: '1'}\npaths:\n  /a: {$ref: 'a/paths.yaml#/a'}\n  /b: {$ref: 'b/paths.yaml#/b'}\n")},
			"api/a/paths.yaml":  {Data: []byte(op("a"))},
			"api/b/paths.yaml":  {Data: []byte(op("b"))},
			"api/a/models.yaml": {Data: []byte("M: {type: string}\n")},
			"api/b/models.yaml": {Data: []byte("M: {type: integer}\n")},
		}
		pool := klue.NewPool()
		if err := pool.Add("api", klue.FS(fsys, "api/openapi.yaml")); err != nil {
			t.Fatal(err)
		}
		api, _ := pool.API("api")
		if err := bodySchema(t, api, "POST /a").ValidateJSON(klue.ForRequest, []byte(`{"m": "x"}`)); err != nil {
			t.Errorf("/a refuses a string: %v", err)
		}
		if err := bodySchema(t, api, "POST /b").ValidateJSON(klue.ForRequest, []byte(`{"m": "x"}`)); err == nil {
			t.Error("/b takes a string")
		}
	})
	t.Run("$id", func(t *testing.T) {
		t.Parallel()
		body := func(id string) string {
			return "    post:\n      requestBody:\n        content:\n          application/json:\n            schema: {$id: '" + id + "', $ref: 'm.json', $defs: {x: {$id: 'm.json', type: string}}}\n      responses: {'204': {description: ok}}\n"
		}
		api := addSpec(t, "openapi: 3.1.0\ninfo: {title: t, version: '1'}\npaths:\n  /a:\n"+body("https://x.invalid/a/s.json")+"  /b:\n"+body("https://x.invalid/b/s.json"))
		for _, key := range []string{"POST /a", "POST /b"} {
			s := bodySchema(t, api, key)
			if err := s.ValidateJSON(klue.ForRequest, []byte(`"x"`)); err != nil {
				t.Errorf("%s refuses a string: %v", key, err)
			}
			if err := s.ValidateJSON(klue.ForRequest, []byte(`1`)); err == nil {
				t.Errorf("%s takes a number", key)
			}
		}
	})
	t.Run("number text", func(t *testing.T) {
		t.Parallel()
		api := addSpec(t, `openapi: 3.0.3
info: {title: t, version: '1'}
paths:
  /a:
    get:
      parameters: [{in: query, name: n, schema: {type: number, default: 1}}]
      responses: {'204': {description: ok}}
  /b:
    get:
      parameters: [{in: query, name: n, schema: {type: number, default: 1.0}}]
      responses: {'204': {description: ok}}
`)
		for key, want := range map[string]string{"GET /a": "1", "GET /b": "1.0"} {
			op, err := api.Operation(key)
			if err != nil {
				t.Fatal(err)
			}
			p := op.Param(klue.InQuery, "n")
			if got := fmtAny(p.Default); !p.HasDefault || got != want {
				t.Errorf("%s: default %s, want %s", key, got, want)
			}
		}
	})
}

func fmtAny(v any) string { return fmt.Sprint(v) }
