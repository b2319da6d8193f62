package client_test

import (
	"context"
	"encoding/json"
	"fmt"
	"strings"
	"testing"

	"github.com/klue-go/klue-client-server/klue"
	"github.com/klue-go/klue-client-server/klue/client"
	"github.com/klue-go/klue-client-server/klue/kluetest"
	"github.com/klue-go/klue-client-server/klue/server"
)

// What a client sends for a parameter, a server reads as the same typed
// value, whatever keyword of the schema says how its text is converted.

type (
	schemaQuery struct {
		P any `query:"p" json:"p"`
	}
	schemaPath struct {
		P any `path:"p" json:"p"`
	}
	schemaHeader struct {
		P any `header:"X-P" json:"p"`
	}
	schemaCookie struct {
		P any `cookie:"p" json:"p"`
	}
)

type paramRoundTrip struct {
	name    string
	version string // "3.1" (default), "3.0", "2.0"
	in      string // query (default), path, header, cookie
	param   string // the parameter's YAML, without name and in
	value   any    // the Go value the client sends
	want    string // the JSON the handler sees
}

func paramRoundTripSpec(c paramRoundTrip) string {
	in, name, path := c.in, "p", "/t"
	switch in {
	case "":
		in = "query"
	case "header":
		name = "X-P"
	case "path":
		path = "/t/{p}"
	}
	head := "openapi: 3.1.0\n"
	resp := "'200': {description: ok, content: {application/json: {schema: {}}}}"
	switch c.version {
	case "2.0":
		head, resp = "swagger: '2.0'\n", "'200': {description: ok, schema: {}}"
	case "3.0":
		head = "openapi: 3.0.3\n"
	}
	return fmt.Sprintf("%sinfo: {title: t, version: '1'}\npaths:\n  %s:\n    get:\n      operationId: op\n      parameters:\n"+
		"        - {name: %s, in: %s, required: %t, %s}\n      responses:\n        %s\n",
		head, path, name, in, in == "path", c.param, resp)
}

func echoParam[T any](pool *klue.Pool, get func(*T) any) {
	server.Bind(pool, klue.Key[T, any]("op"), func(_ context.Context, in *T) (*any, error) {
		v := get(in)
		return &v, nil
	})
}

func callParam[T any](t *testing.T, pool *klue.Pool, in *T) (*any, error) {
	return client.CallWith[any](pool.Client("k"), klue.Key[T, any]("op"), in).Do(t.Context())
}

func runParamRoundTrips(t *testing.T, cases []paramRoundTrip) {
	t.Helper()
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			t.Parallel()
			pool := klue.NewPool()
			kluetest.Add(t, pool, "k", klue.Bytes("k.yaml", []byte(paramRoundTripSpec(c))), klue.WithBaseURL("http://localhost"))
			switch c.in {
			case "path":
				echoParam(pool, func(in *schemaPath) any { return in.P })
			case "header":
				echoParam(pool, func(in *schemaHeader) any { return in.P })
			case "cookie":
				echoParam(pool, func(in *schemaCookie) any { return in.P })
			default:
				echoParam(pool, func(in *schemaQuery) any { return in.P })
			}
			configure(t, pool, "k", client.WithLocal(kluetest.Spawn(t, pool, "k").Echo))
			var got *any
			var err error
			switch c.in {
			case "path":
				got, err = callParam(t, pool, &schemaPath{c.value})
			case "header":
				got, err = callParam(t, pool, &schemaHeader{c.value})
			case "cookie":
				got, err = callParam(t, pool, &schemaCookie{c.value})
			default:
				got, err = callParam(t, pool, &schemaQuery{c.value})
			}
			if err != nil {
				t.Fatalf("%s %#v: %v", c.in, c.value, err)
			}
			g, _ := json.Marshal(got)
			var want any
			if err := json.Unmarshal([]byte(c.want), &want); err != nil {
				t.Fatal(err)
			}
			w, _ := json.Marshal(want)
			if string(g) != string(w) {
				t.Errorf("%s %#v: handler saw %s, want %s", c.in, c.value, g, w)
			}
		})
	}
}

const tupleParam = `schema: {type: array, prefixItems: [{type: integer}, {type: string}, {type: boolean}]}`

// A tuple travels as a []any (or an array), each item converted by the
// schema of its position, in every style and place.
func TestParamTupleRoundTrip(t *testing.T) {
	t.Parallel()
	v, ok := []any{1, "x", true}, `[1,"x",true]`
	texts := []string{"1", "x", "true"}
	var cases []paramRoundTrip
	for _, style := range []struct{ in, param string }{
		{"query", tupleParam + ", explode: false"},
		{"query", tupleParam},
		{"query", tupleParam + ", style: spaceDelimited, explode: false"},
		{"query", tupleParam + ", style: pipeDelimited, explode: false"},
		{"query", tupleParam + ", style: pipeDelimited, explode: true"},
		{"path", tupleParam},
		{"path", tupleParam + ", style: label"},
		{"path", tupleParam + ", style: label, explode: true"},
		{"path", tupleParam + ", style: matrix"},
		{"path", tupleParam + ", style: matrix, explode: true"},
		{"header", tupleParam},
		{"cookie", tupleParam + ", explode: false"},
	} {
		cases = append(cases,
			paramRoundTrip{name: style.in + " " + style.param + " []any", in: style.in, param: style.param, value: v, want: ok},
			paramRoundTrip{name: style.in + " " + style.param + " [3]any", in: style.in, param: style.param, value: [3]any{1, "x", true}, want: ok},
			paramRoundTrip{name: style.in + " " + style.param + " []string", in: style.in, param: style.param, value: texts, want: ok})
	}
	runParamRoundTrips(t, cases)
}

// A scalar reaches the server as the value it is, whichever keyword gives
// its schema's types; a Go string is read as the server reads its text.
func TestParamScalarTypesRoundTrip(t *testing.T) {
	t.Parallel()
	var cases []paramRoundTrip
	for _, in := range []string{"query", "path", "header", "cookie"} {
		cases = append(cases,
			paramRoundTrip{name: in + " int|bool int", in: in, param: `schema: {type: [integer, boolean]}`, value: 1, want: `1`},
			paramRoundTrip{name: in + " int|bool bool", in: in, param: `schema: {type: [integer, boolean]}`, value: true, want: `true`},
			paramRoundTrip{name: in + " int|bool text", in: in, param: `schema: {type: [integer, boolean]}`, value: "true", want: `true`},
			paramRoundTrip{name: in + " anyOf", in: in, param: `schema: {anyOf: [{type: integer}, {type: boolean}]}`, value: false, want: `false`},
			paramRoundTrip{name: in + " const", in: in, param: `schema: {const: 5}`, value: 5, want: `5`},
			paramRoundTrip{name: in + " const text", in: in, param: `schema: {const: 5}`, value: "5", want: `5`},
			paramRoundTrip{name: in + " enum mixed", in: in, param: `schema: {enum: [1, auto]}`, value: "auto", want: `"auto"`},
			paramRoundTrip{name: in + " string|null", in: in, param: `schema: {type: [string, 'null']}`, value: "x", want: `"x"`},
			paramRoundTrip{name: in + " items union", in: in, param: `schema: {type: array, items: {type: [integer, boolean]}}`, value: []any{1, true}, want: `[1,true]`},
			paramRoundTrip{name: in + " nullable array", in: in, param: `schema: {anyOf: [{type: array, items: {type: integer}}, {type: 'null'}]}`, value: []int{1, 2}, want: `[1,2]`},
			paramRoundTrip{name: in + " int or any string, int", in: in, param: `schema: {anyOf: [{type: integer, minimum: 5}, {type: string}]}`, value: 7, want: `7`},
			paramRoundTrip{name: in + " int or any string, low int", in: in, param: `schema: {anyOf: [{type: integer, minimum: 5}, {type: string}]}`, value: 3, want: `"3"`},
			paramRoundTrip{name: in + " int or any string, text", in: in, param: `schema: {anyOf: [{type: integer, minimum: 5}, {type: string}]}`, value: "3", want: `"3"`},
			paramRoundTrip{name: in + " 3.0 anyOf", version: "3.0", in: in, param: `schema: {anyOf: [{type: integer}, {type: boolean}]}`, value: 3, want: `3`},
		)
	}
	runParamRoundTrips(t, cases)
}

// A form's fields reach the server as the values they are, a tuple by its
// positions and a scalar by every keyword that gives its types, in
// urlencoded and multipart bodies.
func TestFormFieldSchemasRoundTrip(t *testing.T) {
	t.Parallel()
	spec := `openapi: 3.1.0
info: {title: t, version: '1'}
paths:
  /u:
    post:
      operationId: urlencoded
      requestBody:
        content:
          application/x-www-form-urlencoded:
            schema: {$ref: '#/components/schemas/F'}
            encoding: {t: {style: form, explode: false}, a: {style: form, explode: false}}
      responses: {'200': {description: ok, content: {application/json: {schema: {}}}}}
  /m:
    post:
      operationId: multipart
      requestBody:
        content:
          multipart/form-data:
            schema: {$ref: '#/components/schemas/F'}
      responses: {'200': {description: ok, content: {application/json: {schema: {}}}}}
components:
  schemas:
    F:
      type: object
      properties:
        t: {type: array, prefixItems: [{type: integer}, {type: string}, {type: boolean}]}
        u: {type: [integer, boolean]}
        c: {const: 5}
        a: {anyOf: [{type: array, items: {type: integer}}, {type: 'null'}]}
        s: {anyOf: [{type: integer, minimum: 5}, {type: string}]}
`
	type form struct {
		T any `form:"t" json:"t"`
		U any `form:"u" json:"u"`
		C any `form:"c" json:"c"`
		A any `form:"a" json:"a"`
		S any `form:"s" json:"s"`
	}
	pool := klue.NewPool()
	kluetest.Add(t, pool, "k", klue.Bytes("k.yaml", []byte(spec)), klue.WithBaseURL("http://localhost"))
	for _, op := range []string{"urlencoded", "multipart"} {
		server.Bind(pool, klue.Key[form, form](op), func(_ context.Context, in *form) (*form, error) { return in, nil })
	}
	configure(t, pool, "k", client.WithLocal(kluetest.Spawn(t, pool, "k").Echo))
	in := &form{T: []any{1, "x", true}, U: true, C: "5", A: []int{1, 2}, S: 3}
	want := `{"t":[1,"x",true],"u":true,"c":5,"a":[1,2],"s":"3"}`
	for _, op := range []string{"urlencoded", "multipart"} {
		got, err := client.CallWith[form](pool.Client("k"), klue.Key[form, form](op), in).Do(t.Context())
		if err != nil {
			t.Fatalf("%s: %v", op, err)
		}
		if g, _ := json.Marshal(got); string(g) != want {
			t.Errorf("%s: handler saw %s, want %s", op, g, want)
		}
	}
}

// The client judges an integer parameter by its spec version's rule, as
// the server does: 1.0 is an integer in OpenAPI 3.1, not in 3.0.
func TestParamIntegerRuleRoundTrip(t *testing.T) {
	t.Parallel()
	runParamRoundTrips(t, []paramRoundTrip{
		{name: "3.1 text 1.0", param: `schema: {type: integer}`, value: "1.0", want: `1`},
		{name: "3.1 text 1e2", in: "header", param: `schema: {type: integer}`, value: "1e2", want: `100`},
	})
	pool := klue.NewPool()
	kluetest.Add(t, pool, "k", klue.Bytes("k.yaml", []byte(paramRoundTripSpec(paramRoundTrip{version: "3.0", param: `schema: {type: integer}`}))), klue.WithBaseURL("http://localhost"))
	echoParam(pool, func(in *schemaQuery) any { return in.P })
	configure(t, pool, "k", client.WithLocal(kluetest.Spawn(t, pool, "k").Echo))
	if _, err := callParam(t, pool, &schemaQuery{"1.0"}); err == nil || !strings.Contains(err.Error(), "without a fraction") {
		t.Errorf("3.0, 1.0: %v, want refused before sending", err)
	}
}

// A tuple cannot travel in a struct: the call says so before anything is
// sent.
func TestParamTupleStructRefused(t *testing.T) {
	t.Parallel()
	pool := klue.NewPool()
	kluetest.Add(t, pool, "k", klue.Bytes("k.yaml", []byte(paramRoundTripSpec(paramRoundTrip{param: tupleParam}))), klue.WithBaseURL("http://localhost"))
	type pair struct {
		N int
		S string
	}
	type in struct {
		P pair `query:"p"`
	}
	_, err := client.CallWith[any](pool.Client("k"), klue.Key[in, any]("op"), &in{}).Do(t.Context())
	if err == nil || !strings.Contains(err.Error(), "the schema says array") {
		t.Errorf("a struct for a tuple: %v", err)
	}
}
