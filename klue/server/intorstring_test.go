package server_test

import (
	"context"
	"fmt"
	"strings"
	"testing"

	"github.com/klue-go/klue-client-server/klue"
	"github.com/klue-go/klue-client-server/klue/kluetest"
	"github.com/klue-go/klue-client-server/klue/server"
)

const intOrStringSpec = `swagger: '2.0'
info: {title: t, version: '1'}
paths:
  /ports:
    post:
      operationId: setPort
      parameters:
        - {name: max, in: query, type: string, format: int-or-string}
        - in: body
          name: body
          schema: {$ref: '#/definitions/Port'}
      responses:
        '200': {description: ok, schema: {$ref: '#/definitions/Port'}}
definitions:
  Port:
    type: object
    properties:
      port: {type: string, format: int-or-string}
`

// An int-or-string value is an integer or a string, in parameters and
// bodies; a request carrying either is served, and neither is a 500.
func TestIntOrStringIsServed(t *testing.T) {
	t.Parallel()
	pool := klue.NewPool()
	kluetest.Add(t, pool, "k", klue.Bytes("k.yaml", []byte(intOrStringSpec)))
	type port struct {
		Port any `json:"port"`
	}
	type req struct {
		Max  string `query:"max"`
		Body port   `body:""`
	}
	server.Bind(pool, klue.Key[req, port]("setPort"), func(_ context.Context, r *req) (*port, error) {
		return &port{Port: fmt.Sprint(r.Body.Port) + "/" + r.Max}, nil
	})
	e := newEcho()
	if err := server.Spawn(e, pool, "k"); err != nil {
		t.Fatal(err)
	}
	for _, c := range []struct {
		path, body string
		code       int
		want       string
	}{
		{"/ports?max=10", `{"port":8080}`, 200, `{"port":"8080/10"}`},
		{"/ports?max=ten", `{"port":"http"}`, 200, `{"port":"http/ten"}`},
		{"/ports", `{"port":true}`, 400, `body.port`},
		{"/ports", `{"port":1.5}`, 400, `body.port`},
	} {
		rec := send(e, request{method: "POST", path: c.path, body: c.body})
		if rec.Code != c.code || !strings.Contains(rec.Body.String(), c.want) {
			t.Errorf("POST %s %s: %d %s, want %d with %s", c.path, c.body, rec.Code, rec.Body.String(), c.code, c.want)
		}
	}

	// A Go string field cannot hold a JSON number: the request is refused
	// as unreadable, never answered 500.
	pool2 := klue.NewPool()
	kluetest.Add(t, pool2, "k", klue.Bytes("k.yaml", []byte(intOrStringSpec)))
	type strPort struct {
		Port string `json:"port"`
	}
	server.Bind(pool2, klue.Key[strPort, strPort]("setPort"), func(_ context.Context, r *strPort) (*strPort, error) { return r, nil })
	e2 := newEcho()
	if err := server.Spawn(e2, pool2, "k"); err != nil {
		t.Fatal(err)
	}
	if rec := send(e2, request{method: "POST", path: "/ports", body: `{"port":8080}`}); rec.Code >= 500 {
		t.Errorf("a number for a string field: %d %s", rec.Code, rec.Body.String())
	}
}
