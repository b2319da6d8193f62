package server_test

import (
	"fmt"
	"io"
	"net/http"
	"strings"
	"testing"

	"github.com/klue-go/klue-client-server/klue/callctx"
	"github.com/klue-go/klue-client-server/klue/server"
)

// hostileCase is one request an attacker might send, and the answer it
// must get.
type hostileCase struct {
	name   string
	method string
	path   string // as sent: escapes are kept
	header map[string]string
	body   string
	// raw, when set, is sent as is on a new connection, instead of the
	// request above.
	raw string
	// want is the status; 0 accepts any 4xx.
	want int
	// handlerMayRun allows the handlers to run: an answer of theirs.
	handlerMayRun bool
	// check looks further at the answer.
	check func(t *testing.T, res *http.Response, body string, calls *hostileCalls)
}

const jsonType = "application/json"

// TestHostileInput is the catalogue of hostile requests, each served by a
// real loopback server (server.Serve with its default limits) in front of
// the hostile API: each gets its 4xx, none a 5xx, none reaches a handler
// that should not see it, and no answer reflects more than a bounded
// excerpt of what was sent.
func TestHostileInput(t *testing.T) {
	t.Parallel()
	const n = 100_000
	marker := strings.Repeat("Z", n)
	user := func(extra string) string {
		return `{"email":"a@example.com","name":"n"` + extra + `}`
	}
	deep := strings.Repeat("[", n) + strings.Repeat("]", n)
	smuggled := "GET /users/1 HTTP/1.1\r\nHost: x\r\n\r\n"
	chunkedEnd := "0\r\n\r\n" + smuggled
	json := map[string]string{"Content-Type": jsonType}
	cases := []hostileCase{
		// The body's media type.
		{name: "no Content-Type", method: "POST", path: "/users", body: user(""), want: 415},
		{name: "text/plain, as a cross-site form sends", method: "POST", path: "/users", header: map[string]string{"Content-Type": "text/plain"}, body: user(""), want: 415},
		{name: "a urlencoded form", method: "POST", path: "/users", header: map[string]string{"Content-Type": "application/x-www-form-urlencoded"}, body: "email=a@example.com&name=n", want: 415},
		{name: "a Content-Type that does not parse", method: "POST", path: "/users", header: map[string]string{"Content-Type": "application/json; ;;=" + marker[:200]}, body: user(""), want: 415},
		{name: "UTF-16 declared", method: "POST", path: "/users", header: map[string]string{"Content-Type": "application/json; charset=utf-16"}, body: "\xff\xfe{\x00}\x00"},

		// Malformed JSON.
		{name: "malformed JSON", method: "POST", path: "/users", header: json, body: `{"email":`, want: 400},
		{name: "not JSON at all", method: "POST", path: "/users", header: json, body: `<xml/>`, want: 400},
		{name: "a byte order mark", method: "POST", path: "/users", header: json, body: "\ufeff" + user(""), want: 400},
		{name: "trailing data", method: "POST", path: "/users", header: json, body: user("") + `{"email":"b@example.com"}`, want: 400},
		{name: "trailing garbage", method: "POST", path: "/users", header: json, body: user("") + `garbage`, want: 400},
		{name: "an array for an object", method: "POST", path: "/users", header: json, body: `[` + user("") + `]`, want: 400},
		{name: "null for the body", method: "POST", path: "/users", header: json, body: `null`, want: 400},
		{name: "an empty body", method: "POST", path: "/users", header: json, want: 400},
		{name: "deep nesting", method: "POST", path: "/users", header: json, body: user(`,"profile":{"bio":` + deep + `}`), want: 400},
		{name: "deep nesting of objects", method: "POST", path: "/users", header: json, body: user(`,"profile":` + strings.Repeat(`{"a":`, n) + `1` + strings.Repeat(`}`, n)), want: 400},
		{name: "a huge number", method: "POST", path: "/users", header: json, body: user(`,"age":1` + strings.Repeat("0", n)), want: 400},
		{name: "a huge exponent", method: "POST", path: "/users", header: json, body: user(`,"age":1e1000000000`), want: 400},
		{name: "a long fraction", method: "POST", path: "/users", header: json, body: user(`,"age":1.` + strings.Repeat("5", n)), want: 400},
		{name: "a negative zero out of range", method: "POST", path: "/users", header: json, body: user(`,"age":-1e-400`)},
		{name: "a raw NUL byte in a string", method: "POST", path: "/users", header: json, body: `{"email":"a@example.com","name":"a` + "\x00" + `b"}`, want: 400},
		{name: "a raw control character", method: "POST", path: "/users", header: json, body: `{"email":"a@example.com","name":"a` + "\x1b" + `b"}`, want: 400},
		{
			name: "an escaped NUL the schema allows", method: "POST", path: "/users", header: json, body: user(`,"role":"reader","tags":["a\u0000b"]`), want: 201, handlerMayRun: true,
		},
		{name: "an unknown property", method: "POST", path: "/users", header: json, body: user(`,"` + marker + `":1`), want: 400},
		{name: "a wrong type", method: "POST", path: "/users", header: json, body: `{"email":"a@example.com","name":["` + marker + `"]}`, want: 400},
		{name: "a long invalid email", method: "POST", path: "/users", header: json, body: `{"email":"` + marker + `","name":"n"}`, want: 400},
		{name: "an invalid email of characters JSON escapes", method: "POST", path: "/users", header: json, body: `{"email":"` + strings.Repeat("<", n) + `","name":"n"}`, want: 400},
		{name: "too many items", method: "POST", path: "/users", header: json, body: user(`,"tags":[` + strings.Repeat(`"a",`, n) + `"a"]`), want: 400},

		// Sizes.
		{name: "a body over the limit", method: "POST", path: "/users", header: json, body: user(`,"profile":{"bio":"` + strings.Repeat("Z", server.DefaultBodyLimit) + `"}`), want: 413},
		{
			name: "a chunked body over the limit",
			raw:  "POST /users HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nTransfer-Encoding: chunked\r\n\r\n" + fmt.Sprintf("%x\r\n", server.DefaultBodyLimit+10) + strings.Repeat("Z", server.DefaultBodyLimit+10) + "\r\n0\r\n\r\n",
			want: 413,
		},
		{name: "an oversized header", method: "GET", path: "/users/1", header: map[string]string{"X-Big": marker}, want: 431},
		{name: "an oversized URL", method: "GET", path: "/users/1?fields=" + marker, want: 431},
		{name: "a long path", method: "GET", path: "/" + marker[:20_000], want: 404},
		{name: "a long query value", method: "GET", path: "/users/1?fields=" + marker[:20_000], want: 400},

		// Headers.
		{name: "CR in a call header", raw: "GET /users/1 HTTP/1.1\r\nHost: x\r\nKlueCallerID: abc\rInjected: 1\r\n\r\n", want: 400},
		{name: "LF in a call header, a header of its own", raw: "GET /users/1 HTTP/1.1\r\nHost: x\r\nKlueCallerID: abc\nX-Injected: 1\r\n\r\n", want: 200, handlerMayRun: true, check: callIDNotReflected("abc")},
		{
			name: "a call ID that is not one", method: "GET", path: "/users/1", header: map[string]string{callctx.HeaderID: "<script>" + marker[:2000]}, want: 200, handlerMayRun: true,
			check: callIDNotReflected("<script>" + marker[:2000]),
		},
		{name: "a call path that is not one", method: "GET", path: "/users/1", header: map[string]string{callctx.HeaderPath: strings.Repeat("a,", 5000)}, want: 200, handlerMayRun: true},
		{
			name: "Content-Length and Transfer-Encoding",
			raw:  fmt.Sprintf("POST /users HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: %d\r\nTransfer-Encoding: chunked\r\n\r\n%s", len(chunkedEnd), chunkedEnd),
			want: 400,
		},
		{name: "two different Content-Lengths", raw: "POST /users HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: 2\r\nContent-Length: 3\r\n\r\n{}", want: 400},

		// Methods.
		{
			name: "X-HTTP-Method-Override does not change the operation", method: "GET", path: "/users/1", header: map[string]string{"X-HTTP-Method-Override": "DELETE"}, want: 200, handlerMayRun: true,
			check: func(t *testing.T, _ *http.Response, _ string, calls *hostileCalls) {
				if calls.del.Load() != 0 || calls.get.Load() != 1 {
					t.Errorf("get ran %d times, delete %d times; want 1 and 0", calls.get.Load(), calls.del.Load())
				}
			},
		},
		{
			name: "_method does not change the operation", method: "GET", path: "/users/1?_method=DELETE", want: 200, handlerMayRun: true,
			check: func(t *testing.T, _ *http.Response, _ string, calls *hostileCalls) {
				if calls.del.Load() != 0 {
					t.Errorf("delete ran %d times", calls.del.Load())
				}
			},
		},
		{name: "an override towards a method the path has not", method: "POST", path: "/users/1", header: map[string]string{"X-HTTP-Method-Override": "GET"}, want: 405},
		{name: "an unknown method", method: "PROPFIND", path: "/users/1", want: 405},

		// Path parameters.
		{name: "traversal, escaped slashes", method: "GET", path: "/files/..%2F..%2Fetc%2Fpasswd"},
		{name: "traversal, dots", method: "GET", path: "/files/%2e%2e"},
		{name: "traversal, backslashes", method: "GET", path: "/files/..%5C..%5Cwindows"},
		{name: "traversal, raw", raw: "GET /files/../../etc/passwd HTTP/1.1\r\nHost: x\r\n\r\n"},
		{name: "a NUL in a path parameter", method: "GET", path: "/files/a%00b"},
		{name: "an id that is not a number", method: "GET", path: "/users/1%20OR%201=1", want: 404},
		{name: "an id out of range", method: "GET", path: "/users/99999999999999999999", want: 400},
		{name: "an id below its minimum", method: "GET", path: "/users/0", want: 400},
		{name: "a long id", method: "GET", path: "/users/" + marker[:20_000], want: 404},
	}
	logger, _ := newLogger()
	e, calls := hostileAPI(t, false, server.WithLogger(logger))
	addr := startServe(t, e, server.ServeConfig{})
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			// Sequential: the handler counts are the server's.
			calls.create.Store(0)
			calls.get.Store(0)
			calls.del.Store(0)
			calls.file.Store(0)
			res, body := sendHostile(t, addr, tc)
			if res.StatusCode >= 500 {
				t.Fatalf("status %d: %.300s", res.StatusCode, body)
			}
			if tc.want != 0 && res.StatusCode != tc.want || tc.want == 0 && (res.StatusCode < 400 || res.StatusCode > 499) {
				t.Errorf("status %d, want %d: %.300s", res.StatusCode, tc.want, body)
			}
			ran := calls.create.Load() + calls.get.Load() + calls.del.Load() + calls.file.Load()
			if ran != 0 && !tc.handlerMayRun {
				t.Errorf("a handler ran (create %d, get %d, delete %d, file %d)", calls.create.Load(), calls.get.Load(), calls.del.Load(), calls.file.Load())
			}
			if len(body) > maxErrorBody {
				t.Errorf("a %d-byte answer: %.300s", len(body), body)
			}
			for _, s := range []string{strings.Repeat("Z", 200), strings.Repeat(`\u003c`, 200), strings.Repeat("a,", 200)} {
				if strings.Contains(body, s) {
					t.Errorf("the answer reflects the input: %.300s", body)
				}
			}
			if tc.check != nil {
				tc.check(t, res, body, calls)
			}
		})
	}
}

// callIDNotReflected checks that the call ID sent back is not the one the
// request carried.
func callIDNotReflected(sent string) func(*testing.T, *http.Response, string, *hostileCalls) {
	return func(t *testing.T, res *http.Response, _ string, _ *hostileCalls) {
		got := res.Header.Get(callctx.HeaderID)
		if got == "" || strings.Contains(got, sent) {
			t.Errorf("call ID %q sent back for %.40q", got, sent)
		}
	}
}

// sendHostile sends the case's request and reads the answer.
func sendHostile(t *testing.T, addr string, tc hostileCase) (*http.Response, string) {
	t.Helper()
	if tc.raw != "" {
		answer, _ := rawExchange(t, addr, tc.raw)
		res, err := http.ReadResponse(bufioReader(answer), nil)
		if err != nil {
			t.Fatalf("no answer: %v: %.300q", err, answer)
		}
		defer res.Body.Close()
		body, _ := io.ReadAll(res.Body)
		return res, string(body)
	}
	req, err := http.NewRequest(tc.method, "http://"+addr+tc.path, strings.NewReader(tc.body))
	if err != nil {
		t.Fatal(err)
	}
	if tc.body == "" {
		req.Body, req.ContentLength = http.NoBody, 0
	}
	for k, v := range tc.header {
		req.Header.Set(k, v)
	}
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	body, _ := io.ReadAll(res.Body)
	return res, string(body)
}
