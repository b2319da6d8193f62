package klue_test

import (
	"strings"
	"testing"

	"github.com/klue-go/klue-client-server/klue"
)

// Mutually recursive schemas validate as $ref says, whichever of them
// closes the cycle, annotations for unevaluatedProperties included.
func TestRecursiveGroups(t *testing.T) {
	t.Parallel()
	ring := `openapi: 3.0.3
info: {title: t, version: '1'}
paths: {}
components:
  schemas:
    A: {type: object, required: [a], properties: {a: {type: integer}, next: {$ref: '#/components/schemas/B'}}}
    B: {type: object, required: [b], properties: {b: {type: string}, next: {$ref: '#/components/schemas/C'}}}
    C: {type: object, required: [c], properties: {c: {type: boolean}, next: {$ref: '#/components/schemas/A'}}}
`
	api := addSpec(t, ring)
	cases := []valueCase{
		{`{"a": 1, "next": {"b": "x", "next": {"c": true, "next": {"a": 2}}}}`, true},
		{`{"a": 1, "next": {"b": "x", "next": {"c": true, "next": {"a": "2"}}}}`, false},
		{`{"a": 1, "next": {"b": "x", "next": {"c": true, "next": {}}}}`, false},
		{`{"a": 1, "next": {"b": 1}}`, false},
	}
	checkModel(t, api, "A", klue.Neutral, cases)
	m, err := api.Model("A")
	if err != nil {
		t.Fatal(err)
	}
	verr := m.Schema.ValidateJSON(klue.Neutral, []byte(`{"a": 1, "next": {"b": "x", "next": {"c": true, "next": {"a": "2"}}}}`))
	if verr == nil || !strings.Contains(verr.Error(), "next.next.next.a: got string, want integer") {
		t.Errorf("error %v: want it at next.next.next.a", verr)
	}

	for _, spec := range []string{`openapi: 3.1.0
info: {title: t, version: '1'}
paths: {}
components:
  schemas:
    Base: {type: object, properties: {x: {$ref: '#/components/schemas/Closed'}}}
    Closed: {allOf: [{$ref: '#/components/schemas/Base'}], unevaluatedProperties: false}
`, `openapi: 3.1.0
info: {title: t, version: '1'}
paths: {}
components:
  schemas:
    Closed: {allOf: [{$ref: '#/components/schemas/Base'}], unevaluatedProperties: false}
    Base: {type: object, properties: {x: {$ref: '#/components/schemas/Closed'}}}
`} {
		api := addSpec(t, spec)
		checkModel(t, api, "Closed", klue.Neutral, []valueCase{
			{`{"x": {"x": {}}}`, true},
			{`{"x": {"y": 1}}`, false},
			{`{"y": 1}`, false},
		})
	}
}
