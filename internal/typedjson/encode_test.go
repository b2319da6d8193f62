package typedjson_test

import (
	"bytes"
	"encoding/json"
	"math"
	"reflect"
	"testing"
	"time"

	"github.com/klue-go/klue-client-server/internal/jsonvalid"
	"github.com/klue-go/klue-client-server/internal/typedjson"
)

func ptr[T any](v T) *T { return &v }

// wideValue sets every field of Wide.
var wideValue = &Wide{
	S: "ab", I: 7, I8: -128, I16: 300, I32: -70000, U: 1, U8: 255, U16: 65535, U64: math.MaxUint64,
	F32: 1.5, F64: -0.5e-7, B: true, P: ptr("p"), PP: ptr(ptr(5)), List: []string{"x", "y"}, Ints: []int{},
	Map: map[string]int{"b": 2, "a": 1}, MapP: map[string]*Item{"x": {Name: "n"}, "y": nil},
	Texts: map[string]Addr{"k": {Host: "h"}}, T: time.Date(2024, 1, 1, 0, 0, 0, 5, time.FixedZone("", 3600)),
	TP: ptr(time.Date(2024, 1, 1, 0, 0, 0, 0, time.UTC)), Any: map[string]any{"k": []any{1, "<", nil}},
	Raw: json.RawMessage(`{ "r" : 1 }`), Num: "12.5", Arr: [2]int{1, 2}, Bytes: []byte("hello"),
	Up: "abc", UpP: ptr(Upper("x")), Pair: Pair{3, 4}, PairP: &Pair{5, 6}, Addr: Addr{Host: "h"},
	Items: []Item{{Name: "i", Price: 1, Quantity: 2}}, Tree: &Node{Value: 1, Kids: []*Node{{Value: 2}}},
	Skip: "no", NoTag: "nt", Strs: map[string]string{"a": "b"},
}

// values are encoded with the cases of their type, besides the values
// decoded from documents.
var values = []any{
	&Item{Name: "widget", Price: 9.99, Quantity: 3, SKU: "W-1", Active: true},
	&Item{Name: "w"},
	&Item{Name: "<a&b>\u2028\u2029\"\\\b\f\n\r\t\x01\x7f é", Price: math.Copysign(0, -1)},
	&Item{Name: "\xff"},
	&Item{Name: "abc", Price: math.Inf(1)},
	&Item{Name: "abc", Price: math.NaN()},
	&Item{Name: "abc", Price: 1e21},
	&Item{Name: "abc", Price: 1e-7},
	&Item{Name: "abc", Price: 123456789.125},
	&Item{Name: "abc", Price: -1e-6},
	&Item{Name: "abc", Quantity: -1},
	&Item{Name: "abc", Quantity: 3, SKU: "a", Active: true},
	&Item{Name: "abc", Price: 100.5},
	&Item{Name: "a@b.c", Quantity: 2},
	ptr(&Item{Name: "x"}),
	ptr((*Item)(nil)),
	&[]Item{{Name: "a", Price: 1}},
	&[]Item{},
	ptr([]Item(nil)),
	&[]Item{{Name: "a"}, {Name: "a"}},
	&[]Item{{Name: "a"}, {Name: "b"}, {Name: "c"}, {Name: "d"}},
	&Node{Value: 1, Next: &Node{Value: 2}, Kids: []*Node{{Value: 3}, nil}},
	&Node{Value: 1, Kids: []*Node{{Value: 3, Next: &Node{Value: -1}}}},
	&Wide{S: "ab", List: []string{"x"}, T: time.Date(2024, 1, 1, 0, 0, 0, 0, time.UTC)},
	wideValue,

	&Wide{S: "ab", List: []string{"x"}, T: time.Date(10000, 1, 1, 0, 0, 0, 0, time.UTC)},
	&Wide{S: "ab", List: []string{"x"}, Up: "fail"},
	&Wide{S: "ab", List: []string{""}},
	&Wide{S: "abcdef", List: []string{"x"}},
	&Wide{S: "ab", List: []string{"x"}, Map: map[string]int{"a": -1}},
	&Wide{S: "ab", List: []string{"x"}, Strs: map[string]string{"a": "1", "b": "2", "c": "3"}},
	&Wide{S: "ab", List: []string{"x"}, Strs: map[string]string{"\xff": "1"}},
	&Wide{S: "ab", List: []string{"x"}, Num: "x"},
	&Wide{S: "ab", List: []string{"x"}, MapP: map[string]*Item{"x": {}}},
	&Wide{S: "ab", List: []string{"x"}, Any: math.NaN()},
	&Wide{S: "ab", List: []string{"x"}, F32: float32(math.Inf(-1))},
	&Wide{S: "ab", List: []string{"x"}, F32: 1e-7, I: 101},
	&Wide{S: "ab", List: []string{"x"}, Tree: &Node{Value: 6}},
	&map[string]Item{"special": {Name: "s", Price: 2}, "other": {Name: "o"}},
	&map[string]Item{"other": {Name: "o"}},
	&map[string][]int{"a": {1, 2}, "b": {}, "c": nil},
	&map[string][]int{"a": {1, -2}},
	&[]string{"ab", "é", "abc"},
	&[]string{"A"},
	&[]int64{1, -5, math.MinInt64},
	&[]uint8{1, 2},
	&[]float32{1e38, 1e-7, 1e21, 3.4e38, 1.5},
	ptr(time.Date(2024, 2, 29, 12, 30, 0, 123456789, time.FixedZone("", -5*3600))),
	ptr(time.Date(2024, 2, 29, 12, 30, 0, 0, time.FixedZone("", 24*3600+60))),
	ptr(Upper("abc")), ptr(Upper("abcde")), ptr(Upper("fail")),
	&Pair{1, 2},
	&Embeds{Item: Item{Name: "a"}, Extra: "e"},
	&Quoted{N: 1},
	&Folded{Lower: "a", Upper: "b"},
	ptr(any(map[string]any{"a": 1})),
	ptr(any(nil)),
	ptr(map[string]any{"a": 1}),
	ptr(map[string]any{"a": 1, "b": 2}),
}

func TestEncodeAgrees(t *testing.T) {
	t.Parallel()
	fast := 0
	for _, c := range compileCases(t) {
		for _, v := range values {
			if rv := reflect.ValueOf(v); rv.Type().Elem() == c.typ && sameEncoding(t, c, rv) {
				fast++
			}
		}
		for _, doc := range documents {
			v := reflect.New(c.typ)
			if json.Unmarshal([]byte(doc), v.Interface()) == nil && sameEncoding(t, c, v) {
				fast++
			}
		}
	}
	if fast < 100 {
		t.Errorf("the fast path encoded only %d values", fast)
	}
}

func TestEncodeFastPath(t *testing.T) {
	t.Parallel()
	byName := map[string]*compiled{}
	for _, c := range compileCases(t) {
		byName[c.name] = c
	}
	for i, tt := range []struct {
		c    string
		v    any
		fast bool
	}{
		{"item", &Item{Name: "widget", Price: 9.99, Quantity: 3, SKU: "W-1", Active: true}, true},
		{"item", &Item{Name: "w"}, true},
		{"item-true", &Item{Name: "<a&b>\u2028\"\\\b\x01\x7f é", Price: math.Copysign(0, -1)}, true},
		{"item-true", &Item{Name: "\xff"}, false}, // invalid UTF-8
		{"item", &Item{Name: "abc", Price: math.Inf(1)}, false},
		{"item", &Item{Name: "abc", Price: 1e21}, true},
		{"item", &Item{Name: "abc", Price: 1e-7}, true},
		{"item", &Item{Name: ""}, false}, // minLength
		{"item-closed", &Item{Name: "abc", Quantity: 3, SKU: "a", Active: true}, true},
		{"item-closed", &Item{Name: "abc", Price: 100.5}, false},
		{"item-allof", &Item{Name: "a@b.c", Quantity: 2}, true},
		{"item-nullable", ptr((*Item)(nil)), true},
		{"items", &[]Item{{Name: "a", Price: 1}}, true},
		{"items", &[]Item{{Name: "a"}, {Name: "b"}, {Name: "c"}, {Name: "d"}}, false},
		{"node", &Node{Value: 1, Next: &Node{Value: 2}, Kids: []*Node{{Value: 3}}}, true},
		{"node", &Node{Value: 1, Kids: []*Node{{Value: 3, Next: &Node{Value: -1}}}}, false},
		{"wide-true", wideValue, true},
		{"wide", &Wide{S: "ab", List: []string{"x"}, T: time.Date(2024, 1, 1, 0, 0, 0, 0, time.UTC)}, true},
		{"wide-true", &Wide{S: "ab", List: []string{"x"}, T: time.Date(10000, 1, 1, 0, 0, 0, 0, time.UTC)}, false},
		{"wide-true", &Wide{S: "ab", List: []string{"x"}, Up: "fail"}, false},
		{"wide", &Wide{S: "ab", List: []string{"x"}, Map: map[string]int{"a": -1}}, false},
		{"map", &map[string]Item{"special": {Name: "s", Price: 2}, "other": {Name: "o"}}, true},
		{"map", &map[string]Item{"other": {Name: "o"}}, false},
		{"map-uniform", &map[string][]int{"a": {1, 2}, "b": {}}, true},
		{"floats", &[]float32{1e29, 1e-7, 1e21, -3.4e38, 1.5, 0.1}, true},
		{"floats", &[]float32{1e38}, false},
		{"time", ptr(time.Date(2024, 2, 29, 12, 30, 0, 123456789, time.FixedZone("", -5*3600))), true},
		{"time", ptr(time.Date(2024, 2, 29, 12, 30, 0, 0, time.FixedZone("", 24*3600+60))), false},
		{"upper", ptr(Upper("abc")), true},
		{"upper", ptr(Upper("abcde")), false},
		{"pair", &Pair{1, 2}, true},
		{"embeds", &Embeds{Item: Item{Name: "a"}, Extra: "e"}, true},
		{"quoted", &Quoted{N: 1}, true},
	} {
		c := byName[tt.c]
		if got := sameEncoding(t, c, reflect.ValueOf(tt.v)); got != tt.fast {
			t.Errorf("%d: %s, %#v: fast path %v, want %v", i, tt.c, tt.v, got, tt.fast)
		}
	}
}

func TestEncoderArguments(t *testing.T) {
	t.Parallel()
	e := typedjson.NewEncoder(reflect.TypeFor[Item](), nil)
	if _, ok := e.Append(nil, reflect.ValueOf(Item{})); ok {
		t.Error("encoded a value that is not a pointer")
	}
	if _, ok := e.Append(nil, reflect.ValueOf((*Item)(nil))); ok {
		t.Error("encoded a nil pointer")
	}
	if _, ok := e.Append(nil, reflect.ValueOf(&Node{})); ok {
		t.Error("encoded a value of another type")
	}
	var nilEncoder *typedjson.Encoder
	if _, ok := nilEncoder.Append(nil, reflect.ValueOf(&Item{})); ok {
		t.Error("a nil encoder encoded")
	}
	got, ok := e.Append([]byte("x"), reflect.ValueOf(&Item{Name: "a"}))
	if !ok || string(got) != `x{"name":"a","price":0,"quantity":0}` {
		t.Errorf("got %s, %v", got, ok)
	}
}

func TestEncodeAllocations(t *testing.T) {
	c := compileCases(t)[1] // item
	v := reflect.ValueOf(values[0])
	buf := make([]byte, 0, 512)
	n := testing.AllocsPerRun(100, func() {
		if _, ok := c.enc.Append(buf, v); !ok {
			t.Fatal("not encoded")
		}
	})
	if n > 0 {
		t.Errorf("%v allocations per value", n)
	}
}

// BenchmarkEncode compares the fast path with the general one it
// replaces: json.Marshal, then jsonvalid's check.
func BenchmarkEncode(b *testing.B) {
	c := compileCases(b)[1]
	v := reflect.ValueOf(values[0])
	buf := make([]byte, 0, 512)
	b.Run("typedjson", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			if _, ok := c.enc.Append(buf, v); !ok {
				b.Fatal("not encoded")
			}
		}
	})
	check := jsonvalid.Compile(c.schema)
	b.Run("encoding/json+jsonvalid", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			data, err := json.Marshal(values[0])
			if err != nil || check.Document(data) != jsonvalid.Valid {
				b.Fatal("not encoded")
			}
		}
	})
}

// AppendChunks cuts a large array between items, once a chunk holds the
// size asked for, and joined, the chunks are what Append writes; with
// buffers reused it allocates nothing.
func TestAppendChunks(t *testing.T) {
	items := make([]Item, 1000)
	for i := range items {
		items[i] = Item{Name: "item", Price: float64(i), Quantity: i}
	}
	e := typedjson.NewEncoder(reflect.TypeFor[[]Item](), nil)
	v := reflect.ValueOf(&items)
	whole, ok := e.Append(nil, v)
	if !ok {
		t.Fatal("Append refused the items")
	}
	var spare [][]byte
	next := func() []byte {
		if n := len(spare); n > 0 {
			b := spare[n-1][:0]
			spare = spare[:n-1]
			return b
		}
		return make([]byte, 0, 2048)
	}
	const size = 1000
	var chunks [][]byte
	for range 2 {
		chunks, ok = e.AppendChunks(chunks[:0], next(), v, size, next)
		if !ok {
			t.Fatal("AppendChunks refused the items")
		}
		if !bytes.Equal(bytes.Join(chunks, nil), whole) {
			t.Fatal("the chunks joined differ from Append's output")
		}
		if len(chunks) < len(whole)/(2*size) {
			t.Errorf("%d chunks of %d bytes in all: not cut", len(chunks), len(whole))
		}
		for i, c := range chunks[:len(chunks)-1] {
			if len(c) < size || !bytes.HasSuffix(c, []byte("}")) {
				t.Errorf("chunk %d: %d bytes, ends with %q", i, len(c), c[max(0, len(c)-5):])
			}
		}
		spare = append(spare, chunks...)
	}
	allocs := testing.AllocsPerRun(20, func() {
		chunks, ok = e.AppendChunks(chunks[:0], next(), v, size, next)
		spare = append(spare, chunks...)
	})
	if !ok || allocs > 0 {
		t.Errorf("ok %v, %v allocations per value with buffers reused", ok, allocs)
	}

	// A value Append refuses: AppendChunks refuses it too and gives back
	// the buffers it took.
	bad := []Item{{Name: "a", Price: math.NaN()}}
	chunks, ok = e.AppendChunks(nil, []byte("dst"), reflect.ValueOf(&bad), size, next)
	if ok || len(chunks) != 1 || string(chunks[0][:3]) != "dst" {
		t.Errorf("NaN: ok %v, chunks %q", ok, chunks)
	}
	var nilEncoder *typedjson.Encoder
	if chunks, ok := nilEncoder.AppendChunks(nil, []byte("dst"), v, size, next); ok || len(chunks) != 1 || string(chunks[0]) != "dst" {
		t.Errorf("nil encoder: ok %v, chunks %q", ok, chunks)
	}
}
