package server_test

import (
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/klue-go/klue-client-server/internal/sharedtest"
	"github.com/klue-go/klue-client-server/klue"
	"github.com/klue-go/klue-client-server/klue/kluetest"
	"github.com/klue-go/klue-client-server/klue/server"
)

// refRoot gives the options a corpus spec needs: its ref root, if any.
func refRoot(spec sharedtest.CorpusSpec) []klue.Option {
	if spec.RefRoot == "" {
		return nil
	}
	return []klue.Option{klue.WithRefRoot(spec.RefRoot)}
}

// concretePath fills a route template with a value per parameter.
func concretePath(route string) string {
	var b strings.Builder
	n := 0
	for i := 0; i < len(route); i++ {
		if route[i] == '{' {
			if end := strings.IndexByte(route[i:], '}'); end > 0 {
				n++
				fmt.Fprintf(&b, "v%d", n)
				i += end
				continue
			}
		}
		b.WriteByte(route[i])
	}
	return b.String()
}

// TestCorpusRouting spawns every spec of the corpus with no handler bound
// and checks that a request to each operation's path reaches exactly that
// operation: a 501 naming it, not a 404, a 405 or another operation.
func TestCorpusRouting(t *testing.T) {
	t.Parallel()
	corpus := sharedtest.Dir(t, "corpus")
	for _, spec := range sharedtest.CorpusSpecs(t) {
		name := strings.TrimPrefix(spec.File, corpus+"/")
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			pool := klue.NewPool()
			kluetest.Add(t, pool, "corpus", klue.File(spec.File), refRoot(spec)...)
			api, _ := pool.API("corpus")
			e := kluetest.NewEcho()
			if err := server.Spawn(e, pool, "corpus", server.WithUnboundNotImplemented()); err != nil {
				t.Fatal(err)
			}
			mounted := 0
			for _, op := range api.Operations() {
				if op.NoBindServer {
					continue
				}
				mounted++
				path := concretePath(op.Route())
				rec := httptest.NewRecorder()
				e.ServeHTTP(rec, httptest.NewRequest(op.Method, path, nil))
				if rec.Code != http.StatusNotImplemented {
					t.Errorf("%s: %s %s: status %d: %s", op.Key(), op.Method, path, rec.Code, rec.Body.String())
					continue
				}
				if op.Method == http.MethodHead {
					continue
				}
				var p server.ProblemDetails
				if err := json.Unmarshal(rec.Body.Bytes(), &p); err != nil {
					t.Errorf("%s: %v", op.Key(), err)
					continue
				}
				if want := op.Name() + " is not implemented"; p.Detail != want {
					t.Errorf("%s %s reached another operation: %q", op.Method, path, p.Detail)
				}
			}
			if mounted == 0 && len(api.Operations()) > 0 {
				t.Errorf("no operation mounted")
			}
		})
	}
}
