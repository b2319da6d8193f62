package persisttest

import (
	"cmp"
	"encoding/json"
	"errors"
	"fmt"
	"maps"
	"math/big"
	"net/http"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/klue-go/klue-client-server/internal/wire"
	"github.com/klue-go/klue-client-server/klue"
	"github.com/klue-go/klue-client-server/klue/persist"
)

// blob is the value type of the suite's model with untyped properties,
// Blob: n is an indexed number, any and extra hold any JSON.
type blob struct {
	ID    string          `json:"id"`
	N     json.Number     `json:"n,omitempty"`
	Any   json.RawMessage `json:"any,omitempty"`
	Extra json.RawMessage `json:"extra,omitempty"`
}

// blobSpec has the model Blob in the store %s.
const blobSpec = `swagger: '2.0'
info: {title: persisttest, version: '1'}
paths: {}
definitions:
  Blob:
    type: object
    x-persist: {store: %s, indexes: [n]}
    required: [id]
    properties:
      id: {type: string, minLength: 1}
      n: {type: number}
      any: {}
      extra: {type: object, additionalProperties: true}
`

func blobStore(t *testing.T, b persist.Backend, store string) *persist.Store[blob, string] {
	t.Helper()
	pool := klue.NewPool()
	if err := pool.Add("blobs", klue.Bytes("blobs.yaml", fmt.Appendf(nil, blobSpec, store))); err != nil {
		t.Fatalf("persisttest: suite spec: %v", err)
	}
	s, err := persist.For[blob](pool, persist.WithBackend(b), persist.WithModel("Blob"))
	if err != nil {
		t.Fatal(err)
	}
	return s
}

// extremeNumbers are JSON numbers that a schema's "number" allows but
// that some databases' number types cannot hold: beyond PostgreSQL
// numeric's 131072 digits before the point or 16383 after it (counting the
// exponent), beyond float64's range, or with an exponent beyond int64's.
var extremeNumbers = []string{
	"1e1000000",
	"-1e1000000",
	"1e-1000000",
	"0e-1000000",
	"0E+1000000",
	"1e131071",
	"1e131072",
	"-1e131072",
	"1e-16383",
	"1e-16384",
	"1.0e-16383",
	"100e-16384",
	"1e400",
	"-1e-400",
	"1" + strings.Repeat("0", 131072),
	"0." + strings.Repeat("0", 16383) + "1",
	"1." + strings.Repeat("0", 16384),
	"123456789012345678901234567890.123456789012345678901234567890",
	"1e99999999999999999999",
	"-1E-99999999999999999999",
}

// testExtremeNumbers stores numbers that JSON and the schema allow but
// that databases may not hold. In untyped properties and an untyped object,
// each document saves, loads back with the same JSON value, updates, and
// stays out of the way of queries. In an indexed number, a number that a
// float64 holds is stored and found in order; one beyond it (1e400,
// 1e-400) is refused with 422, by every backend.
func testExtremeNumbers(t *testing.T, e *env) {
	ctx := t.Context()
	s := blobStore(t, e.backend, uniqueStore("extremenumbers"))
	values := map[string]float64{}
	for _, v := range []string{"1", "2.5", "-3"} {
		if _, err := s.Create(ctx, blob{ID: "plain" + v, N: json.Number(v)}); err != nil {
			t.Fatalf("Create with n %s: %v", v, err)
		}
		values["plain"+v], _ = strconv.ParseFloat(v, 64)
	}
	for i, num := range extremeNumbers {
		name := num
		if len(name) > 40 {
			name = fmt.Sprintf("%s…(%d bytes)", name[:20], len(name))
		}
		want := blob{
			ID:    fmt.Sprintf("x%02d", i),
			N:     "1",
			Any:   json.RawMessage(`[` + num + `,{"deep":` + num + `}]`),
			Extra: json.RawMessage(`{"n":` + num + `,"s":"text"}`),
		}
		r, err := s.Create(ctx, want)
		if err != nil {
			t.Errorf("Create holding %s: %v", name, err)
			continue
		}
		values[want.ID] = 1
		got, err := s.Load(ctx, want.ID)
		if err != nil {
			t.Errorf("Load holding %s: %v", name, err)
			continue
		}
		checkBlob(t, name, got.Value, want)
		r.Value.Any = json.RawMessage(num)
		if _, err := s.Save(ctx, r); err != nil {
			t.Errorf("Save holding %s: %v", name, err)
			continue
		}
		if got, err := s.Load(ctx, want.ID); err != nil {
			t.Errorf("Load holding %s after Save: %v", name, err)
		} else {
			checkBlob(t, name, got.Value, r.Value)
		}
		page, err := s.Find(ctx, persist.Query{Where: map[string]any{"n": 2.5}})
		if err != nil {
			t.Errorf("Find n = 2.5 beside %s: %v", name, err)
		} else if ids := blobIDs(page.Records); !slices.Equal(ids, []string{"plain2.5"}) {
			t.Errorf("Find n = 2.5 beside %s = %v, want [plain2.5]", name, ids)
		}

		indexed := blob{ID: fmt.Sprintf("n%02d", i), N: json.Number(num)}
		_, err = s.Create(ctx, indexed)
		f, ferr := strconv.ParseFloat(num, 64)
		fits := ferr == nil && (f != 0 || strings.Trim(strings.Split(strings.ToLower(num), "e")[0], "-0.") == "")
		if !fits {
			if ke, ok := errors.AsType[*klue.Error](err); !ok || ke.Status != http.StatusUnprocessableEntity {
				t.Errorf("Create with n %s: %v, want 422", name, err)
			}
			if _, err := s.Load(ctx, indexed.ID); !errors.Is(err, persist.ErrNotFound) {
				t.Errorf("Load of the record refused: %v, want ErrNotFound", err)
			}
			continue
		}
		if err != nil {
			t.Errorf("Create with n %s: %v", name, err)
			continue
		}
		values[indexed.ID] = f
		if got, err := s.Load(ctx, indexed.ID); err != nil {
			t.Errorf("Load with n %s: %v", name, err)
		} else {
			checkBlob(t, name, got.Value, indexed)
		}
	}
	// Ordered by n, in pages of 2: numbers by value, then IDs.
	ids := slices.Sorted(maps.Keys(values))
	slices.SortStableFunc(ids, func(a, b string) int { return cmp.Compare(values[a], values[b]) })
	for _, desc := range []bool{false, true} {
		q := persist.Query{OrderBy: "n", Limit: 2}
		want := slices.Clone(ids)
		if desc {
			q.OrderBy = "-n"
			slices.Reverse(want)
		}
		var got []string
		for {
			page, err := s.Find(ctx, q)
			if err != nil {
				t.Fatalf("Find ordered by %s: %v", q.OrderBy, err)
			}
			got = append(got, blobIDs(page.Records)...)
			if page.Next == "" || len(got) > len(want) {
				break
			}
			q.Cursor = page.Next
		}
		if !slices.Equal(got, want) {
			t.Errorf("ordered by %s:\n got %v\nwant %v", q.OrderBy, got, want)
		}
	}
}

func blobIDs(rs []persist.Record[blob]) []string {
	ids := []string{}
	for _, r := range rs {
		ids = append(ids, r.Value.ID)
	}
	return ids
}

// checkBlob fails t unless got holds the same JSON value as want: numbers
// equal in value, whatever their spelling.
func checkBlob(t *testing.T, name string, got, want blob) {
	t.Helper()
	g, err := json.Marshal(got)
	if err != nil {
		t.Fatal(err)
	}
	w, err := json.Marshal(want)
	if err != nil {
		t.Fatal(err)
	}
	if !sameJSON(t, g, w) {
		t.Errorf("document holding %s came back changed:\n got %.200s\nwant %.200s", name, g, w)
	}
}

// sameJSON reports whether a and b are the same JSON value, numbers
// compared by value.
func sameJSON(t *testing.T, a, b []byte) bool {
	t.Helper()
	x, err := wire.DecodeJSON(a)
	if err != nil {
		t.Fatalf("%.100s: %v", a, err)
	}
	y, err := wire.DecodeJSON(b)
	if err != nil {
		t.Fatalf("%.100s: %v", b, err)
	}
	return sameValue(x, y)
}

func sameValue(x, y any) bool {
	switch x := x.(type) {
	case map[string]any:
		y, ok := y.(map[string]any)
		if !ok || len(x) != len(y) {
			return false
		}
		for k, v := range x {
			if w, ok := y[k]; !ok || !sameValue(v, w) {
				return false
			}
		}
		return true
	case []any:
		y, ok := y.([]any)
		return ok && slices.EqualFunc(x, y, sameValue)
	case json.Number:
		y, ok := y.(json.Number)
		return ok && sameNumber(string(x), string(y))
	}
	return x == y
}

// sameNumber compares two JSON numbers by value, whatever their
// exponents.
func sameNumber(a, b string) bool {
	return a == b || numberKey(a) == numberKey(b)
}

// numberKey is the value of a JSON number n as a sign, its significant
// digits and the power of ten of the last one: "0" for zero.
func numberKey(n string) string {
	sign := ""
	if strings.HasPrefix(n, "-") {
		sign, n = "-", n[1:]
	}
	exp := new(big.Int)
	if i := strings.IndexAny(n, "eE"); i >= 0 {
		if _, ok := exp.SetString(strings.TrimPrefix(n[i+1:], "+"), 10); !ok {
			return "invalid " + n
		}
		n = n[:i]
	}
	intPart, frac, _ := strings.Cut(n, ".")
	digits := strings.TrimLeft(intPart+frac, "0")
	exp.Sub(exp, big.NewInt(int64(len(frac))))
	trimmed := strings.TrimRight(digits, "0")
	if trimmed == "" {
		return "0"
	}
	exp.Add(exp, big.NewInt(int64(len(digits)-len(trimmed))))
	return sign + trimmed + "e" + exp.String()
}

// testDeepNesting stores documents nested as deep as klue's decoders
// allow, in an untyped property and in an untyped object, and reads them
// back unchanged, beside an indexed property that queries still find.
func testDeepNesting(t *testing.T, e *env) {
	ctx := t.Context()
	s := blobStore(t, e.backend, uniqueStore("deepnesting"))
	for _, depth := range []int{200, 1000, 2000, 9000} {
		id := fmt.Sprintf("d%d", depth)
		nested := strings.Repeat(`{"a":[`, depth/2) + `1` + strings.Repeat(`]}`, depth/2)
		want := blob{ID: id, N: "7", Any: json.RawMessage(nested)}
		want.Extra = json.RawMessage(`{"x":` + strings.Repeat("[", depth-10) + strings.Repeat("]", depth-10) + `}`)
		r, err := s.Create(ctx, want)
		if err != nil {
			t.Errorf("Create nested %d deep: %v", depth, err)
			continue
		}
		got, err := s.Load(ctx, id)
		if err != nil {
			t.Errorf("Load nested %d deep: %v", depth, err)
			continue
		}
		checkBlob(t, id, got.Value, want)
		if _, err := s.Save(ctx, r); err != nil {
			t.Errorf("Save nested %d deep: %v", depth, err)
		}
		page, err := s.Find(ctx, persist.Query{Where: map[string]any{"n": 7}, OrderBy: "n"})
		if err != nil {
			t.Errorf("Find beside a document nested %d deep: %v", depth, err)
		} else if ids := blobIDs(page.Records); !slices.Contains(ids, id) {
			t.Errorf("Find n = 7 = %v, without %s", ids, id)
		}
	}
}
