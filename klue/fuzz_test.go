package klue_test

import (
	"os"
	"path/filepath"
	"testing"

	"github.com/klue-go/klue-client-server/internal/sharedtest"
	"github.com/klue-go/klue-client-server/klue"
)

// FuzzLoad feeds arbitrary documents to the loader: whatever the bytes, it
// returns (an API or an error) without panicking or hanging.
func FuzzLoad(f *testing.F) {
	// The shared specs, when present, are extra seeds.
	shared, err := sharedtest.Find()
	for _, glob := range []string{
		"klue-fixtures/specs/*.yaml",
		"corpus/fixtures/connexion/*/*.yaml",
		"corpus/oas31/*.yaml",
		"corpus/swagger2/oai-*.yaml",
	} {
		if err != nil {
			break
		}
		files, _ := filepath.Glob(filepath.Join(shared, glob))
		for _, file := range files {
			if data, err := os.ReadFile(file); err == nil && len(data) < 64<<10 {
				f.Add(data)
			}
		}
	}
	f.Add([]byte(`{"swagger":"2.0","paths":{"/a":{"get":{"responses":{"200":{"schema":{"$ref":"#"}}}}}}}`))
	f.Add([]byte("openapi: 3.1.0\ncomponents: {schemas: {A: {$ref: '#/components/schemas/A'}}}"))
	f.Add([]byte("a: &a [*a]\n"))
	f.Add([]byte("openapi: 3.0.3\npaths: {/a: {get: {$ref: '#/x'}, put: {parameters: [{name: q, in: query, content: [1]}], responses: {'200': {content: {a/b: {$ref: '#/x'}}}}}}}\nx: {responses: {}}"))
	f.Add([]byte("openapi: 3.0.3\npaths: {'/a/{x}': {get: {}}, '/a/{y}': {get: {}}, '/b?c#d': {get: {}}}"))
	f.Fuzz(func(t *testing.T, data []byte) {
		pool := klue.NewPool()
		// A directory of its own, so that external refs find nothing real.
		src := klue.Bytes("fuzz.yaml", data)
		if err := pool.Add("fuzz", src, klue.WithRefRoot(t.TempDir())); err != nil {
			return
		}
		api, err := pool.API("fuzz")
		if err != nil {
			t.Fatal(err)
		}
		for _, op := range api.Operations() {
			_ = op.Route()
			for _, r := range op.Responses {
				if s := r.Schema(); s != nil && s.Compiled() {
					_ = s.Validate(map[string]any{"a": []any{1.5, "x", nil}})
				}
			}
		}
		_ = api.SpecJSON()
	})
}
