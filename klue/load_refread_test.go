package klue_test

import (
	"io/fs"
	"sync"
	"testing"
	"testing/fstest"

	"github.com/klue-go/klue-client-server/klue"
)

// countingFS counts the opens of each file of an fs.FS.
type countingFS struct {
	fs.FS
	mu    sync.Mutex
	opens map[string]int
}

func (c *countingFS) Open(name string) (fs.File, error) {
	c.mu.Lock()
	c.opens[name]++
	c.mu.Unlock()
	return c.FS.Open(name)
}

// TestRefFileReadOnce checks that a file that many $refs reach is read once,
// whether its reference is percent-encoded ("a%20b.yaml" for "a b.yaml"),
// names a file whose name holds '%' as is, or neither.
func TestRefFileReadOnce(t *testing.T) {
	t.Parallel()
	fsys := &countingFS{FS: fstest.MapFS{
		"api/openapi.yaml": {Data: []byte(`openapi: 3.0.3
info: {title: t, version: '1'}
paths: {}
components:
  schemas:
    A: {$ref: 'pet%20models.yaml#/A'}
    B: {$ref: 'pet%20models.yaml#/B'}
    C: {$ref: '100%25.yaml#/C'}
    D: {$ref: '100%25.yaml#/D'}
    E: {$ref: 'plain.yaml#/E'}
    F: {$ref: 'plain.yaml#/F'}
`)},
		"api/pet models.yaml": {Data: []byte("A: {type: string}\nB: {type: integer}\n")},
		"api/100%25.yaml":     {Data: []byte("C: {type: string}\nD: {type: integer}\n")},
		"api/plain.yaml":      {Data: []byte("E: {type: string}\nF: {type: integer}\n")},
	}, opens: map[string]int{}}
	pool := klue.NewPool()
	if err := pool.Add("api", klue.FS(fsys, "api/openapi.yaml")); err != nil {
		t.Fatal(err)
	}
	api, _ := pool.API("api")
	checkModel(t, api, "A", klue.Neutral, []valueCase{{`"x"`, true}, {`1`, false}})
	checkModel(t, api, "D", klue.Neutral, []valueCase{{`1`, true}, {`"x"`, false}})
	for _, name := range []string{"api/pet models.yaml", "api/100%25.yaml", "api/plain.yaml"} {
		if n := fsys.opens[name]; n != 1 {
			t.Errorf("%s opened %d times, want once", name, n)
		}
	}
	if n := fsys.opens["api/pet%20models.yaml"]; n > 1 {
		t.Errorf("the encoded name api/pet%%20models.yaml tried %d times, want at most once", n)
	}
}
