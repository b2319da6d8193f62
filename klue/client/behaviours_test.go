package client_test

import (
	"errors"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/klue-go/klue-client-server/internal/sharedtest"
	"github.com/klue-go/klue-client-server/klue"
	"github.com/klue-go/klue-client-server/klue/callctx"
	"github.com/klue-go/klue-client-server/klue/client"
	"github.com/klue-go/klue-client-server/klue/kluetest"
)

// The client rows of klue-fixtures/BEHAVIOURS.md, against echo services on
// loopback.

// ownAndOriginal runs check on testdata/own and on the original library's
// spec orig that it stands for (skipped without ../shared).
func ownAndOriginal(t *testing.T, own, orig string, check func(t *testing.T, file string)) {
	t.Helper()
	t.Run("testdata", func(t *testing.T) { check(t, filepath.Join("testdata", own)) })
	t.Run("original", func(t *testing.T) {
		check(t, filepath.Join(sharedtest.Dir(t, "klue-fixtures", "specs"), orig))
	})
}

// hostOf returns the host:port of a test server.
func hostOf(srv *httptest.Server) string { return strings.TrimPrefix(srv.URL, "http://") }

// petsOnLoopback serves the pets API with echo on loopback, and returns a
// pool whose "pets" API points at it and is configured with opts (and the
// auth decorator the spec names).
func petsOnLoopback(t testing.TB, poolOpts []klue.Option, opts ...client.ClientOption) *klue.Pool {
	t.Helper()
	srv := serve(t, petsEcho(t))
	pool := newPool(t, append([]klue.Option{klue.WithHost(hostOf(srv))}, poolOpts...), "pets")
	opts = append(opts, client.WithNamedDecorator("auth", bearer("good")))
	configure(t, pool, "pets", opts...)
	return pool
}

func bearer(token string) client.Decorator {
	return func(r *http.Request) error {
		r.Header.Set("Authorization", "Bearer "+token)
		return nil
	}
}

// URL = scheme://host:port + basePath + path, the query from the other
// parameters, the JSON body from the model, Content-Type application/json.
func TestBehaviourURLQueryAndJSONBody(t *testing.T) {
	t.Parallel()
	ownAndOriginal(t, "path_query_param.yaml", "pymcore-head__utils__yaml_path_query_param.yaml", func(t *testing.T, file string) {
		rec := &capture{answer: jsonAnswer(http.StatusOK, `{"foo":"a","bar":"b"}`)}
		srv := serve(t, rec)
		pool := klue.NewPool()
		kluetest.Add(t, pool, "test", klue.File(file), klue.WithHost(hostOf(srv)))
		type Result struct {
			Foo string `json:"foo"`
			Bar string `json:"bar"`
		}
		type DoTest struct {
			Foo string `path:"foo"`
			Bar string `query:"bar"`
		}
		res, err := client.CallWith[Result](pool.Client("test"), "do_test", &DoTest{Foo: "f o", Bar: "b&r"}).Do(t.Context())
		if err != nil {
			t.Fatal(err)
		}
		if res.Foo != "a" || res.Bar != "b" {
			t.Errorf("result %+v", res)
		}
		s := rec.last(t)
		if s.Path != "/v1/v1/some/f%20o/path" || s.RawQuery != "bar=b%26r" {
			t.Errorf("request %s?%s", s.Path, s.RawQuery)
		}
	})

	created, err := client.CallWith[Pet](petsOnLoopback(t, nil).Client("pets"), "create_pet", &NewPet{Name: "Felix", Tag: "cat"}).Do(t.Context())
	if err != nil {
		t.Fatal(err)
	}
	if created.ID == 0 || created.Name != "Felix" {
		t.Errorf("created %+v", created)
	}
}

// schemes: [http] → http on port 80, [https] → https on 443, [http, https]
// → https preferred; the pool's host and port options override the spec.
func TestBehaviourSchemes(t *testing.T) {
	t.Parallel()
	// header is the original's constructor spec with the given schemes.
	header := func(schemes string) string {
		return "swagger: '2.0'\ninfo: {title: test, version: '0.0.1'}\nhost: pnt-login.elasticbeanstalk.com\nschemes: " + schemes + "\nbasePath: /v1\n"
	}
	cases := []struct {
		own, file string
		opts      []klue.Option
		want      string
	}{
		{header("[http]"), "pymcore-head__test_swagger_spec__test_apispec_constructor__scheme_http.yaml", nil, "http://"},
		{header("[https]"), "pymcore-head__test_swagger_spec__test_apispec_constructor__scheme_https.yaml", nil, "https://"},
		{header("[http, https]"), "pymcore-head__test_swagger_spec__test_apispec_constructor__https_is_default.yaml", nil, "https://pnt-login.elasticbeanstalk.com/v1/"},
		{header("[http, https]"), "pymcore-head__test_swagger_spec__test_apispec_constructor__https_is_default.yaml", []klue.Option{klue.WithHost("10.0.0.1"), klue.WithPort(8443)}, "https://10.0.0.1:8443/v1/"},
	}
	check := func(t *testing.T, spec string, opts []klue.Option, want string) {
		var got string
		rt := roundTripFunc(func(r *http.Request) (*http.Response, error) {
			got = r.URL.String()
			return &http.Response{StatusCode: 204, Header: http.Header{}, Body: http.NoBody, Request: r}, nil
		})
		pool := klue.NewPool()
		data := strings.ReplaceAll(spec, "paths:", "") + "\npaths:\n  /ping:\n    get:\n      operationId: ping\n      responses:\n        '204':\n          description: pong\n"
		if err := pool.Add("api", klue.Bytes("spec.yaml", []byte(data)), opts...); err != nil {
			t.Fatal(err)
		}
		configure(t, pool, "api", client.WithTransport(rt))
		if _, err := client.Call[struct{}](pool.Client("api"), "ping").Do(t.Context()); err != nil {
			t.Fatal(err)
		}
		if !strings.HasPrefix(got, want) || !strings.HasSuffix(got, "/ping") {
			t.Errorf("URL %s, want %s...", got, want)
		}
	}
	for _, tc := range cases {
		t.Run(tc.file, func(t *testing.T) {
			t.Parallel()
			t.Run("testdata", func(t *testing.T) { check(t, tc.own, tc.opts, tc.want) })
			t.Run("original", func(t *testing.T) {
				fixtures := sharedtest.Dir(t, "klue-fixtures", "specs")
				check(t, mustRead(t, filepath.Join(fixtures, tc.file)), tc.opts, tc.want)
			})
		})
	}
}

type roundTripFunc func(*http.Request) (*http.Response, error)

func (f roundTripFunc) RoundTrip(r *http.Request) (*http.Response, error) { return f(r) }

// A missing path argument is an error before any request.
func TestBehaviourMissingPathArgument(t *testing.T) {
	t.Parallel()
	ownAndOriginal(t, "path_param.yaml", "pymcore-head__utils__yaml_path_param.yaml", func(t *testing.T, file string) {
		rec := &capture{}
		srv := serve(t, rec)
		pool := klue.NewPool()
		kluetest.Add(t, pool, "test", klue.File(file), klue.WithHost(hostOf(srv)))
		err := client.Call[struct{}](pool.Client("test"), "do_test").Err()
		if err == nil || !strings.Contains(err.Error(), `no field for the required path parameter "foo"`) {
			t.Errorf("no input: %v", err)
		}
		type In struct {
			Foo string `path:"foo"`
			Bar string `path:"bar"`
		}
		_, err = client.CallWith[struct{}](pool.Client("test"), "do_test", &In{Bar: "b"}).Do(t.Context())
		if err == nil || !strings.Contains(err.Error(), "path.foo: must not be empty") {
			t.Errorf("empty path: %v", err)
		}
		if rec.count() != 0 {
			t.Errorf("%d requests sent", rec.count())
		}
	})
}

// The body's type is checked by the compiler with a typed key, as
// generated code declares it.
func TestBehaviourTypedKey(t *testing.T) {
	t.Parallel()
	const createPet klue.Key[NewPet, Pet] = "create_pet"
	pool := petsOnLoopback(t, nil)
	p, err := client.CallWith(pool.Client("pets"), createPet, &NewPet{Name: "Nemo", Tag: "fish"}).Do(t.Context())
	if err != nil || p.Name != "Nemo" {
		t.Fatalf("%+v, %v", p, err)
	}
}

// Every declared 2xx is a success: 200, 201, 204; HEAD, OPTIONS, PUT, PATCH
// and DELETE work like GET and POST.
func TestBehaviourEvery2xxAndMethod(t *testing.T) {
	t.Parallel()
	pool := petsOnLoopback(t, nil)
	remote := pool.Client("pets")
	ctx := t.Context()
	if p, err := client.CallWith[Pet](remote, "create_pet", &NewPet{Name: "Bubbles"}).Do(ctx); err != nil || p.ID == 0 {
		t.Fatalf("201: %+v, %v", p, err)
	}
	if p, err := client.CallWith[Pet](remote, "update_pet", &UpdatePet{ID: 2, Body: &Pet{ID: 2, Name: "Tom", Tag: "tabby"}}).Do(ctx); err != nil || p.Tag != "tabby" {
		t.Fatalf("PUT: %+v, %v", p, err)
	}
	type Rename struct {
		ID   int `path:"id"`
		Body NewPet
	}
	if p, err := client.CallWith[Pet](remote, "rename_pet", &Rename{ID: 2, Body: NewPet{Name: "Thomas"}}).Do(ctx); err != nil || p.Name != "Thomas" {
		t.Fatalf("PATCH: %+v, %v", p, err)
	}
	if _, err := client.CallWith[struct{}](remote, "pet_exists", &PetID{ID: 2}).Do(ctx); err != nil {
		t.Fatalf("HEAD: %v", err)
	}
	if _, err := client.CallWith[struct{}](remote, "pet_options", &PetID{ID: 2}).Do(ctx); err != nil {
		t.Fatalf("OPTIONS: %v", err)
	}
	if _, err := client.CallWith[struct{}](remote, "delete_pet", &PetID{ID: 2}).Do(ctx); err != nil {
		t.Fatalf("204: %v", err)
	}
	_, err := client.CallWith[struct{}](remote, "pet_exists", &PetID{ID: 2}).Do(ctx)
	if klue.StatusOf(err) != http.StatusNotFound {
		t.Fatalf("HEAD after DELETE: %v", err)
	}
	pets, err := client.CallWith[[]Pet](remote, "list_pets", &ListPets{Tags: []string{"dog", "fish"}, Limit: 5}).Do(ctx)
	if err != nil || len(*pets) != 1 || (*pets)[0].Name != "Rex" {
		t.Fatalf("list: %+v, %v", pets, err)
	}
}

// A non-2xx answer that matches a declared response is a typed error with
// the status and the decoded model; other answers give the status and the
// start of the body.
func TestBehaviourErrorResponses(t *testing.T) {
	t.Parallel()
	pool := petsOnLoopback(t, nil)
	remote := pool.Client("pets")
	_, err := client.CallWith[Pet](remote, "create_pet", &NewPet{Name: "rex"}).Do(t.Context())
	var ke *klue.Error
	if !errors.As(err, &ke) || ke.Status != http.StatusConflict {
		t.Fatalf("error %v, want a 409 *klue.Error", err)
	}
	if !errors.Is(err, klue.ErrConflict) {
		t.Error("errors.Is(err, klue.ErrConflict) is false")
	}
	model, ok := client.ErrorBody[APIError](err)
	if !ok || model.Status != 409 || model.Description != "rex exists" {
		t.Errorf("error body %+v, %v", model, ok)
	}
	if ke.Message != "rex exists" {
		t.Errorf("message %q", ke.Message)
	}
	want := "klue: pets.create_pet: POST " + remoteURL(t, pool) + "/pets: 409 Conflict: rex exists"
	if err.Error() != want {
		t.Errorf("error\n %s\nwant\n %s", err, want)
	}

	// Undeclared: a 500 with an HTML page.
	rec := &capture{answer: func(w http.ResponseWriter, _ *http.Request) {
		w.Header().Set("Content-Type", "text/html")
		w.WriteHeader(http.StatusInternalServerError)
		_, _ = w.Write([]byte("<html><body>Internal trouble</body></html>"))
	}}
	srv := serve(t, rec)
	pool2 := newPool(t, []klue.Option{klue.WithHost(hostOf(srv))}, "pets")
	_, err = client.Call[Version](pool2.Client("pets"), "version").Do(t.Context())
	if klue.StatusOf(err) != 500 || !strings.Contains(err.Error(), `500 Internal Server Error: "<html><body>Internal trouble</body></html>"`) {
		t.Errorf("undeclared error: %v", err)
	}
	if _, ok := client.ErrorBody[APIError](err); ok {
		t.Error("an undeclared answer has an error body")
	}
}

func remoteURL(t testing.TB, pool *klue.Pool) string {
	api, err := pool.API("pets")
	if err != nil {
		t.Fatal(err)
	}
	u, err := api.BaseURL()
	if err != nil {
		t.Fatal(err)
	}
	return u
}

// Answers are checked against the schema declared for their status, unless
// the call says otherwise.
func TestResponseValidation(t *testing.T) {
	t.Parallel()
	rec := &capture{answer: jsonAnswer(http.StatusOK, `{"name":"pets"}`)}
	srv := serve(t, rec)
	pool := newPool(t, []klue.Option{klue.WithHost(hostOf(srv))}, "pets")
	_, err := client.Call[Version](pool.Client("pets"), "version").Do(t.Context())
	var ke *klue.Error
	if !errors.As(err, &ke) || ke.Status != http.StatusBadGateway || len(ke.Details) != 1 || ke.Details[0].Location != "body.version" {
		t.Fatalf("error %v (%+v), want 502 with body.version", err, ke)
	}
	v, err := client.Call[Version](pool.Client("pets"), "version", client.WithoutResponseValidation()).Do(t.Context())
	if err != nil || v.Name != "pets" {
		t.Fatalf("without validation: %+v, %v", v, err)
	}
}

// The client forwards the call ID and call path unchanged.
func TestBehaviourCallContext(t *testing.T) {
	t.Parallel()
	rec := &capture{answer: jsonAnswer(http.StatusOK, `{"name":"pets","version":"1"}`)}
	srv := serve(t, rec)
	pool := newPool(t, []klue.Option{klue.WithHost(hostOf(srv))}, "pets")
	id := callctx.NewID()
	ctx := callctx.NewContext(t.Context(), callctx.Call{ID: id, Path: "public.user"})
	if _, err := client.Call[Version](pool.Client("pets"), "version").Do(ctx); err != nil {
		t.Fatal(err)
	}
	s := rec.last(t)
	if s.Header.Get(callctx.HeaderID) != id || s.Header.Get(callctx.HeaderPath) != "public.user" {
		t.Errorf("headers %v", s.Header)
	}
	if _, err := client.Call[Version](pool.Client("pets"), "version").Do(t.Context()); err != nil {
		t.Fatal(err)
	}
	if h := rec.last(t).Header; h.Get(callctx.HeaderID) != "" || h.Get(callctx.HeaderPath) != "" {
		t.Errorf("a call without a call context sent %v", h)
	}
}

// Local mode calls an in-process echo without the network.
func TestBehaviourLocalMode(t *testing.T) {
	t.Parallel()
	pool := newPool(t, nil, "pets")
	configure(t, pool, "pets", client.WithLocal(petsEcho(t)), client.WithNamedDecorator("auth", bearer("good")))
	v, err := client.Call[Version](pool.Client("pets"), "version").Do(t.Context())
	if err != nil || v.Version != "1.0.0" {
		t.Fatalf("%+v, %v", v, err)
	}
	_, err = client.CallWith[Pet](pool.Client("pets"), "get_pet", &PetID{ID: 99}).Do(t.Context())
	if klue.StatusOf(err) != http.StatusNotFound {
		t.Fatalf("error %v, want 404", err)
	}
	if m, ok := client.ErrorBody[APIError](err); !ok || m.Description != "no pet 99" {
		t.Errorf("error body %+v", m)
	}
}

// A local API needs no host; a remote one does, and Configure says so.
func TestLocalModeNeedsNoHost(t *testing.T) {
	t.Parallel()
	spec := []byte("swagger: '2.0'\ninfo: {title: t, version: '1'}\nbasePath: /api\npaths:\n  /ping:\n    get:\n      operationId: ping\n      responses:\n        '204': {description: pong}\n")
	pool := klue.NewPool()
	kluetest.Add(t, pool, "nohost", klue.Bytes("nohost.yaml", spec))
	if err := client.Configure(pool, "nohost"); err == nil || !strings.Contains(err.Error(), "names no host") {
		t.Errorf("Configure without a host: %v", err)
	}
	_, err := client.Call[struct{}](pool.Client("nohost"), "ping").Do(t.Context())
	if err == nil || !strings.Contains(err.Error(), "names no host") {
		t.Errorf("call without a host: %v", err)
	}
	pool2 := klue.NewPool()
	kluetest.Add(t, pool2, "nohost", klue.Bytes("nohost.yaml", spec))
	rec := &capture{}
	configure(t, pool2, "nohost", client.WithLocal(rec))
	if _, err := client.Call[struct{}](pool2.Client("nohost"), "ping").Do(t.Context()); err != nil {
		t.Fatal(err)
	}
	if s := rec.last(t); s.Path != "/api/ping" {
		t.Errorf("path %s", s.Path)
	}
}

// pool.Client for an unknown API gives a handle whose calls fail with the
// lookup's error.
func TestUnknownAPI(t *testing.T) {
	t.Parallel()
	pool := newPool(t, nil, "pets")
	_, err := client.Call[Version](pool.Client("pest"), "version").Do(t.Context())
	if !errors.Is(err, klue.ErrUnknownKey) || !strings.Contains(err.Error(), `"pets"`) {
		t.Errorf("error %v", err)
	}
	if err := client.Configure(pool, "pest"); !errors.Is(err, klue.ErrUnknownKey) {
		t.Errorf("Configure: %v", err)
	}
}

func mustRead(t testing.TB, path string) string {
	t.Helper()
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	return string(data)
}
