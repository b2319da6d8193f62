package specdoc_test

import (
	"encoding/json"
	"reflect"
	"testing"

	"github.com/klue-go/klue-client-server/internal/specdoc"
)

func TestValueAtAndDeref(t *testing.T) {
	t.Parallel()
	var doc any
	if err := json.Unmarshal([]byte(`{
		"paths": {"/a/{id}": {"get": {"responses": {"200": {"$ref": "#/responses/ok"}}}}},
		"responses": {"ok": {"$ref": "#/responses/real"}, "real": {"description": "fine"}, "loop": {"$ref": "#/responses/loop"}},
		"list": [10, 20],
		"a~b": 1
	}`), &doc); err != nil {
		t.Fatal(err)
	}
	cases := []struct {
		ptr  string
		want any
	}{
		{"", doc},
		{"/list/1", 20.0},
		{"/list/01", nil},
		{"/list/2", nil},
		{"/list/-1", nil},
		{"/a~0b", 1.0},
		{"/paths/" + specdoc.EscapeToken("/a/{id}") + "/get/responses/200/$ref", "#/responses/ok"},
		{"/missing/x", nil},
		{"list", nil},
	}
	for _, c := range cases {
		if got := specdoc.ValueAt(doc, c.ptr); !reflect.DeepEqual(got, c.want) {
			t.Errorf("ValueAt(%q) = %v, want %v", c.ptr, got, c.want)
		}
	}

	resp := specdoc.ValueAt(doc, specdoc.Join("/paths", "/a/{id}", "get", "responses", "200"))
	if got, want := specdoc.Deref(doc, resp), map[string]any{"description": "fine"}; !reflect.DeepEqual(got, want) {
		t.Errorf("Deref through two $refs = %v, want %v", got, want)
	}
	loop := specdoc.ValueAt(doc, "/responses/loop")
	if got := specdoc.Deref(doc, loop); !reflect.DeepEqual(got, loop) {
		t.Errorf("Deref of a cycle = %v, want the reference it stops at", got)
	}
	if got := specdoc.Deref(doc, map[string]any{"$ref": "#/nowhere"}); got != nil {
		t.Errorf("Deref of a dangling $ref = %v, want nil", got)
	}
	if got := specdoc.Deref(doc, map[string]any{"$ref": "other.yaml#/x"}); got == nil {
		t.Error("Deref of a remote $ref must return it unchanged")
	}
}
