package klue

import (
	"encoding/json"
	"reflect"
	"testing"
)

func same(a, b any) bool {
	return reflect.ValueOf(a).UnsafePointer() == reflect.ValueOf(b).UnsafePointer()
}

// TestInternSharesEqualPartsWithoutRef checks that interning shares equal
// objects and arrays, never one that holds a $ref (makeLazy rewrites it
// for the entry that holds it), and changes no value.
func TestInternSharesEqualPartsWithoutRef(t *testing.T) {
	t.Parallel()
	conv := func() map[string]any {
		return map[string]any{
			"type":     "object",
			"required": []any{"name"},
			"properties": map[string]any{
				"name":   map[string]any{"type": "string", "minLength": json.Number("1")},
				"tags":   map[string]any{"type": "array", "items": map[string]any{"type": "string"}},
				"parent": map[string]any{"$ref": "https://klue.invalid/neutral.json#/$defs/e0"},
			},
		}
	}
	in := interner{seen: map[string]interned{}}
	a, _, shareA := in.intern(conv())
	b, _, shareB := in.intern(conv())
	if shareA || shareB {
		t.Error("a schema holding a $ref is shareable")
	}
	if !reflect.DeepEqual(a, conv()) || !reflect.DeepEqual(b, conv()) {
		t.Fatalf("interning changed the values: %v, %v", a, b)
	}
	pa := a.(map[string]any)["properties"].(map[string]any)
	pb := b.(map[string]any)["properties"].(map[string]any)
	if same(pa, pb) || same(pa["parent"], pb["parent"]) || same(a, b) {
		t.Error("an object holding a $ref, or one of its ancestors, is shared")
	}
	for _, k := range []string{"name", "tags"} {
		if !same(pa[k], pb[k]) {
			t.Errorf("equal %s schemas are not shared", k)
		}
	}
	if !same(a.(map[string]any)["required"], b.(map[string]any)["required"]) {
		t.Error("equal required arrays are not shared")
	}
	// Alike but not equal: a number written otherwise, a string for a bool.
	c, _, _ := in.intern(map[string]any{"type": "string", "minLength": json.Number("1.0")})
	d, _, _ := in.intern(map[string]any{"type": "string", "uniqueItems": "true"})
	e, _, _ := in.intern(map[string]any{"type": "string", "uniqueItems": true})
	if same(c, pa["name"]) || same(d, e) {
		t.Error("values that differ are shared")
	}
}

// TestShareEqualKeepsWhatDiffers checks that a schema converted for a
// direction takes the parts equal to the neutral conversion's, and keeps
// those that differ.
func TestShareEqualKeepsWhatDiffers(t *testing.T) {
	t.Parallel()
	neutral := map[string]any{
		"required": []any{"id", "name"},
		"properties": map[string]any{
			"id":   map[string]any{"type": "integer"},
			"name": map[string]any{"type": "string"},
		},
	}
	request := map[string]any{
		"required": []any{"name"},
		"properties": map[string]any{
			"id":   map[string]any{"type": "integer"},
			"name": map[string]any{"type": "string"},
		},
	}
	want := map[string]any{
		"required": []any{"name"},
		"properties": map[string]any{
			"id":   map[string]any{"type": "integer"},
			"name": map[string]any{"type": "string"},
		},
	}
	got, equal := shareEqual(neutral, request)
	if equal || !reflect.DeepEqual(got, want) {
		t.Fatalf("shareEqual = %v, %v; want %v, false", got, equal, want)
	}
	g := got.(map[string]any)
	if same(g, neutral) || same(g["required"], neutral["required"]) {
		t.Error("a part that differs is shared")
	}
	if !same(g["properties"], neutral["properties"]) {
		t.Error("the equal properties are not shared")
	}
	if _, equal := shareEqual(want, map[string]any{"required": []any{"name"}, "properties": map[string]any{
		"id": map[string]any{"type": "integer"}, "name": map[string]any{"type": "string"}}}); !equal {
		t.Error("equal conversions are not reported equal")
	}
}
