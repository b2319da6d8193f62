package bench

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"runtime"
	"strconv"
	"testing"
	"time"

	"github.com/klue-go/klue-client-server/klue"
	"github.com/klue-go/klue-client-server/klue/server"
	"github.com/labstack/echo/v4"
)

// Large bodies: an array of n items of about 100 bytes each, answered to
// GET /items?n= and sent to POST /items, by klue and by bare echo with
// encoding/json (testdata/large_bench.yaml).

const largeSpec = "testdata/large_bench.yaml"

type BigItem struct {
	ID     int      `json:"id"`
	Name   string   `json:"name"`
	Price  float64  `json:"price"`
	Tags   []string `json:"tags"`
	Active bool     `json:"active"`
	SKU    string   `json:"sku,omitempty"`
}

type ListItems struct {
	N int `query:"n"`
}

type Count struct {
	Count int `json:"count"`
}

// The sizes: about 1 kB, 100 kB and 1 MB of JSON.
var largeSizes = []struct {
	name string
	n    int
}{{"1kB", 10}, {"100kB", 1000}, {"1MB", 10000}}

// bigItems returns n items, built once per size so that the handlers only
// encode them.
func bigItems(n int) []BigItem {
	items := make([]BigItem, n)
	for i := range items {
		items[i] = BigItem{ID: i, Name: "item number " + strconv.Itoa(i), Price: float64(i%1000) + 0.25,
			Tags: []string{"red", "blue"}, Active: i%2 == 0, SKU: "SKU-" + strconv.Itoa(100000+i)}
	}
	return items
}

var itemsBySize = func() map[int][]BigItem {
	m := map[int][]BigItem{}
	for _, s := range largeSizes {
		m[s.n] = bigItems(s.n)
	}
	return m
}()

func kluLarge(tb testing.TB) http.Handler {
	pool := klue.NewPool()
	if err := pool.Add("large", klue.File(largeSpec)); err != nil {
		tb.Fatal(err)
	}
	server.Bind(pool, "listItems", func(_ context.Context, in *ListItems) (*[]BigItem, error) {
		items := itemsBySize[in.N]
		return &items, nil
	})
	server.Bind(pool, "putItems", func(_ context.Context, in *[]BigItem) (*Count, error) {
		return &Count{Count: len(*in)}, nil
	})
	e := echo.New()
	if err := server.Spawn(e, pool, "large", server.WithoutDocs(), server.WithBodyLimit(8<<20)); err != nil {
		tb.Fatal(err)
	}
	return e
}

func bareLarge(testing.TB) http.Handler {
	e := echo.New()
	e.GET("/items", func(c echo.Context) error {
		n, err := strconv.Atoi(c.QueryParam("n"))
		if err != nil {
			return echo.ErrBadRequest
		}
		return c.JSON(http.StatusOK, itemsBySize[n])
	})
	e.POST("/items", func(c echo.Context) error {
		var items []BigItem
		if err := json.NewDecoder(c.Request().Body).Decode(&items); err != nil {
			return echo.ErrBadRequest
		}
		return c.JSON(http.StatusOK, &Count{Count: len(items)})
	})
	return e
}

// sink is a ResponseWriter that keeps nothing of the body, so that the
// benchmarks count what the stacks allocate, not a recorder's buffer.
type sink struct {
	header http.Header
	status int
	n      int
}

func (s *sink) Header() http.Header { return s.header }
func (s *sink) WriteHeader(code int) {
	if s.status == 0 {
		s.status = code
	}
}
func (s *sink) Write(p []byte) (int, error) {
	if s.status == 0 {
		s.status = http.StatusOK
	}
	s.n += len(p)
	return len(p), nil
}

func (s *sink) reset() {
	clear(s.header)
	s.status, s.n = 0, 0
}

// largeCall is one request of the benchmark: GET with the size, or POST
// with the body of that size.
type largeCall struct {
	method, target string
	body           []byte
}

func largeCalls(n int) []largeCall {
	body, err := json.Marshal(itemsBySize[n])
	if err != nil {
		panic(err)
	}
	return []largeCall{
		{http.MethodGet, "/items?n=" + strconv.Itoa(n), nil},
		{http.MethodPost, "/items", body},
	}
}

func (lc largeCall) serve(h http.Handler, w *sink) {
	var req *http.Request
	if lc.body != nil {
		req = httptest.NewRequest(lc.method, lc.target, bytes.NewReader(lc.body))
		req.Header.Set("Content-Type", "application/json")
	} else {
		req = httptest.NewRequest(lc.method, lc.target, nil)
	}
	w.reset()
	h.ServeHTTP(w, req)
}

// BenchmarkLarge serves each size with each stack as a benchmark of its
// own, for the bytes and allocations of each.
//
//	go test -run '^$' -bench 'Large$' -benchmem -benchtime 200x -count 3 .
func BenchmarkLarge(b *testing.B) {
	stacks := []struct {
		name string
		h    http.Handler
	}{{"klue", kluLarge(b)}, {"echo-bare", bareLarge(b)}}
	for _, size := range largeSizes {
		for _, lc := range largeCalls(size.n) {
			for _, s := range stacks {
				b.Run(fmt.Sprintf("%s/%s/%s", lc.method, size.name, s.name), func(b *testing.B) {
					w := &sink{header: http.Header{}}
					b.ReportAllocs()
					for b.Loop() {
						lc.serve(s.h, w)
						if w.status != http.StatusOK {
							b.Fatalf("status %d", w.status)
						}
					}
					b.SetBytes(int64(max(w.n, len(lc.body))))
				})
			}
		}
	}
}

// BenchmarkLargeTurns serves each size with klue and bare echo in turns,
// within one loop, and reports the ratio of klue's time to bare echo's:
// wall time, and the CPU time of the serving thread (threadCPU), which
// the load of a shared machine disturbs far less.
//
//	go test -run '^$' -bench 'LargeTurns' -benchtime 200x -count 3 .
func BenchmarkLargeTurns(b *testing.B) {
	klu, bare := kluLarge(b), bareLarge(b)
	for _, size := range largeSizes {
		for _, lc := range largeCalls(size.n) {
			b.Run(lc.method+"/"+size.name, func(b *testing.B) {
				runtime.LockOSThread()
				defer runtime.UnlockOSThread()
				w := &sink{header: http.Header{}}
				var kt, bt, kc, bc time.Duration
				for b.Loop() {
					t0, c0 := time.Now(), threadCPU()
					lc.serve(klu, w)
					t1, c1 := time.Now(), threadCPU()
					if w.status != http.StatusOK {
						b.Fatalf("klue: status %d", w.status)
					}
					lc.serve(bare, w)
					bt, bc = bt+time.Since(t1), bc+threadCPU()-c1
					kt, kc = kt+t1.Sub(t0), kc+c1-c0
					if w.status != http.StatusOK {
						b.Fatalf("echo-bare: status %d", w.status)
					}
				}
				b.ReportMetric(float64(kt.Nanoseconds())/float64(b.N), "klue-ns")
				b.ReportMetric(float64(bt.Nanoseconds())/float64(b.N), "bare-ns")
				b.ReportMetric(float64(kt)/float64(bt), "klue/bare")
				b.ReportMetric(float64(kc.Nanoseconds())/float64(b.N), "klue-cpu-ns")
				b.ReportMetric(float64(bc.Nanoseconds())/float64(b.N), "bare-cpu-ns")
				b.ReportMetric(float64(kc)/float64(bc), "klue/bare-cpu")
			})
		}
	}
}

// TestLargeStacksAgree checks that both stacks answer the same bytes
// (after decoding) at every size.
func TestLargeStacksAgree(t *testing.T) {
	klu, bare := kluLarge(t), bareLarge(t)
	for _, size := range largeSizes {
		for _, lc := range largeCalls(size.n) {
			var answers [2]any
			for i, h := range []http.Handler{klu, bare} {
				rec := httptest.NewRecorder()
				req := httptest.NewRequest(lc.method, lc.target, bytes.NewReader(lc.body))
				req.Header.Set("Content-Type", "application/json")
				h.ServeHTTP(rec, req)
				if rec.Code != http.StatusOK {
					t.Fatalf("%s %s: status %d: %.200s", lc.method, lc.target, rec.Code, rec.Body)
				}
				if err := json.Unmarshal(rec.Body.Bytes(), &answers[i]); err != nil {
					t.Fatal(err)
				}
			}
			a, _ := json.Marshal(answers[0])
			c, _ := json.Marshal(answers[1])
			if !bytes.Equal(a, c) {
				t.Errorf("%s %s: klue and bare echo differ", lc.method, lc.target)
			}
		}
	}
}
