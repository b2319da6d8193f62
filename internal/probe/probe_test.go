package probe_test

import (
	"context"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"os/exec"
	"regexp"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/klue-go/klue-client-server/internal/probe"
	"github.com/klue-go/klue-client-server/klue"
	"github.com/klue-go/klue-client-server/klue/kluetest"
)

func loadShop(t *testing.T) *klue.API {
	t.Helper()
	pool := klue.NewPool()
	kluetest.Add(t, pool, "shop", klue.File("testdata/shop.yaml"))
	api, err := pool.API("shop")
	if err != nil {
		t.Fatal(err)
	}
	return api
}

// shop serves testdata/shop.yaml, with a planted defect per operation
// unless sound is set: GET /items leaves out X-Total, POST /items fails
// with a 500 on a body it cannot read, GET /items/{id} answers 202, and
// GET /broken answers an item without its name.
func shop(sound bool) http.Handler {
	item := map[string]any{"id": 1, "name": "hammer"}
	writeJSON := func(w http.ResponseWriter, status int, v any) {
		w.Header().Set("Content-Type", "application/json")
		w.WriteHeader(status)
		_ = json.NewEncoder(w).Encode(v)
	}
	validItem := func(r *http.Request) (map[string]any, bool) {
		var v map[string]any
		data, _ := io.ReadAll(r.Body)
		if json.Unmarshal(data, &v) != nil {
			return nil, false
		}
		id, ok := v["id"].(float64)
		name, ok2 := v["name"].(string)
		return v, ok && ok2 && id >= 1 && name != ""
	}
	mux := http.NewServeMux()
	mux.HandleFunc("GET /items", func(w http.ResponseWriter, r *http.Request) {
		if l := r.URL.Query().Get("limit"); l != "" {
			if n, err := strconv.Atoi(l); err != nil || n < 1 || n > 50 {
				w.WriteHeader(http.StatusBadRequest)
				return
			}
		}
		if k := r.URL.Query().Get("kind"); k != "" && k != "book" && k != "tool" {
			w.WriteHeader(http.StatusBadRequest)
			return
		}
		if sound {
			w.Header().Set("X-Total", "1")
		}
		writeJSON(w, http.StatusOK, []any{item})
	})
	mux.HandleFunc("POST /items", func(w http.ResponseWriter, r *http.Request) {
		v, ok := validItem(r)
		if !ok {
			status := http.StatusBadRequest
			if !sound {
				status = http.StatusInternalServerError
			}
			w.WriteHeader(status)
			return
		}
		writeJSON(w, http.StatusCreated, v)
	})
	mux.HandleFunc("GET /items/{id}", func(w http.ResponseWriter, r *http.Request) {
		if n, err := strconv.Atoi(r.PathValue("id")); err != nil || n < 1 {
			w.WriteHeader(http.StatusBadRequest)
			return
		}
		status := http.StatusOK
		if !sound {
			status = http.StatusAccepted
		}
		writeJSON(w, status, item)
	})
	mux.HandleFunc("GET /broken", func(w http.ResponseWriter, r *http.Request) {
		if sound {
			writeJSON(w, http.StatusOK, item)
			return
		}
		writeJSON(w, http.StatusOK, map[string]any{"id": 2})
	})
	mux.HandleFunc("PUT /ok/{id}", func(w http.ResponseWriter, r *http.Request) {
		if !regexp.MustCompile(`^[a-z]{3}$`).MatchString(r.PathValue("id")) {
			w.WriteHeader(http.StatusBadRequest)
			return
		}
		if _, err := strconv.ParseBool(r.URL.Query().Get("dry")); err != nil {
			w.WriteHeader(http.StatusBadRequest)
			return
		}
		if m := r.Header.Get("X-Mode"); m != "" && m != "fast" && m != "safe" {
			w.WriteHeader(http.StatusBadRequest)
			return
		}
		v, ok := validItem(r)
		if !ok {
			w.WriteHeader(http.StatusBadRequest)
			return
		}
		writeJSON(w, http.StatusOK, v)
	})
	return mux
}

func TestPlantedDefects(t *testing.T) {
	t.Parallel()
	srv := httptest.NewServer(shop(false))
	defer srv.Close()
	rep, err := probe.Run(context.Background(), loadShop(t), srv.URL, probe.Config{Seed: 1, Time: 30 * time.Second})
	if err != nil {
		t.Fatal(err)
	}
	got := map[string]probe.Failure{}
	for _, f := range rep.Failures {
		got[f.Operation+" / "+f.Kind] = f
		t.Logf("%s", f)
	}
	want := []string{
		"GET /items / missing header",
		"POST /items / server error",
		"GET /items/{id} / undeclared status",
		"GET /broken / response body",
	}
	for _, w := range want {
		if _, ok := got[w]; !ok {
			t.Errorf("no failure %q", w)
		}
	}
	if len(rep.Failures) != len(want) {
		t.Errorf("%d failures, want %d", len(rep.Failures), len(want))
	}
	// The 500 comes from an invalid request.
	if f := got["POST /items / server error"]; !strings.Contains(f.Expected, "a 4xx answer to the required body") {
		t.Errorf("the 500 on an invalid input: %+v", f)
	}
	// Shrunk: the optional parameters the failure does not need are gone.
	if f := got["GET /items / missing header"]; strings.Contains(f.Curl, "?") {
		t.Errorf("not shrunk: %s", f.Curl)
	}
}

func TestSoundService(t *testing.T) {
	t.Parallel()
	srv := httptest.NewServer(shop(true))
	defer srv.Close()
	rep, err := probe.Run(context.Background(), loadShop(t), srv.URL, probe.Config{Seed: 2, N: 10, Time: 30 * time.Second})
	if err != nil {
		t.Fatal(err)
	}
	for _, f := range rep.Failures {
		t.Errorf("%s", f)
	}
	if rep.Requests < 5*10 {
		t.Errorf("only %d requests", rep.Requests)
	}
}

// TestDeterministic expects a seed to send the same requests and find the
// same failures.
func TestDeterministic(t *testing.T) {
	t.Parallel()
	var seen []string
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		body, _ := io.ReadAll(r.Body)
		seen = append(seen, r.Method+" "+r.URL.String()+" "+string(body))
		shop(false).ServeHTTP(w, r)
	}))
	defer srv.Close()
	var runs [2][]string
	for i := range runs {
		seen = nil
		if _, err := probe.Run(context.Background(), loadShop(t), srv.URL, probe.Config{Seed: 7}); err != nil {
			t.Fatal(err)
		}
		runs[i] = seen
	}
	if strings.Join(runs[0], "\n") != strings.Join(runs[1], "\n") {
		t.Errorf("two runs with seed 7 sent different requests")
	}
}

// TestCurlReproduces runs the curl line of a failure, when curl is there.
func TestCurlReproduces(t *testing.T) {
	t.Parallel()
	if _, err := exec.LookPath("curl"); err != nil {
		t.Skip("no curl")
	}
	srv := httptest.NewServer(shop(false))
	defer srv.Close()
	rep, err := probe.Run(context.Background(), loadShop(t), srv.URL, probe.Config{Seed: 1})
	if err != nil {
		t.Fatal(err)
	}
	for _, f := range rep.Failures {
		if f.Kind != "server error" {
			continue
		}
		out, err := exec.Command("sh", "-c", f.Curl+" -s -o /dev/null -w '%{http_code}'").Output()
		if err != nil || string(out) != "500" {
			t.Errorf("%s gave %s, %v; want 500", f.Curl, out, err)
		}
	}
}

// TestFileParts31 expects the file properties of an OpenAPI 3.1 multipart
// body (contentMediaType, not format binary: alone, in an array, through
// allOf) to go as file parts, and the other properties as text fields.
func TestFileParts31(t *testing.T) {
	t.Parallel()
	pool := klue.NewPool()
	kluetest.Add(t, pool, "files", klue.File("testdata/upload31.yaml"))
	api, err := pool.API("files")
	if err != nil {
		t.Fatal(err)
	}
	files := map[string]bool{"image": true, "images": true, "thumb": true}
	var (
		mu        sync.Mutex
		wrong     []string
		fileParts = map[string]int{}
	)
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if err := r.ParseMultipartForm(1 << 20); err != nil {
			http.Error(w, err.Error(), http.StatusBadRequest)
			return
		}
		mu.Lock()
		defer mu.Unlock()
		for name := range r.MultipartForm.Value {
			if files[name] {
				wrong = append(wrong, name+" sent as a text field")
			}
		}
		for name, fhs := range r.MultipartForm.File {
			if !files[name] {
				wrong = append(wrong, name+" sent as a file")
			}
			fileParts[name] += len(fhs)
		}
		if len(r.MultipartForm.File["image"]) != 1 {
			http.Error(w, "no image", http.StatusBadRequest)
			return
		}
		w.WriteHeader(http.StatusNoContent)
	}))
	defer srv.Close()
	rep, err := probe.Run(context.Background(), api, srv.URL, probe.Config{Seed: 3, N: 20, Time: 30 * time.Second})
	if err != nil {
		t.Fatal(err)
	}
	for _, f := range rep.Failures {
		t.Errorf("%s", f)
	}
	mu.Lock()
	defer mu.Unlock()
	for _, w := range wrong {
		t.Error(w)
	}
	for name := range files {
		if fileParts[name] == 0 {
			t.Errorf("%s never sent as a file", name)
		}
	}
}

// TestNotModifiedHasNoBody expects a 304 answer to need no body, as a 204
// does, whatever schema the spec gives that response.
func TestNotModifiedHasNoBody(t *testing.T) {
	t.Parallel()
	pool := klue.NewPool()
	kluetest.Add(t, pool, "cache", klue.Bytes("cache.yaml", []byte(`openapi: 3.0.3
info: {title: t, version: "1"}
paths:
  /thing:
    get:
      responses:
        "304":
          description: not modified
          content:
            application/json:
              schema: {type: object}
`)))
	api, err := pool.API("cache")
	if err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.WriteHeader(http.StatusNotModified)
	}))
	defer srv.Close()
	rep, err := probe.Run(context.Background(), api, srv.URL, probe.Config{Seed: 1})
	if err != nil {
		t.Fatal(err)
	}
	for _, f := range rep.Failures {
		t.Errorf("%s: %s", f.Kind, f.Curl)
	}
}

// TestMediaRangeSentAsAType expects a body whose media type in the spec is
// a range to be sent labelled with a type: a range says what a server
// accepts, and a server refuses it as the Content-Type of a message.
func TestMediaRangeSentAsAType(t *testing.T) {
	t.Parallel()
	pool := klue.NewPool()
	kluetest.Add(t, pool, "ranges", klue.Bytes("ranges.yaml", []byte(`swagger: "2.0"
info: {title: t, version: "1"}
consumes: ["*/*"]
paths:
  /things:
    post:
      parameters:
        - {name: body, in: body, required: true, schema: {type: object, properties: {n: {type: integer}}}}
      responses:
        "204": {description: done}
        "400": {description: bad}
`)))
	api, err := pool.API("ranges")
	if err != nil {
		t.Fatal(err)
	}
	var mu sync.Mutex
	var types []string
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.ContentLength > 0 {
			mu.Lock()
			types = append(types, r.Header.Get("Content-Type"))
			mu.Unlock()
		}
		var v map[string]any
		if json.NewDecoder(r.Body).Decode(&v) != nil {
			w.WriteHeader(http.StatusBadRequest)
			return
		}
		if _, ok := v["n"].(float64); !ok && v["n"] != nil {
			w.WriteHeader(http.StatusBadRequest)
			return
		}
		w.WriteHeader(http.StatusNoContent)
	}))
	defer srv.Close()
	if _, err := probe.Run(context.Background(), api, srv.URL, probe.Config{Seed: 1}); err != nil {
		t.Fatal(err)
	}
	mu.Lock()
	defer mu.Unlock()
	if len(types) == 0 {
		t.Fatal("no request sent")
	}
	for _, ct := range types {
		if ct != "application/json" {
			t.Errorf("sent Content-Type %q, want application/json", ct)
		}
	}
}
