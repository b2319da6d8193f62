package jsonlex_test

import (
	"encoding/json"
	"strings"
	"testing"

	"github.com/klue-go/klue-client-server/internal/jsonlex"
)

func TestSkipAgreesWithEncodingJSON(t *testing.T) {
	t.Parallel()
	docs := []string{
		`{}`, `[]`, `{"a": [1, -2.5e+3, true, false, null, "x\u00e9\n"]}`, ` {"a" : {"b" : []} } `,
		`{"a" 1}`, `[1,]`, `{"a":1,}`, `01`, `1.`, `1e`, `-`, `"\q"`, `"\u12g4"`, "\"a\x01\"", `tru`, `nul`, `[`, `"`,
		strings.Repeat("[", jsonlex.MaxDepth+2) + strings.Repeat("]", jsonlex.MaxDepth+2),
	}
	for _, d := range docs {
		l := jsonlex.Lexer{Data: []byte(d)}
		ok := l.Skip(0)
		l.SkipSpace()
		got := ok && l.Pos == len(d)
		want := json.Valid([]byte(d)) && !strings.HasPrefix(d, strings.Repeat("[", jsonlex.MaxDepth+2))
		if got != want {
			t.Errorf("%.30q: Skip says %v, want %v", d, got, want)
		}
	}
}

func TestStrAndUnescape(t *testing.T) {
	t.Parallel()
	tests := []struct {
		doc, want     string
		escaped, wide bool
		unescapeOK    bool
	}{
		{`"plain"`, "plain", false, false, true},
		{`"caf\u00e9 \"q\" \\ \/ \b\f\n\r\t"`, "café \"q\" \\ / \b\f\n\r\t", true, false, true},
		{`"😀"`, "😀", false, true, true},
		{`"\ud83d\ude00"`, "😀", true, false, true},
		{`"\ud83d alone"`, "", true, false, false},
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
			if ok != tt.unescapeOK {
				t.Errorf("%s: Unescape ok=%v", tt.doc, ok)
				continue
			}
			text = string(b)
		}
		if tt.unescapeOK && text != tt.want {
			t.Errorf("%s: %q, want %q", tt.doc, text, tt.want)
		}
	}
}
