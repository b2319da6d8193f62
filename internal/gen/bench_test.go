package gen_test

import (
	"path/filepath"
	"testing"

	"github.com/klue-go/klue-client-server/internal/gen"
	"github.com/klue-go/klue-client-server/internal/sharedtest"
	"github.com/klue-go/klue-client-server/klue"
	"github.com/klue-go/klue-client-server/klue/kluetest"
)

// BenchmarkGenerateKubernetes measures klue gen on Kubernetes' spec (730
// definitions, 1062 operations): "load" is everything the command does
// but writing files (reading, resolving and compiling the spec, then
// generating and gofmt'ing the code); "generate" starts from the loaded
// API.
func BenchmarkGenerateKubernetes(b *testing.B) {
	file := filepath.Join(sharedtest.Dir(b, "corpus"), "swagger2", "kubernetes-swagger.json")
	loadAPI := func(b *testing.B) *klue.API {
		pool := klue.NewPool()
		kluetest.Add(b, pool, "k8s", klue.File(file))
		api, err := pool.API("k8s")
		if err != nil {
			b.Fatal(err)
		}
		return api
	}
	generate := func(b *testing.B, api *klue.API) {
		res, err := gen.Generate(api, gen.Config{Package: "k8s"})
		if err != nil {
			b.Fatal(err)
		}
		size := 0
		for _, f := range res.Files {
			size += len(f.Data)
		}
		b.ReportMetric(float64(size), "bytes-of-code")
	}
	b.Run("load", func(b *testing.B) {
		for b.Loop() {
			generate(b, loadAPI(b))
		}
	})
	b.Run("generate", func(b *testing.B) {
		api := loadAPI(b)
		for b.Loop() {
			generate(b, api)
		}
	})
}
