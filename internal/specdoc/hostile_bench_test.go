package specdoc_test

import (
	"fmt"
	"strings"
	"testing"

	"github.com/klue-go/klue-client-server/internal/specdoc"
)

// hostileShapes build documents of about n units of an odd shape: each
// must parse (or fail) in time linear in its size.
var hostileShapes = []struct {
	name, file string
	doc        func(n int) string
}{
	{"yaml long line", "a.yaml", func(n int) string { return "a: " + strings.Repeat("x", 16*n) + "\n" }},
	{"yaml long plain scalar over lines", "a.yaml", func(n int) string {
		return "a: x\n" + strings.Repeat("  word word word\n", n)
	}},
	{"yaml many keys", "a.yaml", func(n int) string {
		var b strings.Builder
		for i := range n {
			fmt.Fprintf(&b, "k%d: %d\n", i, i)
		}
		return b.String()
	}},
	{"yaml many duplicate keys", "a.yaml", func(n int) string {
		var b strings.Builder
		for i := range n {
			fmt.Fprintf(&b, "k%d: %d\nk0: %d\n", i, i, i)
		}
		return b.String()
	}},
	{"yaml.v3 many duplicate keys", "a.yaml", func(n int) string {
		var b strings.Builder
		b.WriteString("z: &a 1\n") // an anchor: read by yaml.v3
		for i := range n {
			fmt.Fprintf(&b, "k%d: %d\nk%d: %d\n", i, i, i, i)
		}
		return b.String()
	}},
	{"yaml long keys", "a.yaml", func(n int) string {
		// Keys over the fast reader's limit: read by yaml.v3.
		var b strings.Builder
		for i := range n / 64 {
			fmt.Fprintf(&b, "%s%d: 1\n", strings.Repeat("k", 1100), i)
		}
		return b.String()
	}},
	{"yaml aliases", "a.yaml", func(n int) string {
		var b strings.Builder
		b.WriteString("a: &a {x: [1, 2, 3], y: {z: 1}}\n")
		for i := range n {
			fmt.Fprintf(&b, "b%d: *a\n", i)
		}
		return b.String()
	}},
	{"yaml huge flow sequence", "a.yaml", func(n int) string {
		return "a: [" + strings.Repeat("12345, ", n) + "0]\n"
	}},
	{"yaml huge flow mapping", "a.yaml", func(n int) string {
		var b strings.Builder
		b.WriteString("a: {")
		for i := range n {
			fmt.Fprintf(&b, "k%d: v, ", i)
		}
		b.WriteString("z: 0}\n")
		return b.String()
	}},
	{"yaml block scalar with blank and indented lines", "a.yaml", func(n int) string {
		return "a: |\n" + strings.Repeat("  x\n\n\n     y\n", n)
	}},
	{"yaml CRLF", "a.yaml", func(n int) string { return strings.Repeat("- a: 1\r\n  b: [x, y]\r\n", n) }},
	{"yaml nested sequences, repeated", "a.yaml", func(n int) string {
		return strings.Repeat("- "+strings.Repeat("[", 100)+strings.Repeat("]", 100)+"\n", n/10+1)
	}},
	{"yaml too deep, repeated", "a.yaml", func(n int) string {
		// Over MaxDepth: refused, after reading the first of them.
		return strings.Repeat("- "+strings.Repeat("[", 600)+strings.Repeat("]", 600)+"\n", n/50+1)
	}},
	{"yaml invalid UTF-8 at the end", "a.yaml", func(n int) string {
		return strings.Repeat("k: v\n", n) + "x: \xff\n"
	}},
	{"json many keys", "a.json", func(n int) string {
		var b strings.Builder
		b.WriteString("{")
		for i := range n {
			fmt.Fprintf(&b, "%q: %d, ", fmt.Sprint("k", i), i)
		}
		b.WriteString(`"z": 0}`)
		return b.String()
	}},
	{"json many duplicate keys", "a.json", func(n int) string {
		var b strings.Builder
		b.WriteString("{")
		for i := range n {
			fmt.Fprintf(&b, `"k%d": 1, "k0": %d, `, i, i)
		}
		b.WriteString(`"z": 0}`)
		return b.String()
	}},
	{"json long escaped string", "a.json", func(n int) string {
		return `{"a": "` + strings.Repeat(`\u00e9\ud83d\ude00\n`, n) + `"}`
	}},
	{"json nested arrays, repeated", "a.json", func(n int) string {
		return "[" + strings.Repeat(strings.Repeat("[", 400)+strings.Repeat("]", 400)+",", n/10+1) + "0]"
	}},
}

// BenchmarkHostile parses each hostile shape at two sizes, n and 2n: the
// ns/byte figures of the two must be about the same.
func BenchmarkHostile(b *testing.B) {
	for _, s := range hostileShapes {
		for _, n := range []int{20_000, 40_000} {
			doc := []byte(s.doc(n))
			b.Run(fmt.Sprintf("%s/n=%d", s.name, n), func(b *testing.B) {
				b.SetBytes(int64(len(doc)))
				for b.Loop() {
					specdoc.Parse(s.file, doc)
				}
				b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N)/float64(len(doc)), "ns/byte")
			})
		}
	}
}
