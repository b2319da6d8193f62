package bench

import (
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"testing"

	"github.com/getkin/kin-openapi/openapi2"
	"github.com/getkin/kin-openapi/openapi2conv"
	"github.com/getkin/kin-openapi/openapi3"
	"github.com/klue-go/klue-client-server/internal/sharedtest"
	"github.com/klue-go/klue-client-server/klue"
	"github.com/oasdiff/yaml"
)

// The specs of the loading benchmark, in the shared corpus.
var loadSpecs = []struct {
	name, path string
}{
	{"kubernetes", "swagger2/kubernetes-swagger.json"},
	{"moby", "swagger2/moby-docker-engine.yaml"},
}

// BenchmarkLoad loads and compiles each spec with klue, and with
// kin-openapi (its loader, openapi2conv for Swagger 2.0, and Validate).
func BenchmarkLoad(b *testing.B) {
	corpus := sharedtest.Dir(b, "corpus")
	for _, spec := range loadSpecs {
		spec.path = filepath.Join(corpus, spec.path)
		data, err := os.ReadFile(spec.path)
		if err != nil {
			b.Fatal(err)
		}
		b.Run(spec.name+"/klue", func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				pool := klue.NewPool()
				if err := pool.Add("spec", klue.File(spec.path)); err != nil {
					b.Fatal(err)
				}
			}
		})
		b.Run(spec.name+"/kin-openapi", func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				if err := kinLoadSwagger2(data); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}

// kinLoadSwagger2 is what a kin-openapi based stack does with a Swagger 2.0
// file: decode it, convert it to OpenAPI 3, and validate the result.
func kinLoadSwagger2(data []byte) error {
	var doc2 openapi2.T
	jsonData, err := yaml.YAMLToJSON(data)
	if err != nil {
		return err
	}
	if err := json.Unmarshal(jsonData, &doc2); err != nil {
		return err
	}
	doc3, err := openapi2conv.ToV3(&doc2)
	if err != nil {
		return err
	}
	loader := openapi3.NewLoader()
	if err := loader.ResolveRefsIn(doc3, nil); err != nil {
		return err
	}
	return doc3.Validate(context.Background(), openapi3.DisableExamplesValidation())
}
