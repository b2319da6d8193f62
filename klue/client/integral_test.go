package client_test

import (
	"net/http"
	"strings"
	"testing"

	"github.com/klue-go/klue-client-server/klue"
	"github.com/klue-go/klue-client-server/klue/client"
	"github.com/klue-go/klue-client-server/klue/kluetest"
)

type countAnswer struct {
	N int64 `json:"n"`
}

// An answer is decoded by the integer rule of its spec's version, as the
// server decodes a body: 1.0 and 1e2 are integers in OpenAPI 3.1, and a
// Go integer takes them; in OpenAPI 3.0 they are not.
func TestAnswerIntegerRulePerVersion(t *testing.T) {
	t.Parallel()
	for _, c := range []struct {
		version, body string
		want          int64 // -1: refused
	}{
		{"3.1.0", `{"n": 1.0}`, 1},
		{"3.1.0", `{"n": 1e2}`, 100},
		{"3.1.0", `{"n": 1.5}`, -1},
		{"3.0.3", `{"n": 1.0}`, -1},
	} {
		t.Run(c.version+" "+c.body, func(t *testing.T) {
			t.Parallel()
			for _, validate := range []bool{true, false} {
				srv := serve(t, &capture{answer: jsonAnswer(http.StatusOK, c.body)})
				spec := "openapi: " + c.version + "\ninfo: {title: t, version: '1'}\npaths:\n  /n:\n    get:\n      operationId: op\n" +
					"      responses:\n        '200': {description: ok, content: {application/json: {schema: {type: object, properties: {n: {type: integer}}}}}}\n"
				pool := klue.NewPool()
				kluetest.Add(t, pool, "k", klue.Bytes("k.yaml", []byte(spec)), klue.WithBaseURL(srv.URL))
				var opts []client.CallOption
				if !validate {
					opts = append(opts, client.WithoutResponseValidation())
				}
				got, err := client.CallWith[countAnswer](pool.Client("k"), "op", &struct{}{}, opts...).Do(t.Context())
				switch {
				case c.want < 0 && err == nil:
					t.Errorf("validate=%v: got %+v, want refused", validate, got)
				case c.want >= 0 && (err != nil || got.N != c.want):
					t.Errorf("validate=%v: got %+v, %v; want %d", validate, got, err, c.want)
				case err != nil && strings.Contains(err.Error(), "panic"):
					t.Error(err)
				}
			}
		})
	}
}
