package server_test

import (
	"net/http"
	"strings"
	"testing"
)

// TestBodyProbes sends bodies in the ways a client may, well formed or
// not, and checks what the handler got: only what the spec allows, read
// as its media type says; anything else a 4xx.
func TestBodyProbes(t *testing.T) {
	t.Parallel()
	s := probeServer(t)
	const (
		json = "Content-Type: application/json"
		form = "Content-Type: application/x-www-form-urlencoded"
	)
	for _, tc := range []struct {
		what   string
		path   string
		header []string
		body   string
		want   int
		got    string // the handler's input as JSON, when 200
	}{
		// The media type.
		{"JSON", "/b", []string{json}, `{"kind":"a"}`, 200, `{"kind":"a"}`},
		{"JSON, charset UTF-8", "/b", []string{"Content-Type: application/json; charset=UTF-8"}, `{"kind":"a"}`, 200, `{"kind":"a"}`},
		{"JSON, charset utf-8 quoted", "/b", []string{`Content-Type: application/json; charset="utf-8"`}, `{"kind":"a"}`, 200, `{"kind":"a"}`},
		{"JSON, a parameter of no meaning", "/b", []string{"Content-Type: application/json; foo=bar"}, `{"kind":"a"}`, 200, `{"kind":"a"}`},
		{"JSON in capitals", "/b", []string{"Content-Type: APPLICATION/JSON"}, `{"kind":"a"}`, 200, `{"kind":"a"}`},
		{"JSON, charset latin1", "/b", []string{"Content-Type: application/json; charset=latin1"}, `{"kind":"a"}`, 415, ""},
		{"JSON, charset ISO-8859-1, text UTF-8 would misread", "/b", []string{"Content-Type: application/json; charset=ISO-8859-1"}, "{\"kind\":\"a\",\"reffed\":\"\xc3\xa9\"}", 415, ""},
		{"JSON, charset utf-16", "/b", []string{"Content-Type: application/json; charset=utf-16"}, `{"kind":"a"}`, 415, ""},
		{"a +json type not declared", "/b", []string{"Content-Type: application/vnd.x+json"}, `{"kind":"a"}`, 415, ""},
		{"two types in one header", "/b", []string{"Content-Type: application/json, text/plain"}, `{"kind":"a"}`, 415, ""},
		{"two Content-Type headers", "/b", []string{json, "Content-Type: text/plain"}, `{"kind":"a"}`, 400, ""},
		{"two Content-Type headers, the same", "/b", []string{json, json}, `{"kind":"a"}`, 400, ""},
		{"text/json not declared", "/b", []string{"Content-Type: text/json"}, `{"kind":"a"}`, 415, ""},

		// Media ranges and suffixes in the spec.
		{"JSON for application/*", "/any", []string{json}, `{"a":1}`, 200, `{"a":1}`},
		{"+json for application/*", "/any", []string{"Content-Type: application/vnd.x+json"}, `{"a":1}`, 200, `{"a":1}`},
		{"octets for application/*, read as JSON", "/any", []string{"Content-Type: application/octet-stream"}, `{"a":1}`, 415, ""},
		{"XML for application/*", "/any", []string{"Content-Type: application/xml"}, `<a>1</a>`, 415, ""},
		{"text for application/*", "/any", []string{"Content-Type: text/plain"}, `{"a":1}`, 415, ""},
		{"an image for */*", "/star", []string{"Content-Type: image/png"}, "PNG DATA", 200, `{"bytes":"PNG DATA"}`},
		{"JSON for */*, binary", "/star", []string{json}, `{"a":1}`, 200, `{"bytes":"{\"a\":1}"}`},
		{"a merge patch", "/patch", []string{"Content-Type: application/merge-patch+json"}, `{"a":1}`, 200, `{"a":1}`},
		{"JSON for a merge patch", "/patch", []string{json}, `{"a":1}`, 415, ""},

		// Numbers and their Go types.
		{"an int32 overflowed", "/b", []string{json}, `{"kind":"a","n32":2147483648}`, 400, ""},
		{"an int32 in an exponent", "/b", []string{json}, `{"kind":"a","n32":2.147483647e9}`, 200, `{"kind":"a","n32":2147483647}`},
		{"an int32 in an exponent, overflowed", "/b", []string{json}, `{"kind":"a","n32":2.147483648e9}`, 400, ""},
		{"a uint8 below zero", "/b", []string{json}, `{"kind":"a","u":-1}`, 400, ""},
		{"a uint8 overflowed", "/b", []string{json}, `{"kind":"a","u":256}`, 400, ""},
		{"a float64 overflowed", "/b", []string{json}, `{"kind":"a","f":1e400}`, 400, ""},
		{"an int, a fraction", "/b", []string{json}, `{"kind":"a","n":1.5,"f":1}`, 400, ""},
		{"an int out of range", "/b", []string{json}, `{"kind":"a","n":99999999999999999999,"f":1}`, 400, ""},
		{"an integer in a string", "/b", []string{json}, `{"kind":"a","n":"5","f":1}`, 400, ""},
		{"an int", "/b", []string{json}, `{"kind":"a","n":5,"f":1}`, 200, `{"f":1,"kind":"a","n":5}`},

		// OpenAPI 3.1 schemas.
		{"prefixItems", "/b", []string{json}, `{"kind":"a","tuple":[1,"x"]}`, 200, `{"kind":"a","tuple":[1,"x"]}`},
		{"prefixItems, an item too many", "/b", []string{json}, `{"kind":"a","tuple":[1,"x",3]}`, 400, ""},
		{"prefixItems, items of the wrong types", "/b", []string{json}, `{"kind":"a","tuple":["x",1]}`, 400, ""},
		{"const", "/b", []string{json}, `{"kind":"a","c":"fixed"}`, 200, `{"c":"fixed","kind":"a"}`},
		{"const, another value", "/b", []string{json}, `{"kind":"a","c":"other"}`, 400, ""},
		{"const, null", "/b", []string{json}, `{"kind":"a","c":null}`, 400, ""},
		{"a type array with null, null", "/b", []string{json}, `{"kind":"a","either":null}`, 200, `{"kind":"a"}`},
		{"a type array with null, a number", "/b", []string{json}, `{"kind":"a","either":1}`, 400, ""},
		{"dependentRequired unmet", "/b", []string{json}, `{"kind":"a","dep":{"a":"x"}}`, 400, ""},
		{"dependentRequired met", "/b", []string{json}, `{"kind":"a","dep":{"a":"x","b":"y"}}`, 200, `{"dep":{"a":"x","b":"y"},"kind":"a"}`},
		{"if/then unmet", "/b", []string{json}, `{"kind":"a","cond":{"t":"x"}}`, 400, ""},
		{"if/else unmet", "/b", []string{json}, `{"kind":"a","cond":{}}`, 400, ""},
		{"unevaluatedProperties, one from allOf", "/b", []string{json}, `{"kind":"a","uneval":{"a":"1","b":"2"}}`, 200, `{"kind":"a","uneval":{"a":"1","b":"2"}}`},
		{"unevaluatedProperties, one unknown", "/b", []string{json}, `{"kind":"a","uneval":{"a":"1","c":"2"}}`, 400, ""},
		{"a $ref's sibling", "/b", []string{json}, `{"kind":"a","reffed":"abc"}`, 400, ""},
		{"a member twice", "/b", []string{json}, `{"kind":"a","either":"x","either":"y"}`, 400, ""},
		{"writeOnly in a request", "/b", []string{json}, `{"kind":"a","pw":"x"}`, 200, `{"kind":"a","pw":"x"}`},

		// Forms: one value per field that takes one.
		{"a form", "/form", []string{form}, `n=1&s=abc&list=1&list=2&csv=a,b&deep[a]=1`, 200, `{"CSV":["a","b"],"Deep":{"a":1},"List":[1,2],"N":1,"S":"abc"}`},
		{"a form, an integer twice", "/form", []string{form}, `n=1&n=99`, 400, ""},
		{"a form, a string twice", "/form", []string{form}, `s=a&s=abcdef`, 400, ""},
		{"a form, an unexploded array twice", "/form", []string{form}, `csv=a&csv=b`, 400, ""},
		{"a form, a deepObject member twice", "/form", []string{form}, `deep[a]=1&deep[a]=99`, 400, ""},
		{"a form, charset latin1", "/form", []string{form + "; charset=latin1"}, `s=%E9`, 415, ""},
		{"a form, invalid UTF-8", "/form", []string{form}, `s=%E9`, 400, ""},

		// Content codings.
		{"Content-Encoding gzip", "/b", []string{json, "Content-Encoding: gzip"}, `{"kind":"a"}`, 415, ""},
		{"Content-Encoding br", "/b", []string{json, "Content-Encoding: br"}, `{"kind":"a"}`, 415, ""},
		{"Content-Encoding identity", "/b", []string{json, "Content-Encoding: identity"}, `{"kind":"a"}`, 200, `{"kind":"a"}`},

		// An optional body.
		{"an optional body absent", "/opt", nil, "", 200, `{}`},
		{"an optional body empty, with its type", "/opt", []string{json}, "", 200, `{}`},
		{"an optional body null", "/opt", []string{json}, "null", 400, ""},
		{"an optional body of spaces", "/opt", []string{json}, " ", 400, ""},
	} {
		args := make([]any, 0, len(tc.header)+1)
		for _, h := range tc.header {
			args = append(args, h)
		}
		if tc.body != "" {
			args = append(args, []byte(tc.body))
		}
		rec := s.Post(tc.path, args...)
		body := strings.TrimSpace(rec.Body.String())
		switch {
		case rec.Code != tc.want:
			t.Errorf("%s: status %d (%.300s), want %d", tc.what, rec.Code, body, tc.want)
		case tc.want == http.StatusOK && body != tc.got:
			t.Errorf("%s: the handler got %s, want %s", tc.what, body, tc.got)
		}
	}
}
