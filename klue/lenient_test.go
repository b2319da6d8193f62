package klue_test

import (
	"testing"

	"github.com/klue-go/klue-client-server/klue"
)

// Each fault lenient mode forgives: an error by default, the same line as
// a warning under WithLenient, and the spec then judges valid messages as
// its author meant.
func TestLenientForgives(t *testing.T) {
	t.Parallel()
	for _, c := range []struct {
		file  string
		fault string
		model string
		valid []any
		bad   []any
	}{
		{
			file:  "testdata/lenient/propsref.yaml",
			fault: `testdata/lenient/propsref.yaml:10:15: /components/schemas/Wrapper/properties/$ref: properties holds "$ref": a property list cannot be a reference (put the $ref in an allOf, or list the properties)`,
			model: "Wrapper",
			valid: []any{map[string]any{"id": 1}},
			bad:   []any{map[string]any{"id": "1"}, map[string]any{}},
		},
		{
			file:  "testdata/lenient/mappingref.yaml",
			fault: `testdata/lenient/mappingref.yaml:15:13: /components/schemas/Pet/discriminator/mapping/cat: a mapping value is a schema name or a reference string, not a $ref object`,
			model: "Pet",
			valid: []any{map[string]any{"kind": "cat", "meow": true}},
			bad:   []any{map[string]any{"kind": "cat", "meow": "yes"}},
		},
		{
			file:  "testdata/defaults/wrongtype.yaml",
			fault: `testdata/defaults/wrongtype.yaml:9:43: /components/schemas/Settings/properties/retries/default: default "3" does not fit its schema: got string, want integer`,
			model: "Settings",
			valid: []any{map[string]any{"retries": 3}},
			bad:   []any{map[string]any{"retries": "3"}},
		},
		{
			file:  "testdata/paths/identical.yaml",
			fault: `testdata/paths/identical.yaml:12:7: /paths/~1journals~1{JournalNumber}/get: GET /journals/{JournalNumber} has the same template as GET /journals/{JournalID} (testdata/paths/identical.yaml:6:7), which answers all its requests: OpenAPI forbids templates that differ only in parameter names`,
		},
	} {
		le := asLoadError(t, klue.NewPool().Add("api", klue.File(c.file)))
		if got := problemLines(le); len(got) == 0 || got[0] != c.fault {
			t.Errorf("strict %s: problems\n%v\nwant first\n%s", c.file, got, c.fault)
		}
		api := loadFile(t, c.file, klue.WithLenient())
		found := false
		for _, w := range warningLines(api) {
			found = found || w == c.fault
		}
		if !found {
			t.Errorf("lenient %s: warnings\n%v\nwant among them\n%s", c.file, warningLines(api), c.fault)
		}
		if c.model == "" {
			continue
		}
		m, err := api.Model(c.model)
		if err != nil {
			t.Fatal(err)
		}
		for _, v := range c.valid {
			if err := m.Schema.Validate(v); err != nil {
				t.Errorf("lenient %s: %v refused: %v", c.file, v, err)
			}
		}
		for _, v := range c.bad {
			if err := m.Schema.Validate(v); err == nil {
				t.Errorf("lenient %s: %v accepted", c.file, v)
			}
		}
	}
}
