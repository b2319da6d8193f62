package client_test

import (
	"context"
	"net/http"
	"net/url"
	"reflect"
	"strings"
	"testing"

	"github.com/klue-go/klue-client-server/klue"
	"github.com/klue-go/klue-client-server/klue/client"
	"github.com/klue-go/klue-client-server/klue/kluetest"
	"github.com/klue-go/klue-client-server/klue/server"
)

// specPool loads one inline spec under the name "api", its calls sent to
// srv.
func specPool(t *testing.T, spec string, baseURL string) *klue.Pool {
	t.Helper()
	pool := klue.NewPool()
	kluetest.Add(t, pool, "api", klue.Bytes("api.yaml", []byte(spec)), klue.WithBaseURL(baseURL))
	return pool
}

const producesSpec = `swagger: "2.0"
info: {title: t, version: "1"}
paths:
  /thing:
    get:
      operationId: get_thing
      produces: [application/xml, application/json]
      responses:
        "200":
          description: ok
          schema:
            type: object
            properties: {name: {type: string}}
`

// A client asks only for media types it can decode, JSON first: a
// conforming server picks from Accept, and an XML answer would fail the
// call.
func TestAcceptOnlyDecodable(t *testing.T) {
	t.Parallel()
	rec := &capture{answer: jsonAnswer(http.StatusOK, `{"name":"a"}`)}
	srv := serve(t, rec)
	pool := specPool(t, producesSpec, srv.URL)
	type Thing struct {
		Name string `json:"name"`
	}
	if _, err := client.Call[Thing](pool.Client("api"), "get_thing").Do(t.Context()); err != nil {
		t.Fatal(err)
	}
	if got := rec.last(t).Header.Get("Accept"); got != "application/json" {
		t.Errorf("Accept %q, want %q", got, "application/json")
	}
	// Raw results take any answer: every type is asked for, JSON first.
	if _, err := client.Call[[]byte](pool.Client("api"), "get_thing").Do(t.Context()); err != nil {
		t.Fatal(err)
	}
	if got, want := rec.last(t).Header.Get("Accept"), "application/json, application/xml"; got != want {
		t.Errorf("Accept %q, want %q", got, want)
	}
}

const encodingSpec = `openapi: 3.0.3
info: {title: t, version: "1"}
paths:
  /charges:
    post:
      operationId: create_charge
      requestBody:
        required: true
        content:
          application/x-www-form-urlencoded:
            schema:
              type: object
              properties:
                amount: {type: integer}
                shipping:
                  type: object
                  properties:
                    name: {type: string}
                    address:
                      type: object
                      properties:
                        city: {type: string}
                tags: {type: array, items: {type: string}}
                ids: {type: array, items: {type: integer}}
                meta: {type: object, additionalProperties: {type: string}}
            encoding:
              shipping: {style: deepObject, explode: true}
              tags: {style: pipeDelimited, explode: false}
              ids: {style: spaceDelimited, explode: false}
              meta: {style: form, explode: true}
      responses:
        "204": {description: done}
`

type (
	Address struct {
		City string `json:"city"`
	}
	Shipping struct {
		Name    string   `json:"name"`
		Address *Address `json:"address,omitempty"`
	}
	Charge struct {
		Amount   int               `json:"amount"`
		Shipping *Shipping         `json:"shipping,omitempty"`
		Tags     []string          `json:"tags,omitempty"`
		IDs      []int             `json:"ids,omitempty"`
		Meta     map[string]string `json:"meta,omitempty"`
	}
)

// A urlencoded body follows the encoding the spec gives each property.
func TestURLEncodedBodyEncoding(t *testing.T) {
	t.Parallel()
	rec := &capture{}
	srv := serve(t, rec)
	pool := specPool(t, encodingSpec, srv.URL)
	in := &Charge{Amount: 5, Shipping: &Shipping{Name: "Ada", Address: &Address{City: "Paris"}},
		Tags: []string{"a", "b"}, IDs: []int{1, 2}, Meta: map[string]string{"k": "v"}}
	if _, err := client.CallWith[struct{}](pool.Client("api"), "create_charge", in).Do(t.Context()); err != nil {
		t.Fatal(err)
	}
	got, err := url.ParseQuery(string(rec.last(t).Body))
	if err != nil {
		t.Fatal(err)
	}
	want := url.Values{
		"amount":                  {"5"},
		"shipping[name]":          {"Ada"},
		"shipping[address][city]": {"Paris"},
		"tags":                    {"a|b"},
		"ids":                     {"1 2"},
		"k":                       {"v"},
	}
	if got.Encode() != want.Encode() {
		t.Errorf("body\n%s\nwant\n%s", got.Encode(), want.Encode())
	}
}

// A klue server reads a urlencoded body with the encoding its client
// writes it with: the value comes back unchanged.
func TestURLEncodedBodyRoundTrip(t *testing.T) {
	t.Parallel()
	pool := specPool(t, encodingSpec, "http://localhost")
	got := make(chan Charge, 1)
	server.Bind(pool, "create_charge", func(_ context.Context, c *Charge) (*struct{}, error) {
		got <- *c
		return &struct{}{}, nil
	})
	configure(t, pool, "api", client.WithLocal(kluetest.Spawn(t, pool, "api").Echo))
	for _, in := range []Charge{
		{Amount: 5, Shipping: &Shipping{Name: "Ada", Address: &Address{City: "Paris"}}, Tags: []string{"a", "b c"}, IDs: []int{1, 2}, Meta: map[string]string{"k": "v", "k2": "v 2"}},
		{Amount: 0, Shipping: &Shipping{Name: "x[y]=z&w"}},
		{Amount: 1, Tags: []string{"one"}, IDs: []int{7}},
	} {
		if _, err := client.CallWith[struct{}](pool.Client("api"), "create_charge", &in).Do(t.Context()); err != nil {
			t.Fatalf("%+v: %v", in, err)
		}
		if out := <-got; !reflect.DeepEqual(out, in) {
			t.Errorf("the server read\n%+v\nthe client sent\n%+v", out, in)
		}
	}
}

const fitSpec = `openapi: 3.0.3
info: {title: t, version: "1"}
paths:
  /users/{id}:
    get:
      operationId: get_user
      parameters:
        - {name: id, in: path, required: true, schema: {type: integer}}
      requestBody:
        content:
          application/json:
            schema:
              type: object
              additionalProperties: false
              properties: {note: {type: string}}
      responses:
        "200":
          description: ok
          content:
            application/json:
              schema:
                type: object
                required: [name]
                properties:
                  name: {type: string}
                  age: {type: integer}
`

// A call whose Req or Res cannot carry the operation's values fails when
// it is prepared, as Bind does on the server, before anything is sent.
func TestCallFit(t *testing.T) {
	t.Parallel()
	rec := &capture{answer: jsonAnswer(http.StatusOK, `{"name":"a","age":3}`)}
	srv := serve(t, rec)
	pool := specPool(t, fitSpec, srv.URL)
	type ByID struct {
		ID int `path:"id"`
	}
	type BadID struct {
		ID bool `path:"id"`
	}
	type User struct {
		Name string `json:"name"`
		Age  int    `json:"age"`
	}
	type Note struct {
		Note string `json:"note"`
	}
	type ByIDNote struct {
		ID   int `path:"id"`
		Body *Note
	}
	type Extra struct {
		Note  string `json:"note"`
		Extra int    `json:"extra"`
	}
	type ByIDExtra struct {
		ID   int `path:"id"`
		Body *Extra
	}
	type NoName struct {
		Age int `json:"age"`
	}
	type WrongAge struct {
		Name string `json:"name"`
		Age  bool   `json:"age"`
	}
	cases := []struct {
		name string
		err  func() error
		want string // "" for none
	}{
		{"fits", func() error { return client.CallWith[User](pool.Client("api"), "get_user", &ByID{1}).Err() }, ""},
		{"param type", func() error { return client.CallWith[User](pool.Client("api"), "get_user", &BadID{true}).Err() }, "the schema says integer"},
		{"body", func() error {
			return client.CallWith[User](pool.Client("api"), "get_user", &ByIDNote{1, &Note{"n"}}).Err()
		}, ""},
		{"body property the schema refuses", func() error {
			return client.CallWith[User](pool.Client("api"), "get_user", &ByIDExtra{1, &Extra{}}).Err()
		}, `field Extra encodes as "extra"`},
		{"missing required property", func() error { return client.CallWith[NoName](pool.Client("api"), "get_user", &ByID{1}).Err() }, `required property "name"`},
		{"property type", func() error { return client.CallWith[WrongAge](pool.Client("api"), "get_user", &ByID{1}).Err() }, "age: the schema says integer"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			err := tc.err()
			switch {
			case tc.want == "" && err != nil:
				t.Fatalf("unexpected error: %v", err)
			case tc.want != "" && (err == nil || !strings.Contains(err.Error(), tc.want)):
				t.Fatalf("error %v, want one containing %q", err, tc.want)
			}
		})
	}
	if n := rec.count(); n != 0 {
		t.Errorf("%d requests sent by preparing calls", n)
	}
}

// Paging is embedded in inputs: its tagged fields are parameters, on both
// sides, as encoding/json promotes the fields of embedded structs.
type Paging struct {
	Limit  int `query:"limit" json:"limit"`
	Offset int `query:"offset" json:"offset"`
}

type PagedSearch struct {
	*Paging
	Q string `query:"q" json:"q"`
}

func TestEmbeddedParameters(t *testing.T) {
	t.Parallel()
	spec := `openapi: 3.0.3
info: {title: t, version: "1"}
paths:
  /items:
    get:
      operationId: search
      parameters:
        - {name: limit, in: query, schema: {type: integer}}
        - {name: offset, in: query, schema: {type: integer}}
        - {name: q, in: query, required: true, schema: {type: string}}
      responses:
        "200":
          description: ok
          content:
            application/json:
              schema: {type: object}
`
	pool := specPool(t, spec, "http://localhost")
	type Echo struct {
		Limit  int    `json:"limit"`
		Offset int    `json:"offset"`
		Q      string `json:"q"`
		Nil    bool   `json:"nil"`
	}
	server.Bind(pool, "search", func(_ context.Context, in *PagedSearch) (*Echo, error) {
		if in.Paging == nil {
			return &Echo{Q: in.Q, Nil: true}, nil
		}
		return &Echo{Limit: in.Limit, Offset: in.Offset, Q: in.Q}, nil
	})
	configure(t, pool, "api", client.WithLocal(kluetest.Spawn(t, pool, "api").Echo))
	for _, tc := range []struct {
		in   PagedSearch
		want Echo
	}{
		{PagedSearch{Paging: &Paging{Limit: 10, Offset: 20}, Q: "x"}, Echo{Limit: 10, Offset: 20, Q: "x"}},
		{PagedSearch{Q: "y"}, Echo{Q: "y", Nil: true}},
	} {
		got, err := client.CallWith[Echo](pool.Client("api"), "search", &tc.in).Do(t.Context())
		if err != nil {
			t.Fatal(err)
		}
		if *got != tc.want {
			t.Errorf("sent %+v, the server read %+v", tc.in, *got)
		}
	}
}

// An OpenAPI 3 operation has no produces: its responses' media types are
// what a server may answer, and Accept asks only for the decodable ones.
func TestAcceptFromResponses(t *testing.T) {
	t.Parallel()
	spec := `openapi: 3.0.3
info: {title: t, version: "1"}
paths:
  /thing:
    get:
      operationId: get_thing
      responses:
        "200":
          description: ok
          content:
            application/xml: {schema: {type: object}}
            application/json: {schema: {type: object}}
        default:
          description: error
          content:
            application/problem+json: {schema: {type: object}}
`
	rec := &capture{answer: jsonAnswer(http.StatusOK, `{}`)}
	srv := serve(t, rec)
	pool := specPool(t, spec, srv.URL)
	if _, err := client.Call[map[string]any](pool.Client("api"), "get_thing").Do(t.Context()); err != nil {
		t.Fatal(err)
	}
	if got, want := rec.last(t).Header.Get("Accept"), "application/json, application/problem+json"; got != want {
		t.Errorf("Accept %q, want %q", got, want)
	}
}
