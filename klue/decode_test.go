package klue_test

import (
	"encoding/json"
	"errors"
	"reflect"
	"strings"
	"testing"

	"github.com/klue-go/klue-client-server/internal/wire"
	"github.com/klue-go/klue-client-server/klue"
)

const decodeSpec = `
openapi: 3.0.3
info: {title: decode, version: '1'}
paths: {}
components:
  schemas:
    User:
      type: object
      required: [name]
      properties:
        name: {type: string, minLength: 1, maxLength: 5}
        i: {type: integer, maximum: 10}
`

func decodeModel(t *testing.T) *klue.Model {
	t.Helper()
	pool := klue.NewPool()
	if err := pool.Add("decode", klue.Bytes("decode.yaml", []byte(decodeSpec))); err != nil {
		t.Fatal(err)
	}
	api, _ := pool.API("decode")
	m, err := api.Model("User")
	if err != nil {
		t.Fatal(err)
	}
	return m
}

// refused are documents every JSON decode of klue refuses, with the
// location it names.
var refused = []struct{ name, doc, location, message string }{
	{"duplicate", `{"name":"ok","name":""}`, "", `"name" comes twice`},
	{"duplicate unknown", `{"name":"ok","x":1,"x":2}`, "", `"x" comes twice`},
	{"duplicate escaped", `{"name":"ok","n\u0061me":"x"}`, "", `"name" comes twice`},
	{"invalid UTF-8", "{\"name\":\"o\xffk\"}", "name", "invalid UTF-8"},
	{"invalid UTF-8 unknown", "{\"name\":\"ok\",\"x\":[\"\xe2\x82\"]}", "x.0", "invalid UTF-8"},
	{"lone surrogate", `{"name":"\ud800"}`, "name", "lone surrogate"},
	{"lone low surrogate", `{"name":"a\udfffb"}`, "name", "lone surrogate"},
	{"reversed pair", `{"name":"\udc00\ud800"}`, "name", "lone surrogate"},
}

func TestDecodeJSONRefuses(t *testing.T) {
	t.Parallel()
	for _, tc := range refused {
		if v, err := wire.DecodeJSON([]byte(tc.doc)); err == nil || !strings.Contains(err.Error(), tc.message) {
			t.Errorf("%s: DecodeJSON = %#v, %v; want an error containing %q", tc.name, v, err, tc.message)
		}
	}
}

func TestModelValidateJSONRefuses(t *testing.T) {
	t.Parallel()
	m := decodeModel(t)
	for _, tc := range refused {
		err := m.ValidateJSON([]byte(tc.doc))
		var ve *klue.ValidationError
		if !errors.As(err, &ve) || len(ve.Violations) != 1 {
			t.Errorf("%s: ValidateJSON = %v, want one violation", tc.name, err)
			continue
		}
		if v := ve.Violations[0]; v.Location != tc.location || !strings.Contains(v.Message, tc.message) {
			t.Errorf("%s: violation %+v, want location %q and a message containing %q", tc.name, v, tc.location, tc.message)
		}
		var u struct {
			Name string `json:"name"`
		}
		if err := m.Decode([]byte(tc.doc), &u); err == nil {
			t.Errorf("%s: Decode accepted the document: %+v", tc.name, u)
		}
	}
}

// TestModelDecodeExactNames decodes members whose names encoding/json
// would match to a field ignoring case: the model judged them as other
// members, and they stay out of the value.
func TestModelDecodeExactNames(t *testing.T) {
	t.Parallel()
	m := decodeModel(t)
	type user struct {
		Name string `json:"name"`
		I    int    `json:"i"`
	}
	for _, doc := range []string{`{"name":"ok","NAME":""}`, `{"name":"ok","Name":"toolong"}`, `{"name":"ok","i":1,"I":99}`} {
		var u user
		if err := m.Decode([]byte(doc), &u); err != nil {
			t.Errorf("%s: %v", doc, err)
			continue
		}
		if u.Name != "ok" || u.I > 1 {
			t.Errorf("%s: decoded %+v", doc, u)
		}
	}
}

func TestDecodeJSONNumbersExact(t *testing.T) {
	t.Parallel()
	v, err := wire.DecodeJSON([]byte(`{"a":12345678901234567890,"b":1.50}`))
	want := map[string]any{"a": json.Number("12345678901234567890"), "b": json.Number("1.50")}
	if err != nil || !reflect.DeepEqual(v, want) {
		t.Errorf("DecodeJSON = %#v, %v", v, err)
	}
}
