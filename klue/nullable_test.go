package klue_test

import (
	"encoding/json"
	"fmt"
	"testing"

	"github.com/klue-go/klue-client-server/klue"
)

func TestNullableJSON(t *testing.T) {
	t.Parallel()
	type page struct {
		Next klue.Nullable[string] `json:"next,omitzero"`
		Tags klue.Nullable[[]int]  `json:"tags,omitzero"`
	}
	for _, in := range []string{`{}`, `{"next":null}`, `{"next":"b","tags":[1]}`, `{"tags":null}`, `{"tags":[]}`} {
		var p page
		if err := json.Unmarshal([]byte(in), &p); err != nil {
			t.Fatalf("%s: %v", in, err)
		}
		out, err := json.Marshal(p)
		if err != nil || string(out) != in {
			t.Errorf("%s came back as %s, %v", in, out, err)
		}
	}
	var p page
	if err := json.Unmarshal([]byte(`{"next":1}`), &p); err == nil {
		t.Errorf("a number decoded into a Nullable[string]: %+v", p)
	}
	if v, ok := klue.Some("x").Get(); !ok || v != "x" {
		t.Errorf("Some(x).Get() = %q, %v", v, ok)
	}
	if _, ok := klue.Null[string]().Get(); ok {
		t.Error("Null().Get() has a value")
	}
}

func ExampleNullable() {
	type page struct {
		Next klue.Nullable[string] `json:"next,omitzero"`
	}
	for _, p := range []page{{}, {Next: klue.Null[string]()}, {Next: klue.Some("b2")}} {
		out, _ := json.Marshal(p)
		fmt.Println(string(out))
	}
	// Output:
	// {}
	// {"next":null}
	// {"next":"b2"}
}

// TestNullableDecodesStrictly checks that a Nullable reads its value by the
// rules klue validates by, whichever decoder calls it: member names matched
// exactly, a repeated name, invalid UTF-8 and a lone surrogate refused.
func TestNullableDecodesStrictly(t *testing.T) {
	t.Parallel()
	type pet struct {
		Kind string `json:"kind"`
	}
	for _, in := range []string{`{"kind":"ok","KIND":"x"}`, `{"kind":"ok","` + "\u212a" + `ind":"x"}`, `{"kind":"ok","Kind":"x"}`} {
		var n klue.Nullable[pet]
		if err := n.UnmarshalJSON([]byte(in)); err != nil || n.Value.Kind != "ok" || !n.Present {
			t.Errorf("%q read as %+v, %v", in, n, err)
		}
	}
	for _, in := range []string{`{"kind":"ok","kind":"x"}`, `{"kind":"` + "\xff" + `"}`, `{"kind":"\ud800"}`} {
		var n klue.Nullable[pet]
		if err := n.UnmarshalJSON([]byte(in)); err == nil {
			t.Errorf("%q read as %+v", in, n)
		}
	}
	var s klue.Nullable[string]
	if err := json.Unmarshal([]byte(`"\udc00"`), &s); err == nil {
		t.Errorf("a lone surrogate read as %+v", s)
	}
}
