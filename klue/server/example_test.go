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

const jobsSpec = `
openapi: 3.0.3
info: {title: jobs, version: '1'}
paths:
  /jobs:
    post:
      operationId: start_job
      parameters:
        - {name: wait, in: query, schema: {type: boolean}}
      responses:
        '200':
          description: done at once
          content:
            application/json:
              schema: {type: object, properties: {id: {type: string}, done: {type: boolean}}}
        '202':
          description: started
          headers:
            Location: {required: true, schema: {type: string}}
            Retry-After: {schema: {type: integer}}
          content:
            application/json:
              schema: {type: object, properties: {id: {type: string}, done: {type: boolean}}}
`

type Job struct {
	ID   string `json:"id"`
	Done bool   `json:"done"`
}

// Started is a typed response: the handler picks the status and sets the
// headers the spec declares; Bind checks the fields against the responses.
type Started struct {
	Status     int    `status:""`
	Location   string `header:"Location"`
	RetryAfter int    `header:"Retry-After"`
	Body       *Job
}

func ExampleBind_typedResponse() {
	pool := klue.NewPool()
	if err := pool.Add("jobs", klue.Bytes("jobs.yaml", []byte(jobsSpec))); err != nil {
		panic(err)
	}
	server.Bind(pool, "start_job", func(ctx context.Context, in *struct {
		Wait bool `query:"wait"`
	}) (*Started, error) {
		if in.Wait {
			return &Started{Body: &Job{ID: "j1", Done: true}}, nil // the success status, 200
		}
		return &Started{Status: 202, Location: "/jobs/j1", RetryAfter: 5, Body: &Job{ID: "j1"}}, nil
	})
	e := echo.New()
	if err := server.Spawn(e, pool, "jobs"); err != nil {
		panic(err)
	}
	for _, target := range []string{"/jobs?wait=true", "/jobs"} {
		rec := httptest.NewRecorder()
		e.ServeHTTP(rec, httptest.NewRequest("POST", target, nil))
		fmt.Println(rec.Code, rec.Header().Get("Location"), rec.Header().Get("Retry-After"), strings.TrimSpace(rec.Body.String()))
	}
	// Output:
	// 200   {"id":"j1","done":true}
	// 202 /jobs/j1 5 {"id":"j1","done":false}
}
