package specdoc_test

import (
	"bytes"
	"encoding/json"
	"fmt"
	"reflect"
	"slices"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/klue-go/klue-client-server/internal/specdoc"
)

// FuzzParse checks that no input makes the parsers panic or hang, and that a
// document that parses converts to values.
func FuzzParse(f *testing.F) {
	for _, seed := range []string{
		`{"a": [1, 2.5e-3, "x\u00e9", true, null, {"b": {}}]}`,
		"a: &x {b: [1, 2]}\nc: *x\nd: {<<: *x, e: 3}\n200: ok\n",
		"- a\n- b: |\n    text\n",
		"{swagger: '2.0', paths: {}}",
		"\ufeff[]",
		`{"a": 1, "a": {"b": 2, "b": 3}}`,
		"a: 1\n---\nb: 2\n",
		"a:\n\tb: 1\n",
	} {
		f.Add("spec.yaml", []byte(seed))
		f.Add("spec.json", []byte(seed))
	}
	f.Fuzz(func(t *testing.T, name string, data []byte) {
		n, w, err := specdoc.Parse(name, data)
		s, sw, serr := specdoc.ParseString(name, string(data))
		if (err == nil) != (serr == nil) || (err != nil && err.Error() != serr.Error()) {
			t.Fatalf("Parse: %v, ParseString: %v", err, serr)
		}
		if fmt.Sprint(w) != fmt.Sprint(sw) {
			t.Fatalf("Parse warns %v, ParseString %v", w, sw)
		}
		if err != nil {
			return
		}
		sameTree(t, "", n, s)
		_ = n.Value()
		_ = n.Pointer("/a/0")
	})
}

// sameTree checks that two trees hold the same values at the same places.
func sameTree(t *testing.T, ptr string, a, b *specdoc.Node) {
	t.Helper()
	if a.Kind != b.Kind || a.Text != b.Text || a.Line != b.Line || a.Col != b.Col ||
		!slices.Equal(a.Keys, b.Keys) || len(a.Values) != len(b.Values) {
		t.Fatalf("at %q: %+v and %+v differ", ptr, *a, *b)
	}
	for i := range a.Values {
		sameTree(t, fmt.Sprintf("%s/%d", ptr, i), a.Values[i], b.Values[i])
	}
}

// FuzzParseJSONAgainstEncodingJSON checks the JSON parser against
// encoding/json: it accepts the same documents (but for invalid UTF-8,
// which it refuses, and nesting deeper than MaxDepth) and gives the same
// values, members in document order, a key given twice at its first place
// with its last value.
func FuzzParseJSONAgainstEncodingJSON(f *testing.F) {
	for _, seed := range []string{
		`{"a": [1, 2.5e-3, "x\u00e9\ud83d\ude00", true, null, {"b": {}}], "c": []}`,
		`{"k": 1, "k": 2, "l": {"m": [[], {}, ""]}}`,
		`[-0, 1E+2, 0.5e-1, "\"\\\/\b\f\n\r\t"]`,
		`{"a" 1}`, `[1,]`, `01`, "\"\x01\"", "\ufeff{}",
		`["\ud800\u0041", "\udc00\ud800\udc00", "\ud800", "\ud800\n"]`,
	} {
		f.Add([]byte(seed))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		n, err := specdoc.ParseJSON(data)
		data = bytes.TrimPrefix(data, []byte("\ufeff")) // a byte order mark is allowed
		valid := json.Valid(data) && utf8.Valid(data)
		if err != nil {
			if valid && !strings.Contains(err.Error(), "nested deeper") {
				t.Fatalf("ParseJSON refuses a valid document: %v", err)
			}
			return
		}
		if !valid {
			t.Fatalf("ParseJSON accepts an invalid document")
		}
		dec := json.NewDecoder(bytes.NewReader(data))
		dec.UseNumber()
		var want any
		if err := dec.Decode(&want); err != nil {
			t.Fatal(err)
		}
		if got := n.Value(); !reflect.DeepEqual(got, want) {
			t.Fatalf("ParseJSON gives %#v, encoding/json %#v", got, want)
		}
		checkMembers(t, n)
	})
}

// checkMembers checks that every object's Get finds the value of each of
// its keys, which are all different.
func checkMembers(t *testing.T, n *specdoc.Node) {
	if n.Kind == specdoc.Object {
		if len(n.Keys) != len(n.Values) {
			t.Fatalf("%d keys, %d values", len(n.Keys), len(n.Values))
		}
		for i, k := range n.Keys {
			if first := slices.Index(n.Keys, k); first != i || n.Get(k) != n.Values[i] {
				t.Fatalf("Get(%q) is not member %d (key also at %d)", k, i, first)
			}
		}
	}
	for _, v := range n.Values {
		checkMembers(t, v)
	}
}
