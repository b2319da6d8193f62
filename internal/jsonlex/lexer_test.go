package jsonlex_test

import (
	"strings"
	"testing"

	"github.com/go-json-experiment/json/jsontext"
	"github.com/klue-go/klue-client-server/internal/jsonlex"
)

// valid is what internal/strictjson accepts as a document, nesting past
// MaxDepth aside.
func valid(d []byte) bool { return jsontext.Value(d).IsValid() }

var skipDocs = []string{
	`{}`, `[]`, `{"a": [1, -2.5e+3, true, false, null, "x\u00e9\n"]}`, ` {"a" : {"b" : []} } `,
	`{"a" 1}`, `[1,]`, `{"a":1,}`, `01`, `1.`, `1e`, `-`, `"\q"`, `"\u12g4"`, "\"a\x01\"", `tru`, `nul`, `[`, `"`,
	strings.Repeat("[", jsonlex.MaxDepth+2) + strings.Repeat("]", jsonlex.MaxDepth+2),
	`{"a":1,"a":2}`, `{"a":1,"b":{"c":1,"c":1}}`, `[{"a":1},{"a":1}]`, `{"a":1,"\u0061":2}`, `{"a":{},"b":{},"a":{}}`,
	`{"1":1,"2":2,"3":3,"4":4,"5":5,"6":6,"7":7,"8":8,"9":9,"10":10,"1":0}`,
	`{"1":1,"2":2,"3":3,"4":4,"5":5,"6":6,"7":7,"8":8,"9":9,"10":10,"11":0}`,
	"\"\xff\"", "\"\xc3\"", "\"\xed\xa0\x80\"", "{\"\xff\":1}", "\"\xf4\x90\x80\x80\"", "\"é😀\"",
	`"\ud800"`, `"\udc00"`, `"\ud800\u0041"`, `"\ud800\\udc00"`, `"\ud83d\ude00"`, `"\udc00\ud800"`, `"a\ud800`,
	`{"\ud800":1}`,
}

func TestSkipAgreesWithStrictJSON(t *testing.T) {
	t.Parallel()
	for _, d := range skipDocs {
		checkSkip(t, []byte(d))
	}
}

func checkSkip(t *testing.T, d []byte) {
	t.Helper()
	l := jsonlex.Lexer{Data: d}
	ok := l.Skip(0)
	l.SkipSpace()
	got := ok && l.Pos == len(d)
	want := valid(d)
	if want && !got && strings.Count(string(d), "[")+strings.Count(string(d), "{") > jsonlex.MaxDepth {
		return // perhaps too deep for Skip
	}
	if got != want {
		t.Errorf("%.40q: Skip says %v, strict JSON %v", d, got, want)
	}
}

// FuzzSkip requires Skip to accept exactly the documents
// internal/strictjson accepts.
func FuzzSkip(f *testing.F) {
	for _, d := range skipDocs {
		f.Add([]byte(d))
	}
	f.Fuzz(func(t *testing.T, d []byte) { checkSkip(t, d) })
}

func TestStrAndUnescape(t *testing.T) {
	t.Parallel()
	tests := []struct {
		doc, want     string
		escaped, wide bool
	}{
		{`"plain"`, "plain", false, false},
		{`"caf\u00e9 \"q\" \\ \/ \b\f\n\r\t"`, "café \"q\" \\ / \b\f\n\r\t", true, false},
		{`"😀"`, "😀", false, true},
		{`"\ud83d\ude00"`, "😀", true, false},
	}
	for _, tt := range tests {
		l := jsonlex.Lexer{Data: []byte(tt.doc)}
		raw, escaped, wide, ok := l.Str()
		if !ok || escaped != tt.escaped || wide != tt.wide || l.Pos != len(tt.doc) {
			t.Errorf("%s: Str = %q %v %v %v", tt.doc, raw, escaped, wide, ok)
			continue
		}
		text := jsonlex.View(raw)
		if escaped {
			b, ok := jsonlex.Unescape(raw)
			if !ok {
				t.Errorf("%s: Unescape failed", tt.doc)
				continue
			}
			text = string(b)
		}
		if text != tt.want {
			t.Errorf("%s: %q, want %q", tt.doc, text, tt.want)
		}
	}
}

// TestStrRefuses: RFC 8259 §8.1 and §8.2, as internal/strictjson.
func TestStrRefuses(t *testing.T) {
	t.Parallel()
	for _, doc := range []string{`"\ud83d alone"`, `"\ude00"`, `"\ud83d\u0041"`, `"\ud83d\ud83d"`, "\"\xff\"", "\"\xe2\x82\"", "\"\xed\xa0\x80\"", "\"\xc0\xaf\""} {
		l := jsonlex.Lexer{Data: []byte(doc)}
		if raw, _, _, ok := l.Str(); ok {
			t.Errorf("%q: Str accepted %q", doc, raw)
		}
	}
}

func TestNames(t *testing.T) {
	t.Parallel()
	var s jsonlex.Names
	for i := range 40 {
		name := strings.Repeat("n", i)
		if !s.Add(name) {
			t.Fatalf("%q: reported twice on first add", name)
		}
	}
	for i := range 40 {
		if s.Add(strings.Repeat("n", i)) {
			t.Errorf("%d: a name added twice", i)
		}
	}
}
