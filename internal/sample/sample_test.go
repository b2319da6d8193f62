package sample_test

import (
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"reflect"
	"slices"
	"strings"
	"testing"

	"github.com/klue-go/klue-client-server/internal/sample"
	"github.com/klue-go/klue-client-server/internal/sharedtest"
	"github.com/klue-go/klue-client-server/klue"
	"github.com/klue-go/klue-client-server/klue/kluetest"
)

// target is a compiled schema and the direction its values travel in.
type target struct {
	where  string
	schema *klue.Schema
	dir    klue.Direction
}

// targets lists the compiled schemas of an API: models, parameters,
// request bodies and responses.
func targets(api *klue.API) []target {
	var out []target
	add := func(where string, s *klue.Schema, d klue.Direction) {
		if s != nil && s.Compiled() {
			out = append(out, target{where, s, d})
		}
	}
	for _, m := range api.Models() {
		add("model "+m.Name, m.Schema, klue.Neutral)
	}
	for _, op := range api.Operations() {
		for _, p := range op.Parameters {
			add(fmt.Sprintf("%s parameter %s", op.Key(), p.Name), p.Schema, klue.ForRequest)
		}
		if op.Body != nil {
			for _, m := range op.Body.Content {
				add(fmt.Sprintf("%s body %s", op.Key(), m.Type), m.Schema, klue.ForRequest)
			}
		}
		for _, r := range op.Responses {
			for _, m := range r.Content {
				add(fmt.Sprintf("%s response %s %s", op.Key(), r.Status, m.Type), m.Schema, klue.ForResponse)
			}
		}
	}
	return out
}

func loadAPI(t *testing.T, file, refRoot string) *klue.API {
	t.Helper()
	var opts []klue.Option
	if refRoot != "" {
		opts = append(opts, klue.WithRefRoot(refRoot))
	}
	pool := klue.NewPool(opts...)
	if err := pool.Add("spec", klue.File(file), opts...); err != nil {
		t.Fatalf("%s: %v", file, err)
	}
	api, err := pool.API("spec")
	if err != nil {
		t.Fatal(err)
	}
	return api
}

// checkAPI draws n values for every compiled schema of api and checks
// each with the pool's validator; it returns how many it drew. none lists
// the schemas no finite value fits (a required property that leads back to
// its object), which must fail with ErrNoValue.
func checkAPI(t *testing.T, api *klue.API, n int, none ...string) int {
	t.Helper()
	count := 0
	g := sample.New(sample.Config{Seed: 1})
	for _, tg := range targets(api) {
		if slices.Contains(none, tg.where) {
			if _, err := g.ValueFor(tg.schema, tg.dir); !errors.Is(err, sample.ErrNoValue) {
				t.Errorf("%s: %s: no value fits it, yet Value returned %v", api.File(), tg.where, err)
			}
			continue
		}
		for i := range n {
			v, err := g.ValueFor(tg.schema, tg.dir)
			if err != nil {
				t.Errorf("%s: %s (draw %d): %v", api.File(), tg.where, i, err)
				break
			}
			if err := tg.schema.ValidateFor(tg.dir, v); err != nil {
				t.Errorf("%s: %s: the pool refuses %s: %v", api.File(), tg.where, show(v), err)
				break
			}
			// The value survives JSON as the pool reads it.
			data, err := json.Marshal(v)
			if err != nil {
				t.Fatalf("%s: %s: %v", api.File(), tg.where, err)
			}
			if err := tg.schema.ValidateJSON(tg.dir, data); err != nil {
				t.Errorf("%s: %s: the pool refuses %s: %v", api.File(), tg.where, data, err)
			}
			count++
		}
	}
	return count
}

func show(v any) string {
	data, _ := json.Marshal(v)
	return string(data)
}

func TestTestdata(t *testing.T) {
	t.Parallel()
	for _, f := range []struct {
		file string
		none []string
	}{
		{"roundtrip.yaml", nil},
		{"features.yaml", []string{"model Chain", "model Link"}},
		{"swagger.yaml", nil},
		{"oas31.yaml", nil},
	} {
		api := loadAPI(t, filepath.Join("..", "gen", "testdata", f.file), "")
		t.Logf("%s: %d values", f.file, checkAPI(t, api, 20, f.none...))
	}
}

func TestCorpus(t *testing.T) {
	t.Parallel()
	corpus := sharedtest.Dir(t, "corpus")
	// One value per schema; three with KLUE_SLOW_TESTS=1, as CI runs.
	draws := 1
	if os.Getenv("KLUE_SLOW_TESTS") == "1" {
		draws = 3
	}
	total := 0
	for _, s := range sharedtest.CorpusSpecs(t) {
		api := loadAPI(t, s.File, s.RefRoot)
		n := checkAPI(t, api, draws)
		total += n
		t.Logf("%s: %d values", strings.TrimPrefix(s.File, corpus+"/"), n)
	}
	t.Logf("%d values in all", total)
}

// TestDeterministic expects the same seed to give the same values.
func TestDeterministic(t *testing.T) {
	t.Parallel()
	api := loadAPI(t, filepath.Join("..", "gen", "testdata", "roundtrip.yaml"), "")
	m, err := api.Model("Sample")
	if err != nil {
		t.Fatal(err)
	}
	draw := func(seed uint64) []any {
		g := sample.New(sample.Config{Seed: seed})
		var out []any
		for range 10 {
			v, err := g.ValueFor(m.Schema, klue.Neutral)
			if err != nil {
				t.Fatal(err)
			}
			out = append(out, v)
		}
		return out
	}
	a, b, c := draw(7), draw(7), draw(8)
	if !reflect.DeepEqual(a, b) {
		t.Errorf("seed 7 drew\n%s\nthen\n%s", show(a), show(b))
	}
	if reflect.DeepEqual(a, c) {
		t.Errorf("seeds 7 and 8 drew the same values")
	}
}

// TestUnsatisfiable expects a schema no value fits to give ErrNoValue.
func TestUnsatisfiable(t *testing.T) {
	t.Parallel()
	src := `openapi: 3.0.3
info: {title: t, version: "1"}
paths: {}
components:
  schemas:
    Never: {type: string, minLength: 5, maxLength: 2}
`
	pool := klue.NewPool()
	kluetest.Add(t, pool, "t", klue.Bytes("never.yaml", []byte(src)))
	api, _ := pool.API("t")
	m, _ := api.Model("Never")
	_, err := sample.New(sample.Config{}).ValueFor(m.Schema, klue.Neutral)
	if !errors.Is(err, sample.ErrNoValue) {
		t.Errorf("got %v, want ErrNoValue", err)
	}
}
