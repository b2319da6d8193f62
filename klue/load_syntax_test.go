package klue_test

import (
	"strings"
	"testing"
	"testing/fstest"

	"github.com/klue-go/klue-client-server/klue"
)

// TestBrokenFilesArePlaced checks that a spec file that does not parse,
// the root file or one a $ref reaches, fails Pool.Add with the file, the
// line and the column of the fault and a message that says what is wrong.
func TestBrokenFilesArePlaced(t *testing.T) {
	t.Parallel()
	const head = "openapi: 3.0.3\ninfo: {title: t, version: '1'}\npaths: {}\n"
	for _, c := range []struct {
		name, file, doc string
		want            string
	}{
		{"unclosed quote", "spec.yaml", head + "x: \"abc\ny: 1\n", "spec.yaml:4:4: quoted string not closed: the file ends inside it"},
		{"bad indentation", "spec.yaml", head + "components:\n  schemas:\n    A: {}\n   B: {}\n", "spec.yaml:7:4: bad indentation of a mapping key"},
		{"tab", "spec.yaml", head + "components:\n  schemas:\n\t  A: {}\n", "spec.yaml:6:1: tab character in indentation"},
		{"NUL", "spec.yaml", head + "x: a\x00\n", "spec.yaml:4:5: control character U+0000"},
		{"invalid UTF-8", "spec.yaml", head + "x: é\xff\n", "spec.yaml:4:5: invalid UTF-8: byte 0xff"},
		{"truncated flow", "spec.yaml", head + "x: {a: [1, 2", "spec.yaml:"},
		{"second document", "spec.yaml", head + "---\ncomponents: {}\n", "spec.yaml:5:1: another YAML document starts here"},
		{"JSON unclosed string", "spec.json", `{"openapi": "3.0.3", "info": {"title": "t, "version": "1"}, "paths": {}}`, "spec.json:1:45: unexpected 'v'"},
		{"JSON invalid UTF-8", "spec.json", "{\"openapi\": \"3.0.3\", \"info\": {\"title\": \"t\xff\", \"version\": \"1\"}, \"paths\": {}}", "spec.json:1:42: invalid UTF-8 in string: byte 0xff"},
		{"JSON truncated", "spec.json", `{"openapi": "3.0.3", "info": {"title": "t", "version": "1"}, "paths": {`, "spec.json:1:72: unexpected end of input"},
	} {
		err := klue.NewPool().Add("api", klue.Bytes(c.file, []byte(c.doc)))
		le := asLoadError(t, err)
		if len(le.Problems) != 1 || !strings.HasPrefix(le.Problems[0].Error(), c.want) {
			t.Errorf("%s: %v, want one problem %q...", c.name, err, c.want)
		}
	}
}

// TestBrokenRefFilesArePlaced checks the same for files that $refs reach,
// also when a file is reached several times and first from a place that
// looks at it only for Swagger 2.0 subtypes.
func TestBrokenRefFilesArePlaced(t *testing.T) {
	t.Parallel()
	for _, c := range []struct{ name, doc, want string }{
		{"unclosed quote", "A:\n  type: \"object\n", `models.yaml:2:9: quoted string not closed`},
		{"tab", "A:\n\ttype: object\n", `models.yaml:2:1: tab character in indentation`},
		{"invalid UTF-8", "A:\n  description: \xff\n", `models.yaml:2:16: invalid UTF-8: byte 0xff`},
		{"NUL", "A: {type: object}\x00\n", `models.yaml:1:18: control character U+0000`},
	} {
		fsys := fstest.MapFS{
			"api/swagger.yaml": {Data: []byte(`swagger: "2.0"
info: {title: t, version: "1"}
paths: {}
definitions:
  B:
    allOf: [{$ref: 'models.yaml#/A'}]
  C: {$ref: 'models.yaml#/A'}
`)},
			"api/models.yaml": {Data: []byte(c.doc)},
		}
		err := klue.NewPool().Add("api", klue.FS(fsys, "api/swagger.yaml"))
		le := asLoadError(t, err)
		for _, p := range le.Problems {
			if !strings.Contains(p.Error(), c.want) {
				t.Errorf("%s: problem %q does not say %q", c.name, p, c.want)
			}
		}
		if len(le.Problems) == 0 {
			t.Errorf("%s: no problem", c.name)
		}
	}
}

// TestRefToFileWithAnchors checks that a file a $ref reaches may use what
// the fast YAML reader leaves to yaml.v3 (anchors, aliases, merge keys),
// and that a problem found in it once its tree is released is placed in it.
func TestRefToFileWithAnchors(t *testing.T) {
	t.Parallel()
	fsys := fstest.MapFS{
		"api/openapi.yaml": {Data: []byte(`openapi: 3.0.3
info: {title: t, version: '1'}
paths: {}
components:
  schemas:
    A: {$ref: 'models.yaml#/A'}
`)},
		"api/models.yaml": {Data: []byte(`base: &b {type: string, minLength: 2}
A:
  type: object
  properties:
    x: *b
    y: {<<: *b, maxLength: 3}
`)},
	}
	pool := klue.NewPool()
	if err := pool.Add("api", klue.FS(fsys, "api/openapi.yaml")); err != nil {
		t.Fatal(err)
	}
	api, _ := pool.API("api")
	checkModel(t, api, "A", klue.Neutral, []valueCase{
		{`{"x": "ab", "y": "abc"}`, true},
		{`{"x": "a"}`, false},
		{`{"y": "abcd"}`, false},
		{`{"y": "a"}`, false},
	})

	fsys["api/models.yaml"] = &fstest.MapFile{Data: []byte("base: &b {type: string, pattern: '('}\nA:\n  type: object\n  properties:\n    x: *b\n")}
	le := asLoadError(t, klue.NewPool().Add("api", klue.FS(fsys, "api/openapi.yaml")))
	if lines := problemLines(le); len(lines) == 0 || !strings.HasPrefix(lines[0], "api/models.yaml:1:34: /A/properties/x/pattern: ") {
		t.Errorf("problems %q, want the first at the anchor, api/models.yaml:1:34", lines)
	}
}

// TestJSONKeyGivenTwice checks that a key given twice in a JSON spec is
// read as in a YAML one: its last value, everywhere (the model, the
// compiled schemas, SpecJSON), with a warning at the key.
func TestJSONKeyGivenTwice(t *testing.T) {
	t.Parallel()
	doc := `{"openapi": "3.0.3", "info": {"title": "first", "version": "1"},
 "info": {"title": "last", "version": "1"}, "paths": {},
 "components": {"schemas": {"A": {"type": "string", "type": "integer"}}}}`
	pool := klue.NewPool()
	if err := pool.Add("api", klue.Bytes("spec.json", []byte(doc))); err != nil {
		t.Fatal(err)
	}
	api, _ := pool.API("api")
	if api.Title() != "last" || !strings.Contains(string(api.SpecJSON()), `"title":"last"`) || strings.Contains(string(api.SpecJSON()), "first") {
		t.Errorf("title %q, SpecJSON %s", api.Title(), api.SpecJSON())
	}
	checkModel(t, api, "A", klue.Neutral, []valueCase{{`1`, true}, {`"x"`, false}})
	var warnings []string
	for _, w := range api.Warnings() {
		warnings = append(warnings, w.Error())
	}
	want := []string{`spec.json:2:2: duplicate key "info": the last value is used`, `spec.json:3:53: duplicate key "type": the last value is used`}
	if strings.Join(warnings, "\n") != strings.Join(want, "\n") {
		t.Errorf("warnings %q, want %q", warnings, want)
	}
}
