package server_test

import (
	"context"
	"testing"

	"github.com/klue-go/klue-client-server/klue"
	"github.com/klue-go/klue-client-server/klue/server"
)

// OpenAPI 3 says header parameters named Accept, Content-Type or
// Authorization SHALL be ignored: ordinary clients, which send
// "application/json; charset=utf-8" or no Accept, are served.
func TestReservedHeaderParametersAreNotEnforced(t *testing.T) {
	t.Parallel()
	pool := klue.NewPool()
	err := pool.Add("inc", klue.Bytes("inc.yaml", []byte(`openapi: 3.0.3
info: {title: t, version: '1'}
paths:
  /incidents:
    post:
      operationId: createIncident
      parameters:
        - {name: Accept, in: header, required: true, schema: {type: string, enum: [application/vnd.pagerduty+json;version=2]}}
        - {name: Content-Type, in: header, required: true, schema: {type: string, enum: [application/json]}}
        - {name: Authorization, in: header, required: true, schema: {type: string}}
      requestBody:
        required: true
        content:
          application/json:
            schema: {type: object, properties: {title: {type: string}}}
      responses: {'201': {description: created}}
`)))
	if err != nil {
		t.Fatal(err)
	}
	type incident struct {
		Title string `json:"title"`
	}
	server.Bind(pool, klue.Key[incident, struct{}]("createIncident"), func(context.Context, *incident) (*struct{}, error) {
		return &struct{}{}, nil
	})
	e := newEcho()
	if err := server.Spawn(e, pool, "inc"); err != nil {
		t.Fatal(err)
	}
	rec := send(e, request{method: "POST", path: "/incidents", body: `{"title":"disk full"}`,
		header: map[string]string{"Content-Type": "application/json; charset=utf-8"}})
	if rec.Code != 201 {
		t.Errorf("%d %s, want 201", rec.Code, rec.Body.String())
	}
}
