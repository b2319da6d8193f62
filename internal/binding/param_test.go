package binding_test

import (
	"errors"
	"fmt"
	"net/url"
	"reflect"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/klue-go/klue-client-server/internal/binding"
	"github.com/klue-go/klue-client-server/klue"
)

// paramStyles are the (location, style, explode) a parameter may take.
var paramStyles = []struct {
	in      string
	style   string
	explode bool
}{
	{"path", "simple", false}, {"path", "simple", true}, {"path", "label", false}, {"path", "label", true},
	{"path", "matrix", false}, {"path", "matrix", true},
	{"query", "form", false}, {"query", "form", true}, {"query", "spaceDelimited", false},
	{"query", "pipeDelimited", false}, {"query", "deepObject", true},
	{"header", "simple", false}, {"header", "simple", true},
}

// styleParams loads one operation per style, with a string, an array
// and an object parameter, and returns their codecs.
func styleParams(t testing.TB) []*binding.Param {
	t.Helper()
	var b strings.Builder
	b.WriteString("openapi: 3.0.3\ninfo: {title: p, version: \"1\"}\npaths:\n")
	for i, st := range paramStyles {
		path := fmt.Sprintf("/p%d", i)
		var params strings.Builder
		for _, k := range []struct{ name, schema string }{
			{"s", "{type: string}"},
			{"arr", "{type: array, items: {type: string}}"},
			{"obj", "{type: object, properties: {a: {type: string}, b: {type: string}}}"},
		} {
			if st.in == "path" {
				path += "/{" + k.name + "}"
			}
			fmt.Fprintf(&params, "        - {name: %s, in: %s, required: %t, style: %s, explode: %t, schema: %s}\n", k.name, st.in, st.in == "path", st.style, st.explode, k.schema)
		}
		fmt.Fprintf(&b, "  %s:\n    get:\n      operationId: op%d\n      parameters:\n%s      responses:\n        \"204\": {description: ok}\n", path, i, params.String())
	}
	pool := klue.NewPool()
	if err := pool.Add("p", klue.Bytes("p.yaml", []byte(b.String()))); err != nil {
		t.Fatal(err)
	}
	api, err := pool.API("p")
	if err != nil {
		t.Fatal(err)
	}
	var out []*binding.Param
	for _, op := range api.Operations() {
		for _, p := range op.Parameters {
			out = append(out, binding.NewParam(p))
		}
	}
	return out
}

// roundTrip writes v as the client does and reads it back as the server
// does.
func roundTrip(t *testing.T, pc *binding.Param, v any) any {
	t.Helper()
	var got any
	switch pc.P.In {
	case klue.InPath:
		seg, err := url.PathUnescape(pc.PathValue(v))
		if err != nil {
			t.Fatal(err)
		}
		var ok bool
		if got, ok = pc.FromPath(seg); !ok {
			t.Fatalf("%s %s (%s): %v does not parse back", pc.P.In, pc.P.Name, pc.Style, v)
		}
	case klue.InQuery:
		var b strings.Builder
		pc.AppendQuery(&b, v)
		q, err := url.ParseQuery(b.String())
		if err != nil {
			t.Fatal(err)
		}
		got, _ = pc.FromQuery(q)
	case klue.InHeader:
		got, _ = pc.FromHeader([]string{pc.HeaderValue(v)})
	}
	return got
}

// What a client writes in any style, a server reads back, for any text
// that holds none of the delimiters of the styles.
func FuzzParamRoundTrip(f *testing.F) {
	f.Add("ada", "x y", "b/c?d")
	f.Add("é", "ü", "&")
	params := styleParams(f)
	f.Fuzz(func(t *testing.T, s, a, b string) {
		for _, x := range []string{s, a, b} {
			if x == "" || !utf8.ValidString(x) || strings.ContainsAny(x, ",;.=| \t[]\r\n\x00") {
				return
			}
		}
		values := map[string]any{"s": s, "arr": []any{a, b}, "obj": map[string]any{"a": a, "b": b}}
		for _, pc := range params {
			v := values[pc.P.Name]
			switch {
			case pc.Style == binding.StyleDeepObject && pc.P.Name != "obj",
				(pc.Style == binding.StyleSpaceDelimited || pc.Style == binding.StylePipeDelimited) && pc.P.Name != "arr":
				continue // not defined for this kind of value
			}
			if got := roundTrip(t, pc, v); !reflect.DeepEqual(got, v) {
				t.Errorf("%s %s (%s, explode %t): sent %v, read %v", pc.P.In, pc.P.Name, pc.Style, pc.P.Explode, v, got)
			}
		}
	})
}

// TestObjectMemberTwice reads objects whose serialisation names a member
// twice, in each style of the path and the headers: which value is meant
// is anybody's guess, so the value is an Undecodable naming the member,
// never an object holding one of the two.
func TestObjectMemberTwice(t *testing.T) {
	t.Parallel()
	for _, pc := range styleParams(t) {
		if pc.P.Name != "obj" || pc.P.In == klue.InQuery {
			continue
		}
		v := map[string]any{"a": "1"}
		raw := pc.HeaderValue(v) + "," + pc.HeaderValue(v)
		if pc.P.In == klue.InPath {
			// Join two serialisations as the style joins members.
			one := pc.PathValue(v)
			switch {
			case pc.Style == binding.StyleMatrix && pc.P.Explode:
				raw = one + one
			case pc.Style == binding.StyleMatrix:
				raw = one + "," + strings.TrimPrefix(one, ";obj=")
			case pc.Style == binding.StyleLabel && pc.P.Explode:
				raw = one + one
			case pc.Style == binding.StyleLabel:
				raw = one + "," + strings.TrimPrefix(one, ".")
			default:
				raw = one + "," + one
			}
		}
		var got any
		if pc.P.In == klue.InPath {
			seg, err := url.PathUnescape(raw)
			if err != nil {
				t.Fatal(err)
			}
			got, _ = pc.FromPath(seg)
		} else {
			got, _ = pc.FromHeader([]string{raw})
		}
		u, ok := got.(binding.Undecodable)
		var re *binding.RepeatedError
		if !ok || !errors.As(u.Err, &re) || re.Key != "a" {
			t.Errorf("%s %s (%s, explode %t): %q read as %#v; want a RepeatedError for a", pc.P.In, pc.P.Name, pc.Style, pc.P.Explode, raw, got)
		}
	}
}
