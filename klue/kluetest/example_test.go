package kluetest_test

import (
	"context"
	"fmt"
	"net/http"
	"strings"
	"testing"

	"github.com/klue-go/klue-client-server/klue"
	"github.com/klue-go/klue-client-server/klue/kluetest"
	"github.com/klue-go/klue-client-server/klue/server"
)

const greetSpec = `
openapi: 3.0.3
info: {title: greet, version: "1"}
paths:
  /greet/{name}:
    get:
      operationId: greet
      parameters:
        - {name: name, in: path, required: true, schema: {type: string, maxLength: 10}}
        - {name: X-Polite, in: header, schema: {type: boolean}}
      responses:
        "200":
          description: a greeting
          content:
            application/json:
              schema:
                type: object
                required: [text]
                properties:
                  text: {type: string}
`

type GreetIn struct {
	Name   string `path:"name"`
	Polite bool   `header:"X-Polite"`
}

type Greeting struct {
	Text string `json:"text"`
}

func Greet(_ context.Context, in *GreetIn) (*Greeting, error) {
	if in.Polite {
		return &Greeting{Text: "Good day, " + in.Name}, nil
	}
	return &Greeting{Text: "Hi " + in.Name}, nil
}

// A test of a handler, through everything klue does around it: routing,
// parameters, validation, the answer's encoding and its check.
func Example() {
	testGreet(new(testing.T)) // go test gives the test its *testing.T
	// Output:
	// 200 Good day, Ann
	// 400 path.name maxLength: got 11, want 10
}

// testGreet is what a test function, func TestGreet(t *testing.T), holds.
func testGreet(t *testing.T) {
	pool := klue.NewPool()
	kluetest.Add(t, pool, "greet", klue.Bytes("greet.yaml", []byte(greetSpec)))
	server.Bind(pool, "greet", Greet)
	srv := kluetest.Spawn(t, pool, "greet")

	rec := srv.Get("/greet/Ann", "X-Polite: true")
	fmt.Println(rec.Code, kluetest.Decode[Greeting](t, rec).Text)

	rec = srv.Get("/greet/Bartholomew")
	problem := kluetest.Decode[server.ProblemDetails](t, rec)
	fmt.Println(rec.Code, problem.Errors[0].Location, problem.Errors[0].Message)
}

func TestServe(t *testing.T) {
	t.Parallel()
	var seen *http.Request
	var seenBody string
	h := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		seen = r
		b := make([]byte, 100)
		n, _ := r.Body.Read(b)
		seenBody = string(b[:n])
		w.WriteHeader(http.StatusTeapot)
	})
	tests := []struct {
		name        string
		args        []any
		body        string
		contentType string
		header      map[string][]string
	}{
		{"nothing", nil, "", "", nil},
		{"JSON text", []any{`{"a": "b: c"}`}, `{"a": "b: c"}`, "application/json", nil},
		{"headers", []any{"X-One: 1", "X-Two:2", "X-One: again"}, "", "", map[string][]string{"X-One": {"1", "again"}, "X-Two": {"2"}}},
		{"http.Header", []any{http.Header{"X-Three": {"3"}}}, "", "", map[string][]string{"X-Three": {"3"}}},
		{"form with its type", []any{"Content-Type: application/x-www-form-urlencoded", "q=a:b"}, "q=a:b", "application/x-www-form-urlencoded", nil},
		{"text that reads like a header", []any{"Content-Type: text/plain", []byte("note: hi")}, "note: hi", "text/plain", nil},
		{"value as JSON", []any{map[string]int{"n": 1}}, `{"n":1}`, "application/json", nil},
	}
	for _, tt := range tests {
		rec := kluetest.Serve(t, h, "PUT", "/x?y=1", tt.args...)
		if rec.Code != http.StatusTeapot || seen.Method != "PUT" || seen.URL.RawQuery != "y=1" {
			t.Errorf("%s: %d %s %s", tt.name, rec.Code, seen.Method, seen.URL)
		}
		if seenBody != tt.body || seen.Header.Get("Content-Type") != tt.contentType {
			t.Errorf("%s: body %q (%q), want %q (%q)", tt.name, seenBody, seen.Header.Get("Content-Type"), tt.body, tt.contentType)
		}
		for k, want := range tt.header {
			if got := seen.Header.Values(k); fmt.Sprint(got) != fmt.Sprint(want) {
				t.Errorf("%s: header %s = %q, want %q", tt.name, k, got, want)
			}
		}
	}
}

// fatalTB records the first failure and stops, as t.Fatal does.
type fatalTB struct {
	testing.TB
	msg string
}

type stopped struct{}

func (f *fatalTB) Helper() {}
func (f *fatalTB) Fatal(args ...any) {
	f.msg = fmt.Sprint(args...)
	panic(stopped{})
}
func (f *fatalTB) Fatalf(format string, args ...any) {
	f.msg = fmt.Sprintf(format, args...)
	panic(stopped{})
}

// fails runs f with a fatalTB and returns its failure, or "".
func fails(f func(tb testing.TB)) (msg string) {
	tb := &fatalTB{}
	defer func() {
		if r := recover(); r != nil {
			if _, ok := r.(stopped); !ok {
				panic(r)
			}
			msg = tb.msg
		}
	}()
	f(tb)
	return ""
}

func TestFailures(t *testing.T) {
	t.Parallel()
	h := http.NotFoundHandler()
	for name, tt := range map[string]struct {
		f    func(tb testing.TB)
		want string
	}{
		"two bodies":    {func(tb testing.TB) { kluetest.Serve(tb, h, "POST", "/", "a", "b") }, "two bodies"},
		"not JSON-able": {func(tb testing.TB) { kluetest.Serve(tb, h, "POST", "/", func() {}) }, "encoding the body"},
		"spec not valid": {func(tb testing.TB) {
			kluetest.Add(tb, klue.NewPool(), "x", klue.Bytes("x.yaml", []byte("openapi: [3.0.3\n")))
		}, "x.yaml"},
		"spawn problems": {func(tb testing.TB) {
			pool := klue.NewPool()
			kluetest.Add(tb, pool, "greet", klue.Bytes("greet.yaml", []byte(greetSpec)))
			kluetest.Spawn(tb, pool, "greet")
		}, "has no handler"},
		"not the JSON expected": {func(tb testing.TB) {
			kluetest.Decode[Greeting](tb, kluetest.Serve(tb, h, "GET", "/"))
		}, "the 404 answer is not a kluetest_test.Greeting"},
	} {
		if got := fails(tt.f); got == "" || !strings.Contains(got, tt.want) {
			t.Errorf("%s: failure %q, want one with %q", name, got, tt.want)
		}
	}
}
