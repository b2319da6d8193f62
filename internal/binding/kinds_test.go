package binding_test

import (
	"encoding/json"
	"reflect"
	"testing"

	"github.com/klue-go/klue-client-server/internal/binding"
	"github.com/klue-go/klue-client-server/klue"
)

// KindsOf reads the types a schema allows from every keyword that says.
func TestKindsOf(t *testing.T) {
	t.Parallel()
	integer := &klue.Schema{Types: []string{"integer"}}
	null := &klue.Schema{Nullable: true}
	for _, c := range []struct {
		what string
		s    *klue.Schema
		want binding.Kinds
		typ  string
	}{
		{"nil", nil, binding.AnyKind, ""},
		{"nothing", &klue.Schema{}, binding.AnyKind, ""},
		{"integer", integer, binding.KindInteger, "integer"},
		{"number takes integers", &klue.Schema{Types: []string{"number"}}, binding.KindNumber | binding.KindInteger, "number"},
		{"type array", &klue.Schema{Types: []string{"integer", "boolean"}}, binding.KindInteger | binding.KindBoolean, ""},
		{"nullable", &klue.Schema{Types: []string{"string"}, Nullable: true}, binding.KindString | binding.KindNull, "string"},
		{"null alone", null, binding.KindNull, ""},
		{"ref", &klue.Schema{Ref: integer}, binding.KindInteger, "integer"},
		{"const", &klue.Schema{Enum: []any{json.Number("5")}}, binding.KindInteger | binding.KindNumber, "number"},
		{"mixed enum", &klue.Schema{Enum: []any{json.Number("1.5"), "a", nil}}, binding.KindNumber | binding.KindString | binding.KindNull, ""},
		{"enum narrows type", &klue.Schema{Types: []string{"string", "integer"}, Enum: []any{"a"}}, binding.KindString, "string"},
		{"allOf intersects", &klue.Schema{AllOf: []*klue.Schema{{Ref: integer}}}, binding.KindInteger, "integer"},
		{"anyOf unites", &klue.Schema{AnyOf: []*klue.Schema{integer, {Types: []string{"boolean"}}}}, binding.KindInteger | binding.KindBoolean, ""},
		{"nullable wrapper", &klue.Schema{AnyOf: []*klue.Schema{null, {Types: []string{"array"}}}}, binding.KindNull | binding.KindArray, "array"},
		{"oneOf and type", &klue.Schema{Types: []string{"string"}, OneOf: []*klue.Schema{integer, {Types: []string{"string"}}}}, binding.KindString, "string"},
	} {
		if got := binding.KindsOf(c.s); got != c.want {
			t.Errorf("%s: KindsOf = %07b, want %07b", c.what, got, c.want)
		}
		if got := binding.ValueType(c.s); got != c.typ {
			t.Errorf("%s: ValueType = %q, want %q", c.what, got, c.typ)
		}
	}
}

// Scalar reads null, a number, a boolean before a string, by the types
// allowed; ItemAt gives a tuple's position its own schema.
func TestScalarAndItemAt(t *testing.T) {
	t.Parallel()
	union := &klue.Schema{Types: []string{"integer", "boolean", "string"}}
	for raw, want := range map[string]any{"1": json.Number("1"), "true": true, "x": "x", "1.5": "1.5", "1.0": json.Number("1.0"), "null": "null"} {
		if got, ok := binding.Scalar(union, raw); !ok || got != want {
			t.Errorf("Scalar(%s) = %#v, %t; want %#v", raw, got, ok, want)
		}
	}
	tuple := &klue.Schema{Types: []string{"array"},
		PrefixItems: []*klue.Schema{{Types: []string{"integer"}}, {Types: []string{"boolean"}}},
		Items:       &klue.Schema{Types: []string{"string"}}}
	got, ok := binding.List(tuple, []string{"1", "true", "2", "x"})
	if want := []any{json.Number("1"), true, "2", "x"}; !ok || !reflect.DeepEqual(got, want) {
		t.Errorf("List = %#v, %t; want %#v", got, ok, want)
	}
}

// ParamFits names the type a field cannot hold; Unreadable the schemas a
// parameter's text cannot carry.
func TestParamFitsAndUnreadable(t *testing.T) {
	t.Parallel()
	s := &klue.Schema{Types: []string{"integer", "boolean"}}
	if why := binding.ParamFits(s, reflect.TypeFor[int]()); why == "" {
		t.Error("int holds [integer, boolean]")
	}
	for _, typ := range []reflect.Type{reflect.TypeFor[string](), reflect.TypeFor[any](), reflect.TypeFor[*json.RawMessage]()} {
		if why := binding.ParamFits(s, typ); why != "" {
			t.Errorf("%s: %s", typ, why)
		}
	}
	if binding.Unreadable(&klue.Schema{Types: []string{"array", "integer"}}) == "" {
		t.Error("[array, integer] is readable")
	}
	for _, ok := range []*klue.Schema{{}, {Types: []string{"array", "string"}}, {Types: []string{"array"}, Nullable: true}} {
		if why := binding.Unreadable(ok); why != "" {
			t.Errorf("%v: %s", ok.Types, why)
		}
	}
}
