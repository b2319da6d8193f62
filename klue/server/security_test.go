package server_test

import (
	"context"
	"encoding/base64"
	"errors"
	"net/http"
	"strings"
	"testing"

	"github.com/klue-go/klue-client-server/klue"
	"github.com/klue-go/klue-client-server/klue/kluetest"
	"github.com/klue-go/klue-client-server/klue/server"
)

const securitySpec = `openapi: 3.0.3
info: {title: secure, version: '1'}
servers: [{url: /v1}]
components:
  securitySchemes:
    headerKey: {type: apiKey, in: header, name: X-Key}
    queryKey: {type: apiKey, in: query, name: key}
    cookieKey: {type: apiKey, in: cookie, name: session}
    basic: {type: http, scheme: basic}
    bearer: {type: http, scheme: bearer}
  schemas:
    Who:
      type: object
      required: [who]
      properties: {who: {type: string}}
security:
  - headerKey: []
  - queryKey: []
  - cookieKey: []
  - basic: []
paths:
  /who:
    post:
      operationId: who
      requestBody:
        required: true
        content: {application/json: {schema: {$ref: '#/components/schemas/Who'}}}
      responses:
        '200': {description: the principal, content: {application/json: {schema: {$ref: '#/components/schemas/Who'}}}}
  /both:
    get:
      operationId: both
      security:
        - headerKey: []
          bearer: []
      responses:
        '200': {description: the principals, content: {application/json: {schema: {$ref: '#/components/schemas/Who'}}}}
  /open:
    get:
      operationId: open
      security: []
      responses:
        '200': {description: anyone, content: {application/json: {schema: {$ref: '#/components/schemas/Who'}}}}
`

type Who struct {
	Who string `json:"who"`
}

// secured spawns securitySpec: every key is accepted as the principal it
// names, except "nobody" (rejected) and "guest" (valid but forbidden).
func secured(t *testing.T) http.Handler {
	t.Helper()
	pool := klue.NewPool()
	kluetest.Add(t, pool, "secure", klue.Bytes("secure.yaml", []byte(securitySpec)))
	check := func(_ context.Context, c server.Credentials) (any, error) {
		v := c.Value
		if c.Scheme.Scheme == "basic" {
			if c.Password != "secret" {
				return nil, errors.New("wrong password")
			}
			v = c.Username
		}
		switch v {
		case "nobody":
			return nil, errors.New("unknown key")
		case "guest":
			return nil, klue.ErrForbidden
		}
		return c.Scheme.Name + ":" + v, nil
	}
	var opts []server.Option
	for _, s := range []string{"headerKey", "queryKey", "cookieKey", "basic", "bearer"} {
		opts = append(opts, server.WithVerifier(s, check))
	}
	principals := func(ctx context.Context) string {
		var out []string
		if p, ok := server.Principal[string](ctx); ok {
			out = append(out, p)
		}
		return strings.Join(out, ",")
	}
	server.Bind(pool, "who", func(ctx context.Context, w *Who) (*Who, error) {
		return &Who{Who: principals(ctx) + " says " + w.Who}, nil
	})
	server.Bind(pool, "both", func(ctx context.Context, _ *struct{}) (*Who, error) {
		return &Who{Who: principals(ctx)}, nil
	})
	server.Bind(pool, "open", func(ctx context.Context, _ *struct{}) (*Who, error) {
		return &Who{Who: "anyone"}, nil
	})
	e := kluetest.NewEcho()
	if err := server.Spawn(e, pool, "secure", opts...); err != nil {
		t.Fatal(err)
	}
	return e
}

func TestSecuritySchemes(t *testing.T) {
	t.Parallel()
	h := secured(t)
	basic := func(user, pass string) string {
		return "Basic " + base64.StdEncoding.EncodeToString([]byte(user+":"+pass))
	}
	tests := []struct {
		name   string
		req    request
		status int
		who    string
	}{
		{"header key", request{method: "POST", path: "/v1/who", body: `{"who":"hi"}`, header: map[string]string{"X-Key": "ada"}}, 200, "headerKey:ada says hi"},
		{"header key, header name in any case", request{method: "POST", path: "/v1/who", body: `{"who":"hi"}`, header: map[string]string{"x-key": "ada"}}, 200, "headerKey:ada says hi"},
		{"query key", request{method: "POST", path: "/v1/who?key=bob", body: `{"who":"hi"}`}, 200, "queryKey:bob says hi"},
		{"cookie key", request{method: "POST", path: "/v1/who", body: `{"who":"hi"}`, header: map[string]string{"Cookie": "session=cy"}}, 200, "cookieKey:cy says hi"},
		{"basic", request{method: "POST", path: "/v1/who", body: `{"who":"hi"}`, header: map[string]string{"Authorization": basic("dan", "secret")}}, 200, "basic:dan says hi"},
		{"no credentials", request{method: "POST", path: "/v1/who", body: `{"who":"hi"}`}, 401, ""},
		{"rejected key", request{method: "POST", path: "/v1/who", body: `{"who":"hi"}`, header: map[string]string{"X-Key": "nobody"}}, 401, ""},
		{"wrong password", request{method: "POST", path: "/v1/who", body: `{"who":"hi"}`, header: map[string]string{"Authorization": basic("dan", "nope")}}, 401, ""},
		{"forbidden", request{method: "POST", path: "/v1/who", body: `{"who":"hi"}`, header: map[string]string{"X-Key": "guest"}}, 403, ""},
		{"authentication before the body is read", request{method: "POST", path: "/v1/who", body: `{not json`}, 401, ""},
		{"the body once authenticated", request{method: "POST", path: "/v1/who", body: `{not json`, header: map[string]string{"X-Key": "ada"}}, 400, ""},
		{"AND: both schemes", request{method: "GET", path: "/v1/both", header: map[string]string{"X-Key": "ada", "Authorization": "Bearer tok"}}, 200, "headerKey:ada"},
		{"AND: one scheme missing", request{method: "GET", path: "/v1/both", header: map[string]string{"X-Key": "ada"}}, 401, ""},
		{"AND: the other rejected", request{method: "GET", path: "/v1/both", header: map[string]string{"X-Key": "ada", "Authorization": "Bearer nobody"}}, 401, ""},
		{"no security", request{method: "GET", path: "/v1/open"}, 200, "anyone"},
	}
	for _, tt := range tests {
		rec := tt.req.on(t, h)
		if rec.Code != tt.status {
			t.Errorf("%s: status %d, want %d: %s", tt.name, rec.Code, tt.status, rec.Body.String())
			continue
		}
		if tt.who != "" && kluetest.Decode[map[string]any](t, rec)["who"] != tt.who {
			t.Errorf("%s: %s, want who %q", tt.name, rec.Body.String(), tt.who)
		}
	}
}

func TestUnknownVerifierIsASpawnError(t *testing.T) {
	t.Parallel()
	pool := klue.NewPool()
	kluetest.Add(t, pool, "secure", klue.Bytes("secure.yaml", []byte(securitySpec)))
	server.Bind(pool, "who", func(context.Context, *Who) (*Who, error) { return nil, nil })
	server.Bind(pool, "both", func(context.Context, *struct{}) (*Who, error) { return nil, nil })
	server.Bind(pool, "open", func(context.Context, *struct{}) (*Who, error) { return nil, nil })
	err := server.Spawn(kluetest.NewEcho(), pool, "secure", server.WithVerifier("headerkey", func(context.Context, server.Credentials) (any, error) { return nil, nil }))
	if err == nil || !strings.Contains(err.Error(), `WithVerifier("headerkey")`) || !strings.Contains(err.Error(), `did you mean "headerKey"`) {
		t.Errorf("Spawn: %v", err)
	}
}
