package server_test

import (
	"strings"
	"testing"

	"github.com/klue-go/klue-client-server/klue"
	"github.com/klue-go/klue-client-server/klue/kluetest"
	"github.com/klue-go/klue-client-server/klue/server"
)

const fitSpec = `
openapi: 3.0.3
info: {title: fit, version: "1"}
paths:
  /pets/{id}:
    get:
      operationId: getPet
      parameters:
        - {name: id, in: path, required: true, schema: {type: integer}}
      responses:
        "200":
          description: a pet
          content:
            application/json:
              schema:
                type: object
                required: [name]
                properties:
                  name: {type: string}
`

type fitPet struct {
	Name string `json:"name"`
}

type fitGetPet struct {
	ID int64 `path:"id"`
}

type fitNoID struct {
	Limit int `query:"limit"`
}

type fitNoName struct {
	Age int `json:"age"`
}

func TestFit(t *testing.T) {
	t.Parallel()
	pool := klue.NewPool()
	kluetest.Add(t, pool, "pets", klue.Bytes("fit.yaml", []byte(fitSpec)))
	tests := []struct {
		name string
		fit  func() error
		want []string // substrings of the error; none for a fit
	}{
		{"fits", func() error { return server.Fit(pool, klue.Key[fitGetPet, fitPet]("getPet")) }, nil},
		{"by method and path", func() error { return server.Fit(pool, klue.Key[fitGetPet, fitPet]("GET /pets/{id}")) }, nil},
		{"missing path parameter and unknown query", func() error { return server.Fit(pool, klue.Key[fitNoID, fitPet]("getPet")) },
			[]string{`required path parameter "id"`, `query:"limit"`}},
		{"response without the required property", func() error { return server.Fit(pool, klue.Key[fitGetPet, fitNoName]("getPet")) },
			[]string{`required property "name"`}},
		{"unknown key", func() error { return server.Fit(pool, klue.Key[fitGetPet, fitPet]("getPets")) },
			[]string{"getPet"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			err := tt.fit()
			if len(tt.want) == 0 {
				if err != nil {
					t.Fatalf("Fit: %v", err)
				}
				return
			}
			if err == nil {
				t.Fatal("Fit: no error")
			}
			for _, w := range tt.want {
				if !strings.Contains(err.Error(), w) {
					t.Errorf("Fit: %v\nwant it to mention %s", err, w)
				}
			}
		})
	}
	// Fit binds nothing: spawning afterwards still finds getPet unbound.
	if err := server.Spawn(kluetest.NewEcho(), pool, "pets"); err == nil || !strings.Contains(err.Error(), "no handler") {
		t.Errorf("Spawn after Fit: %v, want an unbound operation", err)
	}
}
