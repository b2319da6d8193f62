package main_test

import (
	"bytes"
	"os"
	"path/filepath"
	"testing"

	"github.com/klue-go/klue-client-server/internal/gen"
	"github.com/klue-go/klue-client-server/klue"
	"github.com/klue-go/klue-client-server/klue/kluetest"
)

// TestGeneratedTypes checks that the API packages are what klue gen writes
// from the specs today, as go generate would leave them.
func TestGeneratedTypes(t *testing.T) {
	t.Parallel()
	for _, name := range []string{"login", "user", "public"} {
		spec := "../specs/" + name + ".yaml"
		pool := klue.NewPool()
		kluetest.Add(t, pool, name, klue.File(spec))
		api, _ := pool.API(name)
		res, err := gen.Generate(api, gen.Config{Package: name + "api", Source: spec})
		if err != nil {
			t.Fatal(err)
		}
		for _, f := range res.Files {
			path := filepath.Join(name+"api", f.Name)
			have, err := os.ReadFile(path)
			if err != nil {
				t.Fatal(err)
			}
			if !bytes.Equal(have, f.Data) {
				t.Errorf("%s is not what klue gen writes from %s: run go generate ./example_service", path, spec)
			}
		}
	}
}
