package klue_test

import (
	"path/filepath"
	"testing"

	"github.com/klue-go/klue-client-server/internal/sharedtest"
	"github.com/klue-go/klue-client-server/klue"
)

// BenchmarkAdd loads and compiles real specs; bench/ compares the same with
// kin-openapi.
func BenchmarkAdd(b *testing.B) {
	corpus := sharedtest.Dir(b, "corpus")
	for _, spec := range []string{"swagger2/kubernetes-swagger.json", "swagger2/moby-docker-engine.yaml", "oas30/twilio-api-v2010.yaml"} {
		path := filepath.Join(corpus, spec)
		b.Run(filepath.Base(spec), func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				if err := klue.NewPool().Add("spec", klue.File(path)); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}

// BenchmarkValidate validates a small body against a compiled model.
func BenchmarkValidate(b *testing.B) {
	pool := klue.NewPool()
	if err := pool.Add("login", klue.Bytes("login.yaml", []byte(loginSpec))); err != nil {
		b.Fatal(err)
	}
	api, _ := pool.API("login")
	m, _ := api.Model("Credentials")
	v := map[string]any{"email": "ann@example.com", "password": "secret"}
	b.ReportAllocs()
	for b.Loop() {
		if err := m.Schema.Validate(v); err != nil {
			b.Fatal(err)
		}
	}
}
