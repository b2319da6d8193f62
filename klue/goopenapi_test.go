package klue_test

import (
	"os"
	"path/filepath"
	"sort"
	"strings"
	"testing"

	"go.yaml.in/yaml/v3"

	"github.com/klue-go/klue-client-server/internal/sharedtest"
	"github.com/klue-go/klue-client-server/klue"
)

// notChecked lists the go-openapi/validate fixtures whose verdict klue does
// not share, and why: each is about something klue deliberately does not
// check. The test fails if the list goes stale in either direction.
var notChecked = map[string]string{
	// Spec shape: klue does not validate documents against the Swagger 2.0
	// meta-schema, so that the many real specs that bend it still load.
	"fixture-1231.yaml":   "a parameter object with an example key (not in the Swagger 2.0 meta-schema)",
	"fixture-1243-3.yaml": "a path parameter not marked required: klue treats path parameters as required",
	"fixture-1243.yaml":   "a $ref in a response header, which Swagger 2.0 does not allow: klue resolves it",
	// $ref siblings: Swagger 2.0 says they are ignored, and klue ignores them.
	"fixture-1289.yaml":         "type: array beside a $ref: siblings of $ref are ignored, so no items are needed",
	"fixture-bad-response.yaml": "keys beside a response $ref: ignored",
	// JSON Schema semantics where go-openapi is stricter.
	"fixture-1238.yaml": "items on an object schema: JSON Schema applies items to arrays only, so it is harmless",
	// Path templates: real specs (connexion's relative_refs fixture) leave
	// path parameters undeclared and must load.
	"fixture-1243-2.yaml": "an undeclared path parameter: klue warns and takes it as a required string",
	// Defaults: OpenAPI asks a default to match the type of its own schema
	// level; one that fails the rest of its schema is a warning, unless klue
	// fills it into requests (parameter defaults). go-openapi checks the
	// whole schema.
	"fixture-additional-items-2.yaml":              "a body schema's default whose nested objects lack a required property",
	"fixture-additional-items-invalid-values.yaml": "body and response schema defaults whose items do not fit their item schemas",
	"fixture-patternProperties.json":               "an object default whose property has the wrong type",
	"gentest3.yaml":                                "a response header's default that is not a valid date",
}

func TestGoOpenAPIVerdicts(t *testing.T) {
	corpus := sharedtest.Dir(t, "corpus")
	t.Parallel()
	dir := filepath.Join(corpus, "fixtures/go-openapi-validate")
	data, err := os.ReadFile(filepath.Join(dir, "expected_messages.yaml"))
	if err != nil {
		t.Fatal(err)
	}
	var oracle map[string]struct {
		LoadError bool `yaml:"expectedLoadError"`
		Valid     bool `yaml:"expectedValid"`
		Messages  []struct {
			Message string `yaml:"message"`
		} `yaml:"expectedMessages"`
	}
	if err := yaml.Unmarshal(data, &oracle); err != nil {
		t.Fatal(err)
	}
	names := make([]string, 0, len(oracle))
	for name := range oracle {
		names = append(names, name)
	}
	sort.Strings(names)
	agree := 0
	for _, name := range names {
		want := oracle[name]
		err := klue.NewPool().Add("spec", klue.File(filepath.Join(dir, name)))
		loaded := err == nil
		expected := want.Valid && !want.LoadError
		_, listed := notChecked[name]
		switch {
		case loaded == expected && listed:
			t.Errorf("%s: klue agrees (loaded=%v) but the fixture is listed as not checked", name, loaded)
		case loaded == expected:
			agree++
		case !listed:
			first := ""
			if len(want.Messages) > 0 {
				first = want.Messages[0].Message
			}
			t.Errorf("%s: klue loaded=%v, oracle valid=%v (%q); klue error: %v", name, loaded, expected, first, err)
		}
	}
	t.Logf("klue agrees with go-openapi/validate on %d of %d fixtures; %d are about checks klue does not make", agree, len(names), len(notChecked))
}

// defaultNotChecked lists the fixtures of default/ whose verdict klue does
// not share, and why.
var defaultNotChecked = map[string]string{
	// OpenAPI asks a default to match the type of its own schema level; one
	// that fails the rest of its schema is a warning, unless klue fills it
	// into requests (parameter defaults).
	"invalid-default-value-default-response.json": "a response schema's object default whose property has the wrong type",
	"invalid-default-value-header-pattern.json":   "a response header's default that does not match its pattern",
	"invalid-default-value-response-ref.json":     "a response schema's array default whose items lack a required property",
	"invalid-default-value-header-response.json":  "format uint32 is not an OpenAPI format: an annotation, not enforced",
}

// TestGoOpenAPIDefaults runs the default/ fixtures: a default of the wrong
// type must stop the load wherever it is declared, and a parameter's default
// must fit its schema wholly.
func TestGoOpenAPIDefaults(t *testing.T) {
	corpus := sharedtest.Dir(t, "corpus")
	t.Parallel()
	files, err := filepath.Glob(filepath.Join(corpus, "fixtures/go-openapi-validate/default/*.json"))
	if err != nil || len(files) < 40 {
		t.Fatalf("default/ fixtures missing: %v", err)
	}
	for _, f := range files {
		name := filepath.Base(f)
		err := klue.NewPool().Add("spec", klue.File(f))
		valid := strings.HasPrefix(name, "valid-")
		_, listed := defaultNotChecked[name]
		if (err == nil) != valid && !listed {
			t.Errorf("%s: klue error %v, fixture valid=%v", name, err, valid)
		}
		if (err == nil) == valid && listed {
			t.Errorf("%s: klue agrees but the fixture is listed as not checked", name)
		}
	}
}

// badPatternExamples are the example/ fixtures whose schemas hold a pattern
// that is no regular expression: it cannot be enforced, so the load fails.
var badPatternExamples = map[string]bool{
	"invalid-example-default-response-PatternProperties.json": true,
	"invalid-example-header-badpattern.json":                  true,
}

// TestGoOpenAPIExamples runs the example/ fixtures: examples are
// documentation, and klue loads specs whose examples do not fit (the corpus
// has real ones, lxkns.yaml), so every fixture must load, but those whose
// schemas cannot be enforced.
func TestGoOpenAPIExamples(t *testing.T) {
	corpus := sharedtest.Dir(t, "corpus")
	t.Parallel()
	files, err := filepath.Glob(filepath.Join(corpus, "fixtures/go-openapi-validate/example/*.json"))
	if err != nil || len(files) < 40 {
		t.Fatalf("example/ fixtures missing: %v", err)
	}
	for _, f := range files {
		err := klue.NewPool().Add("spec", klue.File(f))
		switch name := filepath.Base(f); {
		case badPatternExamples[name]:
			if err == nil || !strings.Contains(err.Error(), "not a valid ECMA-262 regular expression") {
				t.Errorf("%s: error %v, want the bad pattern refused", name, err)
			}
		case err != nil:
			t.Errorf("%s: %v", name, err)
		}
	}
}
