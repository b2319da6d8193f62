package klue_test

import (
	"errors"
	"slices"
	"strings"
	"testing"

	"github.com/klue-go/klue-client-server/klue"
)

const indexSpec = `swagger: '2.0'
info: {title: t, version: '1'}
host: api.example.com
basePath: /v1/
schemes: [http, https]
consumes: [application/json]
produces: [application/json]
securityDefinitions:
  key: {type: apiKey, in: header, name: X-Key}
  basic: {type: basic}
security:
  - key: []
parameters:
  limit: {in: query, name: limit, type: integer, default: 10, maximum: 100}
paths:
  /pets/{id}:
    parameters:
      - {in: path, name: id, type: integer, required: true}
      - {in: header, name: X-Trace, type: string}
    get:
      operationId: getPet
      x-bind-server: showPet
      x-bind-client: fetchPet
      x-decorate-server: audit
      x-decorate-request: [sign, trace]
      parameters:
        - {in: header, name: X-Trace, type: string, required: true}
        - $ref: '#/parameters/limit'
        - {in: query, name: tags, type: array, items: {type: string}, collectionFormat: pipes}
      responses:
        '200': {description: ok, schema: {type: object}}
        '4XX': {description: client error}
        default: {description: error}
    put:
      operationId: putPet
      security: []
      consumes: [application/json, application/xml]
      parameters:
        - {in: body, name: pet, required: true, schema: {type: object}}
      responses:
        '201': {description: created}
        '204': {description: nothing}
  /pets/{id}/photo:
    post:
      x-no-bind-server: true
      security:
        - key: []
          basic: []
        - basic: []
      parameters:
        - {in: path, name: id, type: integer, required: true}
        - {in: formData, name: file, type: file, required: true}
        - {in: formData, name: tags, type: array, items: {type: string}, collectionFormat: multi}
      responses:
        '200': {description: ok}
`

func TestOperationIndex(t *testing.T) {
	t.Parallel()
	api := addSpec(t, indexSpec)
	if api.BasePath() != "/v1" {
		t.Errorf("base path %q", api.BasePath())
	}
	if u, _ := api.BaseURL(); u != "https://api.example.com/v1" {
		t.Errorf("base URL %q, want https preferred", u)
	}
	get, err := api.Operation("GET /pets/{id}")
	if err != nil {
		t.Fatal(err)
	}
	if get.Route() != "/v1/pets/{id}" || get.OperationID != "getPet" || get.ServerKey != "showPet" || get.ClientKey != "fetchPet" {
		t.Errorf("GET: route %q id %q server %q client %q", get.Route(), get.OperationID, get.ServerKey, get.ClientKey)
	}
	if !slices.Equal(get.DecorateServer, []string{"audit"}) || !slices.Equal(get.DecorateRequest, []string{"sign", "trace"}) {
		t.Errorf("decorators %v %v", get.DecorateServer, get.DecorateRequest)
	}
	// Path-level parameters merged; the operation's X-Trace overrides.
	var names []string
	for _, p := range get.Parameters {
		names = append(names, string(p.In)+":"+p.Name)
	}
	slices.Sort(names)
	if !slices.Equal(names, []string{"header:X-Trace", "path:id", "query:limit", "query:tags"}) {
		t.Errorf("parameters %v", names)
	}
	if p := get.Param(klue.InHeader, "x-trace"); p == nil || !p.Required {
		t.Error("the operation's required X-Trace does not override the path-level one")
	}
	limit := get.Param(klue.InQuery, "limit")
	if limit == nil || !limit.HasDefault || limit.Schema.Type() != "integer" {
		t.Fatalf("$ref parameter limit: %+v", limit)
	}
	if tags := get.Param(klue.InQuery, "tags"); tags.Style != "pipeDelimited" || tags.CollectionFormat != "pipes" || tags.Schema.Resolve().Items.Type() != "string" {
		t.Errorf("tags: style %q format %q", tags.Style, tags.CollectionFormat)
	}
	if get.Response(404).Status != "4XX" || get.Response(500).Status != "default" || get.Response(200).StatusCode != 200 {
		t.Error("response lookup by exact code, range, default")
	}
	if len(get.Security) != 1 || get.Security[0][0].Scheme != "key" {
		t.Errorf("global security not inherited: %v", get.Security)
	}

	put, _ := api.Operation("putPet")
	if put.Security == nil || len(put.Security) != 0 {
		t.Errorf("security: [] must mean none, got %v", put.Security)
	}
	if put.SuccessStatus() != 201 {
		t.Errorf("success status %d, want the lowest 2xx declared", put.SuccessStatus())
	}
	if put.Body == nil || !put.Body.Required || put.Body.Name != "pet" || len(put.Body.Content) != 2 || put.Body.Media("application/xml") == nil {
		t.Errorf("body %+v", put.Body)
	}

	photo, _ := api.Operation("POST /pets/{id}/photo")
	if !photo.NoBindServer || photo.ServerKey != "" {
		t.Errorf("x-no-bind-server %v, server key %q", photo.NoBindServer, photo.ServerKey)
	}
	if len(photo.Security) != 2 || len(photo.Security[0]) != 2 {
		t.Errorf("security alternatives %v", photo.Security)
	}
	form := photo.Body.Media("multipart/form-data")
	if form == nil || form.Schema.Property("file").Schema.Format != "binary" || form.Encoding["tags"].CollectionFormat != "multi" {
		t.Fatalf("formData body %+v", form)
	}
	if err := form.Schema.Validate(map[string]any{"tags": []any{"a"}}); err == nil {
		t.Error("a form without its required file validated")
	}
	if s := api.SecurityScheme("basic"); s.Type != "http" || s.Scheme != "basic" {
		t.Errorf("Swagger basic scheme: %+v", s)
	}
}

func TestOperationKeys(t *testing.T) {
	t.Parallel()
	api := addSpec(t, indexSpec)
	for _, key := range []string{"showPet", "getPet", "get /pets/{id}"} {
		ops, err := api.ServerOperations(key)
		if err != nil || len(ops) != 1 || ops[0].OperationID != "getPet" {
			t.Errorf("server key %q: %v %v", key, ops, err)
		}
	}
	if op, err := api.ClientOperation("fetchPet"); err != nil || op.OperationID != "getPet" {
		t.Errorf("client key: %v", err)
	}
	_, err := api.ServerOperations("showPets")
	var uk *klue.UnknownKeyError
	if !errors.As(err, &uk) || !slices.Contains(uk.Suggestions, "showPet") || !errors.Is(err, klue.ErrUnknownKey) {
		t.Errorf("unknown key: %v", err)
	}
	if !strings.Contains(err.Error(), `klue: API "api" has no server operation "showPets" (did you mean "showPet"`) {
		t.Errorf("message %q", err)
	}
}

func TestOperationKeyCollisions(t *testing.T) {
	t.Parallel()
	tests := []struct{ paths, err string }{
		{`
  /a: {get: {operationId: same, responses: {'200': {description: ok}}}}
  /b: {get: {operationId: same, responses: {'200': {description: ok}}}}`, `operationId "same" is also used by GET /a`},
		{`
  /a: {get: {x-bind-client: same, responses: {'200': {description: ok}}}}
  /b: {get: {x-bind-client: same, responses: {'200': {description: ok}}}}`, `client key "same" is also the key of GET /a`},
		{`
  /a: {get: {operationId: same, responses: {'200': {description: ok}}}}
  /b: {get: {x-bind-server: same, responses: {'200': {description: ok}}}}`, `server key "same" is also the key of GET /a`},
	}
	for _, tt := range tests {
		le := loadError(t, "swagger: '2.0'\ninfo: {title: t, version: '1'}\npaths:"+tt.paths)
		if !strings.Contains(le.Error(), tt.err) {
			t.Errorf("error %v, want %q", le, tt.err)
		}
	}
	// One handler for several operations: the original library's specs
	// name the same x-bind-server on several operations.
	api := addSpec(t, `swagger: '2.0'
info: {title: t, version: '1'}
paths:
  /a: {get: {x-bind-server: shared, responses: {'200': {description: ok}}}}
  /b: {get: {x-bind-server: shared, responses: {'200': {description: ok}}}}`)
	if ops, err := api.ServerOperations("shared"); err != nil || len(ops) != 2 {
		t.Errorf("shared x-bind-server: %d operations, %v", len(ops), err)
	}
}

func TestOpenAPIServersAndBodies(t *testing.T) {
	t.Parallel()
	api := addSpec(t, `openapi: 3.0.3
info: {title: t, version: '1'}
servers:
  - url: '{scheme}://api.example.com:{port}/{base}'
    variables:
      scheme: {default: https}
      port: {default: '8443'}
      base: {default: v2}
components:
  securitySchemes:
    bearer: {type: http, scheme: Bearer, bearerFormat: JWT}
    cookie: {type: apiKey, in: cookie, name: session}
  requestBodies:
    Pet:
      required: true
      content:
        application/json: {schema: {$ref: '#/components/schemas/Pet'}}
        application/x-www-form-urlencoded:
          schema: {$ref: '#/components/schemas/Pet'}
          encoding:
            tags: {style: form, explode: false}
  schemas:
    Pet: {type: object, properties: {tags: {type: array, items: {type: string}}}}
paths:
  /pets:
    post:
      security: [{bearer: []}, {cookie: []}]
      parameters:
        - {in: cookie, name: pref, schema: {type: string}}
        - {in: query, name: filter, content: {application/json: {schema: {type: object}}}}
        - {in: query, name: ids, style: spaceDelimited, schema: {type: array, items: {type: integer}}}
      requestBody: {$ref: '#/components/requestBodies/Pet'}
      responses:
        '201':
          description: created
          headers:
            Location: {schema: {type: string}, required: true}
`)
	if api.BasePath() != "/v2" {
		t.Errorf("base path %q", api.BasePath())
	}
	if u, _ := api.BaseURL(); u != "https://api.example.com:8443/v2" {
		t.Errorf("base URL %q", u)
	}
	op, _ := api.Operation("POST /pets")
	if !op.Body.Required || len(op.Body.Content) != 2 || op.Body.Media("application/x-www-form-urlencoded").Encoding["tags"].Explode {
		t.Errorf("body %+v", op.Body)
	}
	if !slices.Equal(op.Consumes, []string{"application/json", "application/x-www-form-urlencoded"}) {
		t.Errorf("consumes %v", op.Consumes)
	}
	if p := op.Param(klue.InQuery, "filter"); p.ContentType != "application/json" || p.Schema.Type() != "object" {
		t.Errorf("content parameter %+v", p)
	}
	if p := op.Param(klue.InQuery, "ids"); p.Style != "spaceDelimited" || p.Explode {
		t.Errorf("ids style %q explode %v", p.Style, p.Explode)
	}
	if p := op.Param(klue.InCookie, "pref"); p.Style != "form" || !p.Explode {
		t.Errorf("cookie defaults: style %q explode %v", p.Style, p.Explode)
	}
	if h := op.Response(201).Headers; len(h) != 1 || !h[0].Required || h[0].Schema.Type() != "string" {
		t.Errorf("headers %+v", h)
	}
	if s := api.SecurityScheme("bearer"); s.Scheme != "bearer" || s.BearerFormat != "JWT" {
		t.Errorf("bearer scheme %+v", s)
	}
}

func TestOperationSpecErrors(t *testing.T) {
	t.Parallel()
	tests := []struct{ op, err string }{
		{`{parameters: [{in: body, name: a, schema: {}}, {in: formData, name: b, type: string}], responses: {'200': {description: ok}}}`,
			"an operation cannot have both a body parameter and formData parameters"},
		{`{parameters: [{in: body, name: a, schema: {}}, {in: body, name: b, schema: {}}], responses: {'200': {description: ok}}}`,
			"more than one body parameter"},
		{`{parameters: [{in: query, name: a}], responses: {'200': {description: ok}}}`, `parameter "a" needs a type`},
		{`{parameters: [{in: query, name: a, type: file}], responses: {'200': {description: ok}}}`, "type: file is only allowed for formData parameters"},
		{`{parameters: [{in: sky, name: a, type: string}], responses: {'200': {description: ok}}}`, `unknown in "sky"`},
		{`{parameters: [{in: query, name: a, type: string}, {in: query, name: a, type: string}], responses: {'200': {description: ok}}}`, `duplicate parameter "a" in query`},
		{`{security: [{nope: []}], responses: {'200': {description: ok}}}`, `security requirement names unknown scheme "nope"`},
		{`{responses: {'600': {description: ok}}}`, `invalid response status "600"`},
	}
	for _, tt := range tests {
		le := loadError(t, "swagger: '2.0'\ninfo: {title: t, version: '1'}\npaths:\n  /a:\n    post: "+tt.op)
		if !strings.Contains(le.Error(), tt.err) {
			t.Errorf("%s:\n error %v\n want %q", tt.op, le, tt.err)
		}
	}
}

func TestPathTemplateMismatchesWarn(t *testing.T) {
	t.Parallel()
	api := addSpec(t, `swagger: '2.0'
info: {title: t, version: '1'}
paths:
  /a/{id}:
    get:
      parameters: [{in: path, name: other, type: string, required: true}]
      responses: {'200': {description: ok}}`)
	op, _ := api.Operation("GET /a/{id}")
	if p := op.Param(klue.InPath, "id"); p == nil || !p.Required || p.Schema.Type() != "string" {
		t.Error("an undeclared {id} is not taken as a required string")
	}
	if op.Param(klue.InPath, "other") != nil {
		t.Error("a path parameter absent from the template is kept")
	}
	if len(api.Warnings()) != 2 {
		t.Errorf("warnings %v, want one per mismatch", api.Warnings())
	}
}

func TestLowestStatus(t *testing.T) {
	t.Parallel()
	for _, c := range []struct {
		r    klue.Response
		want int
	}{
		{klue.Response{Status: "204", StatusCode: 204}, 204},
		{klue.Response{Status: "2XX"}, 200},
		{klue.Response{Status: "5XX"}, 500},
		{klue.Response{Status: "default"}, 0},
	} {
		if got := c.r.LowestStatus(); got != c.want {
			t.Errorf("%s: LowestStatus() = %d, want %d", c.r.Status, got, c.want)
		}
	}
}
