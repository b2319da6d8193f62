package specdoc

import (
	"fmt"
	"io/fs"
	"math/rand/v2"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/klue-go/klue-client-server/internal/sharedtest"
	"go.yaml.in/yaml/v3"
)

// yamlCases are small documents in and out of the fast reader's subset; fast
// tells whether the reader must read them itself.
var yamlCases = []struct {
	name, doc string
	fast      bool
}{
	{"mapping", "a: 1\nb: two\n", true},
	{"nested", "a:\n  b:\n    c: d\n  e: f\ng: h\n", true},
	{"sequence", "- a\n- b\n", true},
	{"indentless", "a:\n- x\n- y\nb: 1\n", true},
	{"compact mapping", "- name: a\n  in: query\n- name: b\n", true},
	{"compact sequence", "- - a\n  - b\n- - c\n", true},
	{"dash then lines", "-\n  a: 1\n-\n- b\n", true},
	{"empty values", "a:\nb:\n  c:\nd: ~\ne: null\n", true},
	{"empty at end", "a:\n  b:", true},
	{"empty entry at end", "a:\n-", true},
	{"a: b: c", "a: b: c\n", false},
	{"key in continuation", "a: b\n  c: d\n", false},
	{"literal", "a: |\n  one\n   two\n\n  three\nb: 1\n", true},
	{"literal strip", "a: |-\n  text\n\n\nb: 1\n", true},
	{"literal keep", "a: |+\n  text\n\n\nb: 1\n", true},
	{"literal keep at end", "a: |+\n  text\n\n", true},
	{"folded", "a: >\n  one\n  two\n\n  three\n    indented\n  four\nb: 1\n", true},
	{"folded strip", "a: >-\n  one\n  two\n", true},
	{"indentation indicator", "a: |2\n    text\n  more\n", true},
	{"indicators reversed", "a: |-2\n    text\n", true},
	{"indicator in sequence", "- |1\n  x\n", true},
	{"block leading blank lines", "a: |\n\n  \n  text\n", true},
	{"block more-indented blank", "a: >\n  x\n      \n  y\n", true},
	{"block comment header", "a: | # note\n  text\n", true},
	{"block scalar ends at comment", "a: |\n  text\n# c\nb: 1\n", true},
	{"block in compact mapping", "- a: |\n    x\n  b: 1\n", true},
	{"block on next line", "a:\n  |\n   x\n", true},
	{"block empty", "a: |\nb: 1\n", true},
	{"block empty at end", "a: >", true},
	{"block indicator 0", "a: |0\n  x\n", false},
	{"tab in block indentation", "a: |\n\tx\n", false},
	{"tab in block content", "a: |\n  x\ty\n  \tz\n", true},
	{"single quoted", "a: 'it''s'\nb: '#not a comment'\n", true},
	{"double quoted escapes", `a: "x\ty\n\"q\" \\ \u00e9 \x41 \U0001F600 \0 \e \N \_ \L \P \/"` + "\n", false},
	{"double quoted escapes ok", `a: "x\ty\n\"q\" \\ \u00e9 \x41 \U0001F600 \0 \e \N \_ \L \P \ \	"` + "\n", true},
	{"bad escape", `a: "\q"` + "\n", false},
	{"surrogate escape", `a: "\ud800"` + "\n", false},
	{"quoted multiline", "a: \"one\n  two\n\n  three \\\n  four\"\nb: 'x\n\n  y'\n", true},
	{"quoted at column 0", "a: \"one\ntwo\"\nb: 1\n", true},
	{"quoted keys", "\"a b\": 1\n'c': 2\n\"\": 3\n", true},
	{"quoted key then more", "\"a\": 1 2\n", true},
	{"quoted multiline key", "\"a\nb\": 1\n", false},
	{"unterminated quote", "a: \"x\n", false},
	{"document marker in quote", "a: \"x\n---\ny\"\n", false},
	{"plain multiline", "a: one\n  two\n\n  three\n    four\nb: 1\n", true},
	{"plain multiline to comment", "a: one\n  two # c\n  # d\nb: 1\n", true},
	{"plain multiline in sequence", "- one\n  two\n- three\n", true},
	{"plain multiline deeper", "a:\n    one\n  two\nb: 1\n", true},
	{"hash inside plain", "a: b#c\nd: e #f\n", true},
	{"colon inside plain", "a: http://x.io/y\nb: 12:30\nc: a:b\n", true},
	{"trailing spaces", "a: b   \nc:   \n  - d  \n", true},
	{"key with spaces", "a b: 1\na : 2\n", true},
	{"unicode", "clé: värde\nκλειδί: τιμή 😀\n\"ключ\": [α, β]\n", true},
	{"unicode position", "é: {a: b, c: d}\n", true},
	{"crlf", "a: 1\r\nb:\r\n  - c\r\n  - |\r\n    x\r\n    y\r\nd: \"e\r\n  f\"\r\n", true},
	{"lone cr", "a: 1\rb: 2\n", false},
	{"bom", "\ufeffa: 1\n", true},
	{"bom later", "a: \ufeff1\n", false},
	{"document start", "# head\n---\na: 1\n", true},
	{"document start comment", "--- # c\na: 1\n", true},
	{"document start content", "--- a\n", false},
	{"document end", "a: 1\n...\n", false},
	{"two documents", "a: 1\n---\nb: 2\n", false},
	{"directive", "%YAML 1.2\n---\na: 1\n", false},
	{"comments", "# c\na: 1 # c\n# c\n  # c\nb: # c\n  c: 2\n", true},
	{"resolution", "a: ~\nb: null\nc: Null\nd: yes\ne: no\nf: true\ng: False\nh: 0x1F\ni: 0o17\nj: 017\nk: 1e3\nl: .inf\nm: -.inf\nn: .nan\no: 2001-12-14\np: 1_000\nq: +12\nr: 0b101\ns: 1.50\nt: -0\nu: <<\nv: 12e\nw: 0.1e-2\n", true},
	{"key resolution", "~: a\nnull: b\n200: c\ntrue: d\n1e3: e\n", true},
	{"duplicates", "a: 1\nb: 2\na: 3\na:\n  x: 1\n  x: 2\n", true},
	{"many keys", strings.Repeat("k: v\n", 3) + manyKeys(40) + "k1: again\n", true},
	{"merge key", "a: &x {b: 1}\nc:\n  <<: *x\n", false},
	{"merge key plain", "<<: {a: 1}\n", false},
	{"merge key quoted", "\"<<\": {a: 1}\n", true},
	{"anchor", "a: &x 1\nb: *x\n", false},
	{"tag", "a: !!str 1\n", false},
	{"explicit key", "? a\n: b\n", true},
	{"explicit key empty value", "? a\n:\n? b\n: # c\n", true},
	{"flow below its key", "a:\n  b: [1,\n2]\nc: {d: e,\n f: g}\n", true},
	{"flow then comment", "a: [b] # c\nd: {e: f}# g\n", true},
	{"quoted trailing spaces", "a: 'x   \n  y'\nb: \"x  \n\n  y\"\n", true},
	{"folded keep trailing", "a: >\n\n  a\n  b\n\n\n", true},
	{"plain blank lines", "a: b\n\n\n  c\n\n", true},
	{"dash value next line", "a:\n  -\n    b\n", true},
	{"explicit keys", "x:\n  ? \"a b\" # c\n  # c\n  : type: object\n    properties: {}\n  ? c\n  :\n  ? d\n  :\n    - e\n  ? f\n  : - g\n    - h\n  i: j\n", true},
	{"explicit key in sequence", "- ? a\n  : b\n", true},
	{"explicit key without value", "? a\nb: c\n", false},
	{"explicit key multiline", "? a\n  b\n: c\n", false},
	{"explicit key collection", "? - a\n: b\n", false},
	{"explicit merge key", "? <<\n: {a: 1}\n", false},
	{"explicit null key", "? ~\n: 1\n", true},
	{"explicit long key", "? " + strings.Repeat("k", 1100) + "\n: v\n", true},
	{"flow", "a: [1, two, 'three', \"four\"]\nb: {c: 1, 'd': [x], \"e\": {}}\nc: []\nd: {}\n", true},
	{"flow multiline", "a: [\n  x,\n  y\n]\nb: {\n  c: 1,  # c\n  d: 2\n}\n", true},
	{"flow trailing comma", "a: [x, y, ]\nb: {c: 1,}\n", true},
	{"flow json", "a: {\"x\":1,\"y\":[true,null]}\n", true},
	{"flow colon in plain", "a: [http://x, a:b]\n", true},
	{"flow pair", "a: [b: c]\n", false},
	{"flow colon ends words", "a: [b:]\nc: [d:,e]\nf: {g: h:}\n", true},
	{"flow question mark", "a: [b?c]\n", false},
	{"flow dash", "a: [-b, -]\n", true},
	{"flow quoted pair", "a: [\"b\":c]\n", false},
	{"flow json key", "a: {\"b\":c}\nd: {'e' : f}\ng: { h : i }\n", true},
	{"flow spacing", "a: [ b ]\nc: [b #c\n ]\nd: [\n]\ne: {\n}\nf: [b\n,c]\ng: [b\n\n]\n", true},
	{"flow empty value", "a: {b: , c: 1}\n", false},
	{"flow empty entry", "a: [b, , c]\n", false},
	{"flow multiline plain", "a: [b\n  c]\n", false},
	{"flow at column 0", "a: [1,\n2]\nb: 3\n", true},
	{"flow root", "{a: 1, b: [2]}\n", true},
	{"flow as key", "[a]: b\n", false},
	{"flow nested deep", strings.Repeat("[", 600) + strings.Repeat("]", 600) + "\n", false},
	{"flow comment no blank", "a: [b,#c\n ]\n", false},
	{"tab indentation", "a:\n\tb: 1\n", false},
	{"tab after colon", "a:\tb\n", false},
	{"tab inside plain", "a: b\tc\n", true},
	{"tab after quoted", "a: \"b\"\t# c\n", true},
	{"bad indentation", "a:\n    b: 1\n  c: 2\n", false},
	{"dash in plain continuation", "- a\n  - b\n", true},
	{"sequence bad indentation", "a:\n  - b\n - c\n", false},
	{"scalar root", "just text\n", true},
	{"scalar root multiline", "just\ntext\n", true},
	{"empty", "", false},
	{"comment only", "# nothing\n", false},
	{"control character", "a: \x01\n", false},
	{"nul", "a: \x00\n", false},
	{"unicode line separator", "a: b\u2028c\n", false},
	{"long key", strings.Repeat("k", 1100) + ": v\n", false},
	{"long value", "a: " + strings.Repeat("v", 3000) + "\n", true},
	{"dash plain", "- -1\n- -a\n- --b\n", true},
	{"indicator starts", "a: @b\n", false},
	{"question plain", "a: ?b\n", false},
	{"sequence after key", "a: - b\n", false},
	{"not a key", "a: 1\nb\n", false},
	{"deep", deepYAML(MaxDepth + 1), false},
	{"deep ok", deepYAML(MaxDepth), true},
	{"deep null", strings.Repeat("- ", MaxDepth) + "-\n", false},
}

func manyKeys(n int) string {
	var b strings.Builder
	for i := range n {
		fmt.Fprintf(&b, "k%d: v%d\n", i, i)
	}
	return b.String()
}

func deepYAML(levels int) string {
	var b strings.Builder
	for i := range levels {
		b.WriteString(strings.Repeat(" ", i) + "k:\n")
	}
	b.WriteString(strings.Repeat(" ", levels) + "v\n")
	return b.String()
}

// readYAMLFast runs the fast reader without readYAML's recover, so that a
// fault shows.
func readYAMLFast(data []byte) (*Node, []*SyntaxError, string) {
	p := newYAMLReader(data)
	n, ok := p.document()
	if !ok {
		if p.why == "" {
			p.why = "(no reason given)"
		}
		return nil, nil, p.why
	}
	return n, p.warnings, ""
}

// checkYAMLFast compares the fast reader with the yaml.v3 path on data and
// reports whether the fast reader read it.
func checkYAMLFast(t testing.TB, data []byte) (fast bool, why string) {
	t.Helper()
	got, gotWarnings, why := readYAMLFast(data)
	if why != "" {
		return false, why
	}
	want, wantWarnings, err := parseYAMLv3(data)
	if err != nil {
		t.Fatalf("the fast reader accepts a document yaml.v3 refuses (%v):\n%q", err, data)
	}
	if d := nodeDiff("", got, want); d != "" {
		t.Fatalf("the fast reader differs from yaml.v3 at %s\n%q", d, data)
	}
	if g, w := warningsText(gotWarnings), warningsText(wantWarnings); g != w {
		t.Fatalf("warnings differ:\n got %s\nwant %s\n%q", g, w, data)
	}
	return true, ""
}

func warningsText(ws []*SyntaxError) string {
	var b strings.Builder
	for _, w := range ws {
		fmt.Fprintf(&b, "[%d:%d %s]", w.Line, w.Col, w.Msg)
	}
	return b.String()
}

// nodeDiff describes the first difference between two trees, or returns "".
func nodeDiff(path string, got, want *Node) string {
	if got == nil || want == nil {
		if got != want {
			return fmt.Sprintf("%s: got %v, want %v", path, got, want)
		}
		return ""
	}
	if got.Kind != want.Kind || got.Text != want.Text || got.Line != want.Line || got.Col != want.Col {
		return fmt.Sprintf("%s: got %s %q at %d:%d, want %s %q at %d:%d", path,
			got.Kind, got.Text, got.Line, got.Col, want.Kind, want.Text, want.Line, want.Col)
	}
	if !slices.Equal(got.Keys, want.Keys) || len(got.Values) != len(want.Values) {
		return fmt.Sprintf("%s: got keys %q and %d values, want %q and %d", path, got.Keys, len(got.Values), want.Keys, len(want.Values))
	}
	for i, k := range got.Keys {
		if got.Get(k) != got.Values[i] {
			return fmt.Sprintf("%s: Get(%q) is not the member's value", path, k)
		}
	}
	for i := range got.Values {
		if d := nodeDiff(fmt.Sprintf("%s/%d", path, i), got.Values[i], want.Values[i]); d != "" {
			return d
		}
	}
	return ""
}

func TestYAMLFastAgrees(t *testing.T) {
	for _, c := range yamlCases {
		t.Run(c.name, func(t *testing.T) {
			fast, why := checkYAMLFast(t, []byte(c.doc))
			if fast != c.fast {
				t.Errorf("fast path taken: %v (%s), want %v", fast, why, c.fast)
			}
			// ParseYAML gives the same result whichever path it takes,
			// and yaml.v3's error, placed on the line the fast reader
			// found indented wrongly if it did.
			n, w, err := ParseYAML([]byte(c.doc))
			want, wantW, wantErr := parseYAMLv3([]byte(c.doc))
			_, _, fault, _ := readYAML([]byte(c.doc))
			wantErr = indented(wantErr, fault)
			if (err == nil) != (wantErr == nil) || err != nil && err.Error() != wantErr.Error() {
				t.Fatalf("ParseYAML error %v, yaml.v3 path %v", err, wantErr)
			}
			if d := nodeDiff("", n, want); d != "" {
				t.Fatalf("ParseYAML differs at %s", d)
			}
			if warningsText(w) != warningsText(wantW) {
				t.Fatalf("ParseYAML warnings %s, want %s", warningsText(w), warningsText(wantW))
			}
		})
	}
}

// TestYAMLFastRepo reads every YAML file of the repository with both paths:
// where the fast reader reads a file, it must build what yaml.v3 builds.
func TestYAMLFastRepo(t *testing.T) {
	fast := checkYAMLFiles(t, "../..")
	for _, f := range []string{"public.yaml", "user.yaml"} {
		if !fast[f] {
			t.Errorf("%s did not take the fast path", f)
		}
	}
}

// TestYAMLFastCorpus does the same with every YAML file of the shared
// corpus, whose large specs must take the fast path.
func TestYAMLFastCorpus(t *testing.T) {
	fast := checkYAMLFiles(t, sharedtest.Dir(t, "corpus"))
	for _, f := range []string{"twilio-api-v2010.yaml", "spotify-fixed.yml", "apisguru-presalytics-ooxml.yml", "moby-docker-engine.yaml"} {
		if !fast[f] {
			t.Errorf("%s did not take the fast path", f)
		}
	}
}

// checkYAMLFiles compares the two paths on the YAML files under root and
// returns which of them (by base name) took the fast path.
func checkYAMLFiles(t *testing.T, root string) map[string]bool {
	t.Helper()
	var files []string
	err := filepath.WalkDir(root, func(path string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if d.IsDir() && d.Name() == ".git" {
			return filepath.SkipDir
		}
		if ext := filepath.Ext(path); !d.IsDir() && (ext == ".yaml" || ext == ".yml") {
			files = append(files, path)
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	fast := map[string]bool{}
	var slow []string
	for _, f := range files {
		data, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		ok, why := checkYAMLFast(t, data)
		fast[filepath.Base(f)] = ok
		if !ok {
			slow = append(slow, fmt.Sprintf("%s (%s)", f, why))
		}
	}
	t.Logf("%d of %d YAML files took the fast path; yaml.v3 read:\n%s", len(files)-len(slow), len(files), strings.Join(slow, "\n"))
	return fast
}

// TestPlainTag checks the shortcut of plainTag against yaml.v3's resolution.
func TestPlainTag(t *testing.T) {
	for c := range 256 {
		for _, rest := range []string{"", "1", "rue", "RUE", "alse", "ALSE", "ull", "ULL", "uLL", "o", "es", "n", "ff",
			"<", "~", ".5", "inf", "Inf", "nan", "NaN", "x", "001-12-14", "0x1F", "_000", "e3"} {
			s := string(rune(c)) + rest
			if c >= 0x80 {
				s = string([]byte{byte(c)}) + rest
			}
			if c == 0 {
				s = rest
			}
			want := (&yaml.Node{Kind: yaml.ScalarNode, Value: s}).ShortTag()
			if got := plainTag([]byte(s)); got != want {
				t.Errorf("plainTag(%q) = %s, want %s", s, got, want)
			}
		}
	}
}

// FuzzYAMLFast checks that whenever the fast reader accepts a document,
// yaml.v3 accepts it too and builds the same tree and warnings.
func FuzzYAMLFast(f *testing.F) {
	for _, c := range yamlCases {
		f.Add([]byte(c.doc))
	}
	for _, s := range fuzzYAMLSeeds {
		f.Add([]byte(s))
	}
	g := &yamlGen{rng: rand.New(rand.NewPCG(5, 6))}
	for range 50 {
		f.Add([]byte(g.document()))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		checkYAMLFast(t, data)
	})
}

// fuzzYAMLSeeds are documents written like specs, and what the fuzzer found.
var fuzzYAMLSeeds = []string{
	"openapi: 3.0.0\ninfo:\n  title: T\n  version: '1'\npaths:\n  /a/{id}:\n    get:\n      parameters:\n        - name: id\n          in: path\n          required: true\n          schema: {type: string}\n      responses:\n        '200':\n          description: OK\n          content:\n            application/json:\n              schema:\n                $ref: '#/components/schemas/A'\n",
	"components:\n  schemas:\n    A:\n      type: object\n      required: [id, name]\n      properties:\n        id: {type: integer, format: int64}\n        name:\n          type: string\n          description: >-\n            The name,\n            folded.\n        tags:\n          type: array\n          items:\n            type: string\n          example:\n          - a\n          - b\n",
	"description: The authorization token for this account. This token should\n  be kept a secret, so no sharing.\nx: \"A JSON array of the [IDs](https://x.io/#ids).\\\n  \\  \\nA maximum of 50.\"\n",
	"a: |-\n  x\n b: 1\n",
	"- - a\n  - b\n- c: d\n  e: - f\n",
	"a:\n  - b\n  -\n  - c: |\n      d\n    e: 'f'\n",
	"k: v\n\n\n  # comment\n\nl: w\n",
	"a: 'x''y'\nb: \"\\\"\"\nc: '#'\nd: \":\"\ne: x:y\nf: x :y\n",
	"a:  \n  b\n",
	"? x\n",
	"a: b\n  # c\n  d\n",
	// Near-misses of the subset: line ends, marks, tabs, duplicates,
	// keys around libyaml's 1024-character limit, markers in scalars.
	"\ufeff---\r\na: 1\r\nb:\r\n  - c\r\n",
	"a: 1\rb: 2\n",
	"a:\tb\nc: d\t# e\n",
	"a: 1\na: 2\nb: {c: 1, c: 2}\n",
	"a: \"x\n---\ny\"\n",
	"a: |\n  x\n---\n",
	"a: >\n\n  x\n\n\n  y\n \n",
	"a: [b, {c: d}, [e]]\nf: {g: [h, i], j: {}}\n",
	"a: 'x\n\n  y'\nb: \"\\u00e9\\U0001F600\\x41\"\n",
	"a: \"\\U0010FFFF\"\n",
	"a: \"\\U00110000\"\n",
	"a: \"\\U80000000\"\n",
	"a: \"\\UFFFFFFFF\"\n",
	"a: \"\\uDC00\"\n",
	"a: \"\\xG1\"\n",
	"a: \"\\x4\"\n",
	"- a\n-  - b\n   - c\n-\n",
	"a: b: c\n",
	"a:\n- b\n- c\nd: e\n",
	"\"a b\": 1\n'c''d': 2\n",
	"x: 1.0\ny: 0x1F\nz: 1e3\nw: .inf\nv: ~\nu: Null\nt: yes\n",
}

// BenchmarkYAMLRead compares the fast reader with the yaml.v3 path on large
// specs, interleaved: each iteration parses the document with both.
func BenchmarkYAMLRead(b *testing.B) {
	corpus := sharedtest.Dir(b, "corpus")
	for _, f := range []string{"oas30/twilio-api-v2010.yaml", "oas30/spotify-fixed.yml"} {
		data, err := os.ReadFile(filepath.Join(corpus, f))
		if err != nil {
			b.Fatal(err)
		}
		b.Run(filepath.Base(f), func(b *testing.B) {
			var fast, lib time.Duration
			for b.Loop() {
				start := time.Now()
				if _, _, _, ok := readYAML(data); !ok {
					b.Fatal("not read by the fast reader")
				}
				mid := time.Now()
				if _, _, err := parseYAMLv3(data); err != nil {
					b.Fatal(err)
				}
				fast += mid.Sub(start)
				lib += time.Since(mid)
			}
			b.ReportMetric(fast.Seconds()*1e3/float64(b.N), "fast-ms")
			b.ReportMetric(lib.Seconds()*1e3/float64(b.N), "yamlv3-ms")
			b.ReportMetric(float64(lib)/float64(fast), "yamlv3/fast")
		})
	}
}

// yamlLines are lines that documents are made of in TestYAMLFastGenerated.
var yamlLines = []string{
	"a: 1", "a:", "b: c d", "- a", "-", "- b: 2", "- - z", "x", "y z", "'q'", `"d\`, `e"`, `"f`, `g"`,
	"|", "|-", ">", ">+2", "h: |", "i: >-", "# c", "", "? k", ": v", ":", ": - w", "[a,", "b]", "{a: 1}",
	"c: [x, 'y']", "j: {k: [l]}", "m: 'n''o'", `p: "q\tr"`, "s: t # u", "v: w\tx", "y: http://z", "~: null",
	"1: 2", "- ? u", "a: b: c", "---", "- |", "   ", "t: 'u", "v'", "é: ü", "w:  # c", "- 'x': y",
}

// TestYAMLFastGenerated compares the two paths on documents made of lines
// of yamlLines at various indentations: every pair, and random longer ones.
func TestYAMLFastGenerated(t *testing.T) {
	var lines []string
	for _, l := range yamlLines {
		for _, indent := range []string{"", " ", "  ", "    "} {
			lines = append(lines, indent+l)
		}
	}
	fast, all := 0, 0
	check := func(doc string) {
		all++
		if ok, _ := checkYAMLFast(t, []byte(doc)); ok {
			fast++
		}
	}
	for _, a := range lines {
		for _, b := range lines {
			check(a + "\n" + b + "\n")
		}
	}
	rng := rand.New(rand.NewPCG(1, 2))
	n := 50000
	if testing.Short() {
		n = 5000
	}
	for range n {
		var b strings.Builder
		for range 3 + rng.IntN(6) {
			b.WriteString(lines[rng.IntN(len(lines))])
			b.WriteByte('\n')
		}
		check(b.String())
	}
	t.Logf("%d of %d documents took the fast path", fast, all)
}

// yamlGen writes random documents in the style of specs, with the
// constructs the fast reader knows in random combinations.
type yamlGen struct {
	rng *rand.Rand
	b   strings.Builder
}

var genWords = []string{"a", "type", "string", "true", "False", "~", "null", "0x1F", "1e3", ".inf", "-.5", "yes",
	"2001-12-14", "a#b", "http://x.io/a?b=c", "a:b", "-1", "é", "x y", "12:30", "<<", "0", "-0", "007", "1_000",
	"+1", "1.", "NaN", "0o17", "0b11", "ü ö", "200", "'", "a'b", `a"b`, "a -b", "a ?b", "%a", "a]", "a}", "a,b"}

func (g *yamlGen) pick(s []string) string { return s[g.rng.IntN(len(s))] }
func (g *yamlGen) chance(n int) bool      { return g.rng.IntN(n) == 0 }

// gap may write blank and comment lines.
func (g *yamlGen) gap(indent int) {
	for g.chance(4) {
		if g.chance(2) {
			g.b.WriteString(strings.Repeat(" ", g.rng.IntN(indent+3)) + "# c:x\n")
		} else {
			g.b.WriteString(strings.Repeat(" ", g.rng.IntN(3)) + "\n")
		}
	}
}

// flowWord returns a word usable inside a flow collection.
func (g *yamlGen) flowWord() string {
	for {
		if w := g.pick(genWords); !strings.ContainsAny(w, ",[]{}?:#'\"%") && w != "-0" {
			return w
		}
	}
}

func (g *yamlGen) flow(depth int) string {
	if depth > 2 || g.chance(3) {
		switch g.rng.IntN(3) {
		case 0:
			return "'" + strings.ReplaceAll(g.pick(genWords), "'", "''") + "'"
		case 1:
			return `"` + g.pick([]string{`x\ty`, `\u00e9`, `a\"b`, `\\`, `#`, ": ", ""}) + `"`
		}
		return g.flowWord()
	}
	var items []string
	for range g.rng.IntN(4) {
		if g.chance(2) {
			items = append(items, g.flow(depth+1))
		} else {
			items = append(items, g.flowWord()+": "+g.flow(depth+1))
		}
	}
	sep := ", "
	if g.chance(4) {
		sep = ",\n  "
	}
	if strings.Contains(strings.Join(items, ""), ": ") || g.chance(2) {
		for i, it := range items {
			if !strings.Contains(it, ": ") || strings.HasPrefix(it, `"`) || strings.HasPrefix(it, "'") || strings.HasPrefix(it, "[") || strings.HasPrefix(it, "{") {
				items[i] = fmt.Sprintf("k%d: %s", i, it)
			}
		}
		return "{" + strings.Join(items, sep) + "}"
	}
	return "[" + strings.Join(items, sep) + "]"
}

// scalar writes a scalar value after "key:" or "- " (the line's content so
// far is written); indent is the collection's column.
func (g *yamlGen) scalar(indent int) {
	more := strings.Repeat(" ", indent+1+g.rng.IntN(3))
	switch g.rng.IntN(9) {
	case 0: // plain over several lines
		g.b.WriteString(" " + g.flowWord() + " " + g.flowWord())
		for range 1 + g.rng.IntN(3) {
			g.b.WriteString("\n")
			if g.chance(3) {
				g.b.WriteString("\n")
			}
			g.b.WriteString(more + g.flowWord())
		}
		g.b.WriteString("\n")
	case 1: // single-quoted
		g.b.WriteString(" '" + strings.ReplaceAll(g.pick(genWords), "'", "''"))
		if g.chance(2) {
			g.b.WriteString("\n" + more + "\n" + more + "x ")
		}
		g.b.WriteString("'\n")
	case 2: // double-quoted
		g.b.WriteString(` "` + g.pick([]string{`x\ty`, `\u00e9\x41`, `a\"b`, `\\`, "#", "a: b", `\U0001F600`, `\ `}))
		if g.chance(2) {
			g.b.WriteString(g.pick([]string{"\\\n" + more + "\\ x", "\n\n" + more + "y", "  \n" + more + "z\\\n"}))
		}
		g.b.WriteString("\"\n")
	case 3, 4: // block scalar
		g.b.WriteString(" " + g.pick([]string{"|", ">", "|-", ">-", "|+", ">+", "|2", ">1-", "|+1"}))
		if g.chance(3) {
			g.b.WriteString(" # c")
		}
		g.b.WriteString("\n")
		base := indent + 2
		for range g.rng.IntN(5) {
			switch g.rng.IntN(5) {
			case 0:
				g.b.WriteString("\n")
			case 1:
				g.b.WriteString(strings.Repeat(" ", base+2) + "more indented\n")
			case 2:
				g.b.WriteString(strings.Repeat(" ", base) + " \n")
			default:
				g.b.WriteString(strings.Repeat(" ", base) + g.pick(genWords) + " text\n")
			}
		}
	case 5:
		g.b.WriteString(" " + g.flow(0) + "\n")
	case 6:
		g.b.WriteString("\n")
	default:
		w := g.pick(genWords)
		for strings.ContainsAny(w[:1], `'"%`) {
			w = g.pick(genWords)
		}
		g.b.WriteString(" " + w)
		if g.chance(4) {
			g.b.WriteString(" # c")
		}
		g.b.WriteString("\n")
	}
}

// mapping writes a block mapping at column indent; the first key goes on
// the current line when inline.
func (g *yamlGen) mapping(indent, depth int, inline bool) {
	for i := range 1 + g.rng.IntN(4) {
		if i > 0 || !inline {
			g.gap(indent)
			g.b.WriteString(strings.Repeat(" ", indent))
		}
		key := g.pick([]string{"k", "type", "'q k'", `"d k"`, "200", "~", "x y", "é", "k"})
		if g.chance(8) {
			g.b.WriteString("? " + key + "\n")
			g.gap(indent)
			g.b.WriteString(strings.Repeat(" ", indent) + ":")
		} else {
			g.b.WriteString(key + ":")
		}
		g.value(indent, depth, true)
	}
}

// value writes the value of a key or entry at column indent.
func (g *yamlGen) value(indent, depth int, inMapping bool) {
	if depth > 4 || g.chance(2) {
		g.scalar(indent)
		return
	}
	child := indent + 1 + g.rng.IntN(3)
	switch g.rng.IntN(4) {
	case 0:
		g.b.WriteString("\n")
		g.mapping(child, depth+1, false)
	case 1:
		g.b.WriteString("\n")
		if inMapping && g.chance(2) {
			child = indent
		}
		g.sequence(child, depth+1, false)
	default:
		if inMapping {
			g.b.WriteString("\n")
			g.mapping(child, depth+1, false)
			return
		}
		g.b.WriteString(" ")
		if g.chance(2) {
			g.mapping(indent+2, depth+1, true)
		} else {
			g.sequence(indent+2, depth+1, true)
		}
	}
}

func (g *yamlGen) sequence(indent, depth int, inline bool) {
	for i := range 1 + g.rng.IntN(4) {
		if i > 0 || !inline {
			g.gap(indent)
			g.b.WriteString(strings.Repeat(" ", indent))
		}
		g.b.WriteString("-")
		g.value(indent, depth, false)
	}
}

func (g *yamlGen) document() string {
	g.b.Reset()
	if g.chance(8) {
		g.b.WriteString("\ufeff")
	}
	if g.chance(4) {
		g.b.WriteString("# head\n---\n")
	}
	if g.chance(3) {
		g.sequence(g.rng.IntN(2), 0, false)
	} else {
		g.mapping(g.rng.IntN(2), 0, false)
	}
	s := g.b.String()
	if g.chance(5) {
		s = strings.ReplaceAll(s, "\n", "\r\n")
	}
	return s
}

// TestYAMLFastSpecLike compares the two paths on random documents written
// as specs are.
func TestYAMLFastSpecLike(t *testing.T) {
	g := &yamlGen{rng: rand.New(rand.NewPCG(3, 4))}
	n := 20000
	if testing.Short() {
		n = 2000
	}
	fast := 0
	for range n {
		if ok, _ := checkYAMLFast(t, []byte(g.document())); ok {
			fast++
		}
	}
	t.Logf("%d of %d documents took the fast path", fast, n)
}
