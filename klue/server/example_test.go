package server_test

import (
	"context"
	"fmt"
	"net/http/httptest"
	"strings"

	"github.com/klue-go/klue-client-server/klue"
	"github.com/klue-go/klue-client-server/klue/server"
	"github.com/labstack/echo/v4"
)

const loginSpec = `
swagger: '2.0'
info: {title: login, version: '1'}
basePath: /v1
paths:
  /login:
    post:
      operationId: login
      parameters:
        - {in: body, name: credentials, required: true, schema: {$ref: '#/definitions/Credentials'}}
      responses:
        '200':
          description: welcome
          schema: {$ref: '#/definitions/Welcome'}
definitions:
  Credentials:
    type: object
    required: [email, password]
    properties:
      email: {type: string}
      password: {type: string, minLength: 4}
  Welcome:
    type: object
    required: [token]
    properties:
      token: {type: string}
`

type LoginCredentials struct {
	Email    string `json:"email"`
	Password string `json:"password"`
}

type Welcome struct {
	Token string `json:"token"`
}

func DoLogin(ctx context.Context, c *LoginCredentials) (*Welcome, error) {
	return &Welcome{Token: "token-for-" + c.Email}, nil
}

func ExampleBind() {
	pool := klue.NewPool()
	if err := pool.Add("login", klue.Bytes("login.yaml", []byte(loginSpec))); err != nil {
		panic(err)
	}
	server.Bind(pool, "login", DoLogin)

	e := echo.New()
	if err := server.Spawn(e, pool, "login"); err != nil {
		panic(err)
	}
	req := httptest.NewRequest("POST", "/v1/login", strings.NewReader(`{"email":"ann@example.com","password":"secret"}`))
	req.Header.Set("Content-Type", "application/json")
	rec := httptest.NewRecorder()
	e.ServeHTTP(rec, req)
	fmt.Println(rec.Code, strings.TrimSpace(rec.Body.String()))
	// Output: 200 {"token":"token-for-ann@example.com"}
}

func ExampleSpawn() {
	pool := klue.NewPool()
	if err := pool.Add("login", klue.Bytes("login.yaml", []byte(loginSpec))); err != nil {
		panic(err)
	}
	// A handler whose types do not fit is reported by Spawn, every problem
	// at once (and not again as a missing handler); Spawn then mounts
	// nothing.
	server.Bind(pool, "login", func(ctx context.Context, in *struct {
		Email string `query:"email"`
	}) (*Welcome, error) {
		return nil, nil
	})
	err := server.Spawn(echo.New(), pool, "login")
	fmt.Println(err)

	// Invalid input never reaches the handler: it is answered 400 with an
	// RFC 9457 problem document.
	pool = klue.NewPool()
	_ = pool.Add("login", klue.Bytes("login.yaml", []byte(loginSpec)))
	server.Bind(pool, "login", DoLogin)
	e := echo.New()
	if err := server.Spawn(e, pool, "login"); err != nil {
		panic(err)
	}
	req := httptest.NewRequest("POST", "/v1/login", strings.NewReader(`{"email":"ann@example.com","password":"abc"}`))
	req.Header.Set("Content-Type", "application/json")
	rec := httptest.NewRecorder()
	e.ServeHTTP(rec, req)
	fmt.Println(rec.Code, rec.Header().Get("Content-Type"))
	fmt.Println(strings.TrimSpace(rec.Body.String()))
	// Output:
	// server: cannot spawn API "login": 2 problems:
	// 	server: Bind "login" to POST /login: field Email is tagged query:"email" but POST /login has no such query parameter
	// 	server: Bind "login" to POST /login: Req struct { Email string "query:\"email\"" } has no Body field, and POST /login requires a body
	// 400 application/problem+json
	// {"type":"about:blank","title":"Bad Request","status":400,"detail":"invalid request","instance":"/v1/login","errors":[{"location":"body.password","message":"minLength: got 3, want 4","value":"abc"}]}
}
