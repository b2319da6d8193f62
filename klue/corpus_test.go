package klue_test

import (
	"bufio"
	"errors"
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"github.com/klue-go/klue-client-server/internal/sharedtest"
	"github.com/klue-go/klue-client-server/klue"
)

// indexEntry is one spec of the corpus, with the operation count INDEX.md
// gives for it.
type indexEntry struct {
	path     string
	fragment bool // a file other specs refer to, not a spec itself
	ops      int
}

var indexLine = regexp.MustCompile("^- `([^`]+)` \\|[^|]*\\| ([^|]*) \\|.*\\| paths/ops \\d+/(\\d+)")

// corpusIndex reads INDEX.md.
func corpusIndex(t *testing.T) []indexEntry {
	corpus := sharedtest.Dir(t, "corpus")
	t.Helper()
	f, err := os.Open(filepath.Join(corpus, "INDEX.md"))
	if err != nil {
		t.Fatalf("the shared corpus is missing: %v", err)
	}
	defer f.Close()
	var out []indexEntry
	sc := bufio.NewScanner(f)
	sc.Buffer(make([]byte, 1<<20), 1<<20)
	for sc.Scan() {
		m := indexLine.FindStringSubmatch(sc.Text())
		if m == nil {
			continue
		}
		n, _ := strconv.Atoi(m[3])
		out = append(out, indexEntry{m[1], strings.TrimSpace(m[2]) == "fragment", n})
	}
	if len(out) < 30 {
		t.Fatalf("INDEX.md lists %d specs, expected the whole corpus", len(out))
	}
	return out
}

// mustReject lists the corpus fixtures that a correct loader refuses, with
// what the message must name.
var mustReject = map[string]string{
	"fixtures/connexion/bad_specs/swagger.yaml":           `default "somestring" does not fit its schema`,
	"fixtures/connexion/bad_specs/openapi.yaml":           `default "somestring" does not fit its schema`,
	"fixtures/connexion/default_param_error/swagger.yaml": `default "error" does not fit its schema`,
	"fixtures/connexion/default_param_error/openapi.yaml": `default "error" does not fit its schema`,
}

// loadOptions returns what a spec of the corpus needs to load: the
// multi-file petstore refers to ../common, above its root file.
func loadOptions(corpus, path string) []klue.Option {
	if strings.HasPrefix(path, "multifile/oai-petstore-separate/") {
		return []klue.Option{klue.WithRefRoot(filepath.Join(corpus, "multifile/oai-petstore-separate"))}
	}
	return nil
}

func TestCorpusLoads(t *testing.T) {
	corpus := sharedtest.Dir(t, "corpus")
	t.Parallel()
	for _, e := range corpusIndex(t) {
		t.Run(e.path, func(t *testing.T) {
			t.Parallel()
			pool := klue.NewPool()
			err := pool.Add("spec", klue.File(filepath.Join(corpus, e.path)), loadOptions(corpus, e.path)...)
			if e.fragment {
				if err == nil || !strings.Contains(err.Error(), "not an OpenAPI document") {
					t.Fatalf("a fragment loaded as a spec: %v", err)
				}
				return
			}
			if want, ok := mustReject[e.path]; ok {
				if err == nil {
					t.Fatalf("loaded; want it rejected with %q", want)
				}
				var le *klue.LoadError
				if !errors.As(err, &le) || !strings.Contains(err.Error(), want) {
					t.Fatalf("error %v; want a *LoadError naming %q", err, want)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			api, err := pool.API("spec")
			if err != nil {
				t.Fatal(err)
			}
			if got := len(api.Operations()); got != e.ops {
				t.Errorf("%d operations, INDEX.md says %d", got, e.ops)
			}
			checkCompiled(t, api)
		})
	}
}

// checkCompiled checks that every schema klue validates with was compiled.
func checkCompiled(t *testing.T, api *klue.API) {
	t.Helper()
	for _, m := range api.Models() {
		if !m.Schema.Compiled() {
			t.Errorf("model %s not compiled", m.Name)
		}
	}
	for _, op := range api.Operations() {
		for _, p := range op.Parameters {
			if p.Schema != nil && !p.Schema.Compiled() {
				t.Errorf("%s: parameter %s not compiled", op.Key(), p.Name)
			}
		}
		if op.Body != nil {
			for _, m := range op.Body.Content {
				if m.Schema != nil && !m.Schema.Compiled() {
					t.Errorf("%s: body %s not compiled", op.Key(), m.Type)
				}
			}
		}
		for _, r := range op.Responses {
			for _, m := range r.Content {
				if m.Schema != nil && !m.Schema.Compiled() {
					t.Errorf("%s: response %s %s not compiled", op.Key(), r.Status, m.Type)
				}
			}
		}
	}
}

func TestMultiFileNeedsRefRoot(t *testing.T) {
	corpus := sharedtest.Dir(t, "corpus")
	t.Parallel()
	pool := klue.NewPool()
	err := pool.Add("petstore", klue.File(filepath.Join(corpus, "multifile/oai-petstore-separate/spec/swagger.yaml")))
	if err == nil || !strings.Contains(err.Error(), `"../common/Error.yaml" refers outside the spec's directory`) {
		t.Fatalf("got %v; want the ref to ../common refused without WithRefRoot", err)
	}
}

func TestConnexionRelativeRefsResolve(t *testing.T) {
	corpus := sharedtest.Dir(t, "corpus")
	t.Parallel()
	for _, file := range []string{"swagger.yaml", "openapi.yaml"} {
		pool := klue.NewPool()
		if err := pool.Add("pets", klue.File(filepath.Join(corpus, "fixtures/connexion/relative_refs", file))); err != nil {
			t.Fatal(err)
		}
		api, _ := pool.API("pets")
		op, err := api.Operation("GET /pets")
		if err != nil {
			t.Fatal(err)
		}
		// The Swagger file answers an array of Pets, the OpenAPI one Pets.
		s := op.Response(200).Schema()
		bad := []any{map[string]any{"id": 1, "name": 7}}
		if file == "swagger.yaml" {
			s = s.Resolve().Items
			bad = []any{bad}
		}
		if s.Type() != "array" {
			t.Fatalf("%s: Pets is %q, want an array", file, s.Type())
		}
		pet := s.Resolve().Items.Resolve()
		if pet.Name != "Pet" || pet.Property("name") == nil {
			t.Fatalf("%s: Pets items are %q, want the Pet model of the external file", file, pet.Name)
		}
		if err := op.Response(200).Schema().Validate(bad); err == nil {
			t.Fatalf("%s: a Pet with a numeric name validated", file)
		}
	}
}
