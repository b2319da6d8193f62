package kluetest

import (
	"bytes"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/labstack/echo/v4"
	"golang.org/x/net/http/httpguts"

	"github.com/klue-go/klue-client-server/internal/excerpt"
	"github.com/klue-go/klue-client-server/klue"
	"github.com/klue-go/klue-client-server/klue/server"
)

// Add adds the spec src to pool under name, as [klue.Pool.Add] does, and
// fails tb when it does not load.
func Add(tb testing.TB, pool *klue.Pool, name string, src klue.Source, opts ...klue.Option) {
	tb.Helper()
	if err := pool.Add(name, src, opts...); err != nil {
		tb.Fatal(err)
	}
}

// Server is an API of a pool spawned, for a test, on an echo instance of
// its own. It is safe for concurrent use, as echo is.
type Server struct {
	// Echo is the echo instance the API is spawned on.
	Echo *echo.Echo
	tb   testing.TB
}

// Spawn spawns the API apiName of pool on a new echo instance, as
// [server.Spawn] does with opts, and fails tb when Spawn reports problems.
// Bind the handlers first.
func Spawn(tb testing.TB, pool *klue.Pool, apiName string, opts ...server.Option) *Server {
	tb.Helper()
	e := NewEcho()
	if err := server.Spawn(e, pool, apiName, opts...); err != nil {
		tb.Fatal(err)
	}
	return &Server{Echo: e, tb: tb}
}

// NewEcho returns an echo instance that prints no banner and no port, for
// tests that spawn APIs on it themselves.
func NewEcho() *echo.Echo {
	e := echo.New()
	e.HideBanner, e.HidePort = true, true
	return e
}

// ServeHTTP serves a request on the server's echo instance.
func (s *Server) ServeHTTP(w http.ResponseWriter, r *http.Request) { s.Echo.ServeHTTP(w, r) }

// Do sends a request to the server and returns the recorded answer; args
// are read as [Serve] reads them.
func (s *Server) Do(method, path string, args ...any) *httptest.ResponseRecorder {
	s.tb.Helper()
	return Serve(s.tb, s.Echo, method, path, args...)
}

// Get sends a GET request; see [Serve] for args.
func (s *Server) Get(path string, args ...any) *httptest.ResponseRecorder {
	s.tb.Helper()
	return s.Do(http.MethodGet, path, args...)
}

// Post sends a POST request; see [Serve] for args.
func (s *Server) Post(path string, args ...any) *httptest.ResponseRecorder {
	s.tb.Helper()
	return s.Do(http.MethodPost, path, args...)
}

// Put sends a PUT request; see [Serve] for args.
func (s *Server) Put(path string, args ...any) *httptest.ResponseRecorder {
	s.tb.Helper()
	return s.Do(http.MethodPut, path, args...)
}

// Patch sends a PATCH request; see [Serve] for args.
func (s *Server) Patch(path string, args ...any) *httptest.ResponseRecorder {
	s.tb.Helper()
	return s.Do(http.MethodPatch, path, args...)
}

// Delete sends a DELETE request; see [Serve] for args.
func (s *Server) Delete(path string, args ...any) *httptest.ResponseRecorder {
	s.tb.Helper()
	return s.Do(http.MethodDelete, path, args...)
}

// Serve sends a request to h, in process, and returns the recorded answer.
// path may carry a query. Each of args is, by its type:
//
//   - a string "Name: value", where Name is a header name: a header, added
//     (so that several values of one name all go);
//   - http.Header: headers, added;
//   - any other string, []byte or io.Reader: the body, sent as it is;
//   - any other value: the body, encoded as JSON.
//
// A request with a body and no Content-Type header says application/json.
// A text body that reads like a header ("note: hi") must be given as
// []byte. Serve fails tb when a value cannot be encoded as JSON or when
// two bodies are given.
func Serve(tb testing.TB, h http.Handler, method, path string, args ...any) *httptest.ResponseRecorder {
	tb.Helper()
	header := http.Header{}
	var body io.Reader
	setBody := func(r io.Reader) {
		if body != nil {
			tb.Fatalf("kluetest: %s %s: two bodies given", method, path)
		}
		body = r
	}
	for _, a := range args {
		switch v := a.(type) {
		case string:
			if name, value, ok := headerArg(v); ok {
				header.Add(name, value)
				continue
			}
			setBody(strings.NewReader(v))
		case http.Header:
			for k, vs := range v {
				for _, x := range vs {
					header.Add(k, x)
				}
			}
		case []byte:
			setBody(bytes.NewReader(v))
		case io.Reader:
			setBody(v)
		default:
			data, err := json.Marshal(v)
			if err != nil {
				tb.Fatalf("kluetest: %s %s: encoding the body: %v", method, path, err)
			}
			setBody(bytes.NewReader(data))
		}
	}
	req := httptest.NewRequest(method, path, body)
	for k, vs := range header {
		req.Header[k] = vs
	}
	if body != nil && req.Header.Get("Content-Type") == "" {
		req.Header.Set("Content-Type", "application/json")
	}
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, req)
	return rec
}

// headerArg reads "Name: value", where Name is an HTTP token (RFC 9110).
func headerArg(s string) (name, value string, ok bool) {
	name, value, ok = strings.Cut(s, ":")
	if !ok || !httpguts.ValidHeaderFieldName(name) {
		return "", "", false
	}
	return name, strings.TrimSpace(value), true
}

// Decode decodes the JSON body of an answer into a T, as encoding/json
// does, failing tb when it is not one.
func Decode[T any](tb testing.TB, rec *httptest.ResponseRecorder) T {
	tb.Helper()
	var v T
	dec := json.NewDecoder(bytes.NewReader(rec.Body.Bytes()))
	if err := dec.Decode(&v); err != nil {
		tb.Fatalf("kluetest: the %d answer is not a %T: %v: %s", rec.Code, v, err, excerpt.Quote(rec.Body.String(), excerpt.Message))
	}
	return v
}
