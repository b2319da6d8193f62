package klue_test

import (
	"errors"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/klue-go/klue-client-server/klue"
)

// loadFile loads a spec file of testdata and returns its API, failing the
// test on error.
func loadFile(t *testing.T, path string, opts ...klue.Option) *klue.API {
	t.Helper()
	pool := klue.NewPool()
	if err := pool.Add("api", klue.File(path), opts...); err != nil {
		t.Fatal(err)
	}
	api, err := pool.API("api")
	if err != nil {
		t.Fatal(err)
	}
	return api
}

// problemLines returns the problems of a load error, one formatted line each.
func problemLines(le *klue.LoadError) []string {
	out := make([]string, len(le.Problems))
	for i, p := range le.Problems {
		out[i] = p.Error()
	}
	return out
}

func TestOperationRefsAreResolved(t *testing.T) {
	t.Parallel()
	api := loadFile(t, "testdata/opref/openapi.yaml")
	if got := len(api.Operations()); got != 3 {
		t.Fatalf("%d operations, want 3", got)
	}
	list, err := api.Operation("listPets")
	if err != nil {
		t.Fatal(err)
	}
	if list.File != "testdata/opref/ops/list.yaml" || list.Line != 1 {
		t.Errorf("listPets placed at %s:%d, want its own file", list.File, list.Line)
	}
	if p := list.Param(klue.InQuery, "limit"); p == nil || p.Schema.Validate(51) == nil {
		t.Errorf("listPets' limit parameter, reached from the operation's file, is missing or unchecked: %+v", p)
	}
	if r := list.Response(200); r == nil || len(r.Content) != 1 || r.Content[0].Schema.Validate([]any{map[string]any{}}) == nil {
		t.Errorf("listPets' 200 answer is missing or does not check its items: %+v", r)
	}
	create, err := api.Operation("createPet")
	if err != nil {
		t.Fatal(err)
	}
	if create.Body == nil || !create.Body.Required || len(create.Body.Content) != 1 {
		t.Fatalf("createPet's body is missing: %+v", create.Body)
	}
	if r := create.Response(201); r == nil || len(r.Headers) != 1 || !r.Headers[0].Required {
		t.Errorf("createPet's Location header is missing: %+v", r)
	}
	read, err := api.Operation("readPet")
	if err != nil {
		t.Fatal(err)
	}
	if read.Path != "/pets/{id}" || read.Param(klue.InPath, "id") == nil {
		t.Errorf("readPet, reached through a path item $ref, lost its path or its path-level parameter: %s %+v", read.Path, read.Parameters)
	}
}

func TestOperationRefFaultsAreErrors(t *testing.T) {
	t.Parallel()
	err := klue.NewPool().Add("api", klue.File("testdata/opref-missing/openapi.yaml"))
	le := asLoadError(t, err)
	want := []string{
		`testdata/opref-missing/openapi.yaml:6:13: /paths/~1pets/get: $ref "ops/list.yaml" file not found`,
		`testdata/opref-missing/openapi.yaml:8:13: /paths/~1pets/put/$ref: $ref must be a string, got number`,
	}
	if got := problemLines(le); strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Errorf("problems:\n%s\nwant:\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
}

// asLoadError returns err as a *klue.LoadError, failing the test otherwise.
func asLoadError(t *testing.T, err error) *klue.LoadError {
	t.Helper()
	var le *klue.LoadError
	if !errors.As(err, &le) {
		t.Fatalf("error %T %v; want a *klue.LoadError", err, err)
	}
	return le
}

func TestKeysBesideRefAreReported(t *testing.T) {
	t.Parallel()
	api := addSpec(t, `openapi: 3.0.3
info: {title: t, version: '1'}
paths:
  /pets:
    get:
      $ref: '#/x-operations/list'
      tags: [pets]
      description: taken from the target
x-operations:
  list:
    operationId: listPets
    responses:
      '200':
        description: ok
        content:
          application/json:
            $ref: '#/x-media/pets'
x-media:
  pets:
    schema: {type: array, maxItems: 2}
`)
	var ws []string
	for _, w := range api.Warnings() {
		ws = append(ws, w.Error())
	}
	want := `spec.yaml:6:7: /paths/~1pets/get: ignored beside $ref: tags`
	if !slices.Contains(ws, want) {
		t.Errorf("warnings:\n%s\nwant among them:\n%s", strings.Join(ws, "\n"), want)
	}
	op, err := api.Operation("listPets")
	if err != nil {
		t.Fatal(err)
	}
	r := op.Response(200)
	if r == nil || len(r.Content) != 1 || r.Content[0].Schema == nil || r.Content[0].Schema.Validate([]any{1, 2, 3}) == nil {
		t.Errorf("the media type reached by $ref is lost: %+v", r)
	}
}

func TestContentThatIsNotAMapIsAnError(t *testing.T) {
	t.Parallel()
	le := loadError(t, `openapi: 3.0.3
info: {title: t, version: '1'}
paths:
  /a:
    get:
      parameters:
        - name: q
          in: query
          content: [{schema: {type: string}}]
      responses:
        '200':
          description: ok
          headers:
            X-A:
              content: [{schema: {type: string}}]
          content: [{schema: {type: string}}]
`)
	want := []string{
		`spec.yaml:9:20: /paths/~1a/get/parameters/0/content: content must be an object of media types, got array`,
		`spec.yaml:16:20: /paths/~1a/get/responses/200/content: content must be an object of media types, got array`,
		`spec.yaml:15:24: /paths/~1a/get/responses/200/headers/X-A/content: content must be an object of media types, got array`,
	}
	if got := problemLines(le); strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Errorf("problems:\n%s\nwant:\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
}

func TestPathItemKeysNotReadAreReported(t *testing.T) {
	t.Parallel()
	api := addSpec(t, `openapi: 3.0.3
info: {title: t, version: '1'}
paths:
  /pets:
    gett:
      responses: {'200': {description: ok}}
    post:
      responses: {'200': {description: ok}}
      callbacks:
        done:
          '{$request.body#/url}':
            post:
              responses: {'200': {description: ok}}
`)
	var ws []string
	for _, w := range api.Warnings() {
		ws = append(ws, w.Error())
	}
	want := []string{
		`spec.yaml:6:7: /paths/~1pets/gett: unknown key "gett" in a path item is ignored (did you mean "get"?)`,
		`spec.yaml:10:9: /paths/~1pets/post/callbacks: callbacks are neither served nor called by klue; they are ignored`,
	}
	for _, w := range want {
		if !slices.Contains(ws, w) {
			t.Errorf("warnings:\n%s\nwant among them:\n%s", strings.Join(ws, "\n"), w)
		}
	}
}

func TestRefOutsideRootHasATypedCause(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	spec := filepath.Join(dir, "spec", "openapi.yaml")
	if err := os.MkdirAll(filepath.Dir(spec), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dir, "common.yaml"), []byte("Thing: {type: string}\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(spec, []byte(`openapi: 3.0.3
info: {title: t, version: '1'}
paths: {}
components:
  schemas:
    Thing: {$ref: '../common.yaml#/Thing'}
`), 0o644); err != nil {
		t.Fatal(err)
	}
	err := klue.NewPool().Add("api", klue.File(spec))
	var rr *klue.RefRootError
	if !errors.As(err, &rr) || rr.Root == "" {
		t.Fatalf("error %v does not unwrap to a *klue.RefRootError", err)
	}
	if !strings.HasSuffix(err.Error(), rr.Error()) || !strings.Contains(rr.Error(), "allow it with klue.WithRefRoot") {
		t.Errorf("message %q, cause %q", err, rr)
	}
}

func TestWebhooksAreReported(t *testing.T) {
	t.Parallel()
	api := addSpec(t, `openapi: 3.1.0
info: {title: t, version: '1'}
webhooks:
  newPet:
    post:
      responses: {'200': {description: ok}}
`)
	want := `spec.yaml:4:3: /webhooks: webhooks are neither served nor called by klue; they are ignored`
	if ws := warningLines(api); !slices.Contains(ws, want) {
		t.Errorf("warnings:\n%s\nwant among them:\n%s", strings.Join(ws, "\n"), want)
	}
}
