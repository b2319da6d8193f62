package typedjson_test

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/klue-go/klue-client-server/internal/jsonvalid"
	"github.com/klue-go/klue-client-server/internal/strictjson"
	"github.com/klue-go/klue-client-server/internal/typedjson"
	"github.com/santhosh-tekuri/jsonschema/v6"
)

// Upper decodes and encodes itself as text.
type Upper string

func (u Upper) MarshalText() ([]byte, error) {
	if u == "fail" {
		return nil, errors.New("cannot")
	}
	return []byte(strings.ToUpper(string(u))), nil
}

func (u *Upper) UnmarshalText(b []byte) error {
	if string(b) == "fail" {
		return errors.New("cannot")
	}
	*u = Upper(strings.ToLower(string(b)))
	return nil
}

// Pair decodes and encodes itself as a two-item array.
type Pair struct{ A, B int }

func (p Pair) MarshalJSON() ([]byte, error) {
	return []byte(fmt.Sprintf(" [ %d , %d ] ", p.A, p.B)), nil
}

func (p *Pair) UnmarshalJSON(b []byte) error {
	var v []int
	if err := json.Unmarshal(b, &v); err != nil {
		return err
	}
	if len(v) != 2 {
		return errors.New("not a pair")
	}
	p.A, p.B = v[0], v[1]
	return nil
}

// Addr has a text method on its pointer only: encoding/json calls it
// where the value is addressable, and encodes the struct elsewhere.
type Addr struct {
	Host string `json:"host"`
}

func (a *Addr) MarshalText() ([]byte, error) { return []byte("addr:" + a.Host), nil }

type Item struct {
	Name     string  `json:"name"`
	Price    float64 `json:"price"`
	Quantity int     `json:"quantity"`
	SKU      string  `json:"sku,omitempty"`
	Active   bool    `json:"active,omitempty"`
}

type Node struct {
	Value int     `json:"value"`
	Next  *Node   `json:"next,omitempty"`
	Kids  []*Node `json:"kids,omitempty"`
}

// Wide holds a field of most kinds.
type Wide struct {
	S     string            `json:"s"`
	I     int               `json:"i"`
	I8    int8              `json:"i8,omitempty"`
	I16   int16             `json:"i16,omitempty"`
	I32   int32             `json:"i32,omitempty"`
	U     uint              `json:"u,omitempty"`
	U8    uint8             `json:"u8,omitempty"`
	U16   uint16            `json:"u16,omitempty"`
	U64   uint64            `json:"u64,omitempty"`
	F32   float32           `json:"f32,omitempty"`
	F64   float64           `json:"f64"`
	B     bool              `json:"b"`
	P     *string           `json:"p,omitempty"`
	PP    **int             `json:"pp,omitempty"`
	List  []string          `json:"list"`
	Ints  []int             `json:"ints,omitzero"`
	Map   map[string]int    `json:"map,omitempty"`
	MapP  map[string]*Item  `json:"mapp,omitempty"`
	Texts map[string]Addr   `json:"texts,omitempty"`
	T     time.Time         `json:"t"`
	TP    *time.Time        `json:"tp,omitempty"`
	TZ    time.Time         `json:"tz,omitzero"`
	D     time.Duration     `json:"d,omitempty"`
	Any   any               `json:"any"`
	Raw   json.RawMessage   `json:"raw,omitempty"`
	Num   json.Number       `json:"num,omitempty"`
	Arr   [2]int            `json:"arr"`
	Bytes []byte            `json:"bytes,omitempty"`
	Up    Upper             `json:"up,omitempty"`
	UpP   *Upper            `json:"upp,omitempty"`
	Pair  Pair              `json:"pair"`
	PairP *Pair             `json:"pairp,omitempty"`
	Addr  Addr              `json:"addr"`
	Items []Item            `json:"items,omitempty"`
	Tree  *Node             `json:"tree,omitempty"`
	Skip  string            `json:"-"`
	NoTag string            //nolint: a field named by its Go name
	Strs  map[string]string `json:"strs,omitempty"`
	//lint:ignore U1000 an unexported field, which the decoders skip
	private int
}

// Embeds is left to encoding/json: it has an embedded struct.
type Embeds struct {
	Item
	Extra string `json:"extra"`
}

// Quoted is left to encoding/json: it has a string option.
type Quoted struct {
	N int `json:"n,string"`
}

// Folded has two names that differ only in case.
type Folded struct {
	Lower string `json:"name"`
	Upper string `json:"NAME"`
}

// BadTag has a tag the decoder refuses: a trailing comma.
type BadTag struct {
	//lint:ignore SA5008 the malformed tag is the point
	A string `json:"a,"`
}

// CaseIgnore has a json v2 option that matches its name ignoring case.
type CaseIgnore struct {
	Name string `json:"name,case:ignore"`
}

// testCase is a Go type and a schema, both directions use it.
type testCase struct {
	name   string
	typ    reflect.Type
	schema string
}

var cases = []testCase{
	{"item-true", reflect.TypeFor[Item](), `true`},
	{"item", reflect.TypeFor[Item](), `{"type":"object","required":["name","price","quantity"],"properties":{"name":{"type":"string","minLength":1,"maxLength":64},"price":{"type":"number","minimum":0},"quantity":{"type":"integer","minimum":0,"maximum":1000000},"sku":{"type":"string","maxLength":16},"active":{"type":"boolean"}}}`},
	{"item-closed", reflect.TypeFor[Item](), `{"type":"object","additionalProperties":false,"required":["name"],"properties":{"name":{"type":"string","pattern":"^[a-z]+$"},"price":{"type":"number","exclusiveMaximum":100.5},"quantity":{"type":"integer","multipleOf":3},"sku":{"enum":["a","b"]},"active":{"const":true}}}`},
	{"item-allof", reflect.TypeFor[Item](), `{"allOf":[{"$ref":"#/$defs/base"},{"required":["quantity"]}],"$defs":{"base":{"type":"object","required":["name"],"properties":{"name":{"type":"string","format":"email"}}}}}`},
	{"item-extra", reflect.TypeFor[Item](), `{"type":"object","required":["name","extra"],"properties":{"extra":{"type":"integer"}},"additionalProperties":{"type":["string","number","boolean"]},"maxProperties":4}`},
	{"item-minprops", reflect.TypeFor[Item](), `{"type":"object","minProperties":4,"maxProperties":5}`},
	{"map-minprops", reflect.TypeFor[map[string]int](), `{"type":"object","minProperties":2}`},
	{"item-nullable", reflect.TypeFor[*Item](), `{"anyOf":[{"type":"null"},{"type":"object","required":["name"]}]}`},
	{"items", reflect.TypeFor[[]Item](), `{"type":"array","minItems":1,"maxItems":3,"items":{"type":"object","required":["name"],"properties":{"price":{"type":"number","maximum":10}}}}`},
	{"items-unique", reflect.TypeFor[[]Item](), `{"type":"array","uniqueItems":true}`},
	{"node", reflect.TypeFor[Node](), `{"$ref":"#/$defs/node","$defs":{"node":{"type":"object","required":["value"],"properties":{"value":{"type":"integer","minimum":0},"next":{"$ref":"#/$defs/node"},"kids":{"type":"array","items":{"$ref":"#/$defs/node"}}}}}}`},
	{"wide-true", reflect.TypeFor[Wide](), `true`},
	{"wide", reflect.TypeFor[Wide](), `{"type":"object","required":["s","t","list"],"properties":{"s":{"type":"string","maxLength":5},"i":{"type":"integer","maximum":100},"f64":{"type":"number"},"list":{"type":"array","items":{"type":"string","minLength":1}},"map":{"type":"object","additionalProperties":{"type":"integer","minimum":0}},"mapp":{"type":"object","properties":{"x":{"type":"object","required":["name"]}},"additionalProperties":{"type":["object","null"]}},"t":{"type":"string","format":"date-time"},"tp":{"type":["string","null"],"format":"date-time"},"any":{"type":["object","array","string","number","boolean","null"]},"up":{"type":"string","pattern":"^[A-Z]*$"},"pair":{"type":"array","items":{"type":"integer"}},"tree":{"type":"object","properties":{"value":{"maximum":5}}},"strs":{"maxProperties":2,"additionalProperties":{"type":"string","maxLength":3}}}}`},
	{"map", reflect.TypeFor[map[string]Item](), `{"type":"object","additionalProperties":{"type":"object","required":["name"]},"properties":{"special":{"type":"object","required":["price"]}},"required":["special"]}`},
	{"map-uniform", reflect.TypeFor[map[string][]int](), `{"type":"object","additionalProperties":{"type":"array","items":{"type":"integer","minimum":0}}}`},
	{"strings", reflect.TypeFor[[]string](), `{"type":"array","items":{"type":"string","minLength":2,"pattern":"é|^[a-z]+$"}}`},
	{"embeds", reflect.TypeFor[Embeds](), `{"type":"object","required":["name"]}`},
	{"quoted", reflect.TypeFor[Quoted](), `true`},
	{"folded", reflect.TypeFor[Folded](), `{"type":"object","properties":{"name":{"type":"string"}}}`},
	{"badtag", reflect.TypeFor[BadTag](), `true`},
	{"caseignore", reflect.TypeFor[CaseIgnore](), `{"type":"object","properties":{"name":{"maxLength":3}}}`},
	{"any", reflect.TypeFor[any](), `{"type":"object"}`},
	{"ints", reflect.TypeFor[[]int64](), `{"type":"array","items":{"type":"integer","minimum":-5}}`},
	{"uints", reflect.TypeFor[[]uint8](), `{"type":"string"}`},
	{"floats", reflect.TypeFor[[]float32](), `{"type":"array","items":{"type":"number","maximum":1267650600228229401496703205376}}`},
	{"time", reflect.TypeFor[time.Time](), `{"type":"string","format":"date-time"}`},
	{"upper", reflect.TypeFor[Upper](), `{"type":"string","maxLength":4}`},
	{"pair", reflect.TypeFor[Pair](), `{"type":"array","maxItems":2}`},
	{"not", reflect.TypeFor[Item](), `{"not":{"required":["sku"]}}`},
	{"oneof", reflect.TypeFor[map[string]any](), `{"oneOf":[{"required":["a"]},{"required":["b"]}]}`},
}

// compiled is a case with its schema compiled both ways.
type compiled struct {
	testCase
	schema *jsonschema.Schema
	dec    *typedjson.Decoder
	enc    *typedjson.Encoder
}

func compileCases(tb testing.TB) []*compiled {
	tb.Helper()
	out := make([]*compiled, len(cases))
	for i, c := range cases {
		s := compileSchema(tb, fmt.Sprintf("mem://case%d.json", i), c.schema)
		v := jsonvalid.Compile(s)
		out[i] = &compiled{testCase: c, schema: s, dec: typedjson.NewDecoder(c.typ, v), enc: typedjson.NewEncoder(c.typ, v)}
	}
	return out
}

func compileSchema(tb testing.TB, url, src string) *jsonschema.Schema {
	tb.Helper()
	doc, err := jsonschema.UnmarshalJSON(strings.NewReader(src))
	if err != nil {
		tb.Fatal(err)
	}
	c := jsonschema.NewCompiler()
	c.DefaultDraft(jsonschema.Draft2020)
	c.AssertFormat()
	if err := c.AddResource(url, doc); err != nil {
		tb.Fatal(err)
	}
	s, err := c.Compile(url)
	if err != nil {
		tb.Fatal(err)
	}
	return s
}

// accepts is what the jsonschema validator says of a document, decoded as
// klue decodes documents (numbers exact).
func accepts(s *jsonschema.Schema, doc []byte) (ok bool) {
	defer func() {
		if recover() != nil {
			ok = false // numbers big.Rat cannot read; klue refuses them
		}
	}()
	v, err := strictjson.Value(doc)
	if err != nil {
		return false
	}
	return s.Validate(v) == nil
}

// sameDecoding fails when the fast decoder succeeds where the general
// path (validate, then strictjson.Unmarshal) would not, or with another
// value.
// It reports whether the fast path succeeded.
func sameDecoding(t testing.TB, c *compiled, data []byte) bool {
	t.Helper()
	fast := reflect.New(c.typ).Elem()
	if !c.dec.Decode(data, fast) {
		return false
	}
	if !accepts(c.schema, data) {
		t.Errorf("%s: fast decoding of %q succeeded, jsonschema refuses the document", c.name, data)
		return true
	}
	slow := reflect.New(c.typ)
	if err := strictjson.Unmarshal(data, slow.Interface()); err != nil {
		t.Errorf("%s: fast decoding of %q succeeded, strictjson.Unmarshal fails: %v", c.name, data, err)
		return true
	}
	if !reflect.DeepEqual(fast.Interface(), slow.Elem().Interface()) {
		t.Errorf("%s: decoding %q:\nfast %#v\nslow %#v", c.name, data, fast.Interface(), slow.Elem().Interface())
	}
	return true
}

// sameEncoding fails when the fast encoder succeeds where json.Marshal
// fails or writes other bytes, or where the schema refuses them. It
// reports whether the fast path succeeded.
func sameEncoding(t testing.TB, c *compiled, v reflect.Value) bool {
	t.Helper()
	prefix := []byte("prefix")
	got, ok := c.enc.Append(prefix, v)
	sameChunks(t, c, v, got, ok)
	if !ok {
		if string(got) != "prefix" {
			t.Errorf("%s: a failed Append changed dst to %q", c.name, got)
		}
		return false
	}
	got = got[len(prefix):]
	want, err := json.Marshal(v.Interface())
	switch {
	case err != nil:
		t.Errorf("%s: fast encoding of %#v gave %s, json.Marshal fails: %v", c.name, v.Elem().Interface(), got, err)
	case !bytes.Equal(got, want):
		t.Errorf("%s: encoding %#v:\nfast %s\nslow %s", c.name, v.Elem().Interface(), got, want)
	case !accepts(c.schema, want):
		t.Errorf("%s: fast encoding of %#v succeeded, jsonschema refuses %s", c.name, v.Elem().Interface(), want)
	}
	return true
}

// sameChunks fails when AppendChunks, cutting its output at every point it
// may, does not give what Append gave (appended, ok) once the chunks are
// joined.
func sameChunks(t testing.TB, c *compiled, v reflect.Value, appended []byte, ok bool) {
	t.Helper()
	var fresh int
	next := func() []byte {
		fresh++
		return make([]byte, 0, 1)
	}
	chunks, chunksOK := c.enc.AppendChunks(nil, []byte("prefix"), v, 1, next)
	if len(chunks) != fresh+1 {
		t.Errorf("%s: AppendChunks returned %d chunks, having taken %d buffers", c.name, len(chunks), fresh)
	}
	if chunksOK != ok {
		t.Errorf("%s: encoding %#v: AppendChunks reports %v, Append %v", c.name, v.Elem().Interface(), chunksOK, ok)
		return
	}
	if joined := bytes.Join(chunks, nil); ok && !bytes.Equal(joined, appended) {
		t.Errorf("%s: encoding %#v:\nchunks %q\nAppend %q", c.name, v.Elem().Interface(), chunks, appended)
	}
}
