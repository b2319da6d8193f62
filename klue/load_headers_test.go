package klue_test

import (
	"strings"
	"testing"

	"github.com/klue-go/klue-client-server/klue"
)

func TestReservedHeaderParametersIgnored(t *testing.T) {
	t.Parallel()
	api := addSpec(t, `openapi: 3.0.3
info: {title: t, version: '1'}
paths:
  /incidents:
    parameters:
      - $ref: '#/components/parameters/accept'
    post:
      operationId: createIncident
      parameters:
        - {name: content-type, in: header, required: true, schema: {type: string, enum: [application/json]}}
        - {name: Authorization, in: header, required: true, schema: {type: string}}
        - {name: X-Request-Id, in: header, schema: {type: string}}
      responses: {'201': {description: created}}
    get:
      operationId: listIncidents
      responses: {'200': {description: ok}}
components:
  parameters:
    accept: {name: Accept, in: header, required: true, schema: {type: string, enum: [application/vnd.pagerduty+json;version=2]}}
`)
	for _, key := range []string{"createIncident", "listIncidents"} {
		op, err := api.Operation(key)
		if err != nil {
			t.Fatal(err)
		}
		for _, name := range []string{"Accept", "Content-Type", "Authorization"} {
			if p := op.Param(klue.InHeader, name); p != nil {
				t.Errorf("%s: header parameter %s is kept", key, name)
			}
		}
	}
	if op, _ := api.Operation("createIncident"); op.Param(klue.InHeader, "X-Request-Id") == nil {
		t.Error("an ordinary header parameter is dropped")
	}
	// One warning per declaration, however many operations share it.
	sameLines(t, "warnings", warningLines(api), []string{
		`spec.yaml:19:13: /components/parameters/accept: header parameter "Accept" is ignored: OpenAPI 3 says so of Accept, Content-Type and Authorization, which content, responses and security schemes describe`,
		`spec.yaml:10:11: /paths/~1incidents/post/parameters/0: header parameter "content-type" is ignored: OpenAPI 3 says so of Accept, Content-Type and Authorization, which content, responses and security schemes describe`,
		`spec.yaml:11:11: /paths/~1incidents/post/parameters/1: header parameter "Authorization" is ignored: OpenAPI 3 says so of Accept, Content-Type and Authorization, which content, responses and security schemes describe`,
	})
}

func TestReservedHeaderParametersKeptInSwagger20(t *testing.T) {
	t.Parallel()
	// Swagger 2.0 has no such rule: an Authorization header parameter is
	// how many of its specs pass a token, and it stays a parameter.
	api := addSpec(t, `swagger: '2.0'
info: {title: t, version: '1'}
paths:
  /me:
    get:
      operationId: me
      parameters:
        - {name: Authorization, in: header, required: true, type: string}
      responses: {'200': {description: ok}}
`)
	op, err := api.Operation("me")
	if err != nil {
		t.Fatal(err)
	}
	if op.Param(klue.InHeader, "Authorization") == nil {
		t.Error("Swagger 2.0 Authorization header parameter dropped")
	}
	if ws := warningLines(api); len(ws) != 0 {
		t.Errorf("warnings: %s", strings.Join(ws, "\n"))
	}
}
