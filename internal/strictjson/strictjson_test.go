package strictjson_test

import (
	"encoding/json"
	"errors"
	"reflect"
	"strings"
	"testing"

	"github.com/klue-go/klue-client-server/internal/strictjson"
)

type user struct {
	Name     string          `json:"name"`
	Password string          `json:"password"`
	I        int             `json:"i"`
	Num      json.Number     `json:"num,omitempty"`
	Raw      json.RawMessage `json:"raw,omitempty"`
	Any      any             `json:"any,omitempty"`
	NoTag    string
}

func TestUnmarshalRefuses(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		name, doc, loc, msg string
	}{
		{"duplicate", `{"name":"ok","name":""}`, "", `member name "name" comes twice`},
		{"duplicate nested", `{"any":{"a":[1,{"b":1,"b":2}]}}`, "any.a.1", `member name "b" comes twice`},
		{"duplicate escaped", `{"name":"a","n\u0061me":"b"}`, "", `member name "name" comes twice`},
		{"duplicate unknown", `{"x":1,"x":2}`, "", `member name "x" comes twice`},
		{"invalid UTF-8", "{\"name\":\"a\xffb\"}", "name", "invalid UTF-8"},
		{"invalid UTF-8 in a name", "{\"n\xffame\":\"a\"}", "", "invalid UTF-8"},
		{"invalid UTF-8 in an unknown member", "{\"x\":[\"\xc0\"]}", "x.0", "invalid UTF-8"},
		{"lone high surrogate", `{"name":"\ud800"}`, "name", "lone surrogate"},
		{"lone low surrogate", `{"name":"a\udc00b"}`, "name", "lone surrogate"},
		{"lone surrogate in a name", `{"a\ud800":1}`, "", "lone surrogate"},
		{"wrong type", `{"i":"x"}`, "i", "cannot read a JSON string into int"},
		{"fraction", `{"i":1.5}`, "i", "cannot read 1.5 into int"},
		{"trailing data", `{"name":"a"} {}`, "", "invalid JSON"},
		{"not a number", `{"num":"x"}`, "num", "not a number"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			var u user
			err := strictjson.Unmarshal([]byte(tc.doc), &u)
			var e *strictjson.Error
			if !errors.As(err, &e) {
				t.Fatalf("Unmarshal(%s) = %v, want a *strictjson.Error", tc.doc, err)
			}
			if e.Location != tc.loc || !strings.Contains(e.Message, tc.msg) {
				t.Errorf("Unmarshal(%s): location %q, message %q; want %q, containing %q", tc.doc, e.Location, e.Message, tc.loc, tc.msg)
			}
			if _, err := strictjson.Value([]byte(tc.doc)); err == nil && !strings.HasPrefix(tc.msg, "cannot read") && tc.name != "not a number" {
				t.Errorf("Value(%s) accepted the document", tc.doc)
			}
		})
	}
}

func TestUnmarshalExactNames(t *testing.T) {
	t.Parallel()
	// encoding/json would match each of these members to a field.
	doc := `{"name":"ok","NAME":"","Name":"x","pa\u017f\u017fword":"zz","I":99,"notag":"n","i":1}`
	var u user
	if err := strictjson.Unmarshal([]byte(doc), &u); err != nil {
		t.Fatal(err)
	}
	want := user{Name: "ok", I: 1}
	if !reflect.DeepEqual(u, want) {
		t.Errorf("got %+v, want %+v", u, want)
	}
}

func TestUnmarshalNumbers(t *testing.T) {
	t.Parallel()
	var u user
	if err := strictjson.Unmarshal([]byte(`{"num":1e400,"raw":{"a" : 1},"any":2.5,"NoTag":"t"}`), &u); err != nil {
		t.Fatal(err)
	}
	if u.Num != "1e400" || string(u.Raw) != `{"a" : 1}` || u.Any != 2.5 || u.NoTag != "t" {
		t.Errorf("got %+v", u)
	}
	if err := strictjson.Unmarshal([]byte(`{"num":"12"}`), &u); err != nil || u.Num != "12" {
		t.Errorf("a number in a string: %v, %q", err, u.Num)
	}
}

func TestValue(t *testing.T) {
	t.Parallel()
	v, err := strictjson.Value([]byte(` {"a":[1,2.50,-3e2,"x",true,null],"b":{}} `))
	if err != nil {
		t.Fatal(err)
	}
	want := map[string]any{
		"a": []any{json.Number("1"), json.Number("2.50"), json.Number("-3e2"), "x", true, nil},
		"b": map[string]any{},
	}
	if !reflect.DeepEqual(v, want) {
		t.Errorf("got %#v", v)
	}
	data, err := strictjson.Marshal(v)
	if err != nil || !strings.Contains(string(data), `[1,2.50,-3e2,"x",true,null]`) {
		t.Errorf("Marshal: %s, %v", data, err)
	}
}

func TestMarshalRefusesInvalidUTF8(t *testing.T) {
	t.Parallel()
	if data, err := strictjson.Marshal(map[string]any{"a": "\xff"}); err == nil {
		t.Errorf("Marshal wrote %q", data)
	}
	if data, err := strictjson.Marshal(json.Number("x")); err == nil {
		t.Errorf("Marshal wrote %q", data)
	}
}

type badTag struct {
	//lint:ignore SA5008 the malformed tag is the point
	A string `json:"a,"`
}

// conflict has two fields claiming one name, built at run time (vet
// refuses it written out).
var conflict = reflect.StructOf([]reflect.StructField{
	{Name: "A", Type: reflect.TypeFor[string](), Tag: `json:"x"`},
	{Name: "B", Type: reflect.TypeFor[string](), Tag: `json:"x"`},
})

// opaqueFields has fields, none the decoder can see.
type opaqueFields struct {
	//lint:ignore U1000 the unexported fields are the point
	a, b int
}

type holder struct {
	OK    string               `json:"ok"`
	Inner *[]map[string]badTag `json:"inner"`
}

type selfDecoding struct{ N int }

type caseIgnore struct {
	Name string `json:"name,case:ignore"`
}

func (s *selfDecoding) UnmarshalJSON([]byte) error { return nil }

type recursive struct {
	Next *recursive  `json:"next"`
	Kids []recursive `json:"kids"`
}

func TestCheckType(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		t    reflect.Type
		want string
	}{
		{reflect.TypeFor[user](), ""},
		{reflect.TypeFor[recursive](), ""},
		{reflect.TypeFor[selfDecoding](), ""},
		{reflect.TypeFor[[]*selfDecoding](), ""},
		{reflect.TypeFor[map[string]int](), ""},
		{reflect.TypeFor[badTag](), "malformed `json` tag"},
		{reflect.TypeFor[*holder](), "strictjson_test.badTag"},
		{conflict, "conflict over JSON object name"},
		{reflect.TypeFor[opaqueFields](), "no exported fields"},
		{reflect.TypeFor[map[string][]caseIgnore](), "ignoring case"},
	} {
		err := strictjson.CheckType(tc.t)
		switch {
		case tc.want == "" && err != nil:
			t.Errorf("%s: %v", tc.t, err)
		case tc.want != "" && (err == nil || !strings.Contains(err.Error(), tc.want)):
			t.Errorf("%s: %v, want an error containing %q", tc.t, err, tc.want)
		}
	}
}
