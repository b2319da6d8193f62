package client_test

import (
	"context"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/klue-go/klue-client-server/klue"
	"github.com/klue-go/klue-client-server/klue/client"
	"github.com/klue-go/klue-client-server/klue/kluetest"
	"github.com/klue-go/klue-client-server/klue/server"
)

const typedResultSpec = `openapi: 3.0.3
info: {title: t, version: "1"}
paths:
  /pets:
    post:
      operationId: put_pet
      parameters:
        - {name: mode, in: query, schema: {type: string}}
      responses:
        "200":
          description: replaced
          headers:
            ETag: {schema: {type: string}}
          content:
            application/json:
              schema: {$ref: '#/components/schemas/Named'}
        "201":
          description: created
          headers:
            Location: {required: true, schema: {type: string}}
            X-Rate-Limit: {schema: {type: integer}}
            Last-Modified: {schema: {type: string}}
            X-Tags: {schema: {type: array, items: {type: string}}}
          content:
            application/json:
              schema: {$ref: '#/components/schemas/Named'}
        "204": {description: unchanged}
components:
  schemas:
    Named:
      type: object
      required: [name]
      properties: {name: {type: string}}
`

type Named struct {
	Name string `json:"name"`
}

// NamedAnswer is a typed response: the server's handler returns it, the
// client receives the same.
type NamedAnswer struct {
	Status       int       `status:""`
	Location     string    `header:"Location"`
	ETag         string    `header:"ETag"`
	RateLimit    int       `header:"X-Rate-Limit"`
	LastModified time.Time `header:"Last-Modified"`
	Tags         []string  `header:"X-Tags"`
	Body         *Named
}

type ModeIn struct {
	Mode string `query:"mode"`
}

// The same typed response serves the handler and the call: the client
// fills its status, its headers and its Body from the answer.
func TestTypedResult(t *testing.T) {
	t.Parallel()
	pool := klue.NewPool()
	kluetest.Add(t, pool, "api", klue.Bytes("api.yaml", []byte(typedResultSpec)), klue.WithBaseURL("http://localhost"))
	day := time.Date(2024, 2, 29, 13, 0, 0, 0, time.UTC)
	answers := map[string]*NamedAnswer{
		"":       {Status: http.StatusOK, ETag: `"v2"`, Body: &Named{"Bob"}},
		"create": {Status: http.StatusCreated, Location: "/pets/1", RateLimit: 9, LastModified: day, Tags: []string{"a", "b"}, Body: &Named{"Ada"}},
		"same":   {Status: http.StatusNoContent},
	}
	server.Bind(pool, "put_pet", func(_ context.Context, in *ModeIn) (*NamedAnswer, error) {
		return answers[in.Mode], nil
	})
	configure(t, pool, "api", client.WithLocal(kluetest.Spawn(t, pool, "api").Echo))
	for mode, want := range answers {
		got, err := client.CallWith[NamedAnswer](pool.Client("api"), "put_pet", &ModeIn{mode}).Do(t.Context())
		if err != nil {
			t.Fatalf("%q: %v", mode, err)
		}
		if got.Status != want.Status || got.Location != want.Location || got.ETag != want.ETag || got.RateLimit != want.RateLimit ||
			!got.LastModified.Equal(want.LastModified) || strings.Join(got.Tags, ",") != strings.Join(want.Tags, ",") ||
			(got.Body == nil) != (want.Body == nil) || got.Body != nil && *got.Body != *want.Body {
			t.Errorf("%q: got %+v, want %+v", mode, got, want)
		}
	}
	type stray struct {
		Location string `header:"Locaton"`
		Body     *Named
	}
	err := client.CallWith[stray](pool.Client("api"), "put_pet", &ModeIn{}).Err()
	if err == nil || !strings.Contains(err.Error(), `no response of POST /pets declares that header`) {
		t.Errorf("error %v, want one about the undeclared header", err)
	}
}

// A typed result is planned as the server plans a handler's: a field with
// no place in the response, a second status field and a header field whose
// type cannot be read from header text are refused when the call is
// prepared, not when an answer comes.
func TestTypedResultPlannedAsTheServerDoes(t *testing.T) {
	t.Parallel()
	pool := klue.NewPool()
	kluetest.Add(t, pool, "api", klue.Bytes("api.yaml", []byte(typedResultSpec)), klue.WithBaseURL("http://localhost"))
	type unplaced struct {
		Status int `status:""`
		Note   string
		Body   *Named
	}
	type twoStatus struct {
		Status int `status:""`
		Code   int `status:""`
		Body   *Named
	}
	type bytesHeader struct {
		ETag []byte `header:"ETag"`
		Body *Named
	}
	type anyHeader struct {
		ETag any `header:"ETag"`
		Body *Named
	}
	for _, c := range []struct {
		name string
		err  error
		want string
	}{
		{"unplaced", client.CallWith[unplaced](pool.Client("api"), "put_pet", &ModeIn{}).Err(), "field Note"},
		{"two status", client.CallWith[twoStatus](pool.Client("api"), "put_pet", &ModeIn{}).Err(), "two status fields"},
		{"bytes header", client.CallWith[bytesHeader](pool.Client("api"), "put_pet", &ModeIn{}).Err(), "field ETag"},
		{"any header", client.CallWith[anyHeader](pool.Client("api"), "put_pet", &ModeIn{}).Err(), "field ETag"},
	} {
		if c.err == nil || !strings.Contains(c.err.Error(), c.want) {
			t.Errorf("%s: error %v, want one about %s", c.name, c.err, c.want)
		}
	}
}
