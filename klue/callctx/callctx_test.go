package callctx_test

import (
	"bytes"
	"context"
	"encoding/json"
	"log/slog"
	"net/http"
	"strings"
	"testing"
	"testing/slogtest"

	"github.com/google/uuid"
	"go.opentelemetry.io/otel/trace"

	"github.com/klue-go/klue-client-server/internal/callwire"
	"github.com/klue-go/klue-client-server/klue/callctx"
)

const goodID = "0b9e4a52-4d3e-4a8b-9d3c-2f1e0c9b8a7d"

func TestIncoming(t *testing.T) {
	t.Parallel()
	long := strings.Repeat("a.", 31) + "a" // 32 names
	tests := []struct {
		name       string
		id, path   string
		wantID     string // "" means a new one
		wantPath   string
		rejections int
	}{
		{"fresh call", "", "", "", "user", 0},
		{"forwarded", goodID, "public", goodID, "public.user", 0},
		{"forwarded deeper", goodID, "public.login", goodID, "public.login.user", 0},
		{"upper-case UUID kept as sent", strings.ToUpper(goodID), "public", strings.ToUpper(goodID), "public.user", 0},
		{"ID not a UUID", "1234", "public", "", "public.user", 1},
		{"ID with CRLF", goodID + "\r\nX-Evil: 1", "public", "", "public.user", 1},
		{"path with a space", goodID, "public evil", goodID, "user", 1},
		{"path with a newline", goodID, "public\nuser", goodID, "user", 1},
		{"path with an empty name", goodID, "public..login", goodID, "user", 1},
		{"path of 32 hops leaves no room", goodID, long, goodID, "user", 1},
		{"path too long", goodID, strings.Repeat("a", 1025), goodID, "user", 1},
		{"both bad", "<script>", "a/b", "", "user", 2},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			h := http.Header{}
			if tt.id != "" {
				h.Set(callctx.HeaderID, tt.id)
			}
			if tt.path != "" {
				h.Set(callctx.HeaderPath, tt.path)
			}
			c, rejected := callwire.Incoming("user", h)
			if tt.wantID == "" {
				if !callwire.ValidID(c.ID) || c.ID == tt.id {
					t.Errorf("ID %q, want a new UUID", c.ID)
				}
			} else if c.ID != tt.wantID {
				t.Errorf("ID %q, want %q", c.ID, tt.wantID)
			}
			if c.Path != tt.wantPath {
				t.Errorf("path %q, want %q", c.Path, tt.wantPath)
			}
			if len(rejected) != tt.rejections {
				t.Fatalf("rejections %v, want %d", rejected, tt.rejections)
			}
			for _, r := range rejected {
				if strings.ContainsAny(r.Value, "\r\n") || !strings.HasPrefix(r.Value, `"`) || len(r.Value) > 90 {
					t.Errorf("rejected value %q is not escaped and bounded", r.Value)
				}
			}
		})
	}
}

func TestPathOf31HopsGetsItsLastHop(t *testing.T) {
	t.Parallel()
	p := strings.Repeat("a.", 30) + "a" // 31 names
	h := http.Header{}
	h.Set(callctx.HeaderID, goodID)
	h.Set(callctx.HeaderPath, p)
	c, rejected := callwire.Incoming("user", h)
	if len(rejected) != 0 || c.Path != p+".user" || !callwire.ValidPath(c.Path) {
		t.Errorf("31 hops + this one: %q %v", c.Path, rejected)
	}
}

func TestEscape(t *testing.T) {
	t.Parallel()
	tests := map[string]string{
		"plain":               `"plain"`,
		"a\"b\\c":             `"a\"b\\c"`,
		"line\nbreak\x1b[31m": `"line\u000abreak\u001b[31m"`,
		"é\u2028":             `"\u00e9\u2028"`,
		"\xff":                `"\ufffd"`,
	}
	for in, want := range tests {
		if got := callwire.Escape(in); got != want {
			t.Errorf("Escape(%q) = %s, want %s", in, got, want)
		}
	}
	if got := callwire.Escape(strings.Repeat("x", 200)); len(got) != 85 || !strings.HasSuffix(got, `"...`) {
		t.Errorf("long value not cut: %d bytes", len(got))
	}
}

func TestContextAndHeaders(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	if callctx.ID(ctx) != "" || callctx.Path(ctx) != "" {
		t.Error("an empty context carries a call")
	}
	h := http.Header{}
	callctx.SetHeaders(ctx, h)
	if len(h) != 0 {
		t.Errorf("headers set from an empty context: %v", h)
	}
	ctx = callctx.NewContext(ctx, callctx.Call{ID: goodID, Path: "public.user"})
	callctx.SetHeaders(ctx, h)
	if h.Get("KlueCallerID") != goodID || h.Get("KlueCallerPath") != "public.user" {
		t.Errorf("headers %v", h)
	}
	// The next server appends its name.
	c, _ := callwire.Incoming("login", h)
	if c.ID != goodID || c.Path != "public.user.login" {
		t.Errorf("next hop %+v", c)
	}
}

// carrier holds its call itself, through Lookup.
type carrier struct {
	context.Context
	call callctx.Call
}

func (c *carrier) Value(key any) any {
	if v, ok := callwire.Lookup(key, &c.call); ok {
		return v
	}
	return c.Context.Value(key)
}

type otherKey struct{}

func TestLookup(t *testing.T) {
	t.Parallel()
	parent := context.WithValue(context.Background(), otherKey{}, "other")
	ctx := &carrier{Context: parent, call: callctx.Call{ID: goodID, Path: "public"}}
	if c, ok := callctx.FromContext(ctx); !ok || c.ID != goodID || c.Path != "public" {
		t.Errorf("FromContext = %+v, %v", c, ok)
	}
	// Through a context derived from it, and to the parent's values.
	derived, cancel := context.WithCancel(ctx)
	defer cancel()
	if callctx.Path(derived) != "public" || derived.Value(otherKey{}) != "other" {
		t.Errorf("derived: path %q, other %v", callctx.Path(derived), derived.Value(otherKey{}))
	}
	if v, ok := callwire.Lookup(otherKey{}, &ctx.call); ok || v != nil {
		t.Errorf("Lookup answered another key: %v", v)
	}
}

func TestLogHandler(t *testing.T) {
	t.Parallel()
	var buf bytes.Buffer
	logger := slog.New(callctx.NewLogHandler(slog.NewJSONHandler(&buf, nil)))
	ctx := callctx.NewContext(context.Background(), callctx.Call{ID: goodID, Path: "public.user"})
	logger.InfoContext(ctx, "hello", "k", 1)
	logger.Info("no call")
	lines := strings.Split(strings.TrimSpace(buf.String()), "\n")
	var first, second map[string]any
	if err := json.Unmarshal([]byte(lines[0]), &first); err != nil {
		t.Fatal(err)
	}
	if err := json.Unmarshal([]byte(lines[1]), &second); err != nil {
		t.Fatal(err)
	}
	if first["call_id"] != goodID || first["call_path"] != "public.user" || first["k"] != 1.0 {
		t.Errorf("record with a call: %v", first)
	}
	if _, ok := second["call_id"]; ok {
		t.Errorf("record without a call: %v", second)
	}
}

// TestLogHandlerKeepsOwnCallID checks that a record that carries its own
// call_id (klue's request log does) does not get a second one.
func TestLogHandlerKeepsOwnCallID(t *testing.T) {
	t.Parallel()
	var buf bytes.Buffer
	logger := slog.New(callctx.NewLogHandler(slog.NewTextHandler(&buf, nil)))
	ctx := callctx.NewContext(context.Background(), callctx.Call{ID: goodID, Path: "public.user"})
	logger.InfoContext(ctx, "request", "call_id", goodID, "call_path", "public.user")
	if n := strings.Count(buf.String(), "call_id="); n != 1 {
		t.Errorf("%d call_id attributes: %s", n, buf.String())
	}
	if n := strings.Count(buf.String(), "call_path="); n != 1 {
		t.Errorf("%d call_path attributes: %s", n, buf.String())
	}
}

// TestLogHandlerConformance runs the standard library's handler test suite
// on the wrapper.
func TestLogHandlerConformance(t *testing.T) {
	t.Parallel()
	var buf bytes.Buffer
	h := callctx.NewLogHandler(slog.NewJSONHandler(&buf, nil))
	results := func() []map[string]any {
		var out []map[string]any
		for _, line := range bytes.Split(bytes.TrimSpace(buf.Bytes()), []byte("\n")) {
			if len(line) == 0 {
				continue
			}
			var m map[string]any
			if err := json.Unmarshal(line, &m); err != nil {
				t.Fatal(err)
			}
			out = append(out, m)
		}
		return out
	}
	if err := slogtest.TestHandler(h, results); err != nil {
		t.Fatal(err)
	}
}

func TestTracePropagation(t *testing.T) {
	t.Parallel()
	in := http.Header{}
	in.Set("traceparent", "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01")
	in.Set("tracestate", "congo=t61rcWkgMzE")
	ctx := callctx.ExtractTrace(context.Background(), in)
	if callctx.TraceID(ctx) != "4bf92f3577b34da6a3ce929d0e0e4736" {
		t.Fatalf("trace ID %q", callctx.TraceID(ctx))
	}
	out := http.Header{}
	callctx.InjectTrace(ctx, out)
	if out.Get("traceparent") != in.Get("traceparent") || out.Get("tracestate") != "congo=t61rcWkgMzE" {
		t.Errorf("propagated %v", out)
	}
	// Invalid or absent: nothing is made up.
	for _, tp := range []string{"", "garbage", "00-00000000000000000000000000000000-00f067aa0ba902b7-01"} {
		h := http.Header{}
		if tp != "" {
			h.Set("traceparent", tp)
		}
		ctx := callctx.ExtractTrace(context.Background(), h)
		out := http.Header{}
		callctx.InjectTrace(ctx, out)
		if trace.SpanContextFromContext(ctx).IsValid() || out.Get("traceparent") != "" {
			t.Errorf("traceparent %q gave %v", tp, out)
		}
	}
}

func TestNewID(t *testing.T) {
	t.Parallel()
	seen := map[string]bool{}
	for range 5000 {
		id := callctx.NewID()
		u, err := uuid.Parse(id)
		if err != nil || u.Version() != 4 || u.Variant() != uuid.RFC4122 || u.String() != id {
			t.Fatalf("%q is not a canonical UUID v4: %v", id, err)
		}
		if seen[id] {
			t.Fatalf("%s given twice", id)
		}
		seen[id] = true
	}
}

func BenchmarkNewID(b *testing.B) {
	b.ReportAllocs()
	for b.Loop() {
		_ = callctx.NewID()
	}
}
