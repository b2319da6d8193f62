package klue_test

import (
	"bytes"
	"errors"
	"fmt"
	"log/slog"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/klue-go/klue-client-server/klue"
)

// oneProblem checks that a load failed with exactly one problem, at line and
// pointer, whose message holds want.
func oneProblem(t *testing.T, le *klue.LoadError, line int, ptr, want string) {
	t.Helper()
	if len(le.Problems) != 1 || le.Omitted != 0 {
		t.Fatalf("%d problems (+%d omitted), want 1:\n%v", len(le.Problems), le.Omitted, le)
	}
	p := le.Problems[0]
	if p.Line != line || p.Pointer != ptr || !strings.Contains(p.Message, want) {
		t.Errorf("problem %q\nwant line %d, pointer %s, message holding %q", p.Error(), line, ptr, want)
	}
}

func TestInvalidSchemaGivesOneErrorAtItsPlace(t *testing.T) {
	t.Parallel()
	for _, c := range []struct {
		name, bad, ptr, msg string
		line                int
	}{
		{"multipleOf", "{type: number, multipleOf: 0}", "/components/schemas/S299/multipleOf", "multipleOf", 305},
		{"required duplicate", "{type: object, required: [id, name, id]}", "/components/schemas/S299/required/2", `required lists "id" twice`, 305},
		{"nested", "{type: object, properties: {n: {type: string, minLength: -1}}}", "/components/schemas/S299/properties/n/minLength", "minLength", 305},
	} {
		t.Run(c.name, func(t *testing.T) {
			t.Parallel()
			var b strings.Builder
			b.WriteString("openapi: 3.1.0\ninfo: {title: t, version: '1'}\npaths: {}\ncomponents:\n  schemas:\n")
			for i := range 299 {
				next := (i + 1) % 299
				fmt.Fprintf(&b, "    S%d: {type: object, properties: {id: {type: string}, next: {$ref: '#/components/schemas/S%d'}}}\n", i, next)
			}
			fmt.Fprintf(&b, "    S299: %s\n", c.bad)
			le := loadError(t, b.String())
			oneProblem(t, le, c.line, c.ptr, c.msg)
			if strings.Contains(le.Error(), "$defs") || strings.Contains(le.Error(), "klue.invalid") {
				t.Errorf("the problem names internal locations: %v", le)
			}
		})
	}
}

func TestCircularRefWithNothingBetweenIsLoadError(t *testing.T) {
	t.Parallel()
	cases := []struct {
		name, schemas string
		line          int
		ptr           string
	}{
		{"pair", `
    A: {$ref: '#/components/schemas/B'}
    B: {$ref: '#/components/schemas/A'}
`, 7, "/components/schemas/A/$ref"},
		{"self", `
    A: {$ref: '#/components/schemas/A'}
`, 7, "/components/schemas/A/$ref"},
		{"through allOf", `
    A:
      allOf:
        - {$ref: '#/components/schemas/B'}
    B:
      anyOf:
        - {type: string}
        - {$ref: '#/components/schemas/C'}
    C: {not: {$ref: '#/components/schemas/A'}}
`, 9, "/components/schemas/A/allOf/0/$ref"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			t.Parallel()
			le := loadError(t, `openapi: 3.0.3
info: {title: t, version: '1'}
paths: {}
components:
  schemas:
    Z: {type: integer}`+c.schemas)
			oneProblem(t, le, c.line, c.ptr, "circular $ref")
		})
	}
	// Recursion through a property or an item consumes the value: legal.
	api := addSpec(t, `openapi: 3.1.0
info: {title: t, version: '1'}
paths: {}
components:
  schemas:
    Tree:
      anyOf:
        - {type: integer}
        - {type: array, items: {$ref: '#/components/schemas/Tree'}}
        - {type: object, additionalProperties: {$ref: '#/components/schemas/Tree'}}
`)
	checkModel(t, api, "Tree", klue.Neutral, []valueCase{{`[1, [2, {"a": [3]}]]`, true}, {`[1, ["x"]]`, false}})
	// Subtypes that extend their base through allOf, listed in its oneOf
	// beside a discriminator: the base reached from a subtype leaves its
	// alternatives out, so there is no cycle.
	api = addSpec(t, `openapi: 3.0.3
info: {title: t, version: '1'}
paths: {}
components:
  schemas:
    Pet:
      type: object
      required: [kind]
      discriminator: {propertyName: kind}
      oneOf: [{$ref: '#/components/schemas/Cat'}, {$ref: '#/components/schemas/Dog'}]
      properties: {kind: {type: string}}
    Cat:
      allOf: [{$ref: '#/components/schemas/Pet'}, {properties: {meow: {type: boolean}}}]
    Dog:
      allOf: [{$ref: '#/components/schemas/Pet'}, {properties: {bark: {type: boolean}}}]
`)
	checkModel(t, api, "Pet", klue.Neutral, []valueCase{
		{`{"kind": "Cat", "meow": true}`, true}, {`{"kind": "Cat", "meow": 1}`, false}, {`{"kind": "Dog", "bark": 1}`, false},
	})
}

func TestPatternsAreECMAScript(t *testing.T) {
	t.Parallel()
	api := addSpec(t, `openapi: 3.1.0
info: {title: t, version: '1'}
paths: {}
components:
  schemas:
    User: {type: string, pattern: '^(?!admin).*$'}
    Accent: {type: string, pattern: '^\u00e9+$'}
    Emoji: {type: string, pattern: '^\ud83d\ude00$'}
    Back: {type: string, pattern: '^(a)\1$'}
    Keys:
      type: object
      patternProperties: {'^(?!x-)': {type: integer}}
`)
	if w := api.Warnings(); len(w) != 0 {
		t.Errorf("warnings %v", w)
	}
	checkModel(t, api, "User", klue.Neutral, []valueCase{{`"bob"`, true}, {`"admin"`, false}, {`"administrator"`, false}})
	checkModel(t, api, "Accent", klue.Neutral, []valueCase{{`"éé"`, true}, {`"e"`, false}})
	checkModel(t, api, "Emoji", klue.Neutral, []valueCase{{`"😀"`, true}, {`"x"`, false}})
	checkModel(t, api, "Back", klue.Neutral, []valueCase{{`"aa"`, true}, {`"ab"`, false}})
	checkModel(t, api, "Keys", klue.Neutral, []valueCase{{`{"a": 1, "x-b": "s"}`, true}, {`{"a": "s"}`, false}})

	le := loadError(t, `openapi: 3.1.0
info: {title: t, version: '1'}
paths: {}
components:
  schemas:
    Bad: {type: string, pattern: '^[a-'}
`)
	oneProblem(t, le, 6, "/components/schemas/Bad/pattern", "pattern")
}

func TestPoolLogsWarnings(t *testing.T) {
	t.Parallel()
	var buf bytes.Buffer
	logger := slog.New(slog.NewTextHandler(&buf, nil))
	pool := klue.NewPool(klue.WithLogger(logger))
	if err := pool.Add("api", klue.Bytes("spec.yaml", []byte(`swagger: '2.0'
info: {title: t, version: '1'}
paths: {}
definitions:
  Any:
`))); err != nil {
		t.Fatal(err)
	}
	got := buf.String()
	if !strings.Contains(got, "level=WARN") || !strings.Contains(got, "api=api") ||
		!strings.Contains(got, `spec.yaml:5:7: /definitions/Any: empty schema (null)`) {
		t.Errorf("log:\n%s", got)
	}
}

func TestNullableIn31Warns(t *testing.T) {
	t.Parallel()
	api := addSpec(t, `openapi: 3.1.0
info: {title: t, version: '1'}
paths: {}
components:
  schemas:
    N: {type: string, nullable: true}
`)
	w := api.Warnings()
	if len(w) != 1 || w[0].Line != 6 || w[0].Pointer != "/components/schemas/N/nullable" || !strings.Contains(w[0].Message, `type: [string, "null"]`) {
		t.Fatalf("warnings %v", w)
	}
	checkModel(t, api, "N", klue.Neutral, []valueCase{{`"a"`, true}, {`null`, false}})
}

// Cases in the style of the JSON Schema test suite (draft 2020-12).
func TestJSONSchema2020(t *testing.T) {
	t.Parallel()
	api := addSpec(t, `openapi: 3.1.0
info: {title: t, version: '1'}
paths: {}
components:
  schemas:
    DynSame:
      $id: https://test.json-schema.org/dynamicRef-dynamicAnchor-same-schema/root
      type: array
      items: {$dynamicRef: '#items'}
      $defs:
        foo: {$dynamicAnchor: items, type: string}
    DynPointer:
      type: array
      items: {$dynamicRef: '#/components/schemas/Num'}
    Num: {type: number}
    DynPlain:
      $id: https://test.json-schema.org/dynamic-plain/root
      $ref: '#plain'
      $defs:
        foo: {$dynamicAnchor: plain, type: string}
    Nothing: {enum: []}
    RelID: {$id: schemas/s.json, $ref: '#/$defs/n', $defs: {n: {type: integer}}}
    NestedID:
      $id: a/
      $ref: b/y.json
      $defs:
        b:
          $id: b/
          $defs:
            y: {$id: y.json, type: integer}
    Meta: {$ref: 'https://json-schema.org/draft/2020-12/schema'}
`)
	checkModel(t, api, "DynSame", klue.Neutral, []valueCase{{`["foo", "bar"]`, true}, {`["foo", 42]`, false}})
	checkModel(t, api, "DynPointer", klue.Neutral, []valueCase{{`[1, 2.5]`, true}, {`[1, "x"]`, false}})
	checkModel(t, api, "DynPlain", klue.Neutral, []valueCase{{`"s"`, true}, {`1`, false}})
	checkModel(t, api, "Nothing", klue.Neutral, []valueCase{{`1`, false}, {`null`, false}, {`{}`, false}})
	checkModel(t, api, "RelID", klue.Neutral, []valueCase{{`1`, true}, {`"x"`, false}})
	checkModel(t, api, "NestedID", klue.Neutral, []valueCase{{`1`, true}, {`"x"`, false}})
	checkModel(t, api, "Meta", klue.Neutral, []valueCase{{`{"type": "string"}`, true}, {`{"type": 12}`, false}, {`{"minLength": -1}`, false}})
	for _, w := range api.Warnings() {
		if strings.Contains(w.Message, "ignored") || strings.Contains(w.Message, "not enforced") {
			t.Errorf("warning %v", w)
		}
	}

	// A $dynamicRef whose anchor several resources define depends on the
	// dynamic scope, which klue's converted schemas do not keep: refused.
	le := loadError(t, `openapi: 3.1.0
info: {title: t, version: '1'}
paths: {}
components:
  schemas:
    Tree:
      $id: https://test.json-schema.org/tree
      $dynamicAnchor: node
      type: object
      properties:
        children: {type: array, items: {$dynamicRef: '#node'}}
    StrictTree:
      $id: https://test.json-schema.org/strict-tree
      $dynamicAnchor: node
      $ref: tree
      unevaluatedProperties: false
`)
	oneProblem(t, le, 11, "/components/schemas/Tree/properties/children/items/$dynamicRef", "$dynamicAnchor")
}

// A property listed twice in required judges messages as listed once:
// lenient mode forgives it.
func TestDuplicateRequiredIsForgivenInLenientMode(t *testing.T) {
	t.Parallel()
	spec := `openapi: 3.1.0
info: {title: t, version: '1'}
paths: {}
components:
  schemas:
    User: {type: object, required: [id, name, id], properties: {id: {type: string}, name: {type: string}}}
`
	oneProblem(t, loadError(t, spec), 6, "/components/schemas/User/required/2", `required lists "id" twice`)
	api := addSpec(t, spec, klue.WithLenient())
	if w := api.Warnings(); len(w) != 1 || w[0].Pointer != "/components/schemas/User/required/2" {
		t.Errorf("warnings %v", w)
	}
	checkModel(t, api, "User", klue.Neutral, []valueCase{{`{"id": "a", "name": "b"}`, true}, {`{"id": "a"}`, false}})
}

// TestProblemsFoundWhileCompilingKeepTheirPlace checks the place of the
// problems found once the parse trees are released (the meta-schema check
// of the converted schemas, the defaults): in the root file, JSON and
// YAML, in a file a $ref reaches, and in a schema made of a Swagger 2.0
// parameter's keys; that a fault written twice alike is reported at both
// places; and that the meta-schema problems come in the order of their
// places, whatever order jsonschema finds them in.
func TestProblemsFoundWhileCompilingKeepTheirPlace(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	write := func(name, text string) string {
		t.Helper()
		path := filepath.Join(dir, name)
		if err := os.WriteFile(path, []byte(text), 0o644); err != nil {
			t.Fatal(err)
		}
		return path
	}
	write("models.yaml", "Ext:\n  type: object\n  properties:\n    n: {type: integer, maximum: 3, multipleOf: -2}\n")
	for _, c := range []struct {
		name, text string
		want       []string
	}{
		{"spec.json", `{"openapi": "3.0.3", "info": {"title": "t", "version": "1"}, "paths": {},
 "components": {"schemas": {
   "A": {"type": "object", "properties": {"n": {"type": "string", "minLength": -1}, "m": {"type": "integer", "default": "x"}}},
   "B": {"type": "array", "items": {"type": "string", "maxItems": -3}},
   "C": {"type": "object", "properties": {"n": {"type": "string", "minLength": -1}}}}}}`, []string{
			`spec.json:3:80: /components/schemas/A/properties/n/minLength: invalid schema: minLength: minimum: got -1, want 0`,
			`spec.json:4:67: /components/schemas/B/items/maxItems: invalid schema: maxItems: minimum: got -3, want 0`,
			`spec.json:5:80: /components/schemas/C/properties/n/minLength: invalid schema: minLength: minimum: got -1, want 0`,
			`spec.json:3:121: /components/schemas/A/properties/m/default: default "x" does not fit its schema: got string, want integer`,
		}},
		{"spec.yaml", `swagger: '2.0'
info: {title: t, version: '1'}
paths:
  /a:
    get:
      parameters:
        - {name: q, in: query, type: string, minLength: -1}
        - {name: r, in: query, type: integer, default: 5, maximum: 2}
      responses: {'200': {description: ok, schema: {$ref: 'models.yaml#/Ext'}}}
`, []string{
			`models.yaml:4:48: /Ext/properties/n/multipleOf: invalid schema: multipleOf: exclusiveMinimum: got -2, want 0`,
			`spec.yaml:7:57: /paths/~1a/get/parameters/0/minLength: invalid schema: minLength: minimum: got -1, want 0`,
		}},
	} {
		path := write(c.name, c.text)
		for range 10 {
			err := klue.NewPool().Add("api", klue.File(path))
			var le *klue.LoadError
			if !errors.As(err, &le) {
				t.Fatalf("%s: err = %v, want a *LoadError", c.name, err)
			}
			var got []string
			for _, p := range le.Problems {
				got = append(got, strings.TrimPrefix(p.Error(), dir+string(filepath.Separator)))
			}
			if !slices.Equal(got, c.want) {
				t.Fatalf("%s: problems\n%s\nwant\n%s", c.name, strings.Join(got, "\n"), strings.Join(c.want, "\n"))
			}
		}
	}
}
