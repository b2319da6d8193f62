package client_test

import (
	"context"
	"errors"
	"net/http"
	"strings"
	"testing"

	"github.com/klue-go/klue-client-server/klue"
	"github.com/klue-go/klue-client-server/klue/client"
	"github.com/klue-go/klue-client-server/klue/kluetest"
)

const securedSpec = `openapi: 3.0.3
info: {title: secured, version: '1'}
servers: [{url: 'http://api.example.com/v1'}]
security: [{bearer: []}]
paths:
  /global: {get: {operationId: global, responses: {'204': {description: ok}}}}
  /open: {get: {operationId: open, security: [], responses: {'204': {description: ok}}}}
  /both: {get: {operationId: both, security: [{key_header: [], key_query: []}], parameters: [{name: q, in: query, schema: {type: string}}], responses: {'204': {description: ok}}}}
  /either: {get: {operationId: either, security: [{oidc: []}, {basic: []}], responses: {'204': {description: ok}}}}
  /cookie: {get: {operationId: cookie, security: [{key_cookie: []}, {}], responses: {'204': {description: ok}}}}
components:
  securitySchemes:
    bearer: {type: http, scheme: bearer}
    basic: {type: http, scheme: basic}
    oidc: {type: openIdConnect, openIdConnectUrl: 'https://id.example.com/.well-known/openid-configuration'}
    key_header: {type: apiKey, in: header, name: X-Key}
    key_query: {type: apiKey, in: query, name: key}
    key_cookie: {type: apiKey, in: cookie, name: sid}
`

type tokenKey struct{}

func TestCredentials(t *testing.T) {
	t.Parallel()
	var got []*http.Request
	rt := roundTripFunc(func(r *http.Request) (*http.Response, error) {
		got = append(got, r)
		return &http.Response{StatusCode: 204, Header: http.Header{}, Body: http.NoBody, Request: r}, nil
	})
	pool := klue.NewPool()
	kluetest.Add(t, pool, "secured", klue.Bytes("secured.yaml", []byte(securedSpec)))
	fromContext := func(ctx context.Context) (string, error) {
		tok, _ := ctx.Value(tokenKey{}).(string)
		return tok, nil
	}
	fixed := func(v string) func(context.Context) (string, error) {
		return func(context.Context) (string, error) { return v, nil }
	}
	configure(t, pool, "secured", client.WithTransport(rt),
		client.WithCredentials("bearer", client.BearerToken(fromContext)),
		client.WithCredentials("basic", client.Basic(func(context.Context) (string, string, error) { return "ada", "s3cret", nil })),
		client.WithCredentials("key_header", client.APIKey(fixed("hk"))),
		client.WithCredentials("key_query", client.APIKey(fixed("q k&"))),
		client.WithCredentials("key_cookie", client.APIKey(fixed("c1"))),
	)
	ctx := context.WithValue(t.Context(), tokenKey{}, "tok-1")
	remote := pool.Client("secured")
	for _, key := range []klue.Key[struct{}, struct{}]{"global", "open", "either", "cookie"} {
		if _, err := client.Call(remote, key).Do(ctx); err != nil {
			t.Fatalf("%s: %v", key, err)
		}
	}
	type both struct {
		Q string `query:"q"`
	}
	if _, err := client.CallWith(remote, klue.Key[both, struct{}]("both"), &both{Q: "x"}).Do(ctx); err != nil {
		t.Fatal(err)
	}
	if len(got) != 5 {
		t.Fatalf("%d requests", len(got))
	}
	if h := got[0].Header.Get("Authorization"); h != "Bearer tok-1" {
		t.Errorf("global requirement: Authorization %q", h)
	}
	if h := got[1].Header.Get("Authorization"); h != "" {
		t.Errorf("an operation that requires nothing got Authorization %q", h)
	}
	// oidc has no credentials: the second alternative, basic, is used.
	if u, p, ok := got[2].BasicAuth(); !ok || u != "ada" || p != "s3cret" {
		t.Errorf("OR: basic auth %q %q %v (Authorization %q)", u, p, ok, got[2].Header.Get("Authorization"))
	}
	if c, err := got[3].Cookie("sid"); err != nil || c.Value != "c1" {
		t.Errorf("apiKey in a cookie: %v %v", c, err)
	}
	if got[4].Header.Get("X-Key") != "hk" || got[4].URL.Query().Get("key") != "q k&" || got[4].URL.Query().Get("q") != "x" {
		t.Errorf("AND: X-Key %q, query %q", got[4].Header.Get("X-Key"), got[4].URL.RawQuery)
	}

	// A source with no credential for the call fails it, before sending.
	_, err := client.Call(remote, klue.Key[struct{}, struct{}]("global")).Do(t.Context())
	if err == nil || !strings.Contains(err.Error(), `security scheme "bearer": no credentials for this call`) || len(got) != 5 {
		t.Errorf("no token: %v, %d requests", err, len(got))
	}
}

// TestCredentialsSwagger2Bearer sends a bearer token through the apiKey
// scheme in the Authorization header that Swagger 2.0 specs declare.
func TestCredentialsSwagger2Bearer(t *testing.T) {
	t.Parallel()
	var auth string
	rt := roundTripFunc(func(r *http.Request) (*http.Response, error) {
		auth = r.Header.Get("Authorization")
		return &http.Response{StatusCode: 204, Header: http.Header{}, Body: http.NoBody, Request: r}, nil
	})
	pool := klue.NewPool()
	spec := `swagger: '2.0'
info: {title: s, version: '1'}
host: api.example.com
securityDefinitions: {bearer: {type: apiKey, in: header, name: Authorization}}
paths: {/me: {get: {operationId: me, security: [{bearer: []}], responses: {'204': {description: ok}}}}}
`
	if err := pool.Add("s", klue.Bytes("s.yaml", []byte(spec))); err != nil {
		t.Fatal(err)
	}
	configure(t, pool, "s", client.WithTransport(rt), client.WithCredentials("bearer", client.BearerToken(func(context.Context) (string, error) { return "t", nil })))
	if _, err := client.Call(pool.Client("s"), klue.Key[struct{}, struct{}]("me")).Do(t.Context()); err != nil || auth != "Bearer t" {
		t.Errorf("Authorization %q, %v", auth, err)
	}
}

func TestCredentialsConfiguration(t *testing.T) {
	t.Parallel()
	tok := client.BearerToken(func(context.Context) (string, error) { return "t", nil })
	key := client.APIKey(func(context.Context) (string, error) { return "k", nil })
	pool := klue.NewPool()
	kluetest.Add(t, pool, "secured", klue.Bytes("secured.yaml", []byte(securedSpec)))
	err := client.Configure(pool, "secured",
		client.WithCredentials("bearr", tok),
		client.WithCredentials("key_header", tok),
		client.WithCredentials("basic", key),
		client.WithCredentials("oidc", client.Credentials{}),
		client.WithCredentials("bearer", tok), client.WithCredentials("bearer", tok),
	)
	for _, want := range []string{
		`has no security scheme "bearr" (did you mean "bearer"?)`,
		`client.WithCredentials("key_header"): client.BearerToken does not suit a scheme of kind apiKey: use client.APIKey`,
		`client.WithCredentials("basic"): client.APIKey does not suit a scheme of kind http basic: use client.Basic`,
		`client.WithCredentials("oidc"): need credentials from client.BearerToken, client.APIKey or client.Basic`,
		`"bearer" is registered twice`,
	} {
		if err == nil || !strings.Contains(err.Error(), want) {
			t.Errorf("error %v\nwant it to say %s", err, want)
		}
	}
	var unknown *klue.UnknownKeyError
	if !errors.As(err, &unknown) {
		t.Errorf("the unknown scheme is not a *klue.UnknownKeyError: %v", err)
	}
}
