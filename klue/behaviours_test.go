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

// The "Spec loading" behaviours of BEHAVIOURS.md, one test each. A
// behaviour shown on a spec of the original library is also checked on a
// spec of testdata that stands for it, so that a checkout alone tests it.

// onBoth runs check on own, a spec of the repository, and on the original
// library's spec orig (skipped without ../shared).
func onBoth(t *testing.T, own klue.Source, orig string, check func(t *testing.T, api *klue.API), opts ...klue.Option) {
	t.Helper()
	t.Run("testdata", func(t *testing.T) {
		pool := klue.NewPool()
		if err := pool.Add("api", own, opts...); err != nil {
			t.Fatal(err)
		}
		api, _ := pool.API("api")
		check(t, api)
	})
	t.Run("original", func(t *testing.T) { check(t, original(t, orig, opts...)) })
}

// endpoints stands for the original library's call_on_each_endpoint specs.
var endpoints = klue.File("testdata/endpoints.yaml")

func TestBehaviourBindServerIsAName(t *testing.T) {
	t.Parallel()
	onBoth(t, endpoints, "v0.0.90__test_swagger_spec__test_call_on_each_endpoint.yaml", func(t *testing.T, api *klue.API) {
		ops, err := api.ServerOperations("pnt_login.handlers.do_login")
		if err != nil || len(ops) != 1 || ops[0].Path != "/v1/auth/login" {
			t.Fatalf("x-bind-server as a name: %v %v", ops, err)
		}
	})
	t.Run("original ping", func(t *testing.T) {
		for _, op := range original(t, "pymacaron-2021__ping.yaml").Operations() {
			if op.ServerKey == "" {
				t.Errorf("%s has no server key", op.Key())
			}
		}
	})
	// operationId is the fallback name.
	p := addSpec(t, `openapi: 3.0.3
info: {title: t, version: '1'}
paths:
  /pets:
    get: {operationId: listPets, responses: {'200': {description: ok}}}
    post: {x-bind-server: pets.create, responses: {'201': {description: ok}}}
`)
	if ops, err := p.ServerOperations("listPets"); err != nil || ops[0].Key() != "GET /pets" {
		t.Errorf("operationId fallback: %v", err)
	}
	for _, op := range p.Operations() {
		if op.ServerKey == "" {
			t.Errorf("%s has no server key", op.Key())
		}
	}
	t.Run("corpus", func(t *testing.T) {
		petstore := klue.NewPool()
		if err := petstore.Add("p", klue.File(filepath.Join(sharedtest.Dir(t, "corpus"), "swagger2/oai-petstore.yaml"))); err != nil {
			t.Fatal(err)
		}
		p, _ := petstore.API("p")
		if ops, err := p.ServerOperations("listPets"); err != nil || ops[0].Key() != "GET /pets" {
			t.Errorf("operationId fallback: %v", err)
		}
	})
}

func TestBehaviourNoBindServer(t *testing.T) {
	t.Parallel()
	onBoth(t, endpoints, "v0.0.90__test_swagger_spec__test_call_on_each_endpoint.yaml", func(t *testing.T, api *klue.API) {
		n := 0
		for _, op := range api.Operations() {
			if strings.Contains(op.Path, "ignoreme") != op.NoBindServer {
				t.Errorf("%s: NoBindServer %v", op.Key(), op.NoBindServer)
			}
			if op.NoBindServer {
				n++
			}
		}
		if n != 1 {
			t.Errorf("%d operations not bound to the server, want 1", n)
		}
	})
}

func TestBehaviourBindClientAndDecorators(t *testing.T) {
	t.Parallel()
	onBoth(t, endpoints, "pymcore-head__test_swagger_spec__test_call_on_each_endpoint.yaml", func(t *testing.T, api *klue.API) {
		op, err := api.ClientOperation("login")
		if err != nil || op.Method != "POST" {
			t.Fatalf("x-bind-client login: %v", err)
		}
		logout, err := api.Operation("GET /v1/auth/logout")
		if err != nil {
			t.Fatal(err)
		}
		if len(logout.DecorateRequest) != 1 || logout.DecorateRequest[0] != "foo.bar.baz" {
			t.Errorf("x-decorate-request %v", logout.DecorateRequest)
		}
		version, err := api.Operation("GET /v1/version")
		if err != nil {
			t.Fatal(err)
		}
		if len(version.DecorateServer) != 1 || version.DecorateServer[0] != "foo.bar.baz" {
			t.Errorf("x-decorate-server %v", version.DecorateServer)
		}
		// The same handler name on two operations: one handler serves both.
		ops, err := api.ServerOperations("do_version")
		if err != nil || len(ops) != 2 {
			t.Errorf("shared x-bind-server: %d, %v", len(ops), err)
		}
	})
}

func TestBehaviourPersist(t *testing.T) {
	t.Parallel()
	classPath := klue.Bytes("persist.yaml", []byte(`swagger: '2.0'
info: {title: t, version: '1'}
paths: {}
definitions:
  Foo: {type: object, x-persist: some.module.PersistentFoo, properties: {foo: {type: string}}}
`))
	onBoth(t, classPath, "pymcore-head__test_model_persistence__yaml.yaml", func(t *testing.T, api *klue.API) {
		m, _ := api.Model("Foo")
		ps, ok := m.Persist()
		if !ok || ps.Store != "foo" || ps.IDProperty != "id" {
			t.Errorf("x-persist with a class path: %+v %v", ps, ok)
		}
	})
	onBoth(t, classPath, "pymcore-head__test_model_persistence__yaml.yaml", func(t *testing.T, off *klue.API) {
		if m, _ := off.Model("Foo"); func() bool { _, ok := m.Persist(); return ok }() {
			t.Error("WithoutPersistence did not turn x-persist off")
		}
	}, klue.WithoutPersistence())
	api := addSpec(t, `openapi: 3.0.3
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
	basePath := klue.Bytes("crash.yaml", []byte(`swagger: '2.0'
info: {title: t, version: '1'}
basePath: /v1
paths:
  /crash/internalexception: {get: {responses: {'200': {description: ok}}}}
  /crash/slowcall: {get: {responses: {'200': {description: ok}}}}
`))
	onBoth(t, basePath, "pymacaron-2021__crash.yaml", func(t *testing.T, api *klue.API) {
		for _, op := range api.Operations() {
			if !strings.HasPrefix(op.Route(), "/v1/") {
				t.Errorf("%s routes at %s, without basePath /v1", op.Key(), op.Route())
			}
		}
	})
}

// producesSpec is the original's login operation with the given produces
// lines.
func producesSpec(produces string) klue.Source {
	return klue.Bytes("produces.yaml", []byte(`swagger: '2.0'
host: api.example.com
schemes: [http, https]
paths:
  /v1/auth/login:
    post:
      parameters:
        - {in: query, name: whatever, required: true, type: string}
`+produces+`
      x-bind-server: pnt_login.handlers.do_login
`))
}

func TestBehaviourAnyProducesAndParameterMix(t *testing.T) {
	t.Parallel()
	loads := func(*testing.T, *klue.API) {}
	onBoth(t, producesSpec("      produces: [foo/bar]"), "pymcore-head__test_swagger_spec__test_call_on_each_endpoint__invalid_produces.yaml", loads)
	onBoth(t, producesSpec(""), "pymcore-head__test_swagger_spec__test_call_on_each_endpoint__missing_produces.yaml", loads)
	onBoth(t, producesSpec("      produces: [foo/bar, bar/baz]"), "pymcore-head__test_swagger_spec__test_call_on_each_endpoint__too_many_produces.yaml", func(t *testing.T, api *klue.API) {
		op, _ := api.Operation("POST /v1/auth/login")
		if len(op.Produces) != 2 {
			t.Errorf("produces %v", op.Produces)
		}
	})
	// Body and path parameters together, which the original refused.
	onBoth(t, endpoints, "v0.0.90__test_swagger_spec__test_call_on_each_endpoint.yaml", func(t *testing.T, api *klue.API) {
		hybrid, _ := api.Operation("GET /v1/hybrid/{foo}")
		if hybrid == nil || hybrid.Body == nil || hybrid.Param(klue.InPath, "foo") == nil {
			t.Error("body and path parameters together")
		}
	})
}

func TestBehaviourModelsPerAPI(t *testing.T) {
	t.Parallel()
	t.Run("original", func(t *testing.T) {
		originalSpecs := sharedtest.Dir(t, "klue-fixtures", "specs")
		pool := klue.NewPool()
		for _, name := range []string{"foo", "bar"} {
			if err := pool.Add(name, klue.File(filepath.Join(originalSpecs, "pymcore-head__test_swagger_apipool__yaml_"+name+".yaml"))); err != nil {
				t.Fatal(err)
			}
		}
	})
	pool := klue.NewPool()
	for _, spec := range []struct{ name, typ string }{{"a", "string"}, {"b", "integer"}} {
		src := "swagger: '2.0'\ninfo: {title: t, version: '1'}\npaths: {}\ndefinitions: {Thing: {type: " + spec.typ + "}}"
		if err := pool.Add(spec.name, klue.Bytes(spec.name+".yaml", []byte(src))); err != nil {
			t.Fatal(err)
		}
	}
	a, _ := pool.API("a")
	b, _ := pool.API("b")
	ma, _ := a.Model("Thing")
	mb, _ := b.Model("Thing")
	if ma.Validate("x") != nil || mb.Validate("x") == nil {
		t.Error("two APIs of one pool with a model of the same name share it")
	}
}

// schemesSpec is the original's constructor spec with the given schemes.
func schemesSpec(schemes string) klue.Source {
	return klue.Bytes("schemes.yaml", []byte(`swagger: '2.0'
info: {title: test, version: '0.0.1'}
host: pnt-login.elasticbeanstalk.com
schemes: `+schemes+`
basePath: /v1
produces: [application/json]
`))
}

func TestBehaviourSchemes(t *testing.T) {
	t.Parallel()
	tests := []struct {
		own  klue.Source
		file string
		url  string
	}{
		{schemesSpec("[http]"), "pymcore-head__test_swagger_spec__test_apispec_constructor__scheme_http.yaml", "http://pnt-login.elasticbeanstalk.com/v1"},
		{schemesSpec("[https]"), "pymcore-head__test_swagger_spec__test_apispec_constructor__scheme_https.yaml", "https://pnt-login.elasticbeanstalk.com/v1"},
		{schemesSpec("[http, https]"), "pymcore-head__test_swagger_spec__test_apispec_constructor__https_is_default.yaml", "https://pnt-login.elasticbeanstalk.com/v1"},
	}
	for _, tt := range tests {
		onBoth(t, tt.own, tt.file, func(t *testing.T, api *klue.API) {
			if u, err := api.BaseURL(); err != nil || u != tt.url {
				t.Errorf("%q %v, want %s", u, err, tt.url)
			}
		})
	}
	onBoth(t, schemesSpec("[http]"), "pymcore-head__test_swagger_spec__test_apispec_constructor__scheme_http.yaml", func(t *testing.T, api *klue.API) {
		if u, _ := api.BaseURL(); u != "http://localhost:8080/v1" {
			t.Errorf("host and port options: %s", u)
		}
	}, klue.WithPort(8080), klue.WithHost("localhost"))
}

func TestBehaviourCustomFormat(t *testing.T) {
	t.Parallel()
	isFoo := func(s string) error {
		if s != "foo" {
			return errInvalidFoo
		}
		return nil
	}
	own := klue.Bytes("format.yaml", []byte(`swagger: '2.0'
info: {version: '0.0.1'}
host: some.server.com
definitions:
  Foo:
    type: object
    properties:
      foo: {type: string, format: foo}
`))
	onBoth(t, own, "pymcore-head__test_custom_format__yaml_str.yaml", func(t *testing.T, api *klue.API) {
		m, _ := api.Model("Foo")
		if err := m.ValidateJSON([]byte(`{"foo": "foo"}`)); err != nil {
			t.Error(err)
		}
		err := m.ValidateJSON([]byte(`{"foo": "123"}`))
		if err == nil || !strings.Contains(err.Error(), "foo") || !strings.Contains(err.Error(), errInvalidFoo.Error()) {
			t.Errorf("error %v, want it to name the format", err)
		}
	}, klue.WithFormat("foo", isFoo))
}

var errInvalidFoo = errorString("is not foo")

type errorString string

func (e errorString) Error() string { return string(e) }
