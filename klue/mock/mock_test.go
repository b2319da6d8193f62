package mock_test

import (
	"context"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/labstack/echo/v4"

	"github.com/klue-go/klue-client-server/internal/probe"
	"github.com/klue-go/klue-client-server/internal/sharedtest"
	"github.com/klue-go/klue-client-server/klue"
	"github.com/klue-go/klue-client-server/klue/mock"
	"github.com/klue-go/klue-client-server/klue/server"
)

// serveMock loads a spec, mounts its mock and serves it.
func serveMock(t *testing.T, file, refRoot string) (*klue.API, *httptest.Server) {
	t.Helper()
	var opts []klue.Option
	if refRoot != "" {
		opts = append(opts, klue.WithRefRoot(refRoot))
	}
	pool := klue.NewPool(opts...)
	if err := pool.Add("spec", klue.File(file), opts...); err != nil {
		t.Fatalf("%s: %v", file, err)
	}
	api, _ := pool.API("spec")
	e := echo.New()
	if err := mock.Spawn(e, pool, "spec", mock.Config{Seed: 1}, server.WithoutDocs()); err != nil {
		t.Fatalf("%s: %v", file, err)
	}
	srv := httptest.NewServer(e)
	t.Cleanup(srv.Close)
	return api, srv
}

// contradictions are operations of the corpus no request can satisfy, by
// a fault of the spec, with what the probe reports about them.
var contradictions = map[string]string{
	// The body is application/octet-stream, and a Content-type header
	// parameter (which Swagger 2.0 does not ignore) must be
	// application/x-tar.
	"moby-docker-engine.yaml: POST /build": "response body",
}

// probeMock checks every answer of the mock of a spec to the valid requests
// klue probe sends: a declared status and a body that fits. (The answers to
// invalid requests are klue's errors, which fit the spec's error responses
// only when the pool has an ErrorFormatter that makes them fit.)
func probeMock(t *testing.T, file, refRoot string, n int) int {
	t.Helper()
	api, srv := serveMock(t, file, refRoot)
	rep, err := probe.Run(context.Background(), api, srv.URL, probe.Config{Seed: 1, N: n, Time: 2 * time.Minute, ValidOnly: true})
	if err != nil {
		t.Fatal(err)
	}
	for _, f := range rep.Failures {
		if kind, ok := contradictions[filepath.Base(file)+": "+f.Operation]; ok && kind == f.Kind {
			continue
		}
		t.Errorf("%s: %s", file, f)
	}
	if rep.Incomplete {
		t.Errorf("%s: out of time", file)
	}
	return rep.Requests
}

func TestOwnSpecs(t *testing.T) {
	t.Parallel()
	files, _ := filepath.Glob("../../specs/*.yaml")
	more, _ := filepath.Glob("../../internal/gen/testdata/*.yaml")
	for _, f := range append(files, more...) {
		t.Logf("%s: %d requests", f, probeMock(t, f, "", 3))
	}
}

// TestCorpus mocks every spec of the shared corpus, with
// KLUE_SLOW_TESTS=1 (as CI runs).
func TestCorpus(t *testing.T) {
	t.Parallel()
	if os.Getenv("KLUE_SLOW_TESTS") != "1" {
		t.Skip("skipping: the corpus's mocks run with KLUE_SLOW_TESTS=1")
	}
	corpus := sharedtest.Dir(t, "corpus")
	total := 0
	for _, s := range sharedtest.CorpusSpecs(t) {
		n := probeMock(t, s.File, s.RefRoot, 1)
		total += n
		t.Logf("%s: %d requests", strings.TrimPrefix(s.File, corpus+"/"), n)
	}
	t.Logf("%d requests in all", total)
}

const preferSpec = `openapi: 3.0.3
info: {title: pets, version: "1"}
paths:
  /pets/{id}:
    get:
      operationId: getPet
      parameters:
        - {name: id, in: path, required: true, schema: {type: integer, minimum: 1}}
      responses:
        "200":
          description: a pet
          headers:
            X-Rate: {required: true, schema: {type: integer, minimum: 0}}
          content:
            application/json:
              schema: {$ref: "#/components/schemas/Pet"}
              examples:
                rex: {value: {id: 1, name: Rex}}
                tom: {value: {id: 2, name: Tom}}
        "404":
          description: no such pet
          content:
            application/json:
              schema: {type: object, required: [message], properties: {message: {type: string}}}
components:
  schemas:
    Pet:
      type: object
      required: [id, name]
      properties:
        id: {type: integer}
        name: {type: string}
`

func TestPrefer(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	file := filepath.Join(dir, "pets.yaml")
	if err := os.WriteFile(file, []byte(preferSpec), 0o644); err != nil {
		t.Fatal(err)
	}
	_, srv := serveMock(t, file, "")
	get := func(path, prefer string) (int, http.Header, string) {
		req, _ := http.NewRequest(http.MethodGet, srv.URL+path, nil)
		if prefer != "" {
			req.Header.Set("Prefer", prefer)
		}
		res, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		defer res.Body.Close()
		body, _ := io.ReadAll(res.Body)
		return res.StatusCode, res.Header, strings.TrimSpace(string(body))
	}
	if code, h, body := get("/pets/7", ""); code != 200 || body != `{"id":1,"name":"Rex"}` || h.Get("X-Rate") == "" {
		t.Errorf("default answer: %d %s %v", code, body, h)
	}
	if code, _, body := get("/pets/7", "example=tom"); code != 200 || body != `{"id":2,"name":"Tom"}` {
		t.Errorf("example=tom: %d %s", code, body)
	}
	code, _, body := get("/pets/7", "code=404")
	var msg struct{ Message string }
	if code != 404 || json.Unmarshal([]byte(body), &msg) != nil {
		t.Errorf("code=404: %d %s", code, body)
	}
	if code, _, body := get("/pets/7", "code=500"); code != 400 || !strings.Contains(body, "declares no such response") {
		t.Errorf("code=500: %d %s", code, body)
	}
	if code, _, body := get("/pets/7", "example=toms"); code != 400 || !strings.Contains(body, `did you mean`) {
		t.Errorf("example=toms: %d %s", code, body)
	}
	// The request is validated as a klue server does.
	if code, _, body := get("/pets/0", ""); code != 400 || !strings.Contains(body, "path.id") {
		t.Errorf("an invalid id: %d %s", code, body)
	}
}

const streamSpec = `
swagger: "2.0"
info: {title: events, version: "1"}
paths:
  /events:
    get:
      operationId: events
      produces: [application/jsonl, application/x-ndjson]
      responses:
        "200":
          description: one event a line
          schema: {type: object, required: [type], properties: {type: {type: string, enum: [start]}}}
  /note:
    get:
      operationId: note
      produces: [text/plain]
      responses:
        "200":
          description: a note
          schema: {type: string, enum: [hello]}
  /any:
    get:
      operationId: any
      produces: ["text/*"]
      responses:
        "200":
          description: anything
          schema: {type: object, required: [n], properties: {n: {type: integer, enum: [3]}}}
  /session:
    post:
      operationId: session
      responses:
        "101": {description: the connection is upgraded}
        "400": {description: bad parameter, schema: {type: object, required: [message], properties: {message: {type: string, enum: [no]}}}}
`

// A response of a media type that is not JSON is sent as text: a value
// drawn for a JSON Lines response as one JSON line, a string as it is.
func TestNonJSONResponses(t *testing.T) {
	t.Parallel()
	file := filepath.Join(t.TempDir(), "events.yaml")
	if err := os.WriteFile(file, []byte(streamSpec), 0o644); err != nil {
		t.Fatal(err)
	}
	_, srv := serveMock(t, file, "")
	for path, want := range map[string]string{"/events": `{"type":"start"}`, "/note": "hello", "/any": `{"n":3}`} {
		res, err := http.Get(srv.URL + path)
		if err != nil {
			t.Fatal(err)
		}
		body, _ := io.ReadAll(res.Body)
		res.Body.Close()
		if res.StatusCode != http.StatusOK || strings.TrimSpace(string(body)) != want {
			t.Errorf("GET %s: %d %q, want 200 %q", path, res.StatusCode, body, want)
		}
	} // A mock cannot switch protocols: an operation whose only success is
	// 101 answers the first final status it declares.
	res, err := http.Post(srv.URL+"/session", "", nil)
	if err != nil {
		t.Fatal(err)
	}
	body, _ := io.ReadAll(res.Body)
	res.Body.Close()
	if res.StatusCode != http.StatusBadRequest || strings.TrimSpace(string(body)) != `{"message":"no"}` {
		t.Errorf("POST /session: %d %q, want 400 {\"message\":\"no\"}", res.StatusCode, body)
	}
}

// An example is answered as the spec writes it: a number keeps every
// digit, as klue reads JSON everywhere, where a float64 would round
// 9007199254740993 to 9007199254740992.
func TestExampleNumbersExact(t *testing.T) {
	t.Parallel()
	spec := strings.Replace(preferSpec, "rex: {value: {id: 1, name: Rex}}", "rex: {value: {id: 9007199254740993, name: Rex}}", 1)
	file := filepath.Join(t.TempDir(), "pets.yaml")
	if err := os.WriteFile(file, []byte(spec), 0o644); err != nil {
		t.Fatal(err)
	}
	_, srv := serveMock(t, file, "")
	res, err := http.Get(srv.URL + "/pets/7")
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	body, _ := io.ReadAll(res.Body)
	if got := strings.TrimSpace(string(body)); got != `{"id":9007199254740993,"name":"Rex"}` {
		t.Errorf("answer %s, want the example's id exact", got)
	}
}
