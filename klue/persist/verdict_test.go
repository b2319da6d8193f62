package persist_test

import (
	"encoding/json"
	"errors"
	"reflect"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/klue-go/klue-client-server/internal/strictjson"
	"github.com/klue-go/klue-client-server/internal/wire"
	"github.com/klue-go/klue-client-server/klue"
	"github.com/klue-go/klue-client-server/klue/persist"
)

// verdictSpec has models whose keywords the byte pre-check decides
// (types, required, bounds, lengths, enum, additionalProperties, nested
// objects and arrays) and some it leaves to jsonschema (format, pattern,
// uniqueItems, oneOf).
const verdictSpec = `swagger: '2.0'
info: {title: verdict, version: '1'}
paths: {}
definitions:
  Doc:
    type: object
    x-persist: docs
    required: [id, name]
    additionalProperties: false
    properties:
      id: {type: string, minLength: 1}
      name: {type: string, maxLength: 8}
      email: {type: string, format: email}
      code: {type: string, pattern: '^[A-Z]{3}$'}
      level: {type: integer, minimum: 1, maximum: 5}
      ratio: {type: number, exclusiveMaximum: true, maximum: 1}
      kind: {type: string, enum: [a, b]}
      tags: {type: array, maxItems: 3, uniqueItems: true, items: {type: string}}
      owner:
        type: object
        required: [ref]
        properties:
          ref: {type: string}
          extra: {type: boolean}
  Any:
    type: object
    x-persist: anys
    required: [id]
    properties:
      id: {}
      n: {type: integer, minimum: 0}
  Num:
    type: object
    x-persist: nums
    required: [id]
    properties:
      id: {type: integer}
      n: {type: integer, minimum: 0}
`

// verdictDocs are stored documents, each under the ID "k1" of a string
// store, "7" of an integer store, and the ID it holds (as the decoded
// document gives it) of a store that takes any ID.
var verdictDocs = []string{
	`{"id":"k1","name":"a"}`,
	`{"name":"a","id":"k1"}`,
	` { "name" : "a" , "id" : "k1" } `,
	`{"\u0069d":"k1","name":"a"}`,
	`{"id":"\u006b1","name":"a"}`,
	`{"id":"k2","name":"a"}`,
	`{"id":"","name":"a"}`,
	`{"id":"k1"}`,
	`{"id":"k1","name":"toolongname"}`,
	`{"id":"k1","name":"a","other":1}`,
	`{"id":"k1","name":"a","email":"a@b.c"}`,
	`{"id":"k1","name":"a","email":"nope"}`,
	`{"id":"k1","name":"a","code":"ABC"}`,
	`{"id":"k1","name":"a","code":"abc"}`,
	`{"id":"k1","name":"a","level":3}`,
	`{"id":"k1","name":"a","level":3.0}`,
	`{"id":"k1","name":"a","level":3.5}`,
	`{"id":"k1","name":"a","level":0}`,
	`{"id":"k1","name":"a","level":1e400}`,
	`{"id":"k1","name":"a","ratio":0.5}`,
	`{"id":"k1","name":"a","ratio":1}`,
	`{"id":"k1","name":"a","kind":"b"}`,
	`{"id":"k1","name":"a","kind":"c"}`,
	`{"id":"k1","name":"a","tags":["x","y"]}`,
	`{"id":"k1","name":"a","tags":["x","x"]}`,
	`{"id":"k1","name":"a","tags":["x","y","z","w"]}`,
	`{"id":"k1","name":"a","owner":{"ref":"r","extra":true}}`,
	`{"id":"k1","name":"a","owner":{"extra":true}}`,
	`{"id":"k1","name":"a","owner":{"ref":1}}`,
	`{"id":"k1","name":"a","id":"k1"}`,
	`{"id":"k1","name":"a","name":"b"}`,
	"{\"id\":\"k1\",\"name\":\"\xff\"}",
	`{"id":"k1","name":"\ud800"}`,
	`{"id":"k1","name":"a"} x`,
	`{"id":"k1","name":"a"`,
	`["k1"]`,
	`"k1"`,
	`null`,
	``,
	`{"id":7}`,
	`{"id":7,"n":2}`,
	`{"n":2,"id":7}`,
	`{"id":7.0}`,
	`{"id":7e0}`,
	`{"id":-7}`,
	`{"id":"7"}`,
	`{"id":8}`,
	`{"id":7,"n":-1}`,
	`{"id":7,"n":1.5}`,
	`{"id":99999999999999999999}`,
	`{"id":null}`,
	`{"id":7,"id":7}`,
	`{"id":"a\u0000b"}`,
	`{"id":"\u00e9t\u00e9"}`,
	`{"id":"été","n":1}`,
	`{"id":"` + strings.Repeat("x", persist.MaxIDLength+1) + `"}`,
	`{"id":"` + strings.Repeat("x", persist.MaxIDLength) + `"}`,
	`{"id":-0}`,
	`{"id":-9223372036854775808}`,
	`{"id":9223372036854775808}`,
	`{"id":true}`,
	`{"id":{"a":1}}`,
	`{"a":{"id":"k1"},"id":"k2"}`,
	`{"a":["id","k1"],"id":"k3"}`,
}

// oldVerdict is what reading doc stored under id gave before the byte
// pre-check: the document decoded, checked by jsonschema, its ID read from
// the decoded value. It returns nil when the document fits.
func oldVerdict(schema *klue.Schema, idProp, id string, data []byte) error {
	v, err := wire.DecodeJSON(data)
	if err != nil {
		return err
	}
	if err := schema.Validate(v); err != nil {
		return err
	}
	obj, ok := v.(map[string]any)
	if !ok {
		return errors.New("not an object")
	}
	var got string
	switch x := obj[idProp].(type) {
	case string:
		got = x
	case json.Number:
		if _, err := x.Int64(); err != nil {
			return err
		}
		got = x.String()
	default:
		return errors.New("no ID")
	}
	if got == "" || !utf8.ValidString(got) || strings.IndexByte(got, 0) >= 0 || len(got) > persist.MaxIDLength {
		return errors.New("bad ID")
	}
	if got != id {
		return errors.New("other ID")
	}
	return nil
}

type verdictEnv struct {
	mem  *persist.Memory
	docs *persist.Store[map[string]any, string]
	anys *persist.Store[map[string]any, string]
	nums *persist.Store[map[string]any, int64]
}

func newVerdictEnv(t testing.TB) verdictEnv {
	t.Helper()
	pool := klue.NewPool()
	if err := pool.Add("verdict", klue.Bytes("verdict.yaml", []byte(verdictSpec))); err != nil {
		t.Fatal(err)
	}
	mem := persist.NewMemory()
	docs, err := persist.For[map[string]any](pool, persist.WithModel("Doc"), persist.WithBackend(mem))
	if err != nil {
		t.Fatal(err)
	}
	anys, err := persist.For[map[string]any](pool, persist.WithModel("Any"), persist.WithBackend(mem))
	if err != nil {
		t.Fatal(err)
	}
	nums, err := persist.ForKey[map[string]any, int64](pool, persist.WithModel("Num"), persist.WithBackend(mem))
	if err != nil {
		t.Fatal(err)
	}
	return verdictEnv{mem: mem, docs: docs, anys: anys, nums: nums}
}

// checkRead stores data under the key of both stores and checks that
// Load refuses it with ErrCorrupt exactly when oldVerdict does, and
// otherwise gives the value strictjson decodes.
func (e verdictEnv) checkRead(t testing.TB, data []byte) {
	t.Helper()
	ctx := t.Context()
	held := heldID(data)
	for _, c := range []struct {
		store, key string
		model      *klue.Model
		load       func() (map[string]any, error)
	}{
		{"docs", "k1", e.docs.Model(), func() (map[string]any, error) { r, err := e.docs.Load(ctx, "k1"); return r.Value, err }},
		{"anys", held, e.anys.Model(), func() (map[string]any, error) { r, err := e.anys.Load(ctx, held); return r.Value, err }},
		{"nums", "7", e.nums.Model(), func() (map[string]any, error) { r, err := e.nums.Load(ctx, 7); return r.Value, err }},
	} {
		if c.key == "" || strings.IndexByte(c.key, 0) >= 0 || !utf8.ValidString(c.key) || len(c.key) > persist.MaxIDLength {
			continue // no record can have it
		}
		if err := e.mem.Delete(ctx, c.store, c.key, 0); err != nil && !errors.Is(err, persist.ErrNotFound) {
			t.Fatal(err)
		}
		if err := e.mem.Save(ctx, c.store, persist.Document{ID: c.key, Data: data}); err != nil {
			t.Fatal(err)
		}
		want := oldVerdict(c.model.Schema, "id", c.key, data)
		var decoded map[string]any
		if want == nil {
			// A document that fits and that the Go type cannot hold
			// (a number past float64's range) is refused too.
			want = strictjson.Unmarshal(data, &decoded)
		}
		got, err := c.load()
		switch {
		case want != nil && !errors.Is(err, persist.ErrCorrupt):
			t.Errorf("%s: Load(%q) = %v, %v; want ErrCorrupt (%v)", c.store, data, got, err, want)
		case want == nil && err != nil:
			t.Errorf("%s: Load(%q): %v; want it read", c.store, data, err)
		case want == nil && !reflect.DeepEqual(got, decoded):
			t.Errorf("%s: Load(%q) = %v; want %v", c.store, data, got, decoded)
		}
	}
}

// heldID returns the ID a document holds, as its decoded value gives it,
// or "k1".
func heldID(data []byte) string {
	v, _ := wire.DecodeJSON(data)
	obj, _ := v.(map[string]any)
	switch x := obj["id"].(type) {
	case string:
		return x
	case json.Number:
		return x.String()
	}
	return "k1"
}

// checkWrite saves the value data decodes to in the stores with string
// IDs, and checks that Save refuses it exactly when the document does not
// fit the model or holds no usable ID, and otherwise keeps it under its ID.
func (e verdictEnv) checkWrite(t testing.TB, data []byte) {
	t.Helper()
	v, err := wire.DecodeJSON(data)
	obj, ok := v.(map[string]any)
	if err != nil || !ok {
		return
	}
	if id, ok := obj["id"].(string); ok && id == "" || obj["id"] == nil {
		return // a generated ID: the general path, tested elsewhere
	}
	enc, err := json.Marshal(obj)
	if err != nil {
		t.Fatal(err)
	}
	ctx := t.Context()
	for _, store := range []*persist.Store[map[string]any, string]{e.docs, e.anys} {
		id := heldID(enc)
		want := oldVerdict(store.Model().Schema, "id", id, enc)
		if err := e.mem.Delete(ctx, store.Name(), id, 0); err != nil && !errors.Is(err, persist.ErrNotFound) && want == nil {
			t.Fatal(err)
		}
		_, err = store.Save(ctx, persist.Record[map[string]any]{Value: obj})
		switch {
		case want != nil && err == nil:
			t.Errorf("%s: Save(%s) stored it; want it refused (%v)", store.Name(), enc, want)
		case want == nil && err != nil:
			t.Errorf("%s: Save(%s): %v; want it stored", store.Name(), enc, err)
		case want == nil:
			doc, err := e.mem.Load(ctx, store.Name(), id)
			if err != nil || string(doc.Data) != string(enc) {
				t.Errorf("%s: Save(%s) stored %s, %v", store.Name(), enc, doc.Data, err)
			}
		}
	}
}

// TestStoredDocumentVerdicts: checking stored documents' bytes first
// (jsonvalid) and decoding them only when that cannot decide keeps the
// verdicts of decoding every document and checking it with jsonschema.
func TestStoredDocumentVerdicts(t *testing.T) {
	t.Parallel()
	e := newVerdictEnv(t)
	for _, d := range verdictDocs {
		e.checkRead(t, []byte(d))
		e.checkWrite(t, []byte(d))
	}
}

// FuzzStoredDocument is TestStoredDocumentVerdicts over any document.
func FuzzStoredDocument(f *testing.F) {
	for _, d := range verdictDocs {
		f.Add([]byte(d))
	}
	e := newVerdictEnv(f)
	f.Fuzz(func(t *testing.T, data []byte) {
		e.checkRead(t, data)
		e.checkWrite(t, data)
	})
}
