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
