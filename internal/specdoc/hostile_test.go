package specdoc_test

import (
	"bytes"
	"encoding/json"
	"fmt"
	"strings"
	"testing"

	"github.com/klue-go/klue-client-server/internal/specdoc"
)

// TestParseErrorsArePlaced checks that broken documents fail with an error
// at the line and column of their fault and a message that names it,
// whichever parser reads them: those yaml.v3 reports without a column or
// without a place, Parse places.
func TestParseErrorsArePlaced(t *testing.T) {
	t.Parallel()
	for _, c := range []struct{ name, file, doc, want string }{
		{"yaml invalid UTF-8", "a.yaml", "a: 1\nb: x\xffy\n", "2:5: invalid UTF-8: byte 0xff"},
		{"yaml invalid UTF-8 after a wide character", "a.yaml", "a: 1\nb: é\xc3\n", "2:5: invalid UTF-8: byte 0xc3"},
		{"yaml UTF-8 surrogate", "a.yaml", "a: \xed\xa0\x80\n", "1:4: invalid UTF-8: byte 0xed"},
		{"yaml NUL", "a.yaml", "a:\n  b: \"\x00\"\n", "2:7: control character U+0000 is not allowed in YAML"},
		{"yaml control character after CRLF", "a.yaml", "a: 1\r\nb: é\x01\n", "2:5: control character U+0001"},
		{"yaml tab indenting a key", "a.yaml", "a:\n\tb: 1\n", "2:1: tab character in indentation"},
		{"yaml tab after spaces", "a.yaml", "a:\n  b: 1\n  \tc: 2\n", "3:3: tab character in indentation"},
		{"yaml @", "a.yaml", "a: @x\n", "1:4: '@' cannot start a plain scalar"},
		{"yaml second document", "a.yaml", "a: 1\n---\nb: 2\n", "3:1: another YAML document starts here"},
		{"yaml third document", "a.yaml", "a: 1\n---\n---\nc: 1\n", "4:1: another YAML document starts here"},
		{"yaml unclosed quote", "a.yaml", "a: 1\nb: \"x\nc: 2\n", "2:4: quoted string not closed: the file ends inside it"},
		{"yaml unclosed quote after others", "a.yaml", "a: 1\nb: [\"x\", 'y''z', 'é\nc: 2\n", "2:18: quoted string not closed"},
		{"yaml unclosed quote with escapes", "a.yaml", "a: 1\nb: \"x\\\"\nc: 2\n", "2:4: quoted string not closed"},
		{"yaml unclosed flow sequence", "a.yaml", "x: 1\na: [1, 2\n", "2:1: did not find expected ',' or ']'"},
		{"yaml unclosed flow sequence on line 1", "a.yaml", "a: [1, 2\n", "1:1: the file ends before its content does: did not find expected ',' or ']'"},
		{"yaml bad indentation", "a.yaml", "x: 1\ny:\n  b: 1\n c: 2\n", "4:2: bad indentation of a mapping key"},
		{"yaml bad indentation, deeper", "a.yaml", "a:\n  b: 1\n  c:\n    d: 1\n   e: 2\nf: 1\n", "5:4: bad indentation of a mapping key"},
		{"yaml bad indentation in a sequence", "a.yaml", "x: 1\ny:\n  - a\n  b: 1\n", "4:3: expected a sequence entry (\"- \") at this indentation"},
		{"yaml bad indentation after an anchor", "a.yaml", "z: &z 1\nx: 1\ny:\n  b: 1\n c: 2\n", "5:1: did not find expected key (is a line here or below indented wrongly?)"},
		{"json invalid UTF-8", "a.json", "{\"a\": \"xy\xff\"}", "1:10: invalid UTF-8 in string: byte 0xff"},
		{"json invalid UTF-8 after an escape", "a.json", "{\"a\": \"\\n\xff\"}", "1:10: invalid UTF-8 in string: byte 0xff"},
		{"json NUL", "a.json", "{\"a\": 1,\x00}", "1:9: unexpected '\\x00', expected an object key"},
		{"json invalid UTF-8 outside strings", "a.json", "{\"a\": 1,\n \xff}", "2:2: unexpected byte 0xff (not UTF-8), expected an object key"},
		{"json truncated", "a.json", "{\"a\": [1,\n", "2:1: unexpected end of input, expected a value"},
		{"json in UTF-16", "a.json", "\xff\xfe{\x00}\x00", "1:1: the document is in UTF-16: JSON must be UTF-8"},
		{"json in UTF-16BE", "a.json", "\xfe\xff\x00{\x00}", "1:1: the document is in UTF-16: JSON must be UTF-8"},
	} {
		_, _, err := specdoc.Parse(c.file, []byte(c.doc))
		if err == nil || !strings.HasPrefix(err.Error(), c.want) {
			t.Errorf("%s: %v, want %q", c.name, err, c.want)
		}
		_, _, err = specdoc.ParseString(c.file, c.doc)
		if err == nil || !strings.HasPrefix(err.Error(), c.want) {
			t.Errorf("%s (ParseString): %v, want %q", c.name, err, c.want)
		}
	}
}

// TestYAMLEmptyDocumentsAfterTheFirst checks that markers after the
// document, which hold nothing, are not refused as another document.
func TestYAMLEmptyDocumentsAfterTheFirst(t *testing.T) {
	t.Parallel()
	for _, doc := range []string{"a: 1\n---\n", "a: 1\n...\n", "a: 1\n---\n# c\n", "a: 1\n--- \n...\n"} {
		if n, _, err := specdoc.ParseYAML([]byte(doc)); err != nil || n.Get("a") == nil {
			t.Errorf("%q: %v", doc, err)
		}
	}
}

// TestJSONSurrogatesAsEncodingJSON checks that \u escapes of UTF-16
// surrogates that make no pair read as encoding/json reads them: U+FFFD,
// and the escape after it read on its own.
func TestJSONSurrogatesAsEncodingJSON(t *testing.T) {
	t.Parallel()
	for _, s := range []string{
		`"\ud83d\ude00"`, `"\ud800"`, `"\ud800\u0041"`, `"\udc00\ud800\udc00"`,
		`"\ud800\ud800\udc00"`, `"\ud800\n"`, `"\ud800x"`, `"\udfff\u00e9"`, `"a\ud800"`,
	} {
		n, err := specdoc.ParseJSON([]byte(s))
		if err != nil {
			t.Errorf("%s: %v", s, err)
			continue
		}
		var want string
		if err := json.Unmarshal([]byte(s), &want); err != nil {
			t.Fatal(err)
		}
		if n.Text != want {
			t.Errorf("%s reads %+q, encoding/json %+q", s, n.Text, want)
		}
	}
}

// TestJSONDuplicateKeys checks that a key given twice in a JSON object is
// read as in YAML: it keeps its first place and its last value, and Parse
// warns about it at its place, for objects small and large.
func TestJSONDuplicateKeys(t *testing.T) {
	t.Parallel()
	var big bytes.Buffer
	big.WriteString("{")
	for i := range 40 {
		big.WriteString(`"k` + strings.Repeat("x", i) + `": 1, `)
	}
	big.WriteString("\n  \"kxx\": 2}")
	for _, c := range []struct {
		doc, key, val string
		at            string
		keys          int
	}{
		{"{\"a\": 1, \"b\": 2,\n \"a\": 3}", "a", "3", "2:2", 2},
		{big.String(), "kxx", "2", "2:3", 40},
	} {
		for _, name := range []string{"a.json", "a.yaml"} {
			n, warnings, err := specdoc.Parse(name, []byte(c.doc))
			if err != nil {
				t.Fatal(err)
			}
			if n.Len() != c.keys || n.Get(c.key).Text != c.val || n.Pointer("/"+c.key).Text != c.val {
				t.Errorf("%s: %d members, %s = %q, want %d members and %s", name, n.Len(), c.key, n.Get(c.key).Text, c.keys, c.val)
			}
			if len(warnings) != 1 || !strings.HasPrefix(warnings[0].Error(), c.at+`: duplicate key "`+c.key+`"`) {
				t.Errorf("%s: warnings %v, want one at %s", name, warnings, c.at)
			}
			if _, sw, _ := specdoc.ParseString(name, c.doc); len(sw) != 1 {
				t.Errorf("%s: ParseString warns %v", name, sw)
			}
		}
	}
}

// laughs returns a document of levels anchors, each a mapping of five
// aliases of the one before: a few hundred bytes that expand to 5^levels
// copies of the first.
func laughs(levels int) string {
	var b strings.Builder
	b.WriteString("l0: &l0 {type: object, properties: {a: {type: string}, b: {type: integer}}}\n")
	for i := 1; i <= levels; i++ {
		fmt.Fprintf(&b, "l%d: &l%d {type: object, properties: {", i, i)
		for j := range 5 {
			fmt.Fprintf(&b, "p%d: *l%d, ", j, i-1)
		}
		b.WriteString("z: {type: string}}}\n")
	}
	return b.String()
}

// TestYAMLAliasesExpandBoundedly checks that aliases cannot make a small
// document a large tree, well below the bound of any document's size:
// whatever reads the tree would spend its time on copies. Aliases used to
// share a part a few times are read.
func TestYAMLAliasesExpandBoundedly(t *testing.T) {
	t.Parallel()
	// 700 bytes, 130,000 values.
	_, _, err := specdoc.ParseYAML([]byte(laughs(6)))
	if err == nil || !strings.HasPrefix(err.Error(), "1:1: aliases expand the document to more than") {
		t.Errorf("6 levels of laughs: %v", err)
	}
	n, _, err := specdoc.ParseYAML([]byte(laughs(3)))
	if err != nil || n.Pointer("/l3/properties/p4/properties/p0/properties/p1/properties/a/type").Text != "string" {
		t.Errorf("3 levels of laughs: %v", err)
	}
}
