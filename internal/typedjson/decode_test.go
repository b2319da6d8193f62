package typedjson_test

import (
	"encoding/json"
	"fmt"
	"reflect"
	"sync"
	"testing"

	"github.com/klue-go/klue-client-server/internal/jsonvalid"
	"github.com/klue-go/klue-client-server/internal/strictjson"
	"github.com/klue-go/klue-client-server/internal/typedjson"
)

// wideDoc sets every field of Wide.
var wideDoc = `{"s":"ab","i":7,"i8":-128,"i16":300,"i32":-70000,"u":1,"u8":255,"u16":65535,"u64":18446744073709551615,"f32":1.5,"f64":-0.5e-7,"b":true,"p":"p","pp":5,"list":["x","y"],"ints":[],"map":{"a":1,"b":2},"mapp":{"x":{"name":"n"},"y":null},"texts":{"k":{"host":"h"}},"t":"2024-01-01T00:00:00Z","tp":"2024-01-01T00:00:00+02:00","tz":"0001-01-01T00:00:00Z","any":{"k":[1,"2",null]},"raw":{"r": 1},"num":12.5,"arr":[1,2],"bytes":"aGVsbG8=","up":"ABC","upp":"X","pair":[3,4],"pairp":[5,6],"addr":{"host":"h"},"items":[{"name":"i","price":1,"quantity":2}],"tree":{"value":1,"kids":[{"value":2}]},"-":"dash","Skip":"no","NoTag":"nt","strs":{"a":"b"}}`

// documents are decoded with every case: valid and invalid ones, and the
// corners of encoding/json.
var documents = []string{
	`{"name":"widget","price":9.99,"quantity":3,"sku":"W-1","active":true}`,
	` { "name" : "w" , "price" : 1 , "quantity" : 0 } `,
	`{"name":"w","price":1,"quantity":3,"extra":{"deep":[1,2,{"x":null}]}}`,
	`{"name":"w","price":1,"quantity":3,"extra":7}`,
	`{"name":"w","price":1,"quantity":3,"extra":"x","other":true}`,
	`{"name":"","price":1,"quantity":3}`,
	`{"name":"w","price":-1,"quantity":3}`,
	`{"name":"w","price":1,"quantity":1.0}`,
	`{"name":"w","price":1,"quantity":1e2}`,
	`{"name":"w","price":1,"quantity":99999999999999999999}`,
	`{"name":"w","price":1e400,"quantity":3}`,
	`{"name":"w","price":1,"quantity":-0}`,
	`{"name":"w","price":1,"quantity":3,"name":"v"}`,
	`{"Name":"w","price":1,"quantity":3}`,
	`{"NAME":"w","price":1,"quantity":3}`,
	`{"na\u006de":"w","price":1,"quantity":3}`,
	`{"name":"w\u00e9\n\"\\\/\b\f\r\t","price":1,"quantity":3}`,
	`{"name":"\ud83d\ude00","price":1,"quantity":3}`,
	`{"name":"\ud83d","price":1,"quantity":3}`,
	`{"name":"\udc00x","price":1,"quantity":3}`,
	"{\"name\":\"\xff\",\"price\":1,\"quantity\":3}",
	"{\"n\xffame\":\"w\",\"price\":1,\"quantity\":3}",
	`{"name":"abc","price":1,"quantity":3,"sku":"a","active":true}`,
	`{"name":"abc","price":100.5,"quantity":3}`,
	`{"name":"abc","price":1,"quantity":4}`,
	`{"name":"abc","price":1,"quantity":3,"sku":null,"active":null}`,
	`{"name":null,"price":null,"quantity":null}`,
	`{"name":"a@b.c","quantity":1}`,
	`{"name":"nope","quantity":1}`,
	`{"name":"w","price":"1","quantity":3}`,
	`{"name":1,"price":1,"quantity":3}`,
	`{"name":"w","price":1,"quantity":true}`,
	`{"name":"w","price":1,"quantity":3,}`,
	`{"name":"w","price":1,"quantity":3} x`,
	`{"name":"w","price":1,"quantity":3}}`,
	`{"name":"w" "price":1}`,
	`{"name":"w",`,
	`{"name":"w\x01"}`,
	`{"a":1}`, `{"b":2}`, `{"a":1,"b":2}`, `{}`, `null`, `true`, `1`, `"x"`, `[]`, `[1,2]`,
	`[{"name":"a","price":1},{"name":"b","price":11}]`,
	`[{"name":"a"},{"name":"b"},{"name":"c"},{"name":"d"}]`,
	`[{"name":"a"},{"name":"a"}]`,
	`[{"name":"a","price":1}]`,
	`[null]`, `[1,-5,-6]`, `[1,1.5]`, `[300]`, `["ab","é","A","abc"]`, `[1e38,1e39,-1e-46]`,
	`{"value":1,"next":{"value":2,"next":null},"kids":[{"value":3},null]}`,
	`{"value":1,"next":{"value":-2}}`,
	`{"value":1,"kids":[]}`,
	`{"special":{"name":"s","price":2},"other":{"name":"o"}}`,
	`{"special":{"name":"s"},"other":{"name":"o"}}`,
	`{"other":{"name":"o"}}`,
	`{"a":[1,2],"b":[],"c":null}`,
	`{"a":[1,-2]}`,
	`{"a":1,"a":2}`,
	`"2024-02-29T12:30:00Z"`, `"2024-02-29T12:30:00.123456789+01:00"`, `"2024-02-30T00:00:00Z"`, `"2024-02-29T12:30:00\u005a"`,
	`"abc"`, `"ABC"`, `"fail"`, `"abcde"`, `"a\u0062"`,
	`[1,2]`, `[1,2,3]`, `[1]`, ` [ 1 , 2 ] `,
	`{"s":"ab","t":"2024-01-01T00:00:00Z","list":["x"]}`,
	wideDoc,
	`{"s":"ab","t":"2024-01-01T00:00:00Z","list":["x"],"i8":128}`,
	`{"s":"ab","t":"2024-01-01T00:00:00Z","list":["x"],"u8":-1}`,
	`{"s":"ab","t":"2024-01-01T00:00:00Z","list":["x"],"u":-0}`,
	`{"s":"ab","t":"2024-01-01T00:00:00Z","list":["x"],"f32":1e39}`,
	`{"s":"ab","t":"2024-01-01T00:00:00Z","list":[""]}`,
	`{"s":"ab","t":"nope","list":["x"]}`,
	`{"s":"ab","t":"2024-01-01T00:00:00Z","list":["x"],"up":"abc"}`,
	`{"s":"ab","t":"2024-01-01T00:00:00Z","list":["x"],"up":"fail"}`,
	`{"s":"ab","t":"2024-01-01T00:00:00Z","list":["x"],"up":1}`,
	`{"s":"ab","t":"2024-01-01T00:00:00Z","list":["x"],"pair":[1]}`,
	`{"s":"ab","t":"2024-01-01T00:00:00Z","list":["x"],"map":{"a":-1}}`,
	`{"s":"ab","t":"2024-01-01T00:00:00Z","list":["x"],"mapp":{"x":{}}}`,
	`{"s":"ab","t":"2024-01-01T00:00:00Z","list":["x"],"strs":{"a":"b","c":"d","e":"f"}}`,
	`{"s":"ab","t":"2024-01-01T00:00:00Z","list":["x"],"tree":{"value":6}}`,
	`{"s":"ab","t":"2024-01-01T00:00:00Z","list":["x"],"pp":null,"p":null,"tp":null,"any":null,"raw":null}`,
	`{"s":"ab","t":"2024-01-01T00:00:00Z","list":null}`,
	`{"s":"ab","t":"2024-01-01T00:00:00Z","list":["x"],"texts":{"k":"h"}}`,
	`{"n":"1"}`, `{"n":1}`,
	`{"name":"a","NAME":"b"}`, `{"NAME":"b"}`, `{"Name":"b"}`,
}

func TestDecodeAgrees(t *testing.T) {
	t.Parallel()
	fast := 0
	for _, c := range compileCases(t) {
		for _, doc := range documents {
			if sameDecoding(t, c, []byte(doc)) {
				fast++
			}
		}
	}
	if fast < 60 {
		t.Errorf("the fast path decoded only %d documents", fast)
	}
}

// TestDecodeFastPath checks that common documents take the fast path, and
// that what it must leave to the general path it leaves.
func TestDecodeFastPath(t *testing.T) {
	t.Parallel()
	byName := map[string]*compiled{}
	for _, c := range compileCases(t) {
		byName[c.name] = c
	}
	for _, tt := range []struct {
		c    string
		doc  string
		fast bool
	}{
		{"item", documents[0], true},
		{"item", documents[1], true},
		{"item", `{"name":"w","price":1,"quantity":3,"extra":{"deep":[1,2,{"x":null}]}}`, true},
		{"item", `{"name":"","price":1,"quantity":3}`, false},              // minLength
		{"item", `{"name":"w","price":1,"quantity":1.0}`, false},           // json.Unmarshal fails
		{"item", `{"name":"w","price":1,"quantity":3,"name":"v"}`, false},  // repeated
		{"item", `{"Name":"w","price":1,"quantity":3}`, false},             // name missing: Name is another member
		{"item", `{"name":"w","Name":"v","price":1,"quantity":3}`, true},   // names are exact
		{"item", `{"name":"w","price":1,"quantity":3,"x":1,"x":1}`, false}, // repeated, unknown
		{"item", `{"name":"w","price":1,"quantity":3,"x":{"y":1,"y":1}}`, false},
		{"item", "{\"name\":\"w\",\"price\":1,\"quantity\":3,\"x\":\"\xff\"}", false}, // invalid UTF-8
		{"item", `{"name":"w","price":1,"quantity":3,"x":"\udc00"}`, false},
		{"item", `{"name":"w\u00e9\n\"\\\/\b\f\r\t","price":1,"quantity":3}`, true},
		{"item", `{"name":"\ud83d\ude00","price":1,"quantity":3}`, true},
		{"item", `{"name":"\ud83d","price":1,"quantity":3}`, false}, // lone surrogate
		{"item-allof", `{"name":"a@b.c","quantity":1}`, true},
		{"item-allof", `{"name":"nope","quantity":1}`, false},
		{"item-extra", `{"name":"w","price":1,"quantity":3,"extra":7}`, true},
		{"item-extra", `{"name":"w","price":1,"quantity":3,"extra":"x","other":true}`, false},
		{"items", `[{"name":"a","price":1}]`, true},
		{"items", `[{"name":"a"},{"name":"b"},{"name":"c"},{"name":"d"}]`, false},
		{"node", `{"value":1,"next":{"value":2},"kids":[{"value":3}]}`, true},
		{"node", `{"value":1,"kids":[{"value":3},null]}`, false},
		{"node", `{"value":1,"next":{"value":-2}}`, false},
		{"map", `{"special":{"name":"s","price":2},"other":{"name":"o"}}`, true},
		{"map", `{"other":{"name":"o"}}`, false},
		{"map-uniform", `{"a":[1,2],"b":[]}`, true},
		{"map-uniform", `{"a":[1,2],"c":null}`, false},
		{"time", `"2024-02-29T12:30:00.123456789+01:00"`, true},
		{"time", `"2024-02-30T00:00:00Z"`, false},
		{"time", `"2024-02-29T0:00:00Z"`, false}, // a one-digit hour, which time.Time's UnmarshalJSON accepts
		{"wide-true", `{"d":5}`, false},          // a duration has no default form
		{"upper", `"ABC"`, true},
		{"upper", `"abcde"`, false},
		{"pair", `[1,2]`, true},
		{"wide", wideDoc, true},
		{"embeds", `{"name":"a"}`, true},
		{"quoted", `{"n":"1"}`, true},
		{"folded", `{"NAME":"b"}`, true},
		{"folded", `{"Name":"b"}`, true}, // another member
		{"badtag", `{"a":"x"}`, false},
		{"caseignore", `{"NAME":"x"}`, true}, // delegated: strictjson honours case:ignore
		{"item", `{"name":"w","price":1,"quantity":3} x`, false},
		{"item-minprops", `{"name":"w","price":1,"quantity":3,"sku":"a"}`, true},
		{"item-minprops", `{"name":"w","price":1,"quantity":3}`, false},
		{"item-minprops", `{"name":"w","price":1,"quantity":3,"x":1}`, true},
		{"item-minprops", `{"name":"w","price":1,"quantity":3,"x":1,"x":2}`, false},
		{"map-minprops", `{"a":1,"b":2}`, true},
		{"map-minprops", `{"a":1,"a":2}`, false},
	} {
		c := byName[tt.c]
		if got := sameDecoding(t, c, []byte(tt.doc)); got != tt.fast {
			t.Errorf("%s, %s: fast path %v, want %v", tt.c, tt.doc, got, tt.fast)
		}
	}
}

func TestDecoderArguments(t *testing.T) {
	t.Parallel()
	d := typedjson.NewDecoder(reflect.TypeFor[Item](), nil)
	var it Item
	if d.Decode([]byte(`{"name":"a"}`), reflect.ValueOf(it)) {
		t.Error("decoded into a value that cannot be set")
	}
	var other Node
	if d.Decode([]byte(`{"name":"a"}`), reflect.ValueOf(&other).Elem()) {
		t.Error("decoded into a value of another type")
	}
	if !d.Decode([]byte(`{"name":"a"}`), reflect.ValueOf(&it).Elem()) || it.Name != "a" {
		t.Errorf("got %+v", it)
	}
	var nilDecoder *typedjson.Decoder
	if nilDecoder.Decode([]byte(`{}`), reflect.ValueOf(&it).Elem()) {
		t.Error("a nil decoder decoded")
	}
	// A type encoding/json never decodes without help has no decoder.
	if typedjson.NewDecoder(reflect.TypeFor[struct{ Pair }](), jsonvalid.Compile(nil)) != nil {
		t.Error("a decoder for an unnamed struct with promoted methods")
	}
}

func TestDecodeAllocations(t *testing.T) {
	c := compileCases(t)[1] // item
	data := []byte(documents[0])
	var it Item
	v := reflect.ValueOf(&it).Elem()
	n := testing.AllocsPerRun(100, func() {
		it = Item{}
		if !c.dec.Decode(data, v) {
			t.Fatal("not decoded")
		}
	})
	if n > 2 { // the two strings
		t.Errorf("%v allocations per document", n)
	}
}

// BenchmarkDecode compares the fast path with the general one it
// replaces: jsonvalid's check, then strictjson.Unmarshal; and with
// encoding/json's Unmarshal, for reference.
func BenchmarkDecode(b *testing.B) {
	c := compileCases(b)[1]
	data := []byte(documents[0])
	b.Run("typedjson", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			var it Item
			if !c.dec.Decode(data, reflect.ValueOf(&it).Elem()) {
				b.Fatal("not decoded")
			}
		}
	})
	v := jsonvalid.Compile(c.schema)
	b.Run("jsonvalid+strictjson", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			var it Item
			if v.Document(data) != jsonvalid.Valid || strictjson.Unmarshal(data, &it) != nil {
				b.Fatal("not decoded")
			}
		}
	})
	b.Run("jsonvalid+encoding/json", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			var it Item
			if v.Document(data) != jsonvalid.Valid || json.Unmarshal(data, &it) != nil {
				b.Fatal("not decoded")
			}
		}
	})
}

// TestConcurrentUse shares one decoder and one encoder between goroutines,
// as a server does (run with -race).
func TestConcurrentUse(t *testing.T) {
	t.Parallel()
	c := compileCases(t)[1] // item
	var wg sync.WaitGroup
	for g := range 8 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range 200 {
				doc := fmt.Sprintf(`{"name":"n%d","price":%d,"quantity":%d}`, g, i, i)
				var it Item
				if !c.dec.Decode([]byte(doc), reflect.ValueOf(&it).Elem()) || it.Name != fmt.Sprintf("n%d", g) || it.Quantity != i {
					t.Errorf("decoded %s into %+v", doc, it)
					return
				}
				out, ok := c.enc.Append(nil, reflect.ValueOf(&it))
				if !ok || string(out) != doc {
					t.Errorf("encoded %+v as %s, want %s", it, out, doc)
					return
				}
			}
		}()
	}
	wg.Wait()
}
