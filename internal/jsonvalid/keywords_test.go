package jsonvalid

import (
	"maps"
	"reflect"
	"strings"
	"testing"

	"github.com/santhosh-tekuri/jsonschema/v6"
)

// TestEveryKeywordHasARole fails when jsonschema.Schema has an exported
// field the allow-list does not know, as after an upgrade of jsonschema
// that adds a keyword: the pre-check then leaves every schema using it to
// jsonschema, and the field should be looked at and listed.
func TestEveryKeywordHasARole(t *testing.T) {
	t.Parallel()
	typ := reflect.TypeFor[jsonschema.Schema]()
	exported := map[string]bool{}
	for f := range typ.Fields() {
		if !f.IsExported() {
			continue
		}
		exported[f.Name] = true
		if fieldRoles[f.Name] == 0 {
			t.Errorf("jsonschema.Schema.%s (%s) has no role in fieldRoles: decide whether the pre-check enforces it (checked), "+
				"it never changes a verdict (inert), or it is left to jsonschema (opaque)", f.Name, f.Type)
		}
	}
	for name := range fieldRoles {
		if !exported[name] {
			t.Errorf("fieldRoles lists %s, which jsonschema.Schema no longer has", name)
		}
	}
}

// TestUnlistedKeywordIsLeftToJSONSchema: a schema setting a field the
// allow-list does not know is left to jsonschema whole.
func TestUnlistedKeywordIsLeftToJSONSchema(t *testing.T) {
	t.Parallel()
	doc, err := jsonschema.UnmarshalJSON(strings.NewReader(`{"type":"string","maxLength":2}`))
	if err != nil {
		t.Fatal(err)
	}
	c := jsonschema.NewCompiler()
	if err := c.AddResource("mem://s.json", doc); err != nil {
		t.Fatal(err)
	}
	s, err := c.Compile("mem://s.json")
	if err != nil {
		t.Fatal(err)
	}
	if leftToJSONSchema(s, fieldRoles) {
		t.Fatal("a schema of checked keywords is left to jsonschema")
	}
	if got := Compile(s).String("abc"); got != Invalid {
		t.Fatalf("String(abc) = %s, want invalid", got)
	}
	fewer := maps.Clone(fieldRoles)
	delete(fewer, "MaxLength") // as if an upgrade had added it
	if !leftToJSONSchema(s, fewer) {
		t.Error("a schema setting an unlisted field is checked by the pre-check")
	}
	fewer = maps.Clone(fieldRoles)
	delete(fewer, "UniqueItems") // unset in s
	if leftToJSONSchema(s, fewer) {
		t.Error("an unlisted field that is not set changes the verdict")
	}
}
