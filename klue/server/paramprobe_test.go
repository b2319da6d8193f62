package server_test

import (
	"context"
	"encoding/json"
	"net/http"
	"strings"
	"testing"

	"github.com/klue-go/klue-client-server/klue"
	"github.com/klue-go/klue-client-server/klue/kluetest"
	"github.com/klue-go/klue-client-server/klue/server"
)

// probeParams takes every parameter of testdata/probe31.yaml's query
// operation.
type probeParams struct {
	Limit  *int           `query:"limit"`
	Small  *int8          `query:"small"`
	Name   *string        `query:"name"`
	IDs    []int          `query:"ids"`
	CSV    []string       `query:"csv"`
	Pipes  []int          `query:"pipes"`
	Filter map[string]any `query:"filter"`
	Flag   *bool          `query:"flag"`
	Nul    *string        `query:"nul"`
	Point  map[string]any `query:"point"`
	JSON   map[string]any `query:"json"`
	Count  *int           `header:"X-Count"`
	XName  *string        `header:"X-Name"`
	XList  []string       `header:"X-List"`
	XObj   map[string]any `header:"X-Obj"`
	Sess   *string        `cookie:"session"`
}

// probeServer serves testdata/probe31.yaml, its query operation answering
// with the parameters it got, as JSON, null ones left out.
func probeServer(t *testing.T) *kluetest.Server {
	t.Helper()
	pool := klue.NewPool()
	kluetest.Add(t, pool, "probe", klue.File("testdata/probe31.yaml"))
	server.Bind(pool, "query", func(_ context.Context, in *probeParams) (*map[string]any, error) { return seen(in) })
	server.Bind(pool, "body", func(_ context.Context, in *probeThing) (*map[string]any, error) { return seen(in) })
	server.Bind(pool, "optional", func(_ context.Context, in *struct{ Body *map[string]any }) (*map[string]any, error) {
		return seen(in)
	})
	server.Bind(pool, "form", func(_ context.Context, in *struct {
		N    *int           `form:"n"`
		S    *string        `form:"s"`
		List []int          `form:"list"`
		CSV  []string       `form:"csv"`
		Deep map[string]any `form:"deep"`
	}) (*map[string]any, error) {
		return seen(in)
	})
	server.Bind(pool, "anyApplication", func(_ context.Context, in *map[string]any) (*map[string]any, error) { return in, nil })
	server.Bind(pool, "mergePatch", func(_ context.Context, in *map[string]any) (*map[string]any, error) { return in, nil })
	server.Bind(pool, "anyMedia", func(_ context.Context, in *struct{ Body []byte }) (*map[string]any, error) {
		return &map[string]any{"bytes": string(in.Body)}, nil
	})
	return kluetest.Spawn(t, pool, "probe", server.WithUnboundNotImplemented())
}

// seen is what a handler of the probe server answers: its input as JSON,
// the members that are null left out.
func seen(in any) (*map[string]any, error) {
	data, err := json.Marshal(in)
	if err != nil {
		return nil, err
	}
	all := map[string]any{}
	if err := json.Unmarshal(data, &all); err != nil {
		return nil, err
	}
	got := map[string]any{}
	for k, v := range all {
		if v != nil {
			got[k] = v
		}
	}
	return &got, nil
}

// probeThing is the body of testdata/probe31.yaml's body operation.
type probeThing struct {
	Kind   string         `json:"kind"`
	N      *int           `json:"n,omitempty"`
	N32    *int32         `json:"n32,omitempty"`
	U      *uint8         `json:"u,omitempty"`
	F      *float64       `json:"f,omitempty"`
	C      any            `json:"c,omitempty"`
	Either *string        `json:"either,omitempty"`
	ID     *int           `json:"id,omitempty"`
	PW     string         `json:"pw,omitempty"`
	Dep    map[string]any `json:"dep,omitempty"`
	Cond   map[string]any `json:"cond,omitempty"`
	Uneval map[string]any `json:"uneval,omitempty"`
	Reffed string         `json:"reffed,omitempty"`
	Tuple  []any          `json:"tuple,omitempty"`
}

// TestParameterProbes sends parameters in the ways a client may, well
// formed or not, and checks what the handler got: only what the spec
// allows, read as its style says; anything else a 400.
func TestParameterProbes(t *testing.T) {
	t.Parallel()
	s := probeServer(t)
	for _, tc := range []struct {
		what   string
		target string
		header []string
		want   int
		got    string // the handler's parameters as JSON, when 200
	}{
		// One value per parameter that takes one.
		{"a scalar given twice", "/q?limit=1&limit=999", nil, 400, ""},
		{"a scalar given twice, the same", "/q?limit=1&limit=1", nil, 400, ""},
		{"a string given twice, the second too long", "/q?name=abc&name=abcdefghij", nil, 400, ""},
		{"a content parameter given twice", "/q?json=%7B%22x%22%3A1%7D&json=%7B%7D", nil, 400, ""},
		{"an unexploded array given twice", "/q?csv=a,b&csv=c", nil, 400, ""},
		{"an exploded array, several keys", "/q?ids=1&ids=2", nil, 200, `{"IDs":[1,2]}`},
		{"an exploded array of numbers, commas", "/q?ids=1,2,3", nil, 200, `{"IDs":[1,2,3]}`},
		{"an unexploded array", "/q?csv=a,b", nil, 200, `{"CSV":["a","b"]}`},
		{"pipes", "/q?pipes=1|2|3", nil, 200, `{"Pipes":[1,2,3]}`},
		{"pipes given twice", "/q?pipes=1|2&pipes=3", nil, 400, ""},
		{"commas for pipes", "/q?pipes=1,2", nil, 400, ""},

		// Numbers and their Go types.
		// OpenAPI 3.1 (JSON Schema 2020-12) counts 1.0 and 1e0 as
		// integers, in parameters as in bodies.
		{"an integer with a fraction of zero", "/q?limit=1.0", nil, 200, `{"Limit":1}`},
		{"an integer with an exponent", "/q?limit=1e0", nil, 200, `{"Limit":1}`},
		{"an integer with a fraction", "/q?limit=1.5", nil, 400, ""},
		{"over an int8", "/q?small=300", nil, 400, ""},
		{"under an int8", "/q?small=-129", nil, 400, ""},
		{"an empty integer", "/q?limit=", nil, 400, ""},
		{"a key alone for an integer", "/q?limit", nil, 400, ""},
		{"a boolean in capitals", "/q?flag=TRUE", nil, 200, `{"Flag":true}`},
		{"1 for a boolean", "/q?flag=1", nil, 400, ""},

		// Strings.
		{"an escaped NUL the schema allows", "/q?name=a%00b", nil, 200, `{"Name":"a\u0000b"}`},
		{"invalid UTF-8", "/q?name=%ff", nil, 400, ""},
		{"null for a nullable string", "/q?nul=null", nil, 200, `{}`},
		{"empty for a nullable string", "/q?nul=", nil, 200, `{"Nul":""}`},

		// Objects.
		{"deepObject", "/q?filter[a]=1&filter[b]=x", nil, 200, `{"Filter":{"a":1,"b":"x"}}`},
		{"deepObject, a member the schema refuses", "/q?filter[c]=1", nil, 400, ""},
		{"deepObject, nested too deep", "/q?filter[a][b]=1", nil, 400, ""},
		{"deepObject, a member given twice", "/q?filter[a]=1&filter[a]=2", nil, 400, ""},
		{"an exploded form object", "/q?x=1&y=2", nil, 200, `{"Point":{"x":1,"y":2}}`},
		{"an exploded form object, one member", "/q?y=2", nil, 200, `{"Point":{"y":2}}`},
		{"an exploded form object, a member of the wrong type", "/q?x=a", nil, 400, ""},
		{"an exploded form object, a member given twice", "/q?x=1&x=2", nil, 400, ""},
		{"an exploded form object sent unexploded", "/q?point=x,1", nil, 200, `{}`},
		{"a content parameter", "/q?json=%7B%22x%22%3A1%7D", nil, 200, `{"JSON":{"x":1}}`},
		{"a content parameter the schema refuses", "/q?json=%7B%7D", nil, 400, ""},
		{"a content parameter, a member twice", "/q?json=%7B%22x%22%3A1%2C%22x%22%3A2%7D", nil, 400, ""},

		// Headers: several lines are one list (RFC 9110 §5.3).
		{"a header integer on two lines", "/q", []string{"X-Count: 1", "X-Count: 9"}, 400, ""},
		{"a header integer list", "/q", []string{"X-Count: 1, 9"}, 400, ""},
		{"a header string with a comma", "/q", []string{"X-Name: a,b"}, 200, `{"XName":"a,b"}`},
		{"a header string on two lines", "/q", []string{"X-Name: abc", "X-Name: de"}, 200, `{"XName":"abc, de"}`},
		{"a header string on two lines, too long together", "/q", []string{"X-Name: abc", "X-Name: defgh"}, 400, ""},
		{"a header list, spaces after commas", "/q", []string{"X-List: a, b", "X-List: c"}, 200, `{"XList":["a","b","c"]}`},
		{"a header list, tabs", "/q", []string{"X-List: a\t,\tb"}, 200, `{"XList":["a","b"]}`},
		{"a header object", "/q", []string{"X-Obj: a, 1, b, 2"}, 200, `{"XObj":{"a":"1","b":"2"}}`},

		// Cookies.
		{"a quoted cookie", "/q", []string{`Cookie: session="abc"`}, 200, `{"Sess":"abc"}`},
		{"a cookie too long", "/q", []string{"Cookie: session=abcdefghij"}, 400, ""},
		{"a cookie twice", "/q", []string{"Cookie: session=abc; session=abcdefghij"}, 400, ""},
		{"a cookie twice, two headers", "/q", []string{"Cookie: session=abc", "Cookie: session=def"}, 400, ""},
		{"another cookie beside", "/q", []string{"Cookie: other=1; session=abc"}, 200, `{"Sess":"abc"}`},
	} {
		args := make([]any, 0, len(tc.header))
		for _, h := range tc.header {
			args = append(args, h)
		}
		rec := s.Get(tc.target, args...)
		body := strings.TrimSpace(rec.Body.String())
		switch {
		case rec.Code != tc.want:
			t.Errorf("%s: %s: status %d (%.300s), want %d", tc.what, tc.target, rec.Code, body, tc.want)
		case tc.want == http.StatusOK && body != tc.got:
			t.Errorf("%s: %s: the handler got %s, want %s", tc.what, tc.target, body, tc.got)
		}
	}
}
