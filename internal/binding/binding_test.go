package binding_test

import (
	"encoding/json"
	"net"
	"net/url"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/klue-go/klue-client-server/internal/binding"
	"github.com/klue-go/klue-client-server/klue"
)

const formSpec = `openapi: 3.0.3
info: {title: t, version: "1"}
paths:
  /f:
    post:
      operationId: f
      requestBody:
        content:
          application/x-www-form-urlencoded:
            schema:
              type: object
              properties:
                n: {type: integer}
                deep:
                  type: object
                  properties:
                    a: {type: string}
                    list: {type: array, items: {type: object, properties: {p: {type: integer}}}}
                    more: {type: object, additionalProperties: {type: boolean}}
                pipes: {type: array, items: {type: number}}
                spread: {type: object, additionalProperties: {type: string}}
                flat: {type: object, properties: {x: {type: string}, y: {type: integer}}}
                doc: {type: object}
            encoding:
              deep: {style: deepObject, explode: true}
              pipes: {style: pipeDelimited, explode: false}
              spread: {style: form, explode: true}
              flat: {style: form, explode: false}
              doc: {contentType: application/json}
      responses:
        "204": {description: done}
`

func formMedia(t testing.TB) *klue.MediaType {
	t.Helper()
	pool := klue.NewPool()
	if err := pool.Add("f", klue.Bytes("f.yaml", []byte(formSpec))); err != nil {
		t.Fatal(err)
	}
	api, err := pool.API("f")
	if err != nil {
		t.Fatal(err)
	}
	return api.Operations()[0].Body.Content[0]
}

func model(t testing.TB, doc string) map[string]any {
	t.Helper()
	d := json.NewDecoder(strings.NewReader(doc))
	d.UseNumber()
	var m map[string]any
	if err := d.Decode(&m); err != nil {
		t.Fatal(err)
	}
	return m
}

// What AppendField writes, Decode reads back, for every encoding.
func TestFormRoundTrip(t *testing.T) {
	t.Parallel()
	m := formMedia(t)
	fe := binding.FormEncoding{Encoding: m.Encoding}
	for _, doc := range []string{
		`{"n": 3}`,
		`{"deep": {"a": "x y&z", "list": [{"p": 1}, {"p": 2}], "more": {"k": true, "l": false}}}`,
		`{"pipes": [1.5, -2, 3e2]}`,
		`{"spread": {"k1": "v 1", "k2": "v=2"}}`,
		`{"flat": {"x": "a", "y": 7}}`,
		`{"doc": {"any": [1, {"b": null}]}}`,
		`{"n": 1, "deep": {"a": ""}, "pipes": [0], "flat": {"x": "", "y": 0}}`,
	} {
		want := model(t, doc)
		var pairs []binding.Pair
		for k, v := range want {
			pairs = fe.AppendField(pairs, k, v)
		}
		var b strings.Builder
		for i, p := range pairs {
			if i > 0 {
				b.WriteByte('&')
			}
			b.WriteString(url.QueryEscape(p.Key) + "=" + url.QueryEscape(p.Value))
		}
		values, err := url.ParseQuery(b.String())
		if err != nil {
			t.Fatal(err)
		}
		got, bad := fe.Decode(m.Schema, values)
		if len(bad) > 0 || !reflect.DeepEqual(got, want) {
			t.Errorf("%s\nsent as %s\nread %v (%v)", doc, b.String(), got, bad)
		}
	}
}

func TestStyle(t *testing.T) {
	t.Parallel()
	for _, name := range []string{"form", "simple", "label", "matrix", "spaceDelimited", "pipeDelimited", "tabDelimited", "deepObject"} {
		st, ok := binding.ParseStyle(name)
		if !ok || st.String() != name {
			t.Errorf("ParseStyle(%q) = %v, %v", name, st, ok)
		}
	}
	if st, ok := binding.ParseStyle("csv"); ok || st != binding.StyleForm {
		t.Errorf("an unknown style reads as %v, %v", st, ok)
	}
	for st, want := range map[binding.Style]string{binding.StyleSpaceDelimited: " ", binding.StylePipeDelimited: "|", binding.StyleTabDelimited: "\t", binding.StyleForm: ",", binding.StyleSimple: ","} {
		if got := st.Delimiter(); got != want {
			t.Errorf("%v: delimiter %q, want %q", st, got, want)
		}
	}
}

// Decoding a form body never panics, whatever its fields.
func FuzzFormDecode(f *testing.F) {
	for _, s := range []string{"deep[a]=1", "deep[list][0][p]=2&deep[list][x][p]=3", "deep[[]]=1&deep]=2&deep[a", "pipes=1|x|", "flat=a,1,b", "k=v&doc=%7B", "deep[more][k]=maybe"} {
		f.Add(s)
	}
	m := formMedia(f)
	fe := binding.FormEncoding{Encoding: m.Encoding}
	f.Fuzz(func(t *testing.T, body string) {
		values, err := url.ParseQuery(body)
		if err != nil {
			return
		}
		fe.Decode(m.Schema, values)
	})
}

// HeaderText takes what a header can carry, either way: a type with its
// own text form before a slice (net.IP is a []byte), and one level of
// comma-separated items.
func TestHeaderText(t *testing.T) {
	t.Parallel()
	for _, c := range []struct {
		t    reflect.Type
		want bool
	}{
		{reflect.TypeFor[string](), true},
		{reflect.TypeFor[*int64](), true},
		{reflect.TypeFor[time.Time](), true},
		{reflect.TypeFor[net.IP](), true},
		{reflect.TypeFor[[]string](), true},
		{reflect.TypeFor[*[]*int](), true},
		{reflect.TypeFor[[]net.IP](), true},
		{reflect.TypeFor[[]byte](), false},
		{reflect.TypeFor[[][]string](), false},
		{reflect.TypeFor[any](), false},
		{reflect.TypeFor[map[string]string](), false},
		{reflect.TypeFor[struct{ A int }](), false},
	} {
		for _, way := range []binding.Way{binding.Encode, binding.Decode} {
			if got := binding.HeaderText(c.t, way); got != c.want {
				t.Errorf("HeaderText(%s, %d) = %v, want %v", c.t, way, got, c.want)
			}
		}
	}
}

// What the server writes as header text, the client reads back unchanged.
func TestHeaderTextRoundTrip(t *testing.T) {
	t.Parallel()
	name := "x"
	day := time.Date(2024, 2, 29, 13, 0, 0, 0, time.UTC)
	for _, c := range []struct {
		v      any
		format string
	}{
		{"a b", ""}, {int16(-7), ""}, {uint8(200), ""}, {2.5, ""}, {true, ""},
		{day, ""}, {day.Add(time.Millisecond), "date-time"},
		{[]int{1, 2, 3}, ""}, {net.ParseIP("10.0.0.1"), ""}, {[]net.IP{net.ParseIP("::1"), net.ParseIP("10.0.0.2")}, ""},
		{&name, ""},
	} {
		v := reflect.ValueOf(c.v)
		text, ok, err := binding.HeaderTextOf(v, c.format)
		if err != nil || !ok {
			t.Fatalf("HeaderTextOf(%v): %q, %v, %v", c.v, text, ok, err)
		}
		got := reflect.New(v.Type()).Elem()
		if err := binding.SetHeaderText(got, text); err != nil {
			t.Fatalf("SetHeaderText(%s, %q): %v", v.Type(), text, err)
		}
		if !reflect.DeepEqual(got.Interface(), c.v) && !(v.Kind() == reflect.Pointer && *got.Interface().(*string) == name) {
			t.Errorf("%s: %q read back as %v, want %v", v.Type(), text, got.Interface(), c.v)
		}
	}
}
