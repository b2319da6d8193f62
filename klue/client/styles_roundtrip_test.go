package client_test

import (
	"context"
	"encoding/json"
	"fmt"
	"reflect"
	"slices"
	"strings"
	"testing"

	"github.com/klue-go/klue-client-server/klue"
	"github.com/klue-go/klue-client-server/klue/client"
	"github.com/klue-go/klue-client-server/klue/kluetest"
	"github.com/klue-go/klue-client-server/klue/server"
)

// What a klue client encodes, a klue server decodes to the same value: for
// every location, style and explode, and every kind of value.

type Obj struct {
	A string `json:"a"`
	B int    `json:"b"`
}

type (
	InPath struct {
		S    string   `path:"s" json:"s"`
		N    int      `path:"n" json:"n"`
		B    bool     `path:"b" json:"b"`
		Arr  []string `path:"arr" json:"arr"`
		Nums []int    `path:"nums" json:"nums"`
		Obj  *Obj     `path:"obj" json:"obj"`
	}
	InQuery struct {
		S    string   `query:"s" json:"s,omitempty"`
		N    int      `query:"n" json:"n,omitempty"`
		B    bool     `query:"b" json:"b,omitempty"`
		Arr  []string `query:"arr" json:"arr,omitempty"`
		Nums []int    `query:"nums" json:"nums,omitempty"`
		Obj  *Obj     `query:"obj" json:"obj,omitempty"`
	}
	InHeader struct {
		S    string   `header:"X-S" json:"s"`
		N    int      `header:"X-N" json:"n"`
		B    bool     `header:"X-B" json:"b"`
		Arr  []string `header:"X-Arr" json:"arr"`
		Nums []int    `header:"X-Nums" json:"nums"`
		Obj  *Obj     `header:"X-Obj" json:"obj"`
	}
	InCookie struct {
		S    string   `cookie:"s" json:"s"`
		N    int      `cookie:"n" json:"n"`
		B    bool     `cookie:"b" json:"b"`
		Arr  []string `cookie:"arr" json:"arr"`
		Nums []int    `cookie:"nums" json:"nums"`
		Obj  *Obj     `cookie:"obj" json:"obj"`
	}
)

// paramKinds are the parameters of every operation, by name, with their
// schemas.
var paramKinds = []struct{ name, header, schema string }{
	{"s", "X-S", "{type: string}"},
	{"n", "X-N", "{type: integer}"},
	{"b", "X-B", "{type: boolean}"},
	{"arr", "X-Arr", "{type: array, items: {type: string}}"},
	{"nums", "X-Nums", "{type: array, items: {type: integer}}"},
	{"obj", "X-Obj", "{type: object, properties: {a: {type: string}, b: {type: integer}}}"},
}

type styleCase struct {
	in      string
	style   string
	explode bool
	kinds   []string // the parameters it serialises; nil for all
}

var styleCases = []styleCase{
	{"path", "simple", false, nil}, {"path", "simple", true, nil},
	{"path", "label", false, nil}, {"path", "label", true, nil},
	{"path", "matrix", false, nil}, {"path", "matrix", true, nil},
	{"query", "form", false, nil}, {"query", "form", true, []string{"s", "n", "b", "arr", "nums"}},
	{"query", "spaceDelimited", false, []string{"arr", "nums"}},
	{"query", "pipeDelimited", false, []string{"arr", "nums"}},
	{"query", "deepObject", true, []string{"obj"}},
	{"header", "simple", false, nil}, {"header", "simple", true, nil},
	{"cookie", "form", false, nil}, {"cookie", "form", true, []string{"s", "n", "b", "arr", "nums"}},
}

func (c styleCase) op() string { return fmt.Sprintf("%s_%s_%t", c.in, c.style, c.explode) }

func styleSpec() string {
	var b strings.Builder
	b.WriteString("openapi: 3.0.3\ninfo: {title: styles, version: \"1\"}\npaths:\n")
	for _, c := range styleCases {
		path := "/" + c.op()
		var params strings.Builder
		for _, k := range paramKinds {
			style, explode := c.style, c.explode
			if c.kinds != nil && !slices.Contains(c.kinds, k.name) {
				// A value the style does not serialise goes the plain way.
				style, explode = "form", false
			}
			name := k.name
			if c.in == "header" {
				name = k.header
			}
			if c.in == "path" {
				path += "/{" + name + "}"
			}
			fmt.Fprintf(&params, "        - {name: %s, in: %s, required: %t, style: %s, explode: %t, schema: %s}\n",
				name, c.in, c.in == "path", style, explode, k.schema)
		}
		fmt.Fprintf(&b, "  %s:\n    get:\n      operationId: %s\n      parameters:\n%s", path, c.op(), params.String())
		b.WriteString("      responses:\n        \"200\":\n          description: ok\n          content:\n            application/json:\n              schema: {type: object}\n")
	}
	return b.String()
}

// Echoed is what an echo handler answers: its input's fields, as JSON.
type Echoed struct {
	S    string   `json:"s,omitempty"`
	N    int      `json:"n,omitempty"`
	B    bool     `json:"b,omitempty"`
	Arr  []string `json:"arr,omitempty"`
	Nums []int    `json:"nums,omitempty"`
	Obj  *Obj     `json:"obj,omitempty"`
}

// echoed converts an input to what an echo handler answers.
func echoed[T any](in *T) (*Echoed, error) {
	data, err := json.Marshal(in)
	if err != nil {
		return nil, err
	}
	var out Echoed
	return &out, json.Unmarshal(data, &out)
}

// bindEcho binds op to a handler that answers its input. (The input
// cannot be the result: a result with header fields is a typed response.)
func bindEcho[T any](pool *klue.Pool, op string) {
	server.Bind(pool, klue.Key[T, Echoed](op), func(_ context.Context, in *T) (*Echoed, error) { return echoed(in) })
}

func TestStylesRoundTrip(t *testing.T) {
	t.Parallel()
	pool := klue.NewPool()
	kluetest.Add(t, pool, "styles", klue.Bytes("styles.yaml", []byte(styleSpec())), klue.WithBaseURL("http://localhost"))
	for _, c := range styleCases {
		switch c.in {
		case "path":
			bindEcho[InPath](pool, c.op())
		case "query":
			bindEcho[InQuery](pool, c.op())
		case "header":
			bindEcho[InHeader](pool, c.op())
		case "cookie":
			bindEcho[InCookie](pool, c.op())
		}
	}
	configure(t, pool, "styles", client.WithLocal(kluetest.Spawn(t, pool, "styles").Echo))
	values := []struct {
		name string
		s    string
		n    int
		b    bool
		arr  []string
		nums []int
		obj  *Obj
	}{
		{"plain", "ada", 7, true, []string{"x", "y"}, []int{1, 2, 3}, &Obj{"v", 2}},
		{"escaped", "a b/c?d&e=f#g%h", -12, false, []string{"a b", "c/d", "e&f"}, []int{-1}, &Obj{"x y/z", 0}},
		{"one item", "only", 0, true, []string{"only"}, []int{42}, &Obj{"", 5}},
		{"non-ASCII", "é", 1, true, []string{"ü"}, []int{1}, &Obj{"ß", 1}},
	}
	for _, c := range styleCases {
		for _, v := range values {
			t.Run(c.op()+"/"+v.name, func(t *testing.T) {
				if c.style == "spaceDelimited" && slices.ContainsFunc(v.arr, func(s string) bool { return strings.Contains(s, " ") }) {
					t.Skip("an item holding its style's delimiter is ambiguous")
				}
				pick := func(dst reflect.Value) {
					set := func(field, _ string, val any) {
						dst.FieldByName(field).Set(reflect.ValueOf(val))
					}
					set("S", "s", v.s)
					set("N", "n", v.n)
					set("B", "b", v.b)
					set("Arr", "arr", v.arr)
					set("Nums", "nums", v.nums)
					set("Obj", "obj", v.obj)
				}
				var in, out *Echoed
				var err error
				remote := pool.Client("styles")
				switch c.in {
				case "path":
					var x InPath
					pick(reflect.ValueOf(&x).Elem())
					in, _ = echoed(&x)
					out, err = client.CallWith[Echoed](remote, klue.Key[InPath, Echoed](c.op()), &x).Do(t.Context())
				case "query":
					var x InQuery
					pick(reflect.ValueOf(&x).Elem())
					in, _ = echoed(&x)
					out, err = client.CallWith[Echoed](remote, klue.Key[InQuery, Echoed](c.op()), &x).Do(t.Context())
				case "header":
					var x InHeader
					pick(reflect.ValueOf(&x).Elem())
					in, _ = echoed(&x)
					out, err = client.CallWith[Echoed](remote, klue.Key[InHeader, Echoed](c.op()), &x).Do(t.Context())
				case "cookie":
					var x InCookie
					pick(reflect.ValueOf(&x).Elem())
					in, _ = echoed(&x)
					out, err = client.CallWith[Echoed](remote, klue.Key[InCookie, Echoed](c.op()), &x).Do(t.Context())
				}
				if c.in == "cookie" && v.name == "non-ASCII" {
					// net/http would drop the bytes RFC 6265 does not
					// allow: the call is refused rather than sent wrong.
					if err == nil || !strings.Contains(err.Error(), "cannot travel in a cookie") {
						t.Fatalf("error %v, want a refused cookie", err)
					}
					return
				}
				if err != nil {
					t.Fatal(err)
				}
				if !reflect.DeepEqual(in, out) {
					t.Errorf("sent %+v\nthe server read %+v", *in, *out)
				}
			})
		}
	}
}

// Swagger 2.0's collectionFormat round-trips too.
func TestCollectionFormatsRoundTrip(t *testing.T) {
	t.Parallel()
	type Lists struct {
		Path  []int    `path:"p" json:"p"`
		CSV   []string `query:"csv" json:"csv"`
		SSV   []string `query:"ssv" json:"ssv"`
		TSV   []string `query:"tsv" json:"tsv"`
		Pipes []int    `query:"pipes" json:"pipes"`
		Multi []string `query:"multi" json:"multi"`
		Head  []string `header:"X-H" json:"h"`
	}
	spec := `swagger: "2.0"
info: {title: cf, version: "1"}
paths:
  /lists/{p}:
    get:
      operationId: lists
      produces: [application/json]
      parameters:
        - {name: p, in: path, required: true, type: array, items: {type: integer}, collectionFormat: csv}
        - {name: csv, in: query, type: array, items: {type: string}, collectionFormat: csv}
        - {name: ssv, in: query, type: array, items: {type: string}, collectionFormat: ssv}
        - {name: tsv, in: query, type: array, items: {type: string}, collectionFormat: tsv}
        - {name: pipes, in: query, type: array, items: {type: integer}, collectionFormat: pipes}
        - {name: multi, in: query, type: array, items: {type: string}, collectionFormat: multi}
        - {name: X-H, in: header, type: array, items: {type: string}}
      responses:
        "200": {description: ok, schema: {type: object}}
`
	pool := klue.NewPool()
	kluetest.Add(t, pool, "cf", klue.Bytes("cf.yaml", []byte(spec)), klue.WithBaseURL("http://localhost"))
	type ListsOut struct {
		Path  []int    `json:"p"`
		CSV   []string `json:"csv"`
		SSV   []string `json:"ssv"`
		TSV   []string `json:"tsv"`
		Pipes []int    `json:"pipes"`
		Multi []string `json:"multi"`
		Head  []string `json:"h"`
	}
	server.Bind(pool, "lists", func(_ context.Context, in *Lists) (*ListsOut, error) { return (*ListsOut)(in), nil })
	configure(t, pool, "cf", client.WithLocal(kluetest.Spawn(t, pool, "cf").Echo))
	in := Lists{Path: []int{1, 2}, CSV: []string{"a b", "c/d"}, SSV: []string{"x", "y&z"}, TSV: []string{"t 1", "t2"},
		Pipes: []int{3, 4}, Multi: []string{"m,1", "m 2"}, Head: []string{"h1", "h 2"}}
	out, err := client.CallWith[ListsOut](pool.Client("cf"), "lists", &in).Do(t.Context())
	if err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(ListsOut(in), *out) {
		t.Errorf("sent %+v\nthe server read %+v", in, *out)
	}
}
