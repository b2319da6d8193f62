package server_test

import (
	"bytes"
	"context"
	"encoding/json"
	"math/big"
	"net/http"
	"net/http/httptest"
	"reflect"
	"testing"

	"github.com/klue-go/klue-client-server/internal/strictjson"
	"github.com/klue-go/klue-client-server/internal/wire"
	"github.com/klue-go/klue-client-server/klue"
	"github.com/klue-go/klue-client-server/klue/kluetest"
	"github.com/klue-go/klue-client-server/klue/server"
)

// FuzzOrder is a Go type of the Order schema of testdata/typedfuzz.yaml:
// optional members are pointers, so that encoding it again gives back
// exactly the members it was decoded from.
type FuzzOrder struct {
	Name  string      `json:"name"`
	Qty   int         `json:"qty"`
	Kind  *string     `json:"kind,omitempty"`
	Price *float64    `json:"price,omitempty"`
	Gift  *bool       `json:"gift,omitempty"`
	Tags  *[]string   `json:"tags,omitempty"`
	Ship  *FuzzShip   `json:"ship,omitempty"`
	Lines *[]FuzzLine `json:"lines,omitempty"`
}

type FuzzShip struct {
	Street string `json:"street"`
	SK     *int   `json:"sk,omitempty"`
}

type FuzzLine struct {
	SKU *string `json:"sku,omitempty"`
	N   *int    `json:"n,omitempty"`
}

// fuzzOrderBase makes FuzzOrderGeneral a type the fast path leaves to the
// general one: it has an embedded field.
type fuzzOrderBase struct {
	Name string `json:"name"`
}

// FuzzOrderGeneral is FuzzOrder decoded by the general path.
type FuzzOrderGeneral struct {
	fuzzOrderBase
	Qty   int         `json:"qty"`
	Kind  *string     `json:"kind,omitempty"`
	Price *float64    `json:"price,omitempty"`
	Gift  *bool       `json:"gift,omitempty"`
	Tags  *[]string   `json:"tags,omitempty"`
	Ship  *FuzzShip   `json:"ship,omitempty"`
	Lines *[]FuzzLine `json:"lines,omitempty"`
}

// orderMembers are the members FuzzOrder takes; the schema lets others
// through at the top level only.
var orderMembers = map[string]bool{"name": true, "qty": true, "kind": true, "price": true, "gift": true, "tags": true, "ship": true, "lines": true}

var orderSeeds = []string{
	`{"name":"ada","qty":1}`,
	`{"name":"ada","qty":10,"kind":"ks","price":99.5,"gift":true,"tags":["a","bc"],"ship":{"street":"main","sk":5},"lines":[{"sku":"x1","n":2},{}]}`,
	`{"name":"ada","qty":1,"extra":{"deep":[1,"s",null]},"note":"k"}`,
	`{"qty":3,"name":"\u00e9t\u00e9","ship":{"street":"s\u0074"}}`,
	`{"name":"ok","qty":1,"NAME":"","QTY":99}`,
	`{"name":"ok","qty":1,"na\u017fme":"x","\u212aind":"disk"}`,
	`{"name":"ok","qty":1,"qty":2}`,
	"{\"name\":\"o\xffk\",\"qty\":1}",
	`{"name":"o\ud800k","qty":1}`,
}

// orderServer serves the fast and the general operation; seen holds what
// the last handler received, nil when none ran.
func orderServer(tb testing.TB) (http.Handler, *klue.Model, *any) {
	tb.Helper()
	pool := klue.NewPool()
	kluetest.Add(tb, pool, "typedfuzz", klue.File("testdata/typedfuzz.yaml"))
	seen := new(any)
	ok := &map[string]any{"ok": true}
	server.Bind(pool, "fast", func(_ context.Context, in *FuzzOrder) (*map[string]any, error) {
		*seen = *in
		return ok, nil
	})
	server.Bind(pool, "general", func(_ context.Context, in *FuzzOrderGeneral) (*map[string]any, error) {
		*seen = *in
		return ok, nil
	})
	e := newEcho()
	if err := server.Spawn(e, pool, "typedfuzz"); err != nil {
		tb.Fatal(err)
	}
	api, _ := pool.API("typedfuzz")
	m, err := api.Model("Order")
	if err != nil {
		tb.Fatal(err)
	}
	return e, m, seen
}

// mutate applies one of the mutations attackers use to a document: a
// member name's case changed or Unicode-folded, a member repeated, invalid
// UTF-8, a lone surrogate.
func mutate(doc []byte, op uint8, at uint16) []byte {
	if len(doc) == 0 {
		return doc
	}
	i := int(at) % len(doc)
	out := append([]byte(nil), doc[:i]...)
	rest := doc[i:]
	switch op % 8 {
	case 1: // flip the case of the next letter
		j := bytes.IndexFunc(rest, func(r rune) bool { return r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' })
		if j < 0 {
			return doc
		}
		c := rest[j] ^ 0x20
		return append(append(append(out, rest[:j]...), c), rest[j+1:]...)
	case 2: // the next s or k as its Unicode folding (ſ, K), raw or escaped
		j := bytes.IndexAny(rest, "sk")
		if j < 0 {
			return doc
		}
		fold := map[byte][2]string{'s': {"\u017f", `\u017f`}, 'k': {"\u212a", `\u212a`}}[rest[j]][at%2]
		return append(append(append(out, rest[:j]...), fold...), rest[j+1:]...)
	case 3: // a member again, after the next {
		j := bytes.IndexByte(rest, '{')
		if j < 0 {
			return doc
		}
		names := []string{`"name":""`, `"qty":99`, `"name":"x"`, `"ship":{}`, `"kind":"book"`, `"extra":1`, `"street":"x"`, `"sku":"toolong1"`}
		m := names[int(at)%len(names)] + ","
		return append(append(append(out, rest[:j+1]...), m...), rest[j+1:]...)
	case 4:
		return append(append(out, 0xff), rest...)
	case 5:
		return append(append(out, `\ud800`...), rest...)
	case 6:
		return append(append(out, `\udc00`...), rest...)
	case 7: // a member again, the same as the first
		j := bytes.IndexByte(rest, '{')
		k := bytes.IndexAny(rest, ",}")
		if j < 0 || k <= j+1 {
			return doc
		}
		return append(append(append(append(out, rest[:k]...), ','), rest[j+1:k]...), rest[k:]...)
	}
	return doc
}

// FuzzTypedBody sends mutated documents to a handler taking a typed Go
// struct, on the fast and the general path, and requires that the handler
// sees exactly the value the validator accepted: a refused document never
// reaches it, and an accepted one reaches it with the members the
// validator judged, no other.
func FuzzTypedBody(f *testing.F) {
	for i, s := range orderSeeds {
		f.Add([]byte(s), uint8(0), uint16(0))
		f.Add([]byte(s), uint8(i+1), uint16(i*7))
	}
	h, model, seen := orderServer(f)
	f.Fuzz(func(t *testing.T, doc []byte, op uint8, at uint16) {
		doc = mutate(doc, op, at)
		for _, path := range []string{"/fast", "/general"} {
			*seen = nil
			req := httptest.NewRequest(http.MethodPost, path, bytes.NewReader(doc))
			req.Header.Set("Content-Type", "application/json")
			rec := httptest.NewRecorder()
			h.ServeHTTP(rec, req)
			checkTyped(t, path, doc, rec, model, *seen)
		}
	})
}

func checkTyped(t *testing.T, path string, doc []byte, rec *httptest.ResponseRecorder, model *klue.Model, seen any) {
	t.Helper()
	verr := model.Schema.ValidateJSON(klue.ForRequest, doc)
	var fits FuzzOrder
	decodes := strictjson.Unmarshal(doc, &fits) == nil
	switch {
	case rec.Code >= 500:
		t.Fatalf("%s %q: %d %s", path, doc, rec.Code, rec.Body)
	case seen == nil && rec.Code == http.StatusOK:
		t.Fatalf("%s %q: 200 without the handler", path, doc)
	case seen == nil:
		if verr == nil && decodes {
			t.Fatalf("%s %q: refused (%d %s), the validator and the decoder accept it", path, doc, rec.Code, rec.Body)
		}
		return
	case verr != nil:
		t.Fatalf("%s %q: the handler got %+v, the validator refuses the document: %v", path, doc, seen, verr)
	}
	// The handler's value, encoded again, is the validated document's
	// value, less the members the type does not take.
	got, err := json.Marshal(seen)
	if err != nil {
		t.Fatal(err)
	}
	gotV, err := strictjson.Value(got)
	if err != nil {
		t.Fatal(err)
	}
	want, err := wire.DecodeJSON(doc)
	if err != nil {
		t.Fatalf("%s %q: the handler ran, DecodeJSON refuses the document: %v", path, doc, err)
	}
	obj, _ := want.(map[string]any)
	for k := range obj {
		if !orderMembers[k] {
			delete(obj, k)
		}
	}
	if !sameJSON(gotV, want) {
		t.Fatalf("%s %q: the handler saw %s, the validator accepted %v", path, doc, got, want)
	}
}

// sameJSON compares two decoded JSON values, numbers by value.
func sameJSON(a, b any) bool {
	switch x := a.(type) {
	case json.Number:
		y, ok := b.(json.Number)
		if !ok {
			return false
		}
		ra, ok1 := new(big.Rat).SetString(string(x))
		rb, ok2 := new(big.Rat).SetString(string(y))
		return ok1 && ok2 && ra.Cmp(rb) == 0
	case map[string]any:
		y, ok := b.(map[string]any)
		if !ok || len(x) != len(y) {
			return false
		}
		for k, v := range x {
			w, ok := y[k]
			if !ok || !sameJSON(v, w) {
				return false
			}
		}
		return true
	case []any:
		y, ok := b.([]any)
		if !ok || len(x) != len(y) {
			return false
		}
		for i := range x {
			if !sameJSON(x[i], y[i]) {
				return false
			}
		}
		return true
	}
	return reflect.DeepEqual(a, b)
}

// TestTypedBodyMutations runs every mutation of every seed at every
// position once: the fuzz target's corpus, in full, in every test run.
func TestTypedBodyMutations(t *testing.T) {
	t.Parallel()
	h, model, seen := orderServer(t)
	n := 0
	for _, s := range orderSeeds {
		for op := range uint8(8) {
			for at := range uint16(len(s)) {
				doc := mutate([]byte(s), op, at)
				for _, path := range []string{"/fast", "/general"} {
					*seen = nil
					req := httptest.NewRequest(http.MethodPost, path, bytes.NewReader(doc))
					req.Header.Set("Content-Type", "application/json")
					rec := httptest.NewRecorder()
					h.ServeHTTP(rec, req)
					checkTyped(t, path, doc, rec, model, *seen)
					n++
				}
			}
		}
	}
	t.Logf("%d requests", n)
}
