package server_test

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"strconv"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/labstack/echo/v4"

	"github.com/klue-go/klue-client-server/internal/callwire"
	"github.com/klue-go/klue-client-server/klue"
	"github.com/klue-go/klue-client-server/klue/callctx"
	"github.com/klue-go/klue-client-server/klue/kluetest"
	"github.com/klue-go/klue-client-server/klue/server"
)

// The behaviours of the original library's server (BEHAVIOURS.md, "Server"),
// against testdata/behaviours.yaml.

type SessionToken struct {
	Token string `json:"token"`
}

type Credentials struct {
	Email string `json:"email"`
	Int   string `json:"int,omitempty"`
}

type Strict struct {
	Name string `json:"name"`
}

type Echo struct {
	Foo       string   `json:"foo,omitempty"`
	Bar       string   `json:"bar,omitempty"`
	Limit     int      `json:"limit,omitempty"`
	Item      int32    `json:"item,omitempty"`
	Path      string   `json:"path,omitempty"`
	Tags      []string `json:"tags,omitempty"`
	IDs       []int    `json:"ids,omitempty"`
	Since     string   `json:"since,omitempty"`
	Principal string   `json:"principal,omitempty"`
	CallID    string   `json:"call_id,omitempty"`
	CallPath  string   `json:"call_path,omitempty"`
	Email     string   `json:"email,omitempty"`
}

type QueryIn struct {
	Foo   string    `query:"foo"`
	Bar   *string   `query:"bar"`
	Limit int       `query:"limit"`
	Tags  []string  `query:"tags"`
	IDs   []int     `query:"ids"`
	Since time.Time `query:"since"`
}

type ItemIn struct {
	Item int32  `path:"item"`
	Path string `path:"path"`
}

type PostItemIn struct {
	Item int32  `path:"item"`
	Path string `path:"path"`
	Body Credentials
}

type User struct{ Name string }

// behaviours spawns testdata/behaviours.yaml with every handler bound, and
// counts the handler calls.
func behaviours(t *testing.T, opts ...server.Option) (*echo.Echo, *atomic.Int64, *logBuffer) {
	t.Helper()
	pool := klue.NewPool()
	kluetest.Add(t, pool, "behaviours", klue.File("testdata/behaviours.yaml"))
	calls := &atomic.Int64{}
	count := func() { calls.Add(1) }
	server.Bind(pool, "noParam", func(ctx context.Context, _ *struct{}) (*SessionToken, error) {
		count()
		return &SessionToken{Token: "123"}, nil
	})
	server.Bind(pool, "nothing", func(ctx context.Context, _ *struct{}) (*SessionToken, error) {
		count()
		return nil, nil
	})
	type tokenAnswer struct {
		Status int `status:""`
		Body   *SessionToken
	}
	server.Bind(pool, "raw", func(ctx context.Context, _ *struct{}) (*tokenAnswer, error) {
		count()
		switch server.RequestHeader(ctx).Get("X-Mode") {
		case "reply":
			return &tokenAnswer{Status: http.StatusAccepted, Body: &SessionToken{Token: "later"}}, nil
		case "undeclared":
			return &tokenAnswer{Status: 299, Body: &SessionToken{}}, nil
		}
		w := server.ResponseWriter(ctx)
		w.Header().Set("Content-Type", "application/json")
		w.WriteHeader(534)
		_, _ = w.Write([]byte(`{"foo":"bar"}`))
		return nil, nil
	})
	server.Bind(pool, "wrong", func(ctx context.Context, _ *struct{}) (*Strict, error) {
		count()
		return &Strict{Name: "not in the enum"}, nil
	})
	server.Bind(pool, "login", func(ctx context.Context, c *Credentials) (*Credentials, error) {
		count()
		return c, nil
	})
	server.Bind(pool, "strict", func(ctx context.Context, c *Strict) (*struct{}, error) {
		count()
		return nil, nil
	})
	server.Bind(pool, "query", func(ctx context.Context, in *QueryIn) (*Echo, error) {
		count()
		out := &Echo{Foo: in.Foo, Limit: in.Limit, Tags: in.Tags, IDs: in.IDs}
		if in.Bar != nil {
			out.Bar = *in.Bar
		}
		if !in.Since.IsZero() {
			out.Since = in.Since.UTC().Format(time.RFC3339)
		}
		return out, nil
	})
	server.Bind(pool, "getItem", func(ctx context.Context, in *ItemIn) (*Echo, error) {
		count()
		return &Echo{Item: in.Item, Path: in.Path}, nil
	})
	server.Bind(pool, "postItem", func(ctx context.Context, in *PostItemIn) (*Echo, error) {
		count()
		return &Echo{Item: in.Item, Path: in.Path, Email: in.Body.Email}, nil
	})
	server.Bind(pool, "panics", func(ctx context.Context, _ *struct{}) (*struct{}, error) {
		count()
		panic("boom")
	})
	server.Bind(pool, "fails", func(ctx context.Context, _ *struct{}) (*struct{}, error) {
		count()
		switch server.RequestHeader(ctx).Get("X-Mode") {
		case "klue":
			return nil, klue.Errorf(http.StatusNotFound, "no such thing")
		case "wrapped":
			return nil, fmt.Errorf("looking up: %w", klue.Errorf(http.StatusConflict, "taken"))
		case "echo":
			return nil, fmt.Errorf("wrapped: %w", echo.NewHTTPError(http.StatusTeapot, "short and stout"))
		case "body":
			return nil, &klue.Error{Status: http.StatusNotFound, Body: map[string]any{"status": 404, "error": "gone"}}
		case "wrapped cause":
			return nil, klue.Errorf(http.StatusServiceUnavailable, "store down: %w", errors.New("dial db: password hunter2 refused"))
		case "cause":
			return nil, klue.NewError(http.StatusServiceUnavailable, errors.New("dial db: password hunter2 refused"))
		case "sentinel":
			return nil, fmt.Errorf("saving: %w", klue.ErrConflict)
		}
		return nil, errors.New("database password is hunter2")
	})
	server.Bind(pool, "secure", func(ctx context.Context, c *Credentials) (*Echo, error) {
		count()
		u, _ := server.Principal[*User](ctx)
		return &Echo{Principal: u.Name, Email: c.Email}, nil
	})
	server.Bind(pool, "decorated", func(ctx context.Context, _ *struct{}) (*Echo, error) {
		count()
		return &Echo{Foo: server.RequestHeader(ctx).Get("X-Stamp")}, nil
	})
	server.Bind(pool, "call", func(ctx context.Context, _ *struct{}) (*Echo, error) {
		count()
		return &Echo{CallID: callctx.ID(ctx), CallPath: callctx.Path(ctx)}, nil
	})
	logger, logs := newLogger()
	e := kluetest.NewEcho()
	opts = append([]server.Option{
		server.WithLogger(logger),
		server.WithVerifier("token", func(ctx context.Context, c server.Credentials) (any, error) {
			switch c.Value {
			case "good":
				return &User{Name: "ann"}, nil
			case "banned":
				return nil, klue.ErrForbidden
			}
			return nil, errors.New("unknown token")
		}),
		server.WithNamedDecorator("stamp", func(next echo.HandlerFunc) echo.HandlerFunc {
			return func(c echo.Context) error {
				c.Request().Header.Set("X-Stamp", "stamped "+server.Operation(c.Request().Context()).OperationID)
				return next(c)
			}
		}),
	}, opts...)
	if err := server.Spawn(e, pool, "behaviours", opts...); err != nil {
		t.Fatal(err)
	}
	return e, calls, logs
}

func TestBehaviours(t *testing.T) {
	t.Parallel()
	e, calls, logs := behaviours(t)
	tests := []struct {
		name   string
		req    request
		status int
		// body holds expected top-level members of the JSON response.
		body map[string]any
		// contains lists strings the raw body must hold.
		contains []string
		// called says whether the handler must have run.
		called bool
	}{
		{"no param", request{method: "GET", path: "/v1/no/param"}, 200, map[string]any{"token": "123"}, nil, true},
		{"nil result where a body is declared", request{method: "GET", path: "/v1/nothing"}, 500, map[string]any{"status": 500.0, "title": "Internal Server Error"}, nil, true},
		{"raw response", request{method: "GET", path: "/v1/raw"}, 534, map[string]any{"foo": "bar"}, nil, true},
		{"typed response with another declared status", request{method: "GET", path: "/v1/raw", header: map[string]string{"X-Mode": "reply"}}, 202, map[string]any{"token": "later"}, nil, true},
		{"typed response with an undeclared status", request{method: "GET", path: "/v1/raw", header: map[string]string{"X-Mode": "undeclared"}}, 500, nil, nil, true},
		{"result that is not the model", request{method: "GET", path: "/v1/wrong"}, 500, map[string]any{"detail": "response does not conform to the specification"}, nil, true},
		{"typed body", request{method: "POST", path: "/v1/login", body: `{"email":"a@a.a","int":"123123"}`}, 200, map[string]any{"email": "a@a.a", "int": "123123"}, nil, true},
		{"extra properties accepted", request{method: "POST", path: "/v1/login", body: `{"email":"a@a.a","extra":1}`}, 200, map[string]any{"email": "a@a.a"}, nil, true},
		{"extra properties refused by additionalProperties false", request{method: "POST", path: "/v1/strict", body: `{"name":"a","extra":1}`}, 400, nil, []string{`"location":"body"`}, false},
		{"strict body", request{method: "POST", path: "/v1/strict", body: `{"name":"a"}`}, 204, nil, nil, true},
		{"query", request{method: "GET", path: "/v1/query?foo=aaaa&bar=bbbb"}, 200, map[string]any{"foo": "aaaa", "bar": "bbbb", "limit": 10.0}, nil, true},
		{"query arrays and date-time", request{method: "GET", path: "/v1/query?foo=a&tags=x,y&ids=1&ids=2&limit=5&since=2024-01-02T03:04:05Z"}, 200,
			map[string]any{"tags": []any{"x", "y"}, "ids": []any{1.0, 2.0}, "limit": 5.0, "since": "2024-01-02T03:04:05Z"}, nil, true},
		{"missing required query", request{method: "GET", path: "/v1/query?bar=bbbb"}, 400, nil, []string{`"location":"query.foo"`, `"is required"`}, false},
		{"query out of range", request{method: "GET", path: "/v1/query?foo=a&limit=1000"}, 400, nil, []string{`"location":"query.limit"`}, false},
		{"query not an integer", request{method: "GET", path: "/v1/query?foo=a&limit=ten"}, 400, nil, []string{`"location":"query.limit"`}, false},
		{"query items not integers", request{method: "GET", path: "/v1/query?foo=a&ids=1&ids=x"}, 400, nil, []string{`"location":"query.ids.1"`}, false},
		{"body missing required property", request{method: "POST", path: "/v1/login", body: `{"int":"1"}`}, 400, nil, []string{`"location":"body.email"`, `"is required"`}, false},
		{"path parameters typed", request{method: "GET", path: "/v1/in/1234/foo/bob234"}, 200, map[string]any{"item": 1234.0, "path": "bob234"}, nil, true},
		{"path parameter escaped", request{method: "GET", path: "/v1/in/1/foo/a%2Fb%20c"}, 200, map[string]any{"path": "a/b c"}, nil, true},
		{"path parameter that does not parse", request{method: "GET", path: "/v1/in/abc/foo/bob"}, 404, nil, nil, false},
		{"path parameter out of range", request{method: "GET", path: "/v1/in/0/foo/bob"}, 400, nil, []string{`"location":"path.item"`}, false},
		{"second method on the same path", request{method: "POST", path: "/v1/in/7/foo/x", body: `{"email":"e@x"}`}, 201, map[string]any{"item": 7.0, "email": "e@x"}, nil, true},
		{"method not declared", request{method: "DELETE", path: "/v1/in/7/foo/x"}, 405, map[string]any{"status": 405.0}, nil, false},
		{"unknown path", request{method: "GET", path: "/v1/nowhere"}, 404, map[string]any{"status": 404.0, "instance": "/v1/nowhere"}, nil, false},
		{"invalid JSON", request{method: "POST", path: "/v1/login", body: `{"email":`}, 400, nil, []string{"invalid JSON"}, false},
		{"empty body where one is required", request{method: "POST", path: "/v1/login"}, 400, nil, []string{`"location":"body"`, "is required"}, false},
		{"body of the wrong type", request{method: "POST", path: "/v1/login", body: `42`}, 400, nil, []string{`"location":"body"`}, false},
		{"panic", request{method: "GET", path: "/v1/panic"}, 500, map[string]any{"detail": "internal error"}, nil, true},
		{"plain error", request{method: "GET", path: "/v1/fail"}, 500, map[string]any{"detail": "internal error"}, nil, true},
		{"klue error", request{method: "GET", path: "/v1/fail", header: map[string]string{"X-Mode": "klue"}}, 404, map[string]any{"detail": "no such thing"}, nil, true},
		{"wrapped klue error", request{method: "GET", path: "/v1/fail", header: map[string]string{"X-Mode": "wrapped"}}, 409, map[string]any{"detail": "taken"}, nil, true},
		{"wrapped echo error", request{method: "GET", path: "/v1/fail", header: map[string]string{"X-Mode": "echo"}}, 418, map[string]any{"detail": "short and stout"}, nil, true},
		{"Errorf's wrapped cause left out", request{method: "GET", path: "/v1/fail", header: map[string]string{"X-Mode": "wrapped cause"}}, 503, map[string]any{"detail": "store down", "status": 503.0}, nil, true},
		{"NewError's cause not sent", request{method: "GET", path: "/v1/fail", header: map[string]string{"X-Mode": "cause"}}, 503, map[string]any{"title": "Service Unavailable", "status": 503.0}, nil, true},
		{"wrapped sentinel", request{method: "GET", path: "/v1/fail", header: map[string]string{"X-Mode": "sentinel"}}, 409, map[string]any{"title": "Conflict", "status": 409.0}, nil, true},
		{"error with the API's model", request{method: "GET", path: "/v1/fail", header: map[string]string{"X-Mode": "body"}}, 404, map[string]any{"status": 404.0, "error": "gone"}, nil, true},
		{"no credentials, invalid body", request{method: "POST", path: "/v1/secure", body: `{`}, 401, nil, nil, false},
		{"unknown credentials", request{method: "POST", path: "/v1/secure", body: `{"email":"e"}`, header: map[string]string{"X-Token": "bad"}}, 401, nil, nil, false},
		{"forbidden credentials", request{method: "POST", path: "/v1/secure", body: `{"email":"e"}`, header: map[string]string{"X-Token": "banned"}}, 403, nil, nil, false},
		{"good credentials, invalid body", request{method: "POST", path: "/v1/secure", body: `{`, header: map[string]string{"x-token": "good"}}, 400, nil, nil, false},
		{"good credentials", request{method: "POST", path: "/v1/secure", body: `{"email":"e"}`, header: map[string]string{"X-Token": "good"}}, 200, map[string]any{"principal": "ann", "email": "e"}, nil, true},
		{"named decorator", request{method: "GET", path: "/v1/decorated"}, 200, map[string]any{"foo": "stamped decorated"}, nil, true},
		{"x-no-bind-server is not mounted", request{method: "GET", path: "/v1/skipped"}, 404, nil, nil, false},
		{"call path continued", request{method: "GET", path: "/v1/call", header: map[string]string{callctx.HeaderID: "0a6c7ab0-2f54-4ad1-b6bb-33ecc5de5a0e", callctx.HeaderPath: "public.user"}}, 200,
			map[string]any{"call_id": "0a6c7ab0-2f54-4ad1-b6bb-33ecc5de5a0e", "call_path": "public.user.behaviours"}, nil, true},
		{"hostile call headers replaced", request{method: "GET", path: "/v1/call", header: map[string]string{callctx.HeaderID: "<script>", callctx.HeaderPath: "a b"}}, 200,
			map[string]any{"call_path": "behaviours"}, nil, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			before := calls.Load()
			rec := tt.req.on(t, e)
			if rec.Code != tt.status {
				t.Fatalf("status %d, want %d: %s", rec.Code, tt.status, rec.Body.String())
			}
			if tt.status >= 400 && tt.body == nil || tt.body != nil && tt.body["status"] != nil {
				if ct := rec.Header().Get("Content-Type"); ct != server.MIMEProblemJSON && tt.body["error"] == nil {
					t.Errorf("Content-Type %q, want %s", ct, server.MIMEProblemJSON)
				}
			}
			if tt.body != nil {
				got := kluetest.Decode[map[string]any](t, rec)
				for k, want := range tt.body {
					if !equalJSON(got[k], want) {
						t.Errorf("%s = %#v, want %#v (body %s)", k, got[k], want, rec.Body.String())
					}
				}
			}
			for _, s := range tt.contains {
				if !strings.Contains(rec.Body.String(), s) {
					t.Errorf("body %s does not contain %s", rec.Body.String(), s)
				}
			}
			// Handlers of this table run one at a time per subtest, but
			// subtests share the counter: compare only when it must not move.
			if !tt.called && calls.Load() != before {
				t.Errorf("the handler was called")
			}
			if tt.called && calls.Load() == before {
				t.Errorf("the handler was not called")
			}
			if id := rec.Header().Get(callctx.HeaderID); rec.Code != 404 && rec.Code != 405 && !callwire.ValidID(id) {
				t.Errorf("call ID header %q", id)
			}
		})
	}
	if out := logs.String(); strings.Contains(out, "hunter2") == false {
		t.Errorf("the cause of the plain error was not logged: %s", out)
	}
	if !strings.Contains(logs.String(), `value="\"<script>\""`) {
		t.Errorf("the rejected call ID was not logged escaped: %s", logs.String())
	}
}

func TestPlainErrorCauseNeverSent(t *testing.T) {
	t.Parallel()
	e, _, logs := behaviours(t)
	for _, mode := range []string{"wrapped cause", "cause"} {
		rec := request{method: "GET", path: "/v1/fail", header: map[string]string{"X-Mode": mode}}.on(t, e)
		if rec.Code != 503 || strings.Contains(rec.Body.String(), "hunter2") || strings.Contains(rec.Body.String(), "dial db") {
			t.Errorf("%s: the cause leaked: %d %s", mode, rec.Code, rec.Body.String())
		}
	}
	rec := request{method: "GET", path: "/v1/fail"}.on(t, e)
	if strings.Contains(rec.Body.String(), "hunter2") {
		t.Fatalf("the cause leaked: %s", rec.Body.String())
	}
	id := rec.Header().Get(callctx.HeaderID)
	if !strings.Contains(logs.String(), id) {
		t.Errorf("the log does not name the call ID %s: %s", id, logs.String())
	}
}

func TestServerKeepsServingAfterPanic(t *testing.T) {
	t.Parallel()
	e, _, _ := behaviours(t)
	for i := range 3 {
		if rec := (request{method: "GET", path: "/v1/panic"}).on(t, e); rec.Code != 500 {
			t.Fatalf("panic %d: status %d", i, rec.Code)
		}
	}
	if rec := (request{method: "GET", path: "/v1/no/param"}).on(t, e); rec.Code != 200 {
		t.Fatalf("after panics: status %d", rec.Code)
	}
}

func equalJSON(got, want any) bool {
	switch w := want.(type) {
	case []any:
		g, ok := got.([]any)
		if !ok || len(g) != len(w) {
			return false
		}
		for i := range w {
			if !equalJSON(g[i], w[i]) {
				return false
			}
		}
		return true
	}
	return got == want
}

var _ = strconv.Itoa
