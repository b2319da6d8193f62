package jsonvalid_test

import (
	"testing"

	"github.com/klue-go/klue-client-server/internal/jsonvalid"
)

func TestNodeObject(t *testing.T) {
	t.Parallel()
	s := compile(t, 200, `{"type":"object","required":["a","c"],"minProperties":2,"maxProperties":3,
		"properties":{"a":{"$ref":"#/$defs/short"},"b":true},"additionalProperties":{"type":"integer"},
		"$defs":{"short":{"type":"string","maxLength":2}}}`)
	root := jsonvalid.Compile(s).Root()
	if root.AcceptsAll() {
		t.Fatal("the root accepts all")
	}
	obj, ok := root.Object()
	if !ok {
		t.Fatal("not checked member by member")
	}
	if _, ok := root.Array(); ok {
		t.Error("an object schema checks arrays item by item")
	}
	a, bitA := obj.Member("a")
	b, bitB := obj.Member("b")
	c, bitC := obj.Member("c")
	bad, bitBad := obj.Member("\xff")
	for _, tt := range []struct {
		name string
		got  jsonvalid.Verdict
		want jsonvalid.Verdict
	}{
		{"a short", a.String("ab"), jsonvalid.Valid},
		{"a long", a.String("abc"), jsonvalid.Invalid},
		{"b", b.Null(), jsonvalid.Valid},
		{"c integer", c.Number("3"), jsonvalid.Valid},
		{"c string", c.String("3"), jsonvalid.Invalid},
		{"bad name", bad.Null(), jsonvalid.Invalid},
		{"too few", obj.Count(1, true), jsonvalid.Invalid},
		{"enough", obj.Count(2, true), jsonvalid.Valid},
		{"enough, maybe repeated", obj.Count(2, false), jsonvalid.Unknown},
		{"too many", obj.Count(4, true), jsonvalid.Invalid},
		{"too many, maybe repeated", obj.Count(4, false), jsonvalid.Unknown},
		{"document", c.Document([]byte(` 7 `)), jsonvalid.Valid},
		{"document, bad", c.Document([]byte(`7 x`)), jsonvalid.Unknown},
	} {
		if tt.got != tt.want {
			t.Errorf("%s: %s, want %s", tt.name, tt.got, tt.want)
		}
	}
	if !b.AcceptsAll() {
		t.Error("a true schema does not accept all")
	}
	if bitA < 0 || bitC < 0 || bitA == bitC || bitB != -1 || bitBad != -1 {
		t.Errorf("bits a %d, b %d, c %d, bad %d", bitA, bitB, bitC, bitBad)
	}
	if obj.Required() != 1<<bitA|1<<bitC {
		t.Errorf("required mask %b", obj.Required())
	}
	if _, uniform := obj.Uniform(); uniform {
		t.Error("an object with properties is uniform")
	}
}

func TestNodeArrayAndMap(t *testing.T) {
	t.Parallel()
	arr, ok := jsonvalid.Compile(compile(t, 201, `{"type":"array","minItems":1,"maxItems":2,"items":{"type":"integer","minimum":0}}`)).Root().Array()
	if !ok {
		t.Fatal("not checked item by item")
	}
	if arr.Items().Number("-1") != jsonvalid.Invalid || arr.Items().Number("1") != jsonvalid.Valid {
		t.Error("items")
	}
	if arr.Count(0) != jsonvalid.Invalid || arr.Count(2) != jsonvalid.Valid || arr.Count(3) != jsonvalid.Invalid {
		t.Error("counts")
	}
	m, ok := jsonvalid.Compile(compile(t, 202, `{"additionalProperties":false}`)).Root().Object()
	if !ok {
		t.Fatal("not checked member by member")
	}
	if elem, uniform := m.Uniform(); !uniform || elem.Null() != jsonvalid.Invalid {
		t.Error("additionalProperties false")
	}
	// Combinators are checked whole.
	any := jsonvalid.Compile(compile(t, 203, `{"anyOf":[{"type":"object"},{"type":"array"}]}`)).Root()
	if _, ok := any.Object(); ok {
		t.Error("anyOf checked member by member")
	}
	if any.Document([]byte(`{}`)) != jsonvalid.Valid || any.Document([]byte(`1`)) != jsonvalid.Invalid {
		t.Error("anyOf documents")
	}
	var zero jsonvalid.Node
	if !zero.AcceptsAll() || zero.Document([]byte(`{"a":[1]}`)) != jsonvalid.Valid || zero.Document([]byte(`{`)) != jsonvalid.Invalid {
		t.Error("the zero node")
	}
}
