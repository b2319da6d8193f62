package jsonvalid_test

import (
	"encoding/json"
	"fmt"
	"math/big"
	"strings"
	"testing"

	"github.com/klue-go/klue-client-server/internal/jsonvalid"
	"github.com/klue-go/klue-client-server/internal/strictjson"
	"github.com/santhosh-tekuri/jsonschema/v6"
)

// schemas cover the keywords the validator handles, and some it leaves to
// jsonschema.
var schemas = []string{
	`true`,
	`false`,
	`{"type":"object","required":["name","price"],"additionalProperties":false,"properties":{"name":{"type":"string","minLength":1,"maxLength":8},"price":{"type":"number","minimum":0,"exclusiveMaximum":100.5},"qty":{"type":"integer","multipleOf":3,"maximum":30},"tags":{"type":"array","items":{"type":"string","pattern":"^[a-z]+$"},"minItems":1,"maxItems":3}}}`,
	`{"type":["string","null"],"enum":["a","b",null,"\u00e9"]}`,
	`{"anyOf":[{"type":"null"},{"$ref":"#/$defs/node"}],"$defs":{"node":{"type":"object","properties":{"v":{"type":"integer"},"next":{"$ref":"#/$defs/node"}}}}}`,
	`{"oneOf":[{"type":"integer"},{"type":"number","minimum":10}]}`,
	`{"not":{"type":"string"}}`,
	`{"allOf":[{"required":["kind"]},{"if":{"properties":{"kind":{"const":"cat"}},"required":["kind"]},"then":{"required":["meow"]},"else":{"required":["bark"]}}]}`,
	`{"type":"object","additionalProperties":{"type":"integer","minimum":-5},"maxProperties":2}`,
	`{"type":"array","uniqueItems":true}`,
	`{"type":"string","format":"email"}`,
	`{"type":"integer","enum":[1,2,3000000000000]}`,
	`{"type":"number","maximum":1,"minimum":0.1}`,
	`{"properties":{"a":{"type":"string","maxLength":2}},"patternProperties":{"^x":{"type":"integer"}}}`,
	`{"type":"object","properties":{"é":{"type":"integer"}},"required":["é"]}`,
	`{"type":"object","minProperties":2,"properties":{"a":{"type":"integer"}}}`,
	`{"type":"string","minLength":2,"maxLength":3}`,
	`{"type":"integer","klueIntegerLiteral":true}`,
	`{"type":["integer","null"],"klueIntegerLiteral":true,"maximum":100}`,
	`{"type":"object","properties":{"n":{"type":"integer","klueIntegerLiteral":true}}}`,
}

var documents = []string{
	`null`, `true`, `false`, `0`, `-1`, `1.5`, `1e2`, `1.0`, `12.50e1`, `100E-2`, `1e-1`, `-0.0`, `{"n":1.0}`, `{"n":1}`, `3`, `30`, `33`, `100.5`, `0.1`, `1`, `10`, `3000000000000`, `-6`,
	`"a"`, `"b"`, `"c"`, `""`, `"é"`, `"\u00e9"`, `"ab"`, `"abcd"`, `"éé"`, `"ééé"`, `"éééé"`, `"😀😀"`, `"😀😀😀😀"`, `"a😀"`, `"x@y.z"`, `"not an email"`, `"abcdefghi"`, `"\ud800"`, "\"\xff\"",
	`[]`, `[1,1]`, `[1,2]`, `["a"]`, `["a","b","c","d"]`, `["A"]`,
	`{}`, `{"name":"w","price":1}`, `{"name":"","price":1}`, `{"name":"w","price":-1}`, `{"name":"w","price":100.5}`,
	`{"name":"w","price":1,"qty":3}`, `{"name":"w","price":1,"qty":4}`, `{"name":"w","price":1,"qty":33}`,
	`{"name":"w","price":1,"tags":["ok"]}`, `{"name":"w","price":1,"tags":["Bad"]}`, `{"name":"w","price":1,"tags":[]}`,
	`{"name":"w","price":1,"extra":true}`, `{"name":"w"}`, `{"name":"w","price":1,"name":"x"}`, `{"na\u006de":"w","price":1}`,
	`{"v":1}`, `{"v":1,"next":{"v":2,"next":{"v":"x"}}}`, `{"v":1,"next":null}`,
	`{"kind":"cat","meow":1}`, `{"kind":"cat","bark":1}`, `{"kind":"dog","bark":1}`, `{"kind":"dog"}`, `{}`,
	`{"a":1,"b":2}`, `{"a":1,"b":2,"c":3}`, `{"a":-6}`, `{"a":"xx","x1":2}`, `{"a":"xxx"}`, `{"x":"s"}`,
	`{"é":1}`, `{"\u00e9":1}`, `{"a":1,"a":2}`, `{"a":1,"a":2,"b":3}`, "{\"\xff\":1}",
	`{"name":"w","price":1,"x":{"a":1,"a":1}}`, `{"name":"w","price":1,"tags":["\udc00"]}`, `{"a":"\ud800\u0041"}`,
	`{"a":1,"b":2,"a":3}`, `{"name":"w","price":1,"NAME":""}`, "{\"name\":\"w\",\"price\":1,\"x\":[\"\xc3\"]}",
	`{`, `[1,]`, `{"a" 1}`, `01`, `1.`, `-`, `tru`, `"unterminated`, `{} x`, `[1] `, ` {"name":"w","price":1} `,
}

func compile(t testing.TB, i int, src string) *jsonschema.Schema {
	t.Helper()
	doc, err := jsonschema.UnmarshalJSON(strings.NewReader(src))
	if err != nil {
		t.Fatal(err)
	}
	c := jsonschema.NewCompiler()
	c.AssertFormat()
	c.RegisterVocabulary(jsonvalid.IntegerLiteralVocabulary())
	url := fmt.Sprintf("mem://schema%d.json", i)
	if err := c.AddResource(url, doc); err != nil {
		t.Fatal(err)
	}
	s, err := c.Compile(url)
	if err != nil {
		t.Fatal(err)
	}
	return s
}

// truth is what the jsonschema validator says of a document, decoded as
// klue decodes bodies.
func truth(s *jsonschema.Schema, doc []byte) (valid bool) {
	// jsonschema panics on numbers big.Rat cannot read; klue refuses them.
	defer func() {
		if recover() != nil {
			valid = false
		}
	}()
	v, err := strictjson.Value(doc)
	if err != nil {
		return false
	}
	return s.Validate(v) == nil
}

// check fails when the fast validator contradicts jsonschema.
func check(t testing.TB, s *jsonschema.Schema, v *jsonvalid.Validator, doc []byte) jsonvalid.Verdict {
	got := v.Document(doc)
	want := truth(s, doc)
	if (got == jsonvalid.Valid && !want) || (got == jsonvalid.Invalid && want) {
		t.Errorf("schema %s, document %q: fast says %s, jsonschema says valid=%v", s.Location, doc, got, want)
	}
	return got
}

func TestAgreesWithJSONSchema(t *testing.T) {
	t.Parallel()
	decided := 0
	for i, src := range schemas {
		s := compile(t, i, src)
		v := jsonvalid.Compile(s)
		for _, doc := range documents {
			if check(t, s, v, []byte(doc)) != jsonvalid.Unknown {
				decided++
			}
		}
	}
	// The point of the fast path: it decides most cases itself.
	if total := len(schemas) * len(documents); decided < total*3/4 {
		t.Errorf("decided only %d of %d cases", decided, total)
	}
}

func TestScalars(t *testing.T) {
	t.Parallel()
	s := compile(t, 100, `{"type":"integer","minimum":1,"maximum":100}`)
	v := jsonvalid.Compile(s)
	for _, tt := range []struct {
		text string
		want jsonvalid.Verdict
	}{{"1", jsonvalid.Valid}, {"100", jsonvalid.Valid}, {"0", jsonvalid.Invalid}, {"101", jsonvalid.Invalid}, {"1.0", jsonvalid.Unknown}} {
		if got := v.Number(tt.text); got != tt.want {
			t.Errorf("Number(%s) = %s, want %s", tt.text, got, tt.want)
		}
	}
	if v.String("1") != jsonvalid.Invalid || v.Bool(true) != jsonvalid.Invalid || v.Null() != jsonvalid.Invalid {
		t.Errorf("non-numbers accepted")
	}
	str := jsonvalid.Compile(compile(t, 101, `{"type":"string","pattern":"^a","maxLength":3}`))
	if str.String("abc") != jsonvalid.Valid || str.String("abcd") != jsonvalid.Invalid || str.String("b") != jsonvalid.Invalid {
		t.Errorf("string checks")
	}
}

func TestAllocations(t *testing.T) {
	s := compile(t, 2, schemas[2])
	v := jsonvalid.Compile(s)
	doc := []byte(`{"name":"widget","price":9.99,"qty":3,"tags":["a","b"]}`)
	if v.Document(doc) != jsonvalid.Valid {
		t.Fatal("not valid")
	}
	// One allocation per pattern match (the string given to Regexp).
	if n := testing.AllocsPerRun(100, func() { v.Document(doc) }); n > 4 {
		t.Errorf("%v allocations per document", n)
	}
}

// FuzzAgreesWithJSONSchema checks random documents against every schema.
func FuzzAgreesWithJSONSchema(f *testing.F) {
	for _, doc := range documents {
		f.Add([]byte(doc))
	}
	compiled := make([]*jsonschema.Schema, len(schemas))
	fast := make([]*jsonvalid.Validator, len(schemas))
	for i, src := range schemas {
		compiled[i] = compile(f, i, src)
		fast[i] = jsonvalid.Compile(compiled[i])
	}
	f.Fuzz(func(t *testing.T, doc []byte) {
		for i := range schemas {
			check(t, compiled[i], fast[i], doc)
		}
	})
}

func BenchmarkDocument(b *testing.B) {
	s := compile(b, 2, schemas[2])
	v := jsonvalid.Compile(s)
	doc := []byte(`{"name":"widget","price":9.99,"qty":3,"tags":["a","b"]}`)
	b.Run("fast", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			v.Document(doc)
		}
	})
	b.Run("jsonschema", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			truth(s, doc)
		}
	})
}

// Integral judges by the digits, whatever the exponent, as big.Rat does.
func TestIntegral(t *testing.T) {
	t.Parallel()
	for text, want := range map[string]bool{
		"1": true, "1.0": true, "1e2": true, "100E-2": true, "12.50e1": true, "-0.0": true, "0e-99999999999999999999": true,
		"1e99999999999999999999": true, "1.5": false, "1e-1": false, "12.55e1": false, "5e-1": false,
		"1.000000000000000000001": false, "10e-99999999999999999999": false,
	} {
		if got := jsonvalid.Integral(text); got != want {
			t.Errorf("Integral(%s) = %t, want %t", text, got, want)
		}
		if r, ok := new(big.Rat).SetString(text); ok && len(text) < 30 && r.IsInt() != want {
			t.Errorf("%s: big.Rat says integral=%t", text, r.IsInt())
		}
	}
}

// FuzzIntegral compares Integral with big.Rat on JSON numbers whose
// exponent big.Rat can afford.
func FuzzIntegral(f *testing.F) {
	for _, s := range []string{"1", "1.0", "1e2", "100E-2", "12.50e1", "1.5", "-0.0", "5e-1"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		v, err := strictjson.Value([]byte(s))
		if _, isNumber := v.(json.Number); err != nil || !isNumber || strings.TrimSpace(s) != s {
			return
		}
		if i := strings.IndexAny(s, "eE"); i >= 0 && len(s)-i > 5 {
			return
		}
		r, ok := new(big.Rat).SetString(s)
		if !ok {
			t.Fatalf("big.Rat cannot read %q", s)
		}
		if got := jsonvalid.Integral(s); got != r.IsInt() {
			t.Errorf("Integral(%s) = %t, big.Rat says %t", s, got, r.IsInt())
		}
	})
}
