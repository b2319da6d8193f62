package klue_test

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"testing/fstest"

	"github.com/klue-go/klue-client-server/internal/sharedtest"
	"github.com/klue-go/klue-client-server/klue"
)

// addSpec loads a spec from text and returns its API, failing the test on
// error.
func addSpec(t *testing.T, spec string, opts ...klue.Option) *klue.API {
	t.Helper()
	pool := klue.NewPool()
	if err := pool.Add("api", klue.Bytes("spec.yaml", []byte(spec)), opts...); err != nil {
		t.Fatal(err)
	}
	api, err := pool.API("api")
	if err != nil {
		t.Fatal(err)
	}
	return api
}

// loadError loads a spec that must fail and returns the error.
func loadError(t *testing.T, spec string, opts ...klue.Option) *klue.LoadError {
	t.Helper()
	err := klue.NewPool().Add("api", klue.Bytes("spec.yaml", []byte(spec)), opts...)
	if err == nil {
		t.Fatal("the spec loaded; want an error")
	}
	var le *klue.LoadError
	if !errors.As(err, &le) {
		t.Fatalf("error %T %v; want a *klue.LoadError", err, err)
	}
	return le
}

func TestLoadErrorPlacesEveryProblem(t *testing.T) {
	t.Parallel()
	le := loadError(t, `swagger: '2.0'
info: {title: t, version: '1'}
paths:
  /login:
    post:
      parameters:
        - in: body
          name: c
          schema:
            $ref: '#/definitions/Credentals'
      responses:
        '200':
          description: ok
          schema:
            type: strin
definitions:
  Credentials: {type: object}
`)
	if len(le.Problems) != 2 {
		t.Fatalf("%d problems, want 2: %v", len(le.Problems), le)
	}
	want := []string{
		`spec.yaml:10:19: /paths/~1login/post/parameters/0/schema: $ref "#/definitions/Credentals" not found (did you mean "#/definitions/Credentials"?)`,
		`spec.yaml:15:19: /paths/~1login/post/responses/200/schema/type: unknown type "strin" (did you mean "string"?)`,
	}
	for i, w := range want {
		if got := le.Problems[i].Error(); got != w {
			t.Errorf("problem %d:\n got %s\nwant %s", i, got, w)
		}
	}
	if !strings.HasPrefix(le.Error(), `klue: API "api": 2 problems:`) {
		t.Errorf("error reads %q", le.Error())
	}
	var p *klue.Problem
	if !errors.As(le, &p) || p.Line != 10 {
		t.Errorf("errors.As does not reach the first *Problem: %v", p)
	}
}

func TestLoadErrorIsCapped(t *testing.T) {
	t.Parallel()
	var b strings.Builder
	b.WriteString("swagger: '2.0'\ninfo: {title: t, version: '1'}\npaths: {}\ndefinitions:\n")
	for i := range 80 {
		fmt.Fprintf(&b, "  M%d: {$ref: '#/definitions/Nope%d'}\n", i, i)
	}
	le := loadError(t, b.String())
	if len(le.Problems) != 50 || le.Omitted != 30 {
		t.Fatalf("%d problems and %d omitted, want 50 and 30", len(le.Problems), le.Omitted)
	}
	if !strings.Contains(le.Error(), "... and 30 more") {
		t.Error("the message does not say how many were left out")
	}
}

func TestVersions(t *testing.T) {
	t.Parallel()
	tests := []struct {
		doc     string
		version string
		err     string
	}{
		{"swagger: '2.0'\ninfo: {title: t, version: '1'}\npaths: {}", "2.0", ""},
		{`{"swagger": "2.0", "info": {"title": "t", "version": "1"}, "paths": {}}`, "2.0", ""},
		{"openapi: 3.0.3\ninfo: {title: t, version: '1'}\npaths: {}", "3.0.3", ""},
		{"openapi: 3.1.0\ninfo: {title: t, version: '1'}\npaths: {}", "3.1.0", ""},
		{"openapi: 3.1.1\ninfo: {title: t, version: '1'}\nwebhooks: {}", "3.1.1", ""},
		{"swagger: '1.2'\npaths: {}", "", `spec.yaml:1:10: /swagger: unsupported swagger version "1.2": klue reads Swagger 2.0, OpenAPI 3.0.x and 3.1.x`},
		{"openapi: 4.0.0\npaths: {}", "", `unsupported OpenAPI version "4.0.0"`},
		{"info: {title: t}\npaths: {}", "", "not an OpenAPI document: neither a swagger nor an openapi field"},
		{"- a\n- b", "", "a spec must be an object, got array"},
		{"swagger: '2.0'\npaths: [\n", "", "spec.yaml:2:1: the file ends before its content does: did not find expected node content"},
		{`{"swagger": "2.0", "paths": {"/a": }}`, "", `spec.json:1:36: unexpected '}', expected a value`},
	}
	for _, tt := range tests {
		pool := klue.NewPool()
		name := "spec.yaml"
		if strings.HasPrefix(tt.doc, "{") {
			name = "spec.json"
		}
		err := pool.Add("api", klue.Bytes(name, []byte(tt.doc)))
		if tt.err != "" {
			if err == nil || !strings.Contains(err.Error(), tt.err) {
				t.Errorf("%.30q: error %v, want %q", tt.doc, err, tt.err)
			}
			continue
		}
		if err != nil {
			t.Errorf("%.30q: %v", tt.doc, err)
			continue
		}
		api, _ := pool.API("api")
		if api.SpecVersion() != tt.version {
			t.Errorf("%.30q: version %q, want %q", tt.doc, api.SpecVersion(), tt.version)
		}
	}
}

func TestPoolNames(t *testing.T) {
	t.Parallel()
	pool := klue.NewPool()
	spec := klue.Bytes("s.yaml", []byte("swagger: '2.0'\ninfo: {title: t, version: '1'}\npaths: {}"))
	if err := pool.Add("user", spec); err != nil {
		t.Fatal(err)
	}
	if err := pool.Add("user", spec); err == nil || !strings.Contains(err.Error(), `API "user" is already in the pool`) {
		t.Errorf("adding a name twice: %v", err)
	}
	for _, bad := range []string{"", "a.b", "has space", strings.Repeat("x", 65)} {
		if err := pool.Add(bad, spec); err == nil {
			t.Errorf("name %q accepted", bad)
		}
	}
	_, err := pool.API("usr")
	if !errors.Is(err, klue.ErrUnknownKey) || !strings.Contains(err.Error(), `did you mean "user"`) {
		t.Errorf("unknown API: %v", err)
	}
	api, err := pool.Client("nope").API()
	if api != nil || err == nil {
		t.Error("a Client for an unknown API carries no error")
	}
}

// writeFiles creates files under a temporary directory.
func writeFiles(t *testing.T, files map[string]string) string {
	t.Helper()
	dir := t.TempDir()
	for name, content := range files {
		p := filepath.Join(dir, name)
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte(content), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	return dir
}

const refSpec = `swagger: '2.0'
info: {title: t, version: '1'}
paths:
  /a:
    get:
      responses:
        '200':
          description: ok
          schema:
            $ref: '%s'
`

func TestRefPolicy(t *testing.T) {
	t.Parallel()
	dir := writeFiles(t, map[string]string{
		"outside.yaml":           "Thing: {type: string}\n",
		"api/models.yaml":        "Pet:\n  type: object\n  properties:\n    owner: {$ref: 'people/person.yaml#/Person'}\n",
		"api/people/person.yaml": "Person: {type: object, required: [name]}\n",
		"api/link.yaml":          "",
		"secret.txt":             "not yaml: [",
	})
	if err := os.Remove(filepath.Join(dir, "api/link.yaml")); err != nil {
		t.Fatal(err)
	}
	if err := os.Symlink(filepath.Join(dir, "outside.yaml"), filepath.Join(dir, "api/link.yaml")); err != nil {
		t.Fatal(err)
	}
	write := func(ref string) string {
		p := filepath.Join(dir, "api", fmt.Sprintf("spec-%x.yaml", len(ref)*7919+int(ref[0])))
		if err := os.WriteFile(p, []byte(fmt.Sprintf(refSpec, ref)), 0o644); err != nil {
			t.Fatal(err)
		}
		return p
	}
	tests := []struct {
		ref  string
		opts []klue.Option
		err  string
	}{
		{"models.yaml#/Pet", nil, ""},
		{"../outside.yaml#/Thing", nil, "refers outside the spec's directory"},
		{"../outside.yaml#/Thing", []klue.Option{klue.WithRefRoot(dir)}, ""},
		{"link.yaml#/Thing", nil, "refers outside the spec's directory"},
		{filepath.Join(dir, "secret.txt"), nil, "refers outside the spec's directory"},
		{"https://example.com/schemas.yaml#/Pet", nil, "remote references are refused"},
		{"models.yaml#/Cat", nil, `$ref "models.yaml#/Cat" not found (did you mean "models.yaml#/Pet"?)`},
		{"missing.yaml#/Pet", nil, "file not found"},
	}
	for _, tt := range tests {
		err := klue.NewPool().Add("api", klue.File(write(tt.ref)), tt.opts...)
		switch {
		case tt.err == "" && err != nil:
			t.Errorf("%s: %v", tt.ref, err)
		case tt.err != "" && (err == nil || !strings.Contains(err.Error(), tt.err)):
			t.Errorf("%s: error %v, want %q", tt.ref, err, tt.err)
		}
	}
}

func TestRemoteRefs(t *testing.T) {
	t.Parallel()
	var fetched []string
	fetch := func(url string) ([]byte, error) {
		fetched = append(fetched, url)
		switch url {
		case "https://schemas.example.com/v1/pet.yaml":
			return []byte("Pet: {type: object, properties: {tag: {$ref: 'common.yaml#/Tag'}}}"), nil
		case "https://schemas.example.com/v1/common.yaml":
			return []byte("Tag: {type: string, maxLength: 3}"), nil
		}
		return nil, fmt.Errorf("404")
	}
	api := addSpec(t, fmt.Sprintf(refSpec, "https://schemas.example.com/v1/pet.yaml#/Pet"), klue.WithRemoteRefs(fetch))
	op, _ := api.Operation("GET /a")
	if err := op.Response(200).Schema().Validate(map[string]any{"tag": "long"}); err == nil {
		t.Error("the schema reached through two remote files does not apply")
	}
	if len(fetched) != 2 {
		t.Errorf("fetched %v, want each file once", fetched)
	}
}

func TestYAMLTraps(t *testing.T) {
	t.Parallel()
	api := addSpec(t, `openapi: 3.1.0
info: {title: t, version: '1'}
paths:
  /a:
    get:
      responses:
        200:
          description: an integer key
          content:
            application/json:
              schema:
                $ref: #/components/schemas/Pet
              example: 2000-01-23T04:56:07.000008+00:00
x-dup: 1
x-dup: 2
`)
	op, _ := api.Operation("GET /a")
	if op.Response(200) == nil {
		t.Fatal("the unquoted 200: key is not a response")
	}
	var warned []string
	for _, w := range api.Warnings() {
		warned = append(warned, w.Error())
	}
	all := strings.Join(warned, "\n")
	for _, want := range []string{"$ref is empty (null): an unquoted # starts a YAML comment", `duplicate key "x-dup": the last value is used`} {
		if !strings.Contains(all, want) {
			t.Errorf("warnings %q lack %q", all, want)
		}
	}
	if !strings.Contains(string(api.SpecJSON()), `"example":"2000-01-23T04:56:07.000008+00:00"`) {
		t.Errorf("the YAML timestamp is not given back as written: %s", api.SpecJSON())
	}
	if api.Extensions()["x-dup"] != nil && fmt.Sprint(api.Extensions()["x-dup"]) != "2" {
		t.Errorf("x-dup = %v, want the last value", api.Extensions()["x-dup"])
	}
}

func TestFSSource(t *testing.T) {
	t.Parallel()
	// A spec in an fs.FS whose $refs reach other files of it.
	fsys := fstest.MapFS{
		"api/swagger.yaml": {Data: []byte(`swagger: "2.0"
info: {title: pets, version: "1.0"}
paths:
  /pets:
    get:
      responses:
        '200': {description: pets, schema: {$ref: 'definitions.yaml#/definitions/Pets'}}
  /pets/{id}:
    get:
      parameters: [{in: path, name: id, required: true, type: integer}]
      responses:
        '200': {description: a pet, schema: {$ref: 'models/pet.yaml#/Pet'}}
`)},
		"api/definitions.yaml": {Data: []byte("definitions:\n  Pets: {type: array, items: {$ref: 'models/pet.yaml#/Pet'}}\n")},
		"api/models/pet.yaml":  {Data: []byte("Pet: {type: object, required: [name], properties: {name: {type: string}}}\n")},
	}
	pool := klue.NewPool()
	if err := pool.Add("pets", klue.FS(fsys, "api/swagger.yaml")); err != nil {
		t.Fatal(err)
	}
	api, _ := pool.API("pets")
	if len(api.Operations()) != 2 {
		t.Errorf("%d operations, want 2", len(api.Operations()))
	}
	op, err := api.Operation("GET /pets")
	if err != nil {
		t.Fatal(err)
	}
	if err := op.Response(200).Schema().Validate([]any{map[string]any{"name": 7}}); err == nil {
		t.Error("the schema reached through two files of the FS does not apply")
	}
	err = pool.Add("missing", klue.FS(fsys, "nope.yaml"))
	if err == nil || !strings.Contains(err.Error(), `klue: API "missing"`) {
		t.Errorf("missing file: %v", err)
	}
	t.Run("corpus", func(t *testing.T) {
		fsys := os.DirFS(filepath.Join(sharedtest.Dir(t, "corpus"), "fixtures/connexion/relative_refs"))
		pool := klue.NewPool()
		if err := pool.Add("pets", klue.FS(fsys, "swagger.yaml")); err != nil {
			t.Fatal(err)
		}
		api, _ := pool.API("pets")
		if len(api.Operations()) != 2 {
			t.Errorf("%d operations, want 2", len(api.Operations()))
		}
	})
}

// TestSpecJSONKeepsOrder checks that the served spec lists paths, methods,
// models and properties in the order the author wrote them.
func TestSpecJSONKeepsOrder(t *testing.T) {
	t.Parallel()
	api := addSpec(t, `openapi: 3.0.3
info: {title: ordered, version: '1'}
paths:
  /zebras: {post: {responses: {'201': {description: ok}}}, get: {responses: {'200': {description: ok}}}}
  /apes: {get: {responses: {'200': {description: ok}}}}
  /mice: {get: {responses: {'200': {description: ok}}}}
components:
  schemas:
    Zebra: {type: object, properties: {stripes: {type: integer}, age: {type: integer}}}
    Ape: {type: object}
`)
	spec := string(api.SpecJSON())
	for _, order := range [][]string{
		{`"openapi"`, `"info"`, `"paths"`, `"components"`},
		{`"/zebras"`, `"/apes"`, `"/mice"`},
		{`"post"`, `"get"`},
		{`"Zebra"`, `"Ape"`},
		{`"stripes"`, `"age"`},
	} {
		at := -1
		for _, key := range order {
			i := strings.Index(spec, key)
			if i <= at {
				t.Errorf("%s is not in the order %v: %s", key, order, spec)
			}
			at = i
		}
	}
}

// TestSpecJSONCallerOwned checks that changing what SpecJSON returns
// changes nothing for its next caller.
func TestSpecJSONCallerOwned(t *testing.T) {
	t.Parallel()
	api := addSpec(t, `openapi: 3.0.3
info: {title: owned, version: '1'}
paths: {}
`)
	first := api.SpecJSON()
	want := string(first)
	clear(first)
	if got := string(api.SpecJSON()); got != want {
		t.Errorf("SpecJSON after the caller changed its copy: %q, want %q", got, want)
	}
}

// TestSpecJSONAfterSourceChanged checks that SpecJSON, encoded on first
// use, gives the spec as it was added, whatever the caller later does to
// the slice it gave Bytes.
func TestSpecJSONAfterSourceChanged(t *testing.T) {
	t.Parallel()
	data := []byte(`{"openapi": "3.0.3", "info": {"title": "kept", "version": "1"}, "paths": {}}`)
	pool := klue.NewPool()
	if err := pool.Add("api", klue.Bytes("spec.json", data)); err != nil {
		t.Fatal(err)
	}
	for i := range data {
		data[i] = ' '
	}
	api, err := pool.API("api")
	if err != nil {
		t.Fatal(err)
	}
	const want = `{"openapi":"3.0.3","info":{"title":"kept","version":"1"},"paths":{}}`
	if got := string(api.SpecJSON()); got != want {
		t.Errorf("SpecJSON = %s, want %s", got, want)
	}
}

// TestSpecJSONConcurrentFirstUse checks that callers racing to the first
// SpecJSON all get the same document.
func TestSpecJSONConcurrentFirstUse(t *testing.T) {
	t.Parallel()
	api := addSpec(t, `openapi: 3.0.3
info: {title: raced, version: '1'}
paths: {/a: {get: {responses: {'200': {description: ok}}}}}
`)
	var wg sync.WaitGroup
	got := make([]string, 8)
	for i := range got {
		wg.Go(func() { got[i] = string(api.SpecJSON()) })
	}
	wg.Wait()
	for i, g := range got {
		if g != got[0] || !strings.Contains(g, `"title":"raced"`) {
			t.Errorf("caller %d got %s, caller 0 %s", i, g, got[0])
		}
	}
}
