package bench

import (
	"bytes"
	"context"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"os"
	"runtime"
	"strconv"
	"testing"
	"time"

	"github.com/danielgtaylor/huma/v2"
	"github.com/danielgtaylor/huma/v2/adapters/humaecho"
	"github.com/getkin/kin-openapi/openapi3"
	"github.com/getkin/kin-openapi/openapi3filter"
	"github.com/getkin/kin-openapi/routers"
	"github.com/getkin/kin-openapi/routers/gorillamux"
	"github.com/klue-go/klue-client-server/klue"
	"github.com/klue-go/klue-client-server/klue/server"
	"github.com/labstack/echo/v4"
)

// The same operation served by four stacks: one path parameter, two query
// parameters, a JSON body of five properties, and a response of eight.

const serverSpec = "testdata/server_bench.yaml"

type Item struct {
	Name     string  `json:"name" minLength:"1" maxLength:"64"`
	Price    float64 `json:"price" minimum:"0"`
	Quantity int     `json:"quantity" minimum:"0" maximum:"1000000"`
	SKU      string  `json:"sku,omitempty" maxLength:"16" required:"false"`
	Active   bool    `json:"active,omitempty" required:"false"`
}

type StoredItem struct {
	ID       int     `json:"id"`
	Name     string  `json:"name"`
	Price    float64 `json:"price"`
	Quantity int     `json:"quantity"`
	SKU      string  `json:"sku,omitempty"`
	Active   bool    `json:"active,omitempty"`
	Limit    int     `json:"limit,omitempty"`
	Tag      string  `json:"tag,omitempty"`
}

func store(id, limit int, tag string, it *Item) *StoredItem {
	return &StoredItem{ID: id, Name: it.Name, Price: it.Price, Quantity: it.Quantity, SKU: it.SKU, Active: it.Active, Limit: limit, Tag: tag}
}

var (
	benchPath = "/items/42?limit=10&tag=blue"
	benchBody = []byte(`{"name":"widget","price":9.99,"quantity":3,"sku":"W-1","active":true}`)
)

// UpdateItem is klue's input for the operation.
type UpdateItem struct {
	ID    int    `path:"id"`
	Limit int    `query:"limit"`
	Tag   string `query:"tag"`
	Body  Item
}

func kluServer(tb testing.TB) http.Handler {
	pool := klue.NewPool()
	if err := pool.Add("bench", klue.File(serverSpec)); err != nil {
		tb.Fatal(err)
	}
	server.Bind(pool, "updateItem", func(ctx context.Context, in *UpdateItem) (*StoredItem, error) {
		return store(in.ID, in.Limit, in.Tag, &in.Body), nil
	})
	e := echo.New()
	if err := server.Spawn(e, pool, "bench", server.WithoutDocs()); err != nil {
		tb.Fatal(err)
	}
	return e
}

// bareEcho decodes and encodes by hand, validating nothing.
func bareEcho(tb testing.TB) http.Handler {
	e := echo.New()
	e.POST("/items/:id", func(c echo.Context) error {
		id, err := strconv.Atoi(c.Param("id"))
		if err != nil {
			return echo.ErrNotFound
		}
		limit, err := strconv.Atoi(c.QueryParam("limit"))
		if err != nil {
			return echo.ErrBadRequest
		}
		var it Item
		if err := json.NewDecoder(c.Request().Body).Decode(&it); err != nil {
			return echo.ErrBadRequest
		}
		return c.JSON(http.StatusOK, store(id, limit, c.QueryParam("tag"), &it))
	})
	return e
}

type humaInput struct {
	ID    int    `path:"id" minimum:"1"`
	Limit int    `query:"limit" minimum:"1" maximum:"100"`
	Tag   string `query:"tag" maxLength:"32"`
	Body  Item
}

type humaOutput struct {
	Body *StoredItem
}

func humaServer(tb testing.TB) http.Handler {
	e := echo.New()
	cfg := huma.DefaultConfig("bench", "1")
	cfg.CreateHooks = nil // no $schema member in responses
	api := humaecho.New(e, cfg)
	huma.Register(api, huma.Operation{OperationID: "updateItem", Method: http.MethodPost, Path: "/items/{id}"},
		func(ctx context.Context, in *humaInput) (*humaOutput, error) {
			return &humaOutput{Body: store(in.ID, in.Limit, in.Tag, &in.Body)}, nil
		})
	return e
}

// kinServer validates the request and the response with kin-openapi's
// openapi3filter around a hand-written echo handler, as oapi-codegen's
// middleware does.
func kinServer(tb testing.TB) http.Handler {
	data, err := os.ReadFile(serverSpec)
	if err != nil {
		tb.Fatal(err)
	}
	loader := openapi3.NewLoader()
	doc, err := loader.LoadFromData(data)
	if err != nil {
		tb.Fatal(err)
	}
	if err := doc.Validate(context.Background()); err != nil {
		tb.Fatal(err)
	}
	router, err := gorillamux.NewRouter(doc)
	if err != nil {
		tb.Fatal(err)
	}
	e := echo.New()
	e.POST("/items/:id", func(c echo.Context) error {
		r := c.Request()
		route, pathParams, err := router.FindRoute(r)
		if err != nil {
			return echo.ErrNotFound
		}
		in := &openapi3filter.RequestValidationInput{Request: r, PathParams: pathParams, Route: route,
			Options: &openapi3filter.Options{AuthenticationFunc: openapi3filter.NoopAuthenticationFunc}}
		if err := openapi3filter.ValidateRequest(r.Context(), in); err != nil {
			return echo.NewHTTPError(http.StatusBadRequest, err.Error())
		}
		id, _ := strconv.Atoi(c.Param("id"))
		limit, _ := strconv.Atoi(c.QueryParam("limit"))
		var it Item
		if err := json.NewDecoder(r.Body).Decode(&it); err != nil {
			return echo.ErrBadRequest
		}
		out, err := json.Marshal(store(id, limit, c.QueryParam("tag"), &it))
		if err != nil {
			return err
		}
		header := http.Header{"Content-Type": {"application/json"}}
		resp := &openapi3filter.ResponseValidationInput{RequestValidationInput: in, Status: http.StatusOK, Header: header}
		resp.SetBodyBytes(out)
		if err := openapi3filter.ValidateResponse(r.Context(), resp); err != nil {
			return echo.NewHTTPError(http.StatusInternalServerError, err.Error())
		}
		return c.Blob(http.StatusOK, "application/json", out)
	})
	return e
}

var _ routers.Router

// BenchmarkServer serves the same request with each stack.
func BenchmarkServer(b *testing.B) {
	stacks := []struct {
		name string
		new  func(testing.TB) http.Handler
	}{
		{"klue", kluServer},
		{"echo-bare", bareEcho},
		{"huma-echo", humaServer},
		{"echo-kin-openapi", kinServer},
	}
	for _, s := range stacks {
		h := s.new(b)
		b.Run(s.name, func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				req := httptest.NewRequest(http.MethodPost, benchPath, bytes.NewReader(benchBody))
				req.Header.Set("Content-Type", "application/json")
				rec := httptest.NewRecorder()
				h.ServeHTTP(rec, req)
				if rec.Code != http.StatusOK {
					b.Fatalf("status %d: %s", rec.Code, rec.Body.String())
				}
			}
		})
	}
}

// BenchmarkServerTurns serves the same request with each stack in turn,
// within one loop, and reports each stack's time per request and the ratios
// to bare echo: the machine's load then weighs on every stack alike, which
// makes the ratios steadier than those of separate benchmarks. The
// goroutine keeps its thread, so that the thread's CPU time in ServeHTTP
// (threadCPU) gives each stack's cost without the time spent waiting for
// a core (-cpu).
func BenchmarkServerTurns(b *testing.B) {
	stacks := []struct {
		name string
		h    http.Handler
	}{
		{"klue", kluServer(b)},
		{"echo-bare", bareEcho(b)},
		{"huma-echo", humaServer(b)},
		{"echo-kin-openapi", kinServer(b)},
	}
	serve := make([]time.Duration, len(stacks)) // ServeHTTP alone
	whole := make([]time.Duration, len(stacks)) // with the request's making
	cpu := make([]time.Duration, len(stacks))   // ServeHTTP alone, the thread's CPU time
	runtime.LockOSThread()
	defer runtime.UnlockOSThread()
	b.ReportAllocs()
	for b.Loop() {
		for i, s := range stacks {
			start := time.Now()
			req := httptest.NewRequest(http.MethodPost, benchPath, bytes.NewReader(benchBody))
			req.Header.Set("Content-Type", "application/json")
			rec := httptest.NewRecorder()
			served, c0 := time.Now(), threadCPU()
			s.h.ServeHTTP(rec, req)
			end, c1 := time.Now(), threadCPU()
			serve[i] += end.Sub(served)
			whole[i] += end.Sub(start)
			cpu[i] += c1 - c0
			if rec.Code != http.StatusOK {
				b.Fatalf("%s: status %d: %s", s.name, rec.Code, rec.Body.String())
			}
		}
	}
	for i, s := range stacks {
		b.ReportMetric(float64(serve[i].Nanoseconds())/float64(b.N), s.name+"-serve-ns")
		if i != 1 {
			b.ReportMetric(float64(serve[i])/float64(serve[1]), s.name+"/bare-serve")
			b.ReportMetric(float64(whole[i])/float64(whole[1]), s.name+"/bare-whole")
			b.ReportMetric(float64(cpu[i])/float64(cpu[1]), s.name+"/bare-cpu")
		}
	}
}

// TestServerStacksAgree checks that the four stacks give the same answer,
// and that the validating ones refuse the same bad request.
func TestServerStacksAgree(t *testing.T) {
	var want string
	for _, s := range []func(testing.TB) http.Handler{kluServer, bareEcho, humaServer, kinServer} {
		h := s(t)
		req := httptest.NewRequest(http.MethodPost, benchPath, bytes.NewReader(benchBody))
		req.Header.Set("Content-Type", "application/json")
		rec := httptest.NewRecorder()
		h.ServeHTTP(rec, req)
		if rec.Code != 200 {
			t.Fatalf("status %d: %s", rec.Code, rec.Body.String())
		}
		var v any
		if err := json.Unmarshal(rec.Body.Bytes(), &v); err != nil {
			t.Fatal(err)
		}
		got, _ := json.Marshal(v)
		if want == "" {
			want = string(got)
		} else if string(got) != want {
			t.Errorf("answer %s, want %s", got, want)
		}
	}
	for _, s := range []func(testing.TB) http.Handler{kluServer, humaServer, kinServer} {
		h := s(t)
		req := httptest.NewRequest(http.MethodPost, "/items/42?limit=1000", bytes.NewReader(benchBody))
		req.Header.Set("Content-Type", "application/json")
		rec := httptest.NewRecorder()
		h.ServeHTTP(rec, req)
		if rec.Code < 400 || rec.Code >= 500 {
			t.Errorf("limit=1000: status %d", rec.Code)
		}
	}
}
