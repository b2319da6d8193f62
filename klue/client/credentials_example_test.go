package client_test

import (
	"context"
	"fmt"
	"net/http"

	"github.com/klue-go/klue-client-server/klue"
	"github.com/klue-go/klue-client-server/klue/client"
)

func ExampleWithCredentials() {
	pool := klue.NewPool()
	spec := `openapi: 3.0.3
info: {title: users, version: '1'}
servers: [{url: 'http://users.internal/v1'}]
paths:
  /me: {get: {operationId: getMe, security: [{bearer: []}], responses: {'204': {description: you}}}}
components:
  securitySchemes:
    bearer: {type: http, scheme: bearer}
`
	if err := pool.Add("users", klue.Bytes("users.yaml", []byte(spec))); err != nil {
		panic(err)
	}
	// The token comes from the call's context, for each call.
	type tokenKey struct{}
	token := func(ctx context.Context) (string, error) {
		t, _ := ctx.Value(tokenKey{}).(string)
		return t, nil
	}
	show := roundTripFunc(func(r *http.Request) (*http.Response, error) {
		fmt.Println(r.Method, r.URL.Path, r.Header.Get("Authorization"))
		return &http.Response{StatusCode: 204, Header: http.Header{}, Body: http.NoBody, Request: r}, nil
	})
	err := client.Configure(pool, "users", client.WithTransport(show),
		client.WithCredentials("bearer", client.BearerToken(token)))
	if err != nil {
		panic(err)
	}
	ctx := context.WithValue(context.Background(), tokenKey{}, "t0k3n")
	if _, err := client.Call(pool.Client("users"), klue.Key[struct{}, struct{}]("getMe")).Do(ctx); err != nil {
		panic(err)
	}
	// Output:
	// GET /v1/me Bearer t0k3n
}
