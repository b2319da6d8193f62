package specdoc_test

import (
	"strings"
	"testing"

	"github.com/klue-go/klue-client-server/internal/specdoc"
)

func TestJSON(t *testing.T) {
	t.Parallel()
	n, err := specdoc.ParseJSON([]byte("{\n  \"a\": [1, -2.5e3, true, null, \"x\\u00e9\\ud83d\\ude00\"],\n  \"b\": {}\n}"))
	if err != nil {
		t.Fatal(err)
	}
	a := n.Get("a")
	if a.Line != 2 || a.Col != 8 || a.Len() != 5 {
		t.Errorf("a at %d:%d with %d items", a.Line, a.Col, a.Len())
	}
	if a.Values[1].Kind != specdoc.Number || a.Values[1].Text != "-2.5e3" || a.Values[4].Text != "xé😀" {
		t.Errorf("values %+v", a.Values)
	}
	if b := n.Get("b"); b.Line != 3 || b.Col != 8 {
		t.Errorf("b at %d:%d", b.Line, b.Col)
	}
	if n.Pointer("/a/4").Text != "xé😀" || n.Pointer("/a/5") != nil || n.Pointer("/a/01") != nil {
		t.Error("pointer lookups")
	}
	bad := []struct{ doc, err string }{
		{`{"a": 01}`, "1:7: invalid number: leading zero"},
		{`{"a": "x`, "unexpected end of input in string"},
		{`{"a" 1}`, "expected ':' after object key"},
		{`[1, 2`, "expected ',' or ']'"},
		{`{} x`, "after the document"},
		{"\"\x01\"", "control character"},
		{`"\q"`, `invalid escape '\q'`},
		{strings.Repeat("[", 600) + strings.Repeat("]", 600), "nested deeper than 512 levels"},
	}
	for _, b := range bad {
		if _, err := specdoc.ParseJSON([]byte(b.doc)); err == nil || !strings.Contains(err.Error(), b.err) {
			t.Errorf("%.20q: %v, want %q", b.doc, err, b.err)
		}
	}
}

func TestYAML(t *testing.T) {
	t.Parallel()
	n, warnings, err := specdoc.ParseYAML([]byte(`
base: &base {a: 1, b: two}
merged:
  <<: *base
  b: 2
codes:
  200: ok
  0x1F: hex
date: 2000-01-23T04:56:07+00:00
quoted: '12'
yes: yes
big: 123456789012345678901234567890
dup: 1
dup: 2
`))
	if err != nil {
		t.Fatal(err)
	}
	m := n.Get("merged")
	if m.Get("a").Text != "1" || m.Get("b").Text != "2" {
		t.Errorf("merge keys: a=%s b=%s", m.Get("a").Text, m.Get("b").Text)
	}
	if n.Get("codes").Get("200") == nil || n.Get("codes").Get("0x1F") == nil {
		t.Errorf("integer keys %v", n.Get("codes").Keys)
	}
	if d := n.Get("date"); d.Kind != specdoc.String || d.Text != "2000-01-23T04:56:07+00:00" {
		t.Errorf("timestamp %v %q", d.Kind, d.Text)
	}
	if q := n.Get("quoted"); q.Kind != specdoc.String {
		t.Error("a quoted number became a number")
	}
	if y := n.Get("yes"); y.Kind != specdoc.String {
		t.Error("YAML 1.1 yes became a boolean")
	}
	if b := n.Get("big"); b.Kind != specdoc.Number || b.Text != "123456789012345678901234567890" {
		t.Errorf("big integer %v %q", b.Kind, b.Text)
	}
	if n.Get("dup").Text != "2" || len(warnings) != 1 || warnings[0].Line != 14 {
		t.Errorf("duplicate key: value %s, warnings %v", n.Get("dup").Text, warnings)
	}
	if n.Get("base").Line != 2 || n.Get("base").Col != 7 {
		t.Errorf("position %d:%d", n.Get("base").Line, n.Get("base").Col)
	}
}

func TestYAMLAliasBomb(t *testing.T) {
	t.Parallel()
	var b strings.Builder
	b.WriteString("a0: &a0 [x, x, x, x, x, x, x, x, x, x]\n")
	for i := 1; i < 12; i++ {
		b.WriteString("a" + string(rune('0'+i%10)) + string(rune('a'+i)) + ": &a" + string(rune('a'+i)) + " [")
		for j := 0; j < 10; j++ {
			if j > 0 {
				b.WriteString(", ")
			}
			if i == 1 {
				b.WriteString("*a0")
			} else {
				b.WriteString("*a" + string(rune('a'+i-1)))
			}
		}
		b.WriteString("]\n")
	}
	_, _, err := specdoc.ParseYAML([]byte(b.String()))
	if err == nil || !strings.Contains(err.Error(), "expands to more than") {
		t.Fatalf("an alias bomb of 10^12 nodes: %v", err)
	}
	if _, _, err := specdoc.ParseYAML([]byte("a: &a [*a]")); err == nil || !strings.Contains(err.Error(), "alias refers to itself") {
		t.Errorf("a self-referring alias: %v", err)
	}
}

func TestParseChoosesTheParser(t *testing.T) {
	t.Parallel()
	if n, _, err := specdoc.Parse("spec.yaml", []byte("{swagger: '2.0'}")); err != nil || n.Get("swagger").Text != "2.0" {
		t.Errorf("YAML flow mapping: %v", err)
	}
	if _, _, err := specdoc.Parse("spec.json", []byte("{swagger: '2.0'}")); err == nil {
		t.Error("a .json file was read as YAML")
	}
	if n, _, err := specdoc.Parse("spec", []byte("\ufeff{\"a\": 1}")); err != nil || n.Get("a") == nil {
		t.Errorf("BOM: %v", err)
	}
}

func TestJoinAndPointerEscape(t *testing.T) {
	t.Parallel()
	if got := specdoc.Join("/x", "a/b", "c~d", "", "e"); got != "/x/a~1b/c~0d//e" {
		t.Errorf("Join = %q", got)
	}
	n, err := specdoc.ParseJSON([]byte(`{"": {"a/b": {"c~d": [0, {"": 1}]}}}`))
	if err != nil {
		t.Fatal(err)
	}
	for ptr, want := range map[string]string{
		specdoc.Join("", "", "a/b", "c~d", "1", ""): "1",
		"/": "object", "//a~1b/c~0d/0": "0", "//a~1b/c~0d/2": "", "//a/b": "",
	} {
		got := ""
		if v := n.Pointer(ptr); v != nil {
			got = v.Text
			if v.Kind == specdoc.Object {
				got = "object"
			}
		}
		if got != want {
			t.Errorf("Pointer(%q) = %q, want %q", ptr, got, want)
		}
	}
}
