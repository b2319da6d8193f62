package server_test

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"

	"github.com/klue-go/klue-client-server/klue"
	"github.com/klue-go/klue-client-server/klue/kluetest"
	"github.com/klue-go/klue-client-server/klue/server"
)

// paramSchemaCase is one parameter, one request and what the handler must
// see: a parameter's value is converted from text by every keyword of its
// schema that says what the text is.
type paramSchemaCase struct {
	name    string
	version string // "3.1" (default), "3.0" or "2.0"
	in      string // query (default), path, header, cookie
	param   string // the parameter's YAML, without name and in
	raw     string // the serialised value, as it appears in its place
	code    int    // 200 or 400
	want    string // the JSON the handler saw (for 200)
	defs    string // components / definitions YAML, optional
}

type (
	queryIn struct {
		P any `query:"p"`
	}
	pathIn struct {
		P any `path:"p"`
	}
	headerIn struct {
		P any `header:"X-P"`
	}
	cookieIn struct {
		P any `cookie:"p"`
	}
)

// bindEcho binds op to a handler that answers with the parameter it got.
func bindEcho[In queryIn | pathIn | headerIn | cookieIn](pool *klue.Pool, get func(*In) any) {
	server.Bind(pool, klue.Key[In, any]("op"), func(_ context.Context, in *In) (*any, error) {
		v := get(in)
		return &v, nil
	})
}

func paramSchemaSpec(c paramSchemaCase) string {
	in, name, path := c.in, "p", "/t"
	switch in {
	case "":
		in = "query"
	case "header":
		name = "X-P"
	case "path":
		path = "/t/{p}"
	}
	param := fmt.Sprintf("{name: %s, in: %s, %s}", name, in, c.param)
	if in == "path" {
		param = fmt.Sprintf("{name: %s, in: %s, required: true, %s}", name, in, c.param)
	}
	var head string
	switch c.version {
	case "2.0":
		head = "swagger: '2.0'\n"
	case "3.0":
		head = "openapi: 3.0.3\n"
	default:
		head = "openapi: 3.1.0\n"
	}
	resp := "'200': {description: ok, content: {application/json: {schema: {}}}}"
	if c.version == "2.0" {
		resp = "'200': {description: ok, schema: {}}"
	}
	return head + "info: {title: t, version: '1'}\npaths:\n  " + path + ":\n    get:\n      operationId: op\n      parameters:\n        - " +
		param + "\n      responses:\n        " + resp + "\n" + c.defs
}

func (c paramSchemaCase) request() request {
	switch c.in {
	case "path":
		return request{method: "GET", path: "/t/" + c.raw}
	case "header":
		return request{method: "GET", path: "/t", header: map[string]string{"X-P": c.raw}}
	case "cookie":
		return request{method: "GET", path: "/t", header: map[string]string{"Cookie": "p=" + c.raw}}
	}
	return request{method: "GET", path: "/t?" + c.raw}
}

func runParamSchemaCases(t *testing.T, cases []paramSchemaCase) {
	t.Helper()
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			t.Parallel()
			pool := klue.NewPool()
			kluetest.Add(t, pool, "k", klue.Bytes("k.yaml", []byte(paramSchemaSpec(c))))
			switch c.in {
			case "path":
				bindEcho(pool, func(in *pathIn) any { return in.P })
			case "header":
				bindEcho(pool, func(in *headerIn) any { return in.P })
			case "cookie":
				bindEcho(pool, func(in *cookieIn) any { return in.P })
			default:
				bindEcho(pool, func(in *queryIn) any { return in.P })
			}
			e := newEcho()
			if err := server.Spawn(e, pool, "k"); err != nil {
				t.Fatal(err)
			}
			rec := c.request().on(t, e)
			if rec.Code != c.code {
				t.Fatalf("%s %q: %d %s, want %d", c.in, c.raw, rec.Code, rec.Body.String(), c.code)
			}
			if c.code != http.StatusOK {
				return
			}
			var got, want any
			if err := json.Unmarshal(rec.Body.Bytes(), &got); err != nil {
				t.Fatal(err)
			}
			if err := json.Unmarshal([]byte(c.want), &want); err != nil {
				t.Fatal(err)
			}
			g, _ := json.Marshal(got)
			w, _ := json.Marshal(want)
			if string(g) != string(w) {
				t.Errorf("%s %q: handler saw %s, want %s", c.in, c.raw, g, w)
			}
		})
	}
}

const tupleSchema = `schema: {type: array, prefixItems: [{type: integer}, {type: string}, {type: boolean}]}`

// A tuple's items are each converted by the schema of their position, in
// every style and place.
func TestParamTuple(t *testing.T) {
	t.Parallel()
	ok := `[1,"x",true]`
	runParamSchemaCases(t, []paramSchemaCase{
		{name: "form", param: tupleSchema + ", explode: false", raw: "p=1,x,true", code: 200, want: ok},
		{name: "form exploded", param: tupleSchema, raw: "p=1&p=x&p=true", code: 200, want: ok},
		{name: "space", param: tupleSchema + ", style: spaceDelimited, explode: false", raw: "p=1%20x%20true", code: 200, want: ok},
		{name: "pipe", param: tupleSchema + ", style: pipeDelimited, explode: false", raw: "p=1|x|true", code: 200, want: ok},
		{name: "pipe exploded", param: tupleSchema + ", style: pipeDelimited, explode: true", raw: "p=1&p=x&p=true", code: 200, want: ok},
		{name: "shorter", param: tupleSchema + ", explode: false", raw: "p=1,x", code: 200, want: `[1,"x"]`},
		{name: "wrong item", param: tupleSchema + ", explode: false", raw: "p=x,x,true", code: 400},
		{name: "path simple", in: "path", param: tupleSchema, raw: "1,x,true", code: 200, want: ok},
		{name: "path label", in: "path", param: tupleSchema + ", style: label", raw: ".1,x,true", code: 200, want: ok},
		{name: "path label exploded", in: "path", param: tupleSchema + ", style: label, explode: true", raw: ".1.x.true", code: 200, want: ok},
		{name: "path matrix", in: "path", param: tupleSchema + ", style: matrix", raw: ";p=1,x,true", code: 200, want: ok},
		{name: "path matrix exploded", in: "path", param: tupleSchema + ", style: matrix, explode: true", raw: ";p=1;p=x;p=true", code: 200, want: ok},
		{name: "header", in: "header", param: tupleSchema, raw: "1, x, true", code: 200, want: ok},
		{name: "cookie", in: "cookie", param: tupleSchema + ", explode: false", raw: "1,x,true", code: 200, want: ok},
		{name: "rest by items", param: `schema: {type: array, prefixItems: [{type: string}], items: {type: integer}}, explode: false`, raw: "p=a,1,2", code: 200, want: `["a",1,2]`},
		{name: "rest refused by items", param: `schema: {type: array, prefixItems: [{type: string}], items: {type: integer}}, explode: false`, raw: "p=a,b", code: 400},
		{name: "items false", param: `schema: {type: array, prefixItems: [{type: integer}], items: false}, explode: false`, raw: "p=1,2", code: 400},
		{name: "items false fits", param: `schema: {type: array, prefixItems: [{type: integer}], items: false}, explode: false`, raw: "p=1", code: 200, want: `[1]`},
		{name: "unevaluatedItems false", param: `schema: {type: array, prefixItems: [{type: integer}], unevaluatedItems: false}, explode: false`, raw: "p=1,2", code: 400},
		{name: "ref tuple", param: `schema: {$ref: '#/components/schemas/T'}, explode: false`, raw: "p=1,x,true", code: 200, want: ok,
			defs: "components:\n  schemas:\n    T: {type: array, prefixItems: [{$ref: '#/components/schemas/I'}, {type: string}, {type: boolean}]}\n    I: {type: integer}\n"},
		{name: "allOf tuple", param: `schema: {allOf: [{type: array}, {prefixItems: [{type: integer}, {type: string}, {type: boolean}]}]}, explode: false`, raw: "p=1,x,true", code: 200, want: ok},
		{name: "single item", param: tupleSchema, raw: "p=1", code: 200, want: `[1]`},
	})
}

// A tuple binds to a slice or an array whose element type fits every
// position; one that does not is refused at Spawn, naming the position.
func TestParamTupleGoTypes(t *testing.T) {
	t.Parallel()
	spec := paramSchemaSpec(paramSchemaCase{param: tupleSchema + ", explode: false"})
	spawn := func(bind func(*klue.Pool)) error {
		pool := klue.NewPool()
		kluetest.Add(t, pool, "k", klue.Bytes("k.yaml", []byte(spec)))
		bind(pool)
		return server.Spawn(newEcho(), pool, "k")
	}
	type anys struct {
		P []any `query:"p"`
	}
	type fixed struct {
		P [3]any `query:"p"`
	}
	type ints struct {
		P []int `query:"p"`
	}
	for name, bind := range map[string]func(*klue.Pool){
		"[]any": func(p *klue.Pool) {
			server.Bind(p, klue.Key[anys, any]("op"), func(context.Context, *anys) (*any, error) { return nil, nil })
		},
		"[3]any": func(p *klue.Pool) {
			server.Bind(p, klue.Key[fixed, any]("op"), func(context.Context, *fixed) (*any, error) { return nil, nil })
		},
	} {
		if err := spawn(bind); err != nil {
			t.Errorf("%s: %v", name, err)
		}
	}
	err := spawn(func(p *klue.Pool) {
		server.Bind(p, klue.Key[ints, any]("op"), func(context.Context, *ints) (*any, error) { return nil, nil })
	})
	if err == nil || !strings.Contains(err.Error(), "1: the schema says string") {
		t.Errorf("[]int for [integer, string, boolean]: %v, want the position refused", err)
	}
}

// A scalar's text is read as the value its schema allows, whichever keyword
// gives the types: a type array, anyOf and oneOf of types, enum and const
// without a type, allOf with a $ref, nullable. A number, a boolean or null
// is taken before a string when the schema allows both.
func TestParamScalarTypes(t *testing.T) {
	t.Parallel()
	intDef := "components:\n  schemas:\n    Int: {type: integer}\n    Flag: {type: boolean}\n"
	runParamSchemaCases(t, []paramSchemaCase{
		{name: "integer|boolean int", param: `schema: {type: [integer, boolean]}`, raw: "p=1", code: 200, want: `1`},
		{name: "integer|boolean bool", param: `schema: {type: [integer, boolean]}`, raw: "p=true", code: 200, want: `true`},
		{name: "integer|boolean string", param: `schema: {type: [integer, boolean]}`, raw: "p=x", code: 400},
		{name: "integer|string int", param: `schema: {type: [integer, string]}`, raw: "p=1", code: 200, want: `1`},
		{name: "integer|string text", param: `schema: {type: [integer, string]}`, raw: "p=x", code: 200, want: `"x"`},
		{name: "string|null null", param: `schema: {type: [string, 'null']}`, raw: "p=null", code: 200, want: `null`},
		{name: "string|null text", param: `schema: {type: [string, 'null']}`, raw: "p=x", code: 200, want: `"x"`},
		{name: "integer|null", param: `schema: {type: [integer, 'null']}`, raw: "p=5", code: 200, want: `5`},
		{name: "anyOf int|bool", param: `schema: {anyOf: [{type: integer}, {type: boolean}]}`, raw: "p=false", code: 200, want: `false`},
		{name: "anyOf int|bool int", param: `schema: {anyOf: [{type: integer}, {type: boolean}]}`, raw: "p=7", code: 200, want: `7`},
		{name: "oneOf int|enum", param: `schema: {oneOf: [{type: integer}, {type: string, enum: [all]}]}`, raw: "p=5", code: 200, want: `5`},
		{name: "oneOf int|enum text", param: `schema: {oneOf: [{type: integer}, {type: string, enum: [all]}]}`, raw: "p=all", code: 200, want: `"all"`},
		{name: "oneOf refs", param: `schema: {oneOf: [{$ref: '#/components/schemas/Int'}, {$ref: '#/components/schemas/Flag'}]}`, raw: "p=true", code: 200, want: `true`, defs: intDef},
		{name: "anyOf null array", param: `schema: {anyOf: [{type: array, items: {type: integer}}, {type: 'null'}]}, explode: false`, raw: "p=1,2", code: 200, want: `[1,2]`},
		{name: "anyOf null array null", param: `schema: {anyOf: [{type: array, items: {type: integer}}, {type: 'null'}]}, explode: false`, raw: "p=null", code: 200, want: `null`},
		{name: "const int", param: `schema: {const: 5}`, raw: "p=5", code: 200, want: `5`},
		{name: "const int wrong", param: `schema: {const: 5}`, raw: "p=6", code: 400},
		{name: "const true", param: `schema: {const: true}`, raw: "p=true", code: 200, want: `true`},
		{name: "enum mixed int", param: `schema: {enum: [1, 2, auto]}`, raw: "p=2", code: 200, want: `2`},
		{name: "enum mixed text", param: `schema: {enum: [1, 2, auto]}`, raw: "p=auto", code: 200, want: `"auto"`},
		{name: "enum null", param: `schema: {enum: [a, null]}`, raw: "p=null", code: 200, want: `null`},
		{name: "allOf ref", param: `schema: {allOf: [{$ref: '#/components/schemas/Int'}], minimum: 2}`, raw: "p=3", code: 200, want: `3`, defs: intDef},
		{name: "allOf ref low", param: `schema: {allOf: [{$ref: '#/components/schemas/Int'}], minimum: 2}`, raw: "p=1", code: 400, defs: intDef},
		{name: "items ref", param: `schema: {type: array, items: {$ref: '#/components/schemas/Int'}}, explode: false`, raw: "p=1,2", code: 200, want: `[1,2]`, defs: intDef},
		{name: "items union", param: `schema: {type: array, items: {type: [integer, boolean]}}, explode: false`, raw: "p=1,true", code: 200, want: `[1,true]`},
		{name: "minItems exploded", param: `schema: {type: array, items: {type: integer}, minItems: 2}`, raw: "p=1", code: 400},
		{name: "maxItems exploded", param: `schema: {type: array, items: {type: integer}, maxItems: 2}`, raw: "p=1&p=2&p=3", code: 400},
		{name: "maxItems exploded fits", param: `schema: {type: array, items: {type: integer}, maxItems: 2}`, raw: "p=1&p=2", code: 200, want: `[1,2]`},
		{name: "int-or-string int", param: `schema: {type: string, format: int-or-string}`, raw: "p=8080", code: 200, want: `8080`},
		{name: "int-or-string text", param: `schema: {type: string, format: int-or-string}`, raw: "p=http", code: 200, want: `"http"`},
		{name: "contentMediaType json text", param: `schema: {type: string, contentMediaType: application/json}`, raw: "p=%7B%7D", code: 200, want: `"{}"`},
		{name: "header union", in: "header", param: `schema: {type: [integer, boolean]}`, raw: "true", code: 200, want: `true`},
		{name: "cookie union", in: "cookie", param: `schema: {type: [integer, boolean]}`, raw: "3", code: 200, want: `3`},
		{name: "path union", in: "path", param: `schema: {type: [integer, boolean]}`, raw: "true", code: 200, want: `true`},
		{name: "path union label", in: "path", param: `schema: {type: [integer, boolean]}, style: label`, raw: ".4", code: 200, want: `4`},
		{name: "3.0 nullable", version: "3.0", param: `schema: {type: integer, nullable: true}`, raw: "p=null", code: 200, want: `null`},
		{name: "3.0 nullable int", version: "3.0", param: `schema: {type: integer, nullable: true}`, raw: "p=4", code: 200, want: `4`},
		{name: "3.0 anyOf", version: "3.0", param: `schema: {anyOf: [{type: integer}, {type: boolean}]}`, raw: "p=true", code: 200, want: `true`},
		{name: "3.0 enum", version: "3.0", param: `schema: {enum: [1, 2]}`, raw: "p=2", code: 200, want: `2`},
		{name: "int or any string, int", param: `schema: {anyOf: [{type: integer, minimum: 5}, {type: string}]}`, raw: "p=7", code: 200, want: `7`},
		{name: "int or any string, text", param: `schema: {anyOf: [{type: integer, minimum: 5}, {type: string}]}`, raw: "p=3", code: 200, want: `"3"`},
		{name: "bool or pattern, text", param: `schema: {oneOf: [{type: boolean}, {type: string, pattern: '^t'}]}`, raw: "p=true", code: 200, want: `true`},
		{name: "items int or string", param: `schema: {type: array, items: {anyOf: [{type: integer, maximum: 9}, {type: string}]}}, explode: false`, raw: "p=1,10", code: 200, want: `["1","10"]`},
		{name: "3.0 nullable alone", version: "3.0", param: `schema: {nullable: true}`, raw: "p=abc", code: 200, want: `"abc"`},
		{name: "3.0 nullable alone null", version: "3.0", param: `schema: {nullable: true}`, raw: "p=null", code: 200, want: `null`},
		{name: "3.0 nullable wrapper", version: "3.0", param: `schema: {anyOf: [{nullable: true}, {type: integer}]}`, raw: "p=3", code: 200, want: `3`},
		{name: "3.0 nullable array", version: "3.0", param: `schema: {type: array, nullable: true, items: {type: integer}}, explode: false`, raw: "p=null", code: 200, want: `null`},
		{name: "nullable object exploded", param: `schema: {anyOf: [{type: object, properties: {x: {type: integer}}, additionalProperties: false}, {type: 'null'}]}`, raw: "x=1", code: 200, want: `{"x":1}`},
		{name: "nullable object", param: `schema: {anyOf: [{type: object, properties: {x: {type: integer}}}, {type: 'null'}]}, explode: false`, raw: "p=x,1", code: 200, want: `{"x":1}`},
		{name: "nullable object deep", param: `schema: {anyOf: [{type: object, properties: {x: {type: integer}}}, {type: 'null'}]}, style: deepObject`, raw: "p[x]=1", code: 200, want: `{"x":1}`},
		{name: "2.0 enum int", version: "2.0", param: `type: integer, enum: [1, 2]`, raw: "p=2", code: 200, want: `2`},
	})
}

// A parameter whose schema allows an array or an object beside another
// type, and no string, cannot be read as every value it allows: Spawn says
// so, with where and what is supported, rather than refusing valid
// requests.
func TestParamUnreadableSchemaFailsSpawn(t *testing.T) {
	t.Parallel()
	for _, c := range []struct {
		param string
		bad   bool
	}{
		{`schema: {type: [array, integer], items: {type: integer}}`, true},
		{`schema: {anyOf: [{type: object}, {type: boolean}]}`, true},
		{`schema: {type: [array, object]}`, true},
		{`schema: {type: [array, string]}`, false},
		{`schema: {type: [array, 'null'], items: {type: integer}}`, false},
		{`schema: {description: anything}`, false},
		{`content: {application/json: {schema: {type: [array, integer]}}}`, false},
	} {
		pool := klue.NewPool()
		kluetest.Add(t, pool, "k", klue.Bytes("k.yaml", []byte(paramSchemaSpec(paramSchemaCase{param: c.param}))))
		bindEcho(pool, func(in *queryIn) any { return in.P })
		err := server.Spawn(newEcho(), pool, "k")
		if c.bad != (err != nil) {
			t.Errorf("%s: Spawn: %v, want refused=%t", c.param, err, c.bad)
			continue
		}
		if c.bad && testing.Verbose() {
			t.Log(err)
		}
		if c.bad && !(strings.Contains(err.Error(), "k.yaml:8:") && strings.Contains(err.Error(), `query parameter "p"`) && strings.Contains(err.Error(), "give it one type")) {
			t.Errorf("%s: %v, want the place, the parameter and what is supported", c.param, err)
		}
	}
}

// A field must hold every value a parameter's schema of several types
// allows: Spawn refuses one that cannot, rather than a valid request.
func TestParamFieldHoldsEveryType(t *testing.T) {
	t.Parallel()
	type (
		intField struct {
			P *int `query:"p"`
		}
		floatField struct {
			P *float64 `query:"p"`
		}
		stringField struct {
			P string `query:"p"`
		}
		sliceField struct {
			P []int `query:"p"`
		}
	)
	noop := func(context.Context, any) (*any, error) { return nil, nil }
	for _, c := range []struct {
		param string
		bind  func(*klue.Pool)
		bad   string
	}{
		{`schema: {type: [integer, boolean]}`, func(p *klue.Pool) {
			server.Bind(p, klue.Key[intField, any]("op"), func(ctx context.Context, in *intField) (*any, error) { return noop(ctx, in) })
		}, "allows boolean, which int cannot hold"},
		{`schema: {enum: [1, 2.5]}`, func(p *klue.Pool) {
			server.Bind(p, klue.Key[intField, any]("op"), func(ctx context.Context, in *intField) (*any, error) { return noop(ctx, in) })
		}, "allows number, which int cannot hold"},
		{`schema: {anyOf: [{type: integer}, {type: number}]}`, func(p *klue.Pool) {
			server.Bind(p, klue.Key[floatField, any]("op"), func(ctx context.Context, in *floatField) (*any, error) { return noop(ctx, in) })
		}, ""},
		{`schema: {type: [integer, boolean, string]}`, func(p *klue.Pool) {
			server.Bind(p, klue.Key[stringField, any]("op"), func(ctx context.Context, in *stringField) (*any, error) { return noop(ctx, in) })
		}, ""},
		{`schema: {anyOf: [{type: array, items: {type: integer}}, {type: 'null'}]}`, func(p *klue.Pool) {
			server.Bind(p, klue.Key[sliceField, any]("op"), func(ctx context.Context, in *sliceField) (*any, error) { return noop(ctx, in) })
		}, ""},
		{`schema: {description: any text}`, func(p *klue.Pool) {
			server.Bind(p, klue.Key[intField, any]("op"), func(ctx context.Context, in *intField) (*any, error) { return noop(ctx, in) })
		}, "allows string, which int cannot hold"},
	} {
		pool := klue.NewPool()
		kluetest.Add(t, pool, "k", klue.Bytes("k.yaml", []byte(paramSchemaSpec(paramSchemaCase{param: c.param}))))
		c.bind(pool)
		err := server.Spawn(newEcho(), pool, "k")
		switch {
		case c.bad == "" && err != nil:
			t.Errorf("%s: %v", c.param, err)
		case c.bad != "" && (err == nil || !strings.Contains(err.Error(), c.bad)):
			t.Errorf("%s: Spawn: %v, want %q", c.param, err, c.bad)
		}
	}
}

// Form fields are read by the same rules as parameters: a tuple's items by
// their positions, a scalar by every keyword that gives its types, in
// urlencoded and multipart bodies.
func TestFormFieldSchemas(t *testing.T) {
	t.Parallel()
	spec := `openapi: 3.1.0
info: {title: t, version: '1'}
paths:
  /f:
    post:
      operationId: form
      requestBody:
        content:
          application/x-www-form-urlencoded:
            schema: {$ref: '#/components/schemas/F'}
            encoding: {t: {style: form, explode: false}, a: {style: form, explode: false}}
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
	pool := klue.NewPool()
	kluetest.Add(t, pool, "k", klue.Bytes("k.yaml", []byte(spec)))
	type form struct {
		T any `form:"t"`
		U any `form:"u"`
		C any `form:"c"`
		A any `form:"a"`
		S any `form:"s"`
	}
	server.Bind(pool, klue.Key[form, form]("form"), func(_ context.Context, in *form) (*form, error) { return in, nil })
	s := kluetest.Spawn(t, pool, "k")
	want := `{"T":[1,"x",true],"U":true,"C":5,"A":[1,2],"S":"3"}`
	part := func(name, value string) string {
		return "--B\r\nContent-Disposition: form-data; name=\"" + name + "\"\r\n\r\n" + value + "\r\n"
	}
	for name, rec := range map[string]*httptest.ResponseRecorder{
		"urlencoded": s.Post("/f", "Content-Type: application/x-www-form-urlencoded", []byte("t=1,x,true&u=true&c=5&a=1,2&s=3")),
		"multipart": s.Post("/f", "Content-Type: multipart/form-data; boundary=B",
			[]byte(part("t", "1")+part("t", "x")+part("t", "true")+part("u", "true")+part("c", "5")+part("a", "1")+part("a", "2")+part("s", "3")+"--B--\r\n")),
	} {
		if got := strings.TrimSpace(rec.Body.String()); rec.Code != http.StatusOK || got != want {
			t.Errorf("%s: %d %s, want %s", name, rec.Code, got, want)
		}
	}
}

const fuzzParamSpec = `openapi: 3.1.0
info: {title: t, version: '1'}
paths:
  /t:
    get:
      operationId: op
      parameters:
        - {name: t, in: query, explode: false, schema: {type: array, prefixItems: [{type: integer}, {type: string}, {type: boolean}], items: false}}
        - {name: u, in: query, schema: {type: [integer, boolean, 'null']}}
        - {name: c, in: query, schema: {const: 5}}
        - {name: a, in: query, explode: false, schema: {anyOf: [{type: array, items: {type: integer}, maxItems: 3}, {type: 'null'}]}}
        - {name: s, in: query, schema: {anyOf: [{type: integer, minimum: 5}, {type: string, maxLength: 3}]}}
        - {name: e, in: query, schema: {enum: [1, 2.5, auto, null, true]}}
        - {name: d, in: query, style: deepObject, schema: {type: object, properties: {x: {type: [integer, boolean]}, y: {type: array, prefixItems: [{type: integer}]}}}}
      responses: {'200': {description: ok, content: {application/json: {schema: {}}}}}
`

// FuzzParamSchemas sends any query to parameters whose schemas use tuples,
// type arrays, const, enum of mixed types and anyOf: no request is a 500,
// and what reaches the handler is valid by its parameter's schema.
func FuzzParamSchemas(f *testing.F) {
	pool := klue.NewPool()
	if err := pool.Add("k", klue.Bytes("k.yaml", []byte(fuzzParamSpec))); err != nil {
		f.Fatal(err)
	}
	type in struct {
		T any `query:"t"`
		U any `query:"u"`
		C any `query:"c"`
		A any `query:"a"`
		S any `query:"s"`
		E any `query:"e"`
		D any `query:"d"`
	}
	api, err := pool.API("k")
	if err != nil {
		f.Fatal(err)
	}
	op, err := api.Operation("op")
	if err != nil {
		f.Fatal(err)
	}
	schemas := map[string]*klue.Schema{}
	for _, p := range op.Parameters {
		schemas[p.Name] = p.Schema
	}
	var bad []string
	var mu sync.Mutex
	server.Bind(pool, klue.Key[in, any]("op"), func(_ context.Context, x *in) (*any, error) {
		for name, v := range map[string]any{"t": x.T, "u": x.U, "c": x.C, "a": x.A, "s": x.S, "e": x.E, "d": x.D} {
			if v == nil {
				continue
			}
			data, _ := json.Marshal(v)
			if err := schemas[name].ValidateJSON(klue.ForRequest, data); err != nil {
				mu.Lock()
				bad = append(bad, name+"="+string(data)+": "+err.Error())
				mu.Unlock()
			}
		}
		var v any = "ok"
		return &v, nil
	})
	e := newEcho()
	if err := server.Spawn(e, pool, "k"); err != nil {
		f.Fatal(err)
	}
	for _, q := range []string{"t=1,x,true", "u=true&c=5", "a=1,2&s=3", "e=2.5&e=x", "d[x]=1&d[y][0]=2", "s=300", "a=null&u=null", "t=1e2,,TRUE"} {
		f.Add(q)
	}
	f.Fuzz(func(t *testing.T, query string) {
		for _, c := range []byte(query) {
			if c <= ' ' || c == '#' || c >= 0x7f {
				return // not a request target's byte
			}
		}
		rec := send(e, request{method: "GET", path: "/t?" + query})
		if rec.Code >= 500 {
			t.Fatalf("?%s: %d %s", query, rec.Code, rec.Body)
		}
		mu.Lock()
		defer mu.Unlock()
		if len(bad) > 0 {
			t.Fatalf("?%s reached the handler invalid: %v", query, bad)
		}
	})
}
