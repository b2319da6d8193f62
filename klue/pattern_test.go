package klue

import (
	"regexp"
	"strings"
	"testing"

	"github.com/dlclark/regexp2/v2"
)

func TestGoSyntax(t *testing.T) {
	t.Parallel()
	for _, c := range []struct {
		in, want string
		ok       bool
	}{
		{`^\u00e9$`, `^\x{E9}$`, true},
		{`[\u0041-\u005a]`, `[\x{41}-\x{5A}]`, true},
		{`\ud83d\ude00`, `\x{1F600}`, true},
		{`\\u0041`, `\\u0041`, true},
		{`\\\u0041`, `\\\x{41}`, true},
		{`a.b`, `a[^\n\r\x{2028}\x{2029}]b`, true},
		{`\s`, `[` + ecmaSpace + `]`, true},
		{`[\s\d]`, `[` + ecmaSpace + `\d]`, true},
		{`[\b]`, `[\x{8}]`, true},
		{`a{2,3}(?:b|c)\/\x41`, `a{2,3}(?:b|c)\/\x{41}`, true},
		{`[[:alpha:]]`, `[\[:alpha:]]`, true},
		{`\ud800x`, ``, false},
		{`[]a`, ``, false},
		{`[^]`, ``, false},
		{`(?!a)`, ``, false},
		{`(a)\1`, ``, false},
		{`\p{L}`, ``, false},
		{`[\S]`, ``, false},
		{`a{,3}`, ``, false},
		{`\cA`, ``, false},
		{`\u00`, ``, false},
		{`a\`, ``, false},
	} {
		got, ok := goSyntax(c.in)
		if ok != c.ok || got != c.want {
			t.Errorf("goSyntax(%q) = %q, %v; want %q, %v", c.in, got, ok, c.want, c.ok)
		}
	}
}

// TestPatternEnginesAgree checks that a pattern Go's regexp runs after
// translation matches what the ECMAScript engine matches.
func TestPatternEnginesAgree(t *testing.T) {
	t.Parallel()
	patterns := []string{`^\u00e9+$`, `^[\u0041-\u005a]{2}$`, `\ud83d\ude00`, `^\\u0041$`, `^[^\u0000-\u001f]*$`, `^\u0041\u0042?$`}
	inputs := []string{"", "é", "éé", "e", "AB", "A", "ab", "x😀y", `\u0041`, "A", "tab\there", "plain", "AB"}
	for _, p := range patterns {
		ecma, err := regexp2.Compile(p, regexp2.ECMAScript|regexp2.Unicode)
		if err != nil {
			t.Fatalf("%q: %v", p, err)
		}
		re, err := compilePattern(p)
		if err != nil {
			t.Fatalf("%q: %v", p, err)
		}
		if _, ok := re.(ecmaRegexp); ok {
			t.Errorf("%q runs on the backtracking engine; want Go's regexp", p)
		}
		for _, s := range inputs {
			want, _ := ecma.MatchString(s)
			if got := re.MatchString(s); got != want {
				t.Errorf("%q on %q: %v, ECMAScript engine %v", p, s, got, want)
			}
		}
	}
}

// BenchmarkPattern compares one match on Go's regexp with one on the
// ECMAScript engine, for patterns of the same shape.
func BenchmarkPattern(b *testing.B) {
	for _, c := range []struct{ name, pattern string }{
		{"go", `^[a-z][a-z-]+$`},
		{"ecma", `^(?!-)[a-z-]+$`},
	} {
		re, err := compilePattern(c.pattern)
		if err != nil {
			b.Fatal(err)
		}
		b.Run(c.name, func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				if !re.MatchString("hello-world-of-patterns") {
					b.Fatal("no match")
				}
			}
		})
	}
}

// patternTokens and inputRunes are what FuzzPatternEngines builds patterns
// and inputs from.
var (
	patternTokens = []string{
		"a", "b", "A", "é", "😀", `\u0041`, `\u00e9`, `\u0062`, `\ud83d\ude00`, `\u00E9`, `\\u0041`, `\\`,
		"[", "]", "-", "^", "$", "*", "+", "?", "(", ")", "|", ".", "{2}", "{1,3}",
		`\s`, `\S`, `\d`, `\w`, `\b`, `[^`, "(?:", `\.`, `\x41`, `\0`, "[]", "{", "}", " ",
	}
	inputRunes = []rune("aAbBé😀-\\u0041 \t\r\n\u00a0\u2028\ufeff.1_")
)

// FuzzPatternEngines checks that what Go's regexp matches with a pattern
// rewritten by goSyntax is what the ECMAScript engine matches with it.
func FuzzPatternEngines(f *testing.F) {
	f.Add([]byte{5, 0, 6}, []byte{0, 1, 2})
	f.Add([]byte{14, 5, 15, 17, 8}, []byte{1, 4, 5})
	f.Add([]byte{19, 6, 21, 10, 20, 13}, []byte{4, 4})
	f.Fuzz(func(t *testing.T, pat, in []byte) {
		if len(pat) > 24 || len(in) > 32 {
			return // backtracking on long inputs proves nothing more
		}
		var p strings.Builder
		for _, b := range pat {
			p.WriteString(patternTokens[int(b)%len(patternTokens)])
		}
		var s strings.Builder
		for _, b := range in {
			s.WriteRune(inputRunes[int(b)%len(inputRunes)])
		}
		pattern := p.String()
		g, ok := goSyntax(pattern)
		if !ok {
			return
		}
		goRE, err := regexp.Compile(g)
		if err != nil {
			return
		}
		ecma, err := regexp2.Compile(pattern, regexp2.ECMAScript|regexp2.Unicode)
		if err != nil {
			return
		}
		ecma.MatchTimeout = patternMatchTimeout
		want, err := ecma.MatchString(s.String())
		if err != nil {
			return
		}
		if got := goRE.MatchString(s.String()); got != want {
			t.Errorf("pattern %q (Go: %q) on %q: Go %v, ECMAScript %v", pattern, g, s.String(), got, want)
		}
	})
}
