package klue_test

import (
	"database/sql"
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"os"

	"github.com/klue-go/klue-client-server/klue"
)

const loginSpec = `swagger: '2.0'
info: {title: Login, version: '1.0'}
host: login.example.com
basePath: /v1
paths:
  /login:
    post:
      operationId: login
      parameters:
        - {in: body, name: credentials, required: true, schema: {$ref: '#/definitions/Credentials'}}
      responses:
        '200': {description: A session token, schema: {$ref: '#/definitions/Welcome'}}
definitions:
  Credentials:
    type: object
    required: [email, password]
    properties:
      email: {type: string, format: email}
      password: {type: string, minLength: 4}
  Welcome:
    type: object
    properties:
      token: {type: string}
`

func ExamplePool_Add() {
	pool := klue.NewPool()
	if err := pool.Add("login", klue.Bytes("login.yaml", []byte(loginSpec))); err != nil {
		fmt.Println(err)
		return
	}
	api, _ := pool.API("login")
	op, _ := api.Operation("login")
	base, _ := api.BaseURL()
	fmt.Println(op.Method, op.Route(), base)
	// Output: POST /v1/login http://login.example.com/v1
}

func ExamplePool_Add_errors() {
	broken := `swagger: '2.0'
info: {title: t, version: '1'}
paths:
  /login:
    post:
      parameters:
        - {in: body, name: c, schema: {$ref: '#/definitions/Credentals'}}
      responses: {'200': {description: ok}}
definitions:
  Credentials: {type: object}
`
	err := klue.NewPool().Add("login", klue.Bytes("login.yaml", []byte(broken)))
	fmt.Println(err)
	var le *klue.LoadError
	if errors.As(err, &le) {
		fmt.Println(le.Problems[0].Line, le.Problems[0].Pointer)
	}
	// Output:
	// klue: API "login": login.yaml:7:46: /paths/~1login/post/parameters/0/schema: $ref "#/definitions/Credentals" not found (did you mean "#/definitions/Credentials"?)
	// 7 /paths/~1login/post/parameters/0/schema
}

func ExampleModel_Decode() {
	pool := klue.NewPool()
	if err := pool.Add("login", klue.Bytes("login.yaml", []byte(loginSpec))); err != nil {
		fmt.Println(err)
		return
	}
	api, _ := pool.API("login")
	creds, _ := api.Model("Credentials")

	var c struct {
		Email    string `json:"email"`
		Password string `json:"password"`
	}
	fmt.Println(creds.Decode([]byte(`{"email": "ann@example.com", "password": "secret"}`), &c), c.Email)
	fmt.Println(creds.Decode([]byte(`{"email": "ann@example.com", "password": "abc"}`), &c))
	// Output:
	// <nil> ann@example.com
	// klue: invalid Credentials: password: minLength: got 3, want 4
}

func ExampleAPI_ServerOperations() {
	pool := klue.NewPool()
	if err := pool.Add("login", klue.Bytes("login.yaml", []byte(loginSpec))); err != nil {
		fmt.Println(err)
		return
	}
	api, _ := pool.API("login")
	_, err := api.ServerOperations("logn")
	fmt.Println(err)
	// Output: klue: API "login" has no server operation "logn" (did you mean "login"?)
}

func ExampleErrorf() {
	dbErr := errors.New("dial tcp 10.0.0.7:5432: connection refused")
	err := klue.Errorf(http.StatusServiceUnavailable, "user store down: %w", dbErr)
	fmt.Println(err.Status, err.Message) // what the caller reads
	fmt.Println(errors.Is(err, dbErr))   // the cause is kept
	fmt.Println(errors.Is(err, klue.ErrUnavailable))
	// Output:
	// 503 user store down
	// true
	// true
}

func ExampleNewError() {
	err := fmt.Errorf("loading user: %w", klue.NewError(http.StatusNotFound, sql.ErrNoRows))
	fmt.Println(klue.StatusOf(err), klue.AsError(err).Message, errors.Is(err, klue.ErrNotFound), errors.Is(err, sql.ErrNoRows))
	fmt.Println(klue.StatusOf(errors.New("disk on fire")), klue.AsError(errors.New("disk on fire")).Message)
	// Output:
	// 404 Not Found true true
	// 500 internal error
}

// A published spec with two templates that differ only in parameter names
// fails to load; lenient mode loads it, reports the fault as a warning and
// routes the first template declared.
func ExampleWithLenient() {
	published := `openapi: 3.0.3
info: {title: Journals, version: '1'}
paths:
  /journals/{JournalID}:
    get:
      operationId: getJournal
      responses: {'200': {description: ok}}
  /journals/{JournalNumber}:
    get:
      operationId: getJournalByNumber
      responses: {'200': {description: ok}}
`
	src := klue.Bytes("journals.yaml", []byte(published))
	fmt.Println(klue.NewPool().Add("strict", src) != nil)

	pool := klue.NewPool()
	if err := pool.Add("journals", src, klue.WithLenient()); err != nil {
		fmt.Println(err)
		return
	}
	api, _ := pool.API("journals")
	op, _ := api.Operation("getJournalByNumber")
	fmt.Println(op.Unrouted)
	// Output:
	// true
	// same template as GET /journals/{JournalID}, which answers its requests
}

// A pool with a logger logs each warning found while loading an API: here
// nullable, which OpenAPI 3.1 schemas no longer have.
func ExampleWithLogger() {
	logger := slog.New(slog.NewTextHandler(os.Stdout, &slog.HandlerOptions{
		ReplaceAttr: func(_ []string, a slog.Attr) slog.Attr {
			if a.Key == slog.TimeKey {
				return slog.Attr{} // a steady output for the example
			}
			return a
		},
	}))
	pool := klue.NewPool(klue.WithLogger(logger))
	err := pool.Add("pets", klue.Bytes("pets.yaml", []byte(`openapi: 3.1.0
info: {title: Pets, version: '1'}
paths: {}
components:
  schemas:
    Name: {type: string, nullable: true}
`)))
	fmt.Println(err)
	// Output:
	// level=WARN msg="klue: spec warning" api=pets problem="pets.yaml:6:36: /components/schemas/Name/nullable: nullable has no meaning in OpenAPI 3.1 and is ignored; to admit null, write type: [string, \"null\"]"
	// <nil>
}
