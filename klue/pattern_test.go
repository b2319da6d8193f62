package klue

import (
	"testing"

	"github.com/dlclark/regexp2/v2"
)

func TestTranslateUnicodeEscapes(t *testing.T) {
	t.Parallel()
	for _, c := range []struct{ in, want string }{
		{`^\u00e9$`, `^\x{E9}$`},
		{`[\u0041-\u005a]`, `[\x{41}-\x{5A}]`},
		{`\ud83d\ude00`, `\x{1F600}`},
		{`\\u0041`, `\\u0041`},
		{`\\\u0041`, `\\\x{41}`},
		{`\ud800x`, `\ud800x`},
		{`\u00`, `\u00`},
		{`\u+041`, `\u+041`},
		{`a\`, `a\`},
	} {
		if got := translateUnicodeEscapes(c.in); got != c.want {
			t.Errorf("translateUnicodeEscapes(%q) = %q, want %q", c.in, got, c.want)
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
