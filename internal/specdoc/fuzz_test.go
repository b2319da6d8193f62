package specdoc_test

import (
	"testing"

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
	} {
		f.Add("spec.yaml", []byte(seed))
		f.Add("spec.json", []byte(seed))
	}
	f.Fuzz(func(t *testing.T, name string, data []byte) {
		n, _, err := specdoc.Parse(name, data)
		if err != nil {
			return
		}
		_ = n.Value()
		_ = n.Pointer("/a/0")
	})
}
