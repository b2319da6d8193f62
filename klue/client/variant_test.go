package client_test

import (
	"testing"

	"github.com/klue-go/klue-client-server/klue"
	"github.com/klue-go/klue-client-server/klue/client"
)

// An operation whose path key holds a query or a fragment describes a
// variant of a route: the client calls the route, with the key's query
// before the call's own, and never sends the fragment.
func TestVariantPathKeysAreCalledAsMeant(t *testing.T) {
	t.Parallel()
	pool := klue.NewPool()
	err := pool.Add("v", klue.Bytes("v.yaml", []byte(`openapi: 3.0.3
info: {title: t, version: '1'}
servers: [{url: /api}]
paths:
  /a?beta=true:
    get:
      operationId: getABeta
      parameters:
        - {name: limit, in: query, schema: {type: integer}}
      responses: {'204': {description: ok}}
  /files/{id}#variant:
    get:
      operationId: getFileVariant
      parameters:
        - {name: id, in: path, required: true, schema: {type: string}}
      responses: {'204': {description: ok}}
`)))
	if err != nil {
		t.Fatal(err)
	}
	rec := &capture{}
	configure(t, pool, "v", client.WithLocal(rec))
	type limit struct {
		Limit int `query:"limit"`
	}
	type file struct {
		ID string `path:"id"`
	}
	for _, c := range []struct {
		call      func() error
		path, raw string
	}{
		{func() error {
			_, err := client.CallWith[struct{}](pool.Client("v"), "getABeta", &limit{Limit: 5}).Do(t.Context())
			return err
		}, "/api/a", "beta=true&limit=5"},
		{func() error {
			_, err := client.CallWith[struct{}](pool.Client("v"), "getABeta", &limit{}).Do(t.Context())
			return err
		}, "/api/a", "beta=true"},
		{func() error {
			_, err := client.CallWith[struct{}](pool.Client("v"), "getFileVariant", &file{ID: "x"}).Do(t.Context())
			return err
		}, "/api/files/x", ""},
	} {
		if err := c.call(); err != nil {
			t.Fatal(err)
		}
		if s := rec.last(t); s.Path != c.path || s.RawQuery != c.raw {
			t.Errorf("sent %s ? %s, want %s ? %s", s.Path, s.RawQuery, c.path, c.raw)
		}
	}
}
