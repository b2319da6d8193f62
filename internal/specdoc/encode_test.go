package specdoc_test

import (
	"bytes"
	"encoding/json"
	"reflect"
	"testing"

	"github.com/klue-go/klue-client-server/internal/specdoc"
)

func TestMarshalJSONKeepsOrder(t *testing.T) {
	t.Parallel()
	src := `{"paths":{"/z":{"get":1},"/a":{"post":2},"/m":{}},"info":{"title":"<t> & \u2028","version":"1"},"n":[1.5e3,-0,true,null,"x"]}`
	n, err := specdoc.ParseJSON([]byte(src))
	if err != nil {
		t.Fatal(err)
	}
	got, err := json.Marshal(n)
	if err != nil {
		t.Fatal(err)
	}
	want := `{"paths":{"/z":{"get":1},"/a":{"post":2},"/m":{}},"info":{"title":"\u003ct\u003e \u0026 \u2028","version":"1"},"n":[1.5e3,-0,true,null,"x"]}`
	if string(got) != want {
		t.Errorf("got  %s\nwant %s", got, want)
	}
	// The same value as encoding Value, but for the order.
	var a, b any
	if err := json.Unmarshal(got, &a); err != nil {
		t.Fatal(err)
	}
	sorted, _ := json.Marshal(n.Value())
	if err := json.Unmarshal(sorted, &b); err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(a, b) {
		t.Errorf("MarshalJSON and Value differ:\n%s\n%s", got, sorted)
	}
}

func TestMarshalJSONYAMLOrderAndDuplicates(t *testing.T) {
	t.Parallel()
	var big string
	for _, k := range []string{"p", "o", "n", "m", "l", "k", "j", "i", "h", "g", "f", "e", "d", "c", "b", "a"} {
		big += k + ": 1\n"
	}
	for _, tt := range []struct{ src, want string }{
		{"b: 1\na: 2\nb: 3\nc: {y: 1, x: 2}\n", `{"b":3,"a":2,"c":{"y":1,"x":2}}`},
		{big, `{"p":1,"o":1,"n":1,"m":1,"l":1,"k":1,"j":1,"i":1,"h":1,"g":1,"f":1,"e":1,"d":1,"c":1,"b":1,"a":1}`},
	} {
		n, _, err := specdoc.ParseYAML([]byte(tt.src))
		if err != nil {
			t.Fatal(err)
		}
		got, err := json.Marshal(n)
		if err != nil || string(got) != tt.want {
			t.Errorf("%q: got %s %v, want %s", tt.src, got, err, tt.want)
		}
	}
}

// FuzzMarshalJSON checks, for any document the parsers take, that
// MarshalJSON writes valid JSON holding the same value as Value.
func FuzzMarshalJSON(f *testing.F) {
	f.Add([]byte(`{"b":{"d":1,"c":[2,{"f":3,"e":4}]},"a":"x"}`))
	f.Add([]byte("b: 1\na: [x, {d: 2, c: 3}]\nb: 2\n"))
	f.Fuzz(func(t *testing.T, data []byte) {
		n, err := specdoc.ParseJSON(data)
		if err != nil {
			if n, _, err = specdoc.ParseYAML(data); err != nil {
				return
			}
		}
		got, err := json.Marshal(n)
		if err != nil {
			return // a YAML number JSON cannot hold is reported, not written
		}
		a, err := decodeNumbers(got)
		if err != nil {
			t.Fatalf("invalid JSON %s: %v", got, err)
		}
		want, err := json.Marshal(n.Value())
		if err != nil {
			return
		}
		b, err := decodeNumbers(want)
		if err != nil {
			t.Fatal(err)
		}
		if !reflect.DeepEqual(a, b) {
			t.Fatalf("MarshalJSON %s, Value %s", got, want)
		}
	})
}

// decodeNumbers decodes JSON keeping numbers as written.
func decodeNumbers(data []byte) (any, error) {
	d := json.NewDecoder(bytes.NewReader(data))
	d.UseNumber()
	var v any
	err := d.Decode(&v)
	return v, err
}

// TestMarshalJSONRefusesNonNumbers checks that a Number node whose text is
// not a number in JSON's grammar is refused, even when the text is some
// other JSON value.
func TestMarshalJSONRefusesNonNumbers(t *testing.T) {
	t.Parallel()
	for _, text := range []string{"", "x", "01", "1.", "+1", "0x1F", "[1]", `"1"`, "true", "null", "{}", "1 "} {
		n := &specdoc.Node{Kind: specdoc.Number, Text: text}
		if got, err := n.MarshalJSON(); err == nil {
			t.Errorf("number %q encoded as %s, want an error", text, got)
		}
	}
	for _, text := range []string{"0", "-0", "1.5", "-2e10", "1E+3", "123456789012345678901234567890"} {
		n := &specdoc.Node{Kind: specdoc.Number, Text: text}
		if got, err := n.MarshalJSON(); err != nil || string(got) != text {
			t.Errorf("number %q encoded as %s, %v", text, got, err)
		}
	}
}
