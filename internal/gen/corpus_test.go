package gen_test

import (
	"bytes"
	"encoding/json"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"

	"github.com/klue-go/klue-client-server/internal/gen"
	"github.com/klue-go/klue-client-server/internal/sharedtest"
	"github.com/klue-go/klue-client-server/klue"
)

// slowEnv names the environment variable that, set to 1 (as CI does), adds
// the shared corpus to TestCorpus: compiling the code generated for every
// spec of it takes minutes.
const slowEnv = "KLUE_SLOW_TESTS"

// spec is a spec the generator is proven on.
type spec struct {
	file    string // relative to this package
	refRoot string // for klue.WithRefRoot, or ""
	pkg     string // the generated package's name and directory
}

// corpusSpecs lists the example service's specs and this package's own,
// and, when KLUE_SLOW_TESTS=1, every spec of the shared corpus.
func corpusSpecs(t *testing.T) []spec {
	t.Helper()
	var out []spec
	if os.Getenv(slowEnv) == "1" {
		out = sharedCorpusSpecs(t)
	}
	examples, err := filepath.Glob("../../specs/*.yaml")
	if err != nil || len(examples) == 0 {
		t.Fatalf("no specs in ../../specs: %v", err)
	}
	for _, f := range examples {
		out = append(out, spec{file: f, pkg: packageName("specs_" + filepath.Base(f))})
	}
	for _, f := range featureSpecs {
		out = append(out, spec{file: filepath.Join("testdata", f.file), pkg: f.pkg})
	}
	return out
}

// sharedCorpusSpecs lists every spec of the shared corpus.
func sharedCorpusSpecs(t *testing.T) []spec {
	t.Helper()
	var out []spec
	for _, s := range sharedtest.CorpusSpecs(t) {
		pkg := packageName(s.Dir + "_" + filepath.Base(s.File))
		if s.Dir == "multifile" {
			pkg = multifilePackages[filepath.Base(filepath.Dir(filepath.Dir(s.File)))]
		}
		out = append(out, spec{file: s.File, refRoot: s.RefRoot, pkg: pkg})
	}
	return out
}

// multifilePackages names the package of each multi-file spec of the corpus,
// by its directory.
var multifilePackages = map[string]string{
	"oai-petstore-separate":   "multifile_petstore_separate",
	"redocly-openapi-starter": "multifile_redocly_starter",
}

var nonWord = regexp.MustCompile(`[^a-z0-9]+`)

// packageName turns a file name into a package name.
func packageName(file string) string {
	base := strings.TrimSuffix(file, filepath.Ext(file))
	return strings.Trim(nonWord.ReplaceAllString(strings.ToLower(base), "_"), "_")
}

func load(t *testing.T, s spec) *klue.API {
	t.Helper()
	var opts []klue.Option
	if s.refRoot != "" {
		opts = append(opts, klue.WithRefRoot(s.refRoot))
	}
	pool := klue.NewPool(opts...)
	if err := pool.Add("spec", klue.File(s.file), opts...); err != nil {
		t.Fatalf("%s: %v", s.file, err)
	}
	api, err := pool.API("spec")
	if err != nil {
		t.Fatal(err)
	}
	return api
}

// TestCorpus generates a package for every spec (with KLUE_SLOW_TESTS=1,
// the shared corpus's too) into one temporary module,
// vets it, and runs there a test that checks, for every operation, that
// its generated types pass Bind's start-up check (server.Fit) and that the
// client prepares a call with them; for every model, that JSON values
// valid for it decode into its type and encode back into JSON that is still
// valid (and, for made-up values, unchanged); and for every request body
// and success response, that valid values drawn from its schema and the
// examples the spec declares come back unchanged through its Go type.
func TestCorpus(t *testing.T) {
	t.Parallel()
	h := runModule(t, corpusSpecs(t))
	if os.Getenv(slowEnv) == "1" && h.ops < 1900 {
		t.Errorf("only %d operations in the corpus: is it complete?", h.ops)
	}
	if len(h.models)*10 < h.modelCount*7 {
		t.Errorf("only %d of %d models have a valid example", len(h.models), h.modelCount)
	}
}

// runModule generates the specs' packages into a temporary module, with
// the test that checks them, and runs it.
func runModule(t *testing.T, specs []spec) *harness {
	t.Helper()
	root, err := filepath.Abs("../..")
	if err != nil {
		t.Fatal(err)
	}
	mod := t.TempDir()
	// KLUE_GEN_DEBUG_DIR keeps the module, to look into a failure.
	if d := os.Getenv("KLUE_GEN_DEBUG_DIR"); d != "" {
		mod = d
	}
	goMod := "module kluegen.test\n\ngo 1.26.0\n\nrequire github.com/klue-go/klue-client-server v0.0.0\n\n" +
		"replace github.com/klue-go/klue-client-server => " + root + "\n"
	writeFile(t, filepath.Join(mod, "go.mod"), []byte(goMod))
	goSum, err := os.ReadFile(filepath.Join(root, "go.sum"))
	if err != nil {
		t.Fatal(err)
	}
	writeFile(t, filepath.Join(mod, "go.sum"), goSum)

	h := &harness{examples: map[string]map[string][]example{}, cases: map[string][]opCase{}}
	behaviour := map[string]bool{}
	for _, s := range specs {
		behaviour[s.pkg] = true
		api := load(t, s)
		res, err := gen.Generate(api, gen.Config{Package: s.pkg})
		if err != nil {
			t.Fatalf("%s: %v", s.file, err)
		}
		if err := res.Write(filepath.Join(mod, s.pkg)); err != nil {
			t.Fatal(err)
		}
		abs, err := filepath.Abs(s.file)
		if err != nil {
			t.Fatal(err)
		}
		refRoot := ""
		if s.refRoot != "" {
			if refRoot, err = filepath.Abs(s.refRoot); err != nil {
				t.Fatal(err)
			}
		}
		var doc any
		if err := json.Unmarshal(api.SpecJSON(), &doc); err != nil {
			t.Fatal(err)
		}
		exs := map[string][]example{}
		for i, m := range api.Models() {
			if e := examplesFor(api, doc, m); len(e) > 0 {
				exs[m.Name] = e
				h.models = append(h.models, modelCheck{pkg: s.pkg, model: m.Name, goType: res.Models[i].Type})
			}
		}
		h.examples[s.pkg] = exs
		h.cases[s.pkg] = opCases(t, api, doc, res, s.pkg)
		h.specs = append(h.specs, harnessSpec{spec: s, abs: abs, refRoot: refRoot, res: res})
		h.ops += len(res.Operations)
		h.modelCount += len(res.Models)
	}
	writeFile(t, filepath.Join(mod, "conform", "conform_test.go"), h.source())
	data, err := json.Marshal(h.examples)
	if err != nil {
		t.Fatal(err)
	}
	writeFile(t, filepath.Join(mod, "conform", "examples.json"), data)
	if data, err = json.Marshal(h.cases); err != nil {
		t.Fatal(err)
	}
	writeFile(t, filepath.Join(mod, "conform", "cases.json"), data)
	var defects []knownDefect
	for _, d := range knownDefects {
		if slices.ContainsFunc(specs, func(s spec) bool { return s.pkg == d.Pkg }) {
			defects = append(defects, d)
		}
	}
	if data, err = json.Marshal(defects); err != nil {
		t.Fatal(err)
	}
	writeFile(t, filepath.Join(mod, "conform", "defects.json"), data)
	// The behaviour test needs the packages of testdata.
	if behaviour["featuresapi"] && behaviour["swaggerapi"] && behaviour["oas31api"] && behaviour["files31api"] {
		src, err := os.ReadFile(filepath.Join("testdata", "behaviour_test.go"))
		if err != nil {
			t.Fatal(err)
		}
		writeFile(t, filepath.Join(mod, "conform", "behaviour_test.go"), src)
	}

	// The generated code imports klue and what klue requires (json v2):
	// go mod tidy finds every module it needs through klue's go.mod.
	goCmd(t, mod, "mod", "tidy")
	goCmd(t, mod, "vet", "./...")
	goCmd(t, mod, "test", "-count=1", "./conform")

	var sum struct {
		Operations, Fit, Calls, Examples, Exact int
		Trips, Undeclared, Defects              map[string]int
	}
	data, err = os.ReadFile(filepath.Join(mod, "conform", "summary.json"))
	if err != nil {
		t.Fatal(err)
	}
	if err := json.Unmarshal(data, &sum); err != nil {
		t.Fatal(err)
	}
	t.Logf("%d specs, %d models (%d with examples), %d operations; %d operations, %d fit, %d calls prepared, %d model examples (%d exact)",
		len(h.specs), h.modelCount, len(h.models), h.ops, sum.Operations, sum.Fit, sum.Calls, sum.Examples, sum.Exact)
	if sum.Operations != h.ops || sum.Fit != h.ops {
		t.Errorf("the module checked %d operations, %d fit; want %d", sum.Operations, sum.Fit, h.ops)
	}
	total := 0
	for _, exs := range h.examples {
		for _, e := range exs {
			total += len(e)
		}
	}
	if sum.Examples != total {
		t.Errorf("the module round-tripped %d examples, want %d", sum.Examples, total)
	}
	known := 0
	for _, d := range defects {
		n := sum.Defects[d.Failure]
		known += n
		if n == 0 {
			t.Errorf("the known defect %q no longer shows in %s: take it off knownDefects", d.Failure, d.Pkg)
		} else {
			t.Logf("known defect, %d values: %s: %s", n, d.Pkg, d.Why)
		}
	}
	all, trips := 0, 0
	for _, s := range h.specs {
		drawn, declared := 0, 0
		for _, c := range h.cases[s.pkg] {
			drawn += len(c.Drawn)
			declared += len(c.Examples)
		}
		all += drawn + declared
		t.Logf("round trip %s: %d request and response schemas, %d drawn values and %d declared examples; %d came back unchanged (%d members the schemas do not declare left out)",
			s.pkg, len(h.cases[s.pkg]), drawn, declared, sum.Trips[s.pkg], sum.Undeclared[s.pkg])
		trips += sum.Trips[s.pkg]
	}
	t.Logf("round trip: %d values in all, %d unchanged, %d failing by known defects", all, trips, known)
	if trips+known != all {
		t.Errorf("round trip: %d of %d values came back unchanged, %d failed by known defects", trips, all, known)
	}
	return h
}

func writeFile(t *testing.T, path string, data []byte) {
	t.Helper()
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(path, data, 0o644); err != nil {
		t.Fatal(err)
	}
}

// goCmd runs the go command in the temporary module, offline: every module
// it needs is in the module cache already. The module's go.mod is left as
// go mod tidy writes it.
func goCmd(t *testing.T, dir string, args ...string) {
	t.Helper()
	cmd := exec.Command(filepath.Join(goRoot(t), "bin", "go"), args...)
	cmd.Dir = dir
	cmd.Env = append(os.Environ(), "GOFLAGS=-mod=readonly", "GOPROXY=off", "GOWORK=off", "GOTOOLCHAIN=local")
	out, err := cmd.CombinedOutput()
	if err != nil {
		if len(out) > 20000 {
			out = append(out[:20000], "\n..."...)
		}
		t.Fatalf("go %s: %v\n%s", strings.Join(args, " "), err, out)
	}
}

func goRoot(t *testing.T) string {
	t.Helper()
	out, err := exec.Command("go", "env", "GOROOT").Output()
	if err != nil {
		t.Fatalf("go env GOROOT: %v", err)
	}
	return strings.TrimSpace(string(out))
}

// harness writes the test that runs in the temporary module.
type harness struct {
	specs      []harnessSpec
	cases      map[string][]opCase
	models     []modelCheck
	examples   map[string]map[string][]example
	ops        int
	modelCount int
}

type harnessSpec struct {
	spec
	abs, refRoot string
	res          *gen.Result
}

type modelCheck struct {
	pkg, model, goType string
}

func (h *harness) source() []byte {
	var b bytes.Buffer
	b.WriteString(`// Code generated by the tests of klue gen; DO NOT EDIT.

package conform_test

import (
	"bytes"
	"encoding/json"
	"fmt"
	"math/big"
	"os"
	"regexp"
	"slices"
	"sort"
	"strings"
	"sync"
	"testing"
	"time"

	jsonv2 "github.com/go-json-experiment/json"
	"github.com/klue-go/klue-client-server/klue"
	"github.com/klue-go/klue-client-server/klue/client"
	"github.com/klue-go/klue-client-server/klue/server"
`)
	for _, s := range h.specs {
		fmt.Fprintf(&b, "\t%q\n", "kluegen.test/"+s.pkg)
	}
	b.WriteString(")\n\n")
	b.WriteString("func TestMain(m *testing.M) { os.Exit(run(m)) }\n\n")
	b.WriteString("var specs = map[string]specFile{\n")
	for _, s := range h.specs {
		fmt.Fprintf(&b, "\t%q: {%q, %q},\n", s.pkg, s.abs, s.refRoot)
	}
	b.WriteString("}\n\n")
	// Checks go in functions of a few dozen calls: the compiler takes far
	// longer over one function of a thousand.
	const chunk = 40
	for _, s := range h.specs {
		ops := s.res.Operations
		if len(ops) == 0 {
			continue
		}
		fmt.Fprintf(&b, "func TestFit_%s(t *testing.T) {\n\tt.Parallel()\n\tpool, remote := load(t, %q)\n", s.pkg, s.pkg)
		for i := 0; i < len(ops); i += chunk {
			fmt.Fprintf(&b, "\tfit_%s_%d(t, pool, remote)\n", s.pkg, i/chunk)
		}
		b.WriteString("}\n\n")
		for i := 0; i < len(ops); i += chunk {
			fmt.Fprintf(&b, "func fit_%s_%d(t *testing.T, pool *klue.Pool, remote *klue.Client) {\n", s.pkg, i/chunk)
			for _, op := range ops[i:min(i+chunk, len(ops))] {
				fmt.Fprintf(&b, "\tcheckOp(t, pool, remote, %s.%s)\n", s.pkg, op.Const)
			}
			b.WriteString("}\n\n")
		}
	}
	byPkg := map[string][]modelCheck{}
	for _, m := range h.models {
		byPkg[m.pkg] = append(byPkg[m.pkg], m)
	}
	for _, s := range h.specs {
		models := byPkg[s.pkg]
		if len(models) == 0 {
			continue
		}
		fmt.Fprintf(&b, "func TestRoundTrip_%s(t *testing.T) {\n\tt.Parallel()\n\tpool, _ := load(t, %q)\n\tapi, _ := pool.API(\"spec\")\n", s.pkg, s.pkg)
		for i := 0; i < len(models); i += chunk {
			fmt.Fprintf(&b, "\troundTrip_%s_%d(t, api)\n", s.pkg, i/chunk)
		}
		b.WriteString("}\n\n")
		for i := 0; i < len(models); i += chunk {
			fmt.Fprintf(&b, "func roundTrip_%s_%d(t *testing.T, api *klue.API) {\n", s.pkg, i/chunk)
			for _, m := range models[i:min(i+chunk, len(models))] {
				fmt.Fprintf(&b, "\troundTrip(t, api, %q, %q, codec[%s.%s]())\n", m.pkg, m.model, m.pkg, m.goType)
			}
			b.WriteString("}\n\n")
		}
	}
	h.opSource(&b)
	b.WriteString(harnessHelpers)
	b.WriteString(opHelpers)
	return b.Bytes()
}

const harnessHelpers = `
type specFile struct{ file, refRoot string }

var summary = struct {
	mu                                      sync.Mutex
	Operations, Fit, Calls, Examples, Exact int
	Trips, Undeclared, Defects              map[string]int
}{Trips: map[string]int{}, Undeclared: map[string]int{}, Defects: map[string]int{}}

func run(m *testing.M) int {
	code := m.Run()
	data, err := json.Marshal(&summary)
	if err == nil {
		err = os.WriteFile("summary.json", data, 0o644)
	}
	if err != nil {
		return 1
	}
	return code
}

func count(n *int) {
	summary.mu.Lock()
	*n++
	summary.mu.Unlock()
}

func load(t *testing.T, pkg string) (*klue.Pool, *klue.Client) {
	t.Helper()
	s := specs[pkg]
	opts := []klue.Option{klue.WithBaseURL("http://127.0.0.1:9")}
	if s.refRoot != "" {
		opts = append(opts, klue.WithRefRoot(s.refRoot))
	}
	pool := klue.NewPool(opts...)
	if err := pool.Add("spec", klue.File(s.file)); err != nil {
		t.Fatal(err)
	}
	return pool, pool.Client("spec")
}

// checkOp checks a typed key's types against its operation, on the server
// side (Bind's start-up check) and on the client side (preparing a call).
// The generic part is kept small: it is compiled once per pair of types.
func checkOp[Req, Res any](t *testing.T, pool *klue.Pool, remote *klue.Client, key klue.Key[Req, Res]) {
	t.Helper()
	fitErr := server.Fit(pool, key)
	callErr := client.CallWith(remote, klue.Key[Req, json.RawMessage](key), new(Req)).Err()
	report(t, string(key), fitErr, callErr)
}

func report(t *testing.T, key string, fitErr, callErr error) {
	t.Helper()
	count(&summary.Operations)
	if fitErr != nil {
		t.Errorf("%s: %v", key, fitErr)
	} else {
		count(&summary.Fit)
	}
	if callErr != nil && !strings.Contains(callErr.Error(), "decorat") {
		t.Errorf("client %s: %v", key, callErr)
	} else {
		count(&summary.Calls)
	}
}

// codec decodes JSON into a T as klue decodes every document (json v2:
// member names matched exactly) and encodes the T back as klue encodes.
func codec[T any]() func([]byte) ([]byte, error) {
	return func(data []byte) ([]byte, error) {
		v := new(T)
		if err := jsonv2.Unmarshal(data, v); err != nil {
			return nil, fmt.Errorf("decoding: %w", err)
		}
		return json.Marshal(v)
	}
}

var examples = func() map[string]map[string][]struct {
	JSON      json.RawMessage
	Synthetic bool
} {
	var out map[string]map[string][]struct {
		JSON      json.RawMessage
		Synthetic bool
	}
	data, err := os.ReadFile("examples.json")
	if err == nil {
		err = json.Unmarshal(data, &out)
	}
	if err != nil {
		panic(err)
	}
	return out
}()

// roundTrip decodes the model's examples into its Go type and encodes them
// back (with codec), and checks the result against the model; made-up
// examples must come back unchanged.
func roundTrip(t *testing.T, api *klue.API, pkg, model string, codec func([]byte) ([]byte, error)) {
	t.Helper()
	m, err := api.Model(model)
	if err != nil {
		t.Fatal(err)
	}
	for _, ex := range examples[pkg][model] {
		count(&summary.Examples)
		out, err := codec(ex.JSON)
		if err != nil {
			t.Errorf("%s.%s: %s: %v", pkg, model, ex.JSON, err)
			continue
		}
		if err := m.ValidateJSON(out); err != nil {
			t.Errorf("%s.%s: %s\nbecame %s: %v", pkg, model, ex.JSON, out, err)
			continue
		}
		if !ex.Synthetic {
			continue
		}
		in, _ := decodeJSON(ex.JSON)
		back, _ := decodeJSON(out)
		if !sameJSON(in, back) {
			t.Errorf("%s.%s: %s\ncame back as %s", pkg, model, ex.JSON, out)
			continue
		}
		count(&summary.Exact)
	}
}

// decodeJSON decodes a JSON document with exact numbers.
func decodeJSON(data []byte) (any, error) {
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.UseNumber()
	var v any
	err := dec.Decode(&v)
	return v, err
}

// sameJSON compares decoded JSON values, numbers by value and times as
// instants.
func sameJSON(a, b any) bool {
	switch x := a.(type) {
	case map[string]any:
		y, ok := b.(map[string]any)
		if !ok || len(x) != len(y) {
			return false
		}
		for k, v := range x {
			if w, ok := y[k]; !ok || !sameJSON(v, w) {
				return false
			}
		}
		return true
	case []any:
		y, ok := b.([]any)
		if !ok || len(x) != len(y) {
			return false
		}
		for i := range x {
			if !sameJSON(x[i], y[i]) {
				return false
			}
		}
		return true
	case json.Number:
		y, ok := b.(json.Number)
		if !ok {
			return false
		}
		f, _ := x.Float64()
		g, _ := y.Float64()
		return f == g
	case string:
		y, ok := b.(string)
		if !ok {
			return false
		}
		if x == y {
			return true
		}
		t1, err1 := time.Parse(time.RFC3339Nano, x)
		t2, err2 := time.Parse(time.RFC3339Nano, y)
		return err1 == nil && err2 == nil && t1.Equal(t2)
	}
	return a == b
}
`
