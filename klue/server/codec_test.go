package server_test

import (
	"context"
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/labstack/echo/v4"

	"github.com/klue-go/klue-client-server/klue"
	"github.com/klue-go/klue-client-server/klue/kluetest"
	"github.com/klue-go/klue-client-server/klue/server"
)

// The answers of this file are those klue gave before bodies and
// responses had a fast path: whether a request takes it or not, the
// answer is the same.

type CodecItem struct {
	Name  string   `json:"name"`
	Price float64  `json:"price"`
	Tags  []string `json:"tags,omitempty"`
	Note  string   `json:"note,omitempty"`
}

type CodecStored struct {
	ID      int        `json:"id"`
	Name    string     `json:"name"`
	Price   float64    `json:"price"`
	Tags    []string   `json:"tags,omitempty"`
	Note    string     `json:"note,omitempty"`
	Created *time.Time `json:"created,omitempty"`
	Secret  string     `json:"secret,omitempty"`
}

type CodecPatch struct {
	Name  *string  `json:"name,omitempty"`
	Price *float64 `json:"price,omitempty"`
}

var created = time.Date(2024, 2, 29, 12, 30, 0, 500, time.FixedZone("", 3600))

func codecServer(t *testing.T) *echo.Echo {
	t.Helper()
	pool := klue.NewPool()
	kluetest.Add(t, pool, "codec", klue.File("testdata/codec.yaml"))
	server.Bind(pool, "putItem", func(ctx context.Context, in *struct {
		ID   int `path:"id"`
		Body CodecItem
	}) (*CodecStored, error) {
		it := in.Body
		s := &CodecStored{ID: in.ID, Name: it.Name, Price: it.Price, Tags: it.Tags, Note: it.Note, Created: &created}
		switch it.Name {
		case "nameless":
			s.Name = ""
		case "secret":
			s.Secret = "s"
		case "nil":
			return nil, nil
		case "fails":
			return nil, errors.New("handler failed")
		}
		return s, nil
	})
	server.Bind(pool, "echo", func(ctx context.Context, in *CodecStored) (*CodecStored, error) { return in, nil })
	server.Bind(pool, "patch", func(ctx context.Context, in *CodecPatch) (*CodecPatch, error) { return in, nil })
	server.Bind(pool, "getBool", func(ctx context.Context, in *struct {
		B bool `path:"b"`
	}) (*map[string]any, error) {
		return &map[string]any{"b": in.B}, nil
	})
	server.Bind(pool, "getNum", func(ctx context.Context, in *struct {
		X float64 `path:"x"`
	}) (*map[string]any, error) {
		return &map[string]any{"x": in.X}, nil
	})
	server.Bind(pool, "getNullableInt", func(ctx context.Context, in *struct {
		N *int `path:"n"`
	}) (*map[string]any, error) {
		return &map[string]any{"n": in.N}, nil
	})
	server.Bind(pool, "getStr", func(ctx context.Context, in *struct {
		S string `path:"s"`
	}) (*map[string]any, error) {
		return &map[string]any{"s": in.S}, nil
	})
	server.Bind(pool, "getLabel", func(ctx context.Context, in *struct {
		V int `path:"v"`
	}) (*map[string]any, error) {
		return &map[string]any{"v": in.V}, nil
	})
	e := kluetest.NewEcho()
	logger, _ := newLogger()
	if err := server.Spawn(e, pool, "codec", server.WithoutDocs(), server.WithLogger(logger)); err != nil {
		t.Fatal(err)
	}
	return e
}

func TestCodecAnswers(t *testing.T) {
	t.Parallel()
	e := codecServer(t)
	for _, tt := range []struct {
		name   string
		req    request
		status int
		body   string
	}{
		{"plain", request{method: "POST", path: "/items/7", body: `{"name":"w","price":1.5}`},
			200, `{"id":7,"name":"w","price":1.5,"created":"2024-02-29T12:30:00.0000005+01:00"}`},
		{"html and separators escaped", request{method: "POST", path: "/items/7", body: `{"name":"<a&b>\u2028","price":1e-7,"tags":["x"]}`},
			200, `{"id":7,"name":"\u003ca\u0026b\u003e\u2028","price":1e-7,"tags":["x"],"created":"2024-02-29T12:30:00.0000005+01:00"}`},
		{"case-folded name", request{method: "POST", path: "/items/7", body: `{"NAME":"w","name":"v","price":1}`},
			200, `{"id":7,"name":"v","price":1,"created":"2024-02-29T12:30:00.0000005+01:00"}`},
		{"repeated name", request{method: "POST", path: "/items/7", body: `{"name":"w","price":1,"name":"v"}`},
			400, `{"type":"about:blank","title":"Bad Request","status":400,"detail":"invalid request","instance":"/items/7","errors":[{"location":"body","message":"invalid JSON: member name \"name\" comes twice"}]}`},
		{"escaped name", request{method: "POST", path: "/items/7", body: `{"n\u0061me":"w","price":1}`},
			200, `{"id":7,"name":"w","price":1,"created":"2024-02-29T12:30:00.0000005+01:00"}`},
		{"invalid UTF-8", request{method: "POST", path: "/items/7", body: "{\"name\":\"a\xffb\",\"price\":1}"},
			400, `{"type":"about:blank","title":"Bad Request","status":400,"detail":"invalid request","instance":"/items/7","errors":[{"location":"body.name","message":"invalid JSON: invalid UTF-8 in a string (RFC 8259 §8.1) at offset 10"}]}`},
		{"lone surrogate", request{method: "POST", path: "/items/7", body: `{"name":"\ud800","price":1}`},
			400, `{"type":"about:blank","title":"Bad Request","status":400,"detail":"invalid request","instance":"/items/7","errors":[{"location":"body.name","message":"invalid JSON: a lone surrogate escape in a string (RFC 8259 §8.2) at offset 9"}]}`},
		{"unknown member", request{method: "POST", path: "/items/7", body: `{"name":"w","price":1,"other":{"a":[1]}}`},
			200, `{"id":7,"name":"w","price":1,"created":"2024-02-29T12:30:00.0000005+01:00"}`},
		{"null where the schema wants an array", request{method: "POST", path: "/items/7", body: `{"name":"w","price":1,"tags":null}`},
			400, `{"type":"about:blank","title":"Bad Request","status":400,"detail":"invalid request","instance":"/items/7","errors":[{"location":"body.tags","message":"got null, want array"}]}`},
		{"readOnly in a request", request{method: "POST", path: "/items/7", body: `{"name":"w","price":1,"note":"n"}`},
			200, `{"id":7,"name":"w","price":1,"note":"n","created":"2024-02-29T12:30:00.0000005+01:00"}`},
		{"schema", request{method: "POST", path: "/items/7", body: `{"name":"","price":-1,"tags":["a","b","c"]}`},
			400, `{"type":"about:blank","title":"Bad Request","status":400,"detail":"invalid request","instance":"/items/7","errors":[{"location":"body.name","message":"minLength: got 0, want 1","value":""},{"location":"body.price","message":"minimum: got -1, want 0","value":-1},{"location":"body.tags","message":"maxItems: got 3, want 2"}]}`},
		{"type", request{method: "POST", path: "/items/7", body: `{"name":1,"price":1}`},
			400, `{"type":"about:blank","title":"Bad Request","status":400,"detail":"invalid request","instance":"/items/7","errors":[{"location":"body.name","message":"got number, want string","value":1}]}`},
		{"integer as float", request{method: "POST", path: "/echo", body: `{"id":1e2,"name":"w","price":1,"created":"2024-01-01T00:00:00Z"}`},
			400, `{"type":"about:blank","title":"Bad Request","status":400,"detail":"invalid request","instance":"/echo","errors":[{"location":"body.id","message":"got 1e2, want an integer written without a fraction or an exponent","value":1e2}]}`},
		{"integer too large", request{method: "POST", path: "/echo", body: `{"id":99999999999999999999,"name":"w","price":1,"created":"2024-01-01T00:00:00Z"}`},
			400, `{"type":"about:blank","title":"Bad Request","status":400,"detail":"invalid request","instance":"/echo","errors":[{"location":"body.id","message":"cannot read 99999999999999999999 into int: out of range"}]}`},
		{"trailing data", request{method: "POST", path: "/items/7", body: `{"name":"w","price":1} {}`},
			400, `{"type":"about:blank","title":"Bad Request","status":400,"detail":"invalid request","instance":"/items/7","errors":[{"location":"body","message":"invalid JSON: invalid character '{' after top-level value at offset 23"}]}`},
		{"not JSON", request{method: "POST", path: "/items/7", body: `{"name":"w",}`},
			400, `{"type":"about:blank","title":"Bad Request","status":400,"detail":"invalid request","instance":"/items/7","errors":[{"location":"body","message":"invalid JSON: invalid character ',' at start of value at offset 11"}]}`},
		{"echo", request{method: "POST", path: "/echo", body: `{"id":-3,"name":"w","price":0,"created":"2024-01-01T00:00:00Z","secret":"in"}`},
			500, `{"type":"about:blank","title":"Internal Server Error","status":500,"detail":"response does not conform to the specification","instance":"/echo"}`},
		{"echo without secret", request{method: "POST", path: "/echo", body: `{"id":-3,"name":"w","price":0,"created":"2024-01-01T00:00:00Z"}`},
			200, `{"id":-3,"name":"w","price":0,"created":"2024-01-01T00:00:00Z"}`},
		{"bad date", request{method: "POST", path: "/echo", body: `{"id":1,"name":"w","price":0,"created":"2024-02-30T00:00:00Z"}`},
			400, `{"type":"about:blank","title":"Bad Request","status":400,"detail":"invalid request","instance":"/echo","errors":[{"location":"body.created","message":"'2024-02-30T00:00:00Z' is not valid date-time: invalid date element: parsing time \"2024-02-30\": day out of range","value":"2024-02-30T00:00:00Z"}]}`},
		{"response breaks its schema", request{method: "POST", path: "/items/7", body: `{"name":"nameless","price":1}`},
			500, `{"type":"about:blank","title":"Internal Server Error","status":500,"detail":"response does not conform to the specification","instance":"/items/7"}`},
		{"writeOnly in a response", request{method: "POST", path: "/items/7", body: `{"name":"secret","price":1}`},
			500, `{"type":"about:blank","title":"Internal Server Error","status":500,"detail":"response does not conform to the specification","instance":"/items/7"}`},
		{"no result", request{method: "POST", path: "/items/7", body: `{"name":"nil","price":1}`},
			500, `{"type":"about:blank","title":"Internal Server Error","status":500,"instance":"/items/7"}`},
		{"patch", request{method: "PATCH", path: "/patch", body: `{"name":"n"}`},
			200, `{"name":"n"}`},
		{"patch empty", request{method: "PATCH", path: "/patch", body: `{}`},
			400, `{"type":"about:blank","title":"Bad Request","status":400,"detail":"invalid request","instance":"/patch","errors":[{"location":"body","message":"minProperties: got 0, want 1"}]}`},
		{"patch extra", request{method: "PATCH", path: "/patch", body: `{"name":"n","x":1}`},
			400, `{"type":"about:blank","title":"Bad Request","status":400,"detail":"invalid request","instance":"/patch","errors":[{"location":"body","message":"additional properties 'x' not allowed"}]}`},
		{"path integer below minimum", request{method: "POST", path: "/items/0", body: `{"name":"w","price":1}`},
			400, `{"type":"about:blank","title":"Bad Request","status":400,"detail":"invalid request","instance":"/items/0","errors":[{"location":"path.id","message":"minimum: got 0, want 1","value":0}]}`},
		{"path integer with a leading zero", request{method: "POST", path: "/items/07", body: `{"name":"w","price":1}`},
			404, `{"type":"about:blank","title":"Not Found","status":404,"detail":"no such path","instance":"/items/07"}`},
		{"path integer too large", request{method: "POST", path: "/items/99999999999999999999", body: `{"name":"w","price":1}`},
			400, `{"type":"about:blank","title":"Bad Request","status":400,"detail":"invalid request","instance":"/items/99999999999999999999","errors":[{"location":"path.id","message":"99999999999999999999 does not fit a int"}]}`},
		{"path boolean", request{method: "GET", path: "/bool/true"},
			200, `{"b":true}`},
		{"path boolean in capitals", request{method: "GET", path: "/bool/FALSE"},
			200, `{"b":false}`},
		{"path boolean, not", request{method: "GET", path: "/bool/yes"},
			404, `{"type":"about:blank","title":"Not Found","status":404,"detail":"no such path","instance":"/bool/yes"}`},
		{"path number", request{method: "GET", path: "/num/-2.5e0"},
			200, `{"x":-2.5}`},
		{"path number above maximum", request{method: "GET", path: "/num/11"},
			400, `{"type":"about:blank","title":"Bad Request","status":400,"detail":"invalid request","instance":"/num/11","errors":[{"location":"path.x","message":"maximum: got 11, want 10","value":11}]}`},
		{"path null", request{method: "GET", path: "/nint/null"},
			200, `{"n":null}`},
		{"path nullable integer", request{method: "GET", path: "/nint/-4"},
			200, `{"n":-4}`},
		{"path string", request{method: "GET", path: "/str/abc"},
			200, `{"s":"abc"}`},
		{"path string escaped", request{method: "GET", path: "/str/a%62c"},
			200, `{"s":"abc"}`},
		{"path string against its pattern", request{method: "GET", path: "/str/ABC"},
			400, `{"type":"about:blank","title":"Bad Request","status":400,"detail":"invalid request","instance":"/str/ABC","errors":[{"location":"path.s","message":"'ABC' does not match pattern '^[a-z]+$'","value":"ABC"}]}`},
		{"path label", request{method: "GET", path: "/label/.5"},
			200, `{"v":5}`},
		{"path label without its dot", request{method: "GET", path: "/label/5"},
			404, `{"type":"about:blank","title":"Not Found","status":404,"detail":"no such path","instance":"/label/5"}`},
	} {
		rec := tt.req.on(t, e)
		if got := strings.TrimSpace(rec.Body.String()); rec.Code != tt.status || got != tt.body {
			t.Errorf("%s: %d %s\nwant %d %s", tt.name, rec.Code, got, tt.status, tt.body)
		}
		if tt.status == 200 && rec.Header().Get("Content-Type") != "application/json" {
			t.Errorf("%s: Content-Type %q", tt.name, rec.Header().Get("Content-Type"))
		}
	}
}
