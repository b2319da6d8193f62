package gen_test

import (
	"bytes"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/klue-go/klue-client-server/internal/gen"
	"github.com/klue-go/klue-client-server/internal/sharedtest"
	"github.com/klue-go/klue-client-server/klue"
	"github.com/klue-go/klue-client-server/klue/kluetest"
)

var update = flag.Bool("update", false, "rewrite the golden files of testdata/golden")

// featureSpec is a spec of testdata that shows generator features, with its
// golden output in testdata/golden/<pkg>.
type featureSpec struct {
	file, pkg string
}

var featureSpecs = []featureSpec{
	{"features.yaml", "featuresapi"},
	{"swagger.yaml", "swaggerapi"},
	{"oas31.yaml", "oas31api"},
	{"roundtrip.yaml", "roundtripapi"},
	{"files31.yaml", "files31api"},
}

// TestGolden compares the output for the specs of testdata with the files
// of testdata/golden; go test -run TestGolden -update rewrites them.
func TestGolden(t *testing.T) {
	t.Parallel()
	for _, f := range featureSpecs {
		t.Run(f.pkg, func(t *testing.T) {
			t.Parallel()
			api := load(t, spec{file: filepath.Join("testdata", f.file)})
			res, err := gen.Generate(api, gen.Config{Package: f.pkg, Source: f.file})
			if err != nil {
				t.Fatal(err)
			}
			for _, file := range res.Files {
				golden := filepath.Join("testdata", "golden", f.pkg, file.Name+".golden")
				if *update {
					writeFile(t, golden, file.Data)
					continue
				}
				want, err := os.ReadFile(golden)
				if err != nil {
					t.Fatalf("%v (run go test -run TestGolden -update)", err)
				}
				if !bytes.Equal(file.Data, want) {
					t.Errorf("%s differs from %s:\n%s", file.Name, golden, firstDiff(string(want), string(file.Data)))
				}
			}
		})
	}
}

// firstDiff shows where two texts part.
func firstDiff(want, got string) string {
	wl, gl := strings.Split(want, "\n"), strings.Split(got, "\n")
	for i := 0; i < len(wl) || i < len(gl); i++ {
		var w, g string
		if i < len(wl) {
			w = wl[i]
		}
		if i < len(gl) {
			g = gl[i]
		}
		if w != g {
			return fmt.Sprintf("line %d:\n  want: %s\n  got:  %s", i+1, w, g)
		}
	}
	return "(same lines)"
}

// TestDeterministic generates twice, from two loads of the spec, and
// expects the same bytes: no map order, no pointer value leaks into the
// output.
func TestDeterministic(t *testing.T) {
	t.Parallel()
	var specs []spec
	for _, f := range featureSpecs {
		specs = append(specs, spec{file: filepath.Join("testdata", f.file)})
	}
	t.Run("testdata", func(t *testing.T) { deterministic(t, specs) })
	t.Run("corpus", func(t *testing.T) {
		corpus := sharedtest.Dir(t, "corpus")
		deterministic(t, []spec{
			{file: filepath.Join(corpus, "oas30", "twilio-api-v2010.yaml")},
			{file: filepath.Join(corpus, "oas30", "spotify-fixed.yml")},
		})
	})
}

func deterministic(t *testing.T, specs []spec) {
	t.Helper()
	for _, s := range specs {
		var first []gen.File
		for range 2 {
			res, err := gen.Generate(load(t, s), gen.Config{Package: "api"})
			if err != nil {
				t.Fatal(err)
			}
			if first == nil {
				first = res.Files
				continue
			}
			for i, f := range res.Files {
				if !bytes.Equal(f.Data, first[i].Data) {
					t.Errorf("%s: %s differs between two runs:\n%s", s.file, f.Name, firstDiff(string(first[i].Data), string(f.Data)))
				}
			}
		}
	}
}

// TestStableNames adds a model and an operation to a spec, in front of the
// others, and expects every name generated before to stay as it was.
func TestStableNames(t *testing.T) {
	t.Parallel()
	orig, err := os.ReadFile(filepath.Join("testdata", "features.yaml"))
	if err != nil {
		t.Fatal(err)
	}
	grown := strings.Replace(string(orig), "paths:\n", `paths:
  /aardvarks:
    get:
      operationId: listAardvarks
      parameters:
        - {name: kind, in: query, schema: {type: string, enum: [small, big]}}
      responses:
        "200":
          description: aardvarks
          content:
            application/json:
              schema: {type: array, items: {$ref: "#/components/schemas/Aardvark"}}
`, 1)
	grown = strings.Replace(grown, "  schemas:\n", `  schemas:
    Aardvark:
      type: object
      properties:
        status: {type: string, enum: [awake, asleep]}
        pet: {$ref: "#/components/schemas/Pet"}
`, 1)
	generate := func(src string) *gen.Result {
		pool := klue.NewPool()
		kluetest.Add(t, pool, "features", klue.Bytes("features.yaml", []byte(src)))
		api, _ := pool.API("features")
		res, err := gen.Generate(api, gen.Config{Package: "featuresapi"})
		if err != nil {
			t.Fatal(err)
		}
		return res
	}
	before, after := generate(string(orig)), generate(grown)
	if len(after.Models) != len(before.Models)+1 || len(after.Operations) != len(before.Operations)+1 {
		t.Fatalf("the spec did not grow: %d → %d models", len(before.Models), len(after.Models))
	}
	types := map[string]string{}
	for _, m := range after.Models {
		types[m.Name] = m.Type
	}
	for _, m := range before.Models {
		if types[m.Name] != m.Type {
			t.Errorf("model %s: %s became %s", m.Name, m.Type, types[m.Name])
		}
	}
	ops := map[string]gen.Operation{}
	for _, o := range after.Operations {
		ops[o.Method+" "+o.Path] = o
	}
	for _, o := range before.Operations {
		if got := ops[o.Method+" "+o.Path]; got != o {
			t.Errorf("%s %s: %+v became %+v", o.Method, o.Path, o, got)
		}
	}
	// Inline types keep their names too.
	for _, decl := range []string{"type NewPetSize string", "type ListPetsStatusItem string", "type UploadPhotoResponse struct"} {
		for i, res := range []*gen.Result{before, after} {
			if !bytes.Contains(res.Files[0].Data, []byte(decl)) && !bytes.Contains(res.Files[1].Data, []byte(decl)) {
				t.Errorf("output %d lacks %q", i, decl)
			}
		}
	}
}
