package client_test

import (
	"context"
	"io"
	"net/http"
	"net/http/httptest"
	"sync"
	"testing"

	"github.com/klue-go/klue-client-server/klue"
	"github.com/klue-go/klue-client-server/klue/client"
)

// A GET carries a body when its operation takes one, and none otherwise,
// on the wire (no Content-Length, no chunked framing), whether or not
// another GET of the same API takes a body.
func TestGetBodyFraming(t *testing.T) {
	t.Parallel()
	const spec = `
openapi: 3.0.3
info: {title: Search, version: '1'}
paths:
  /plain:
    get:
      operationId: plain
      responses: {'204': {description: none}}
  /gone:
    delete:
      operationId: gone
      responses: {'204': {description: none}}
`
	const search = `
  /search:
    get:
      operationId: search
      requestBody:
        required: true
        content: {application/json: {schema: {type: object}}}
      responses: {'204': {description: none}}
`
	type wire struct {
		length  int64
		chunked bool
		ctype   string
		body    string
	}
	var (
		mu  sync.Mutex
		got wire
	)
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		data, _ := io.ReadAll(r.Body)
		mu.Lock()
		got = wire{r.ContentLength, len(r.TransferEncoding) > 0, r.Header.Get("Content-Type"), string(data)}
		mu.Unlock()
		w.WriteHeader(http.StatusNoContent)
	}))
	defer srv.Close()

	for _, withSearch := range []bool{false, true} {
		extra := ""
		if withSearch {
			extra = search
		}
		pool := klue.NewPool()
		if err := pool.Add("api", klue.Bytes("api.yaml", []byte(spec+extra)), klue.WithBaseURL(srv.URL)); err != nil {
			t.Fatal(err)
		}
		remote := pool.Client("api")
		check := func(what string, call func() error, want wire) {
			t.Helper()
			if err := call(); err != nil {
				t.Fatalf("%s: %v", what, err)
			}
			mu.Lock()
			defer mu.Unlock()
			if got != want {
				t.Errorf("with a GET body in the API %v: %s sent %+v, want %+v", withSearch, what, got, want)
			}
		}
		ctx := context.Background()
		check("GET without a body", func() error { _, err := client.Call[struct{}](remote, "plain").Do(ctx); return err }, wire{})
		check("DELETE without a body", func() error { _, err := client.Call[struct{}](remote, "gone").Do(ctx); return err }, wire{})
		if withSearch {
			check("GET with a body", func() error {
				_, err := client.CallWith[struct{}](remote, "search", &client.Args{Body: map[string]any{"q": "x"}}).Do(ctx)
				return err
			}, wire{length: 9, ctype: "application/json", body: `{"q":"x"}`})
		}
	}
}
