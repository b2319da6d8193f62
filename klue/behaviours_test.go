package klue_test

import (
	"path/filepath"
	"strings"
	"testing"

	"github.com/klue-go/klue-client-server/internal/sharedtest"
	"github.com/klue-go/klue-client-server/klue"
)

// TestOriginalSpecsLoad loads every spec of the original library's tests.
func TestOriginalSpecsLoad(t *testing.T) {
	originalSpecs := sharedtest.Dir(t, "klue-fixtures", "specs")
	t.Parallel()
	files, err := filepath.Glob(filepath.Join(originalSpecs, "*.yaml"))
	if err != nil || len(files) < 40 {
		t.Fatalf("original specs missing: %v", err)
	}
	for _, f := range files {
		if err := klue.NewPool().Add("spec", klue.File(f)); err != nil {
			t.Errorf("%s: %v", filepath.Base(f), err)
		}
	}
}

func original(t *testing.T, name string, opts ...klue.Option) *klue.API {
	t.Helper()
	originalSpecs := sharedtest.Dir(t, "klue-fixtures", "specs")
	pool := klue.NewPool()
	if err := pool.Add("api", klue.File(filepath.Join(originalSpecs, name)), opts...); err != nil {
		t.Fatal(err)
	}
	api, _ := pool.API("api")
	return api
}

// The "Spec loading" behaviours of BEHAVIOURS.md, one test each.

func TestBehaviourBindServerIsAName(t *testing.T) {
	corpus := sharedtest.Dir(t, "corpus")
	t.Parallel()
	api := original(t, "v0.0.90__test_swagger_spec__test_call_on_each_endpoint.yaml")
	ops, err := api.ServerOperations("pnt_login.handlers.do_login")
	if err != nil || len(ops) != 1 || ops[0].Path != "/v1/auth/login" {
		t.Fatalf("x-bind-server as a name: %v %v", ops, err)
	}
	// operationId is the fallback name.
	api = original(t, "pymacaron-2021__ping.yaml")
	for _, op := range api.Operations() {
		if op.ServerKey == "" {
			t.Errorf("%s has no server key", op.Key())
		}
	}
	petstore := klue.NewPool()
	if err := petstore.Add("p", klue.File(filepath.Join(corpus, "swagger2/oai-petstore.yaml"))); err != nil {
		t.Fatal(err)
	}
	p, _ := petstore.API("p")
	if ops, err := p.ServerOperations("listPets"); err != nil || ops[0].Key() != "GET /pets" {
		t.Errorf("operationId fallback: %v", err)
	}
}

func TestBehaviourNoBindServer(t *testing.T) {
	t.Parallel()
	api := original(t, "v0.0.90__test_swagger_spec__test_call_on_each_endpoint.yaml")
	for _, op := range api.Operations() {
		if strings.Contains(op.Path, "ignoreme") != op.NoBindServer {
			t.Errorf("%s: NoBindServer %v", op.Key(), op.NoBindServer)
		}
	}
}

func TestBehaviourBindClientAndDecorators(t *testing.T) {
	t.Parallel()
	api := original(t, "pymcore-head__test_swagger_spec__test_call_on_each_endpoint.yaml")
	op, err := api.ClientOperation("login")
	if err != nil || op.Method != "POST" {
		t.Fatalf("x-bind-client login: %v", err)
	}
	logout, _ := api.Operation("GET /v1/auth/logout")
	if len(logout.DecorateRequest) != 1 || logout.DecorateRequest[0] != "foo.bar.baz" {
		t.Errorf("x-decorate-request %v", logout.DecorateRequest)
	}
	version, _ := api.Operation("GET /v1/version")
	if len(version.DecorateServer) != 1 || version.DecorateServer[0] != "foo.bar.baz" {
		t.Errorf("x-decorate-server %v", version.DecorateServer)
	}
	// The same handler name on two operations: one handler serves both.
	ops, err := api.ServerOperations("do_version")
	if err != nil || len(ops) != 2 {
		t.Errorf("shared x-bind-server: %d, %v", len(ops), err)
	}
}

func TestBehaviourPersist(t *testing.T) {
	t.Parallel()
	api := original(t, "pymcore-head__test_model_persistence__yaml.yaml")
	m, _ := api.Model("Foo")
	ps, ok := m.Persist()
	if !ok || ps.Store != "foo" || ps.IDProperty != "id" {
		t.Errorf("x-persist with a class path: %+v %v", ps, ok)
	}
	off := original(t, "pymcore-head__test_model_persistence__yaml.yaml", klue.WithoutPersistence())
	if m, _ := off.Model("Foo"); func() bool { _, ok := m.Persist(); return ok }() {
		t.Error("WithoutPersistence did not turn x-persist off")
	}
	api = addSpec(t, `openapi: 3.0.3
info: {title: t, version: '1'}
paths: {}
components:
  schemas:
    User: {type: object, x-persist: {store: people, id: user_id}, properties: {user_id: {type: string}}}
    Plain: {type: object}
`)
	if m, _ := api.Model("User"); func() bool { ps, ok := m.Persist(); return !ok || ps.Store != "people" || ps.IDProperty != "user_id" }() {
		t.Error("x-persist {store, id}")
	}
	if m, _ := api.Model("Plain"); func() bool { _, ok := m.Persist(); return ok }() {
		t.Error("a model without x-persist persists")
	}
}

func TestBehaviourMissingHostSchemesAndPathParameters(t *testing.T) {
	t.Parallel()
	// No host, no schemes, path-level parameters: crashed the original.
	api := addSpec(t, `swagger: '2.0'
info: {title: t, version: '1'}
paths:
  /items/{id}:
    parameters: [{in: path, name: id, type: integer, required: true}]
    get: {responses: {'200': {description: ok}}}
    delete: {responses: {'204': {description: gone}}}
`)
	for _, op := range api.Operations() {
		if p := op.Param(klue.InPath, "id"); p == nil || p.Schema.Type() != "integer" {
			t.Errorf("%s lacks the path-level parameter", op.Key())
		}
	}
	if _, err := api.BaseURL(); err == nil || !strings.Contains(err.Error(), "klue.WithBaseURL") {
		t.Errorf("no host: %v, want an error pointing to WithBaseURL", err)
	}
	api = addSpec(t, "swagger: '2.0'\ninfo: {title: t, version: '1'}\npaths: {}", klue.WithBaseURL("http://127.0.0.1:9000/v1/"))
	if u, err := api.BaseURL(); err != nil || u != "http://127.0.0.1:9000/v1" {
		t.Errorf("base URL option: %q %v", u, err)
	}
}

func TestBehaviourBasePathHonoured(t *testing.T) {
	t.Parallel()
	api := original(t, "pymacaron-2021__crash.yaml")
	for _, op := range api.Operations() {
		if !strings.HasPrefix(op.Route(), "/v1/") {
			t.Errorf("%s routes at %s, without basePath /v1", op.Key(), op.Route())
		}
	}
}

func TestBehaviourAnyProducesAndParameterMix(t *testing.T) {
	t.Parallel()
	for _, name := range []string{"invalid_produces", "missing_produces", "too_many_produces"} {
		original(t, "pymcore-head__test_swagger_spec__test_call_on_each_endpoint__"+name+".yaml")
	}
	api := original(t, "pymcore-head__test_swagger_spec__test_call_on_each_endpoint__too_many_produces.yaml")
	op, _ := api.Operation("POST /v1/auth/login")
	if len(op.Produces) != 2 {
		t.Errorf("produces %v", op.Produces)
	}
	// Body and query together, which the original refused.
	api = original(t, "v0.0.90__test_swagger_spec__test_call_on_each_endpoint.yaml")
	hybrid, _ := api.Operation("GET /v1/hybrid/{foo}")
	if hybrid.Body == nil || hybrid.Param(klue.InPath, "foo") == nil {
		t.Error("body and path parameters together")
	}
}

func TestBehaviourModelsPerAPI(t *testing.T) {
	originalSpecs := sharedtest.Dir(t, "klue-fixtures", "specs")
	t.Parallel()
	pool := klue.NewPool()
	for _, name := range []string{"foo", "bar"} {
		if err := pool.Add(name, klue.File(filepath.Join(originalSpecs, "pymcore-head__test_swagger_apipool__yaml_"+name+".yaml"))); err != nil {
			t.Fatal(err)
		}
	}
	a := addSpec(t, "swagger: '2.0'\ninfo: {title: t, version: '1'}\npaths: {}\ndefinitions: {Thing: {type: string}}")
	b := addSpec(t, "swagger: '2.0'\ninfo: {title: t, version: '1'}\npaths: {}\ndefinitions: {Thing: {type: integer}}")
	ma, _ := a.Model("Thing")
	mb, _ := b.Model("Thing")
	if ma.Validate("x") != nil || mb.Validate("x") == nil {
		t.Error("two APIs with a model of the same name share it")
	}
}

func TestBehaviourSchemes(t *testing.T) {
	t.Parallel()
	tests := []struct{ file, url string }{
		{"pymcore-head__test_swagger_spec__test_apispec_constructor__scheme_http.yaml", "http://pnt-login.elasticbeanstalk.com/v1"},
		{"pymcore-head__test_swagger_spec__test_apispec_constructor__scheme_https.yaml", "https://pnt-login.elasticbeanstalk.com/v1"},
		{"pymcore-head__test_swagger_spec__test_apispec_constructor__https_is_default.yaml", "https://pnt-login.elasticbeanstalk.com/v1"},
	}
	for _, tt := range tests {
		api := original(t, tt.file)
		if u, err := api.BaseURL(); err != nil || u != tt.url {
			t.Errorf("%s: %q %v, want %s", tt.file, u, err, tt.url)
		}
	}
	api := original(t, "pymcore-head__test_swagger_spec__test_apispec_constructor__scheme_http.yaml", klue.WithPort(8080), klue.WithHost("localhost"))
	if u, _ := api.BaseURL(); u != "http://localhost:8080/v1" {
		t.Errorf("host and port options: %s", u)
	}
}

func TestBehaviourCustomFormat(t *testing.T) {
	t.Parallel()
	isFoo := func(s string) error {
		if s != "foo" {
			return errInvalidFoo
		}
		return nil
	}
	api := original(t, "pymcore-head__test_custom_format__yaml_str.yaml", klue.WithFormat("foo", isFoo))
	m, _ := api.Model("Foo")
	if err := m.ValidateJSON([]byte(`{"foo": "foo"}`)); err != nil {
		t.Error(err)
	}
	err := m.ValidateJSON([]byte(`{"foo": "123"}`))
	if err == nil || !strings.Contains(err.Error(), "foo") || !strings.Contains(err.Error(), errInvalidFoo.Error()) {
		t.Errorf("error %v, want it to name the format", err)
	}
}

var errInvalidFoo = errorString("is not foo")

type errorString string

func (e errorString) Error() string { return string(e) }
