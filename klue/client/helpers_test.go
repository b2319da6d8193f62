package client_test

import (
	"io"
	"net/http"
	"net/http/httptest"
	"sync"
	"testing"

	"github.com/klue-go/klue-client-server/klue"
	"github.com/klue-go/klue-client-server/klue/client"
	"github.com/klue-go/klue-client-server/klue/kluetest"
)

// The models of testdata/pets.yaml, as a service would declare them.
type (
	Version struct {
		Name    string `json:"name"`
		Version string `json:"version"`
	}
	NewPet struct {
		Name string `json:"name"`
		Tag  string `json:"tag,omitempty"`
	}
	Pet struct {
		ID   int64  `json:"id"`
		Name string `json:"name"`
		Tag  string `json:"tag,omitempty"`
	}
	APIError struct {
		Status      int    `json:"status"`
		Error       string `json:"error"`
		Description string `json:"error_description,omitempty"`
	}
	ListPets struct {
		Limit      int      `query:"limit"`
		Tags       []string `query:"tag"`
		IDs        []int    `query:"ids"`
		RequestTag string   `header:"X-Request-Tag"`
	}
	PetID struct {
		ID int `path:"id"`
	}
	UpdatePet struct {
		ID   int `path:"id"`
		Body *Pet
	}
	UploadPhoto struct {
		ID      int       `path:"id"`
		Photo   io.Reader `form:"photo"`
		Caption string    `form:"caption"`
		Labels  []string  `form:"labels"`
	}
	Search struct {
		Q    string `form:"q"`
		Page int    `form:"page"`
	}
	GetFile struct {
		Name string `path:"name"`
	}
)

// newPool loads the specs of testdata under their names.
func newPool(t testing.TB, opts []klue.Option, specs ...string) *klue.Pool {
	t.Helper()
	pool := klue.NewPool(opts...)
	for _, name := range specs {
		kluetest.Add(t, pool, name, klue.File("testdata/"+name+".yaml"))
	}
	return pool
}

// seen is a request as the server saw it.
type seen struct {
	Method   string
	Path     string // escaped
	RawQuery string
	Header   http.Header
	Body     []byte
	Request  *http.Request
}

// capture records the requests a handler gets, and answers them with a
// function of the test.
type capture struct {
	mu       sync.Mutex
	requests []seen
	answer   func(w http.ResponseWriter, r *http.Request)
}

func (c *capture) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	body, _ := io.ReadAll(r.Body)
	c.mu.Lock()
	c.requests = append(c.requests, seen{r.Method, r.URL.EscapedPath(), r.URL.RawQuery, r.Header.Clone(), body, r})
	answer := c.answer
	c.mu.Unlock()
	if answer == nil {
		w.WriteHeader(http.StatusNoContent)
		return
	}
	answer(w, r)
}

func (c *capture) last(t testing.TB) seen {
	t.Helper()
	c.mu.Lock()
	defer c.mu.Unlock()
	if len(c.requests) == 0 {
		t.Fatal("the server got no request")
	}
	return c.requests[len(c.requests)-1]
}

func (c *capture) count() int {
	c.mu.Lock()
	defer c.mu.Unlock()
	return len(c.requests)
}

// jsonAnswer answers with a status and a JSON body.
func jsonAnswer(status int, body string) func(http.ResponseWriter, *http.Request) {
	return func(w http.ResponseWriter, _ *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		w.WriteHeader(status)
		_, _ = io.WriteString(w, body)
	}
}

// serve starts h on a loopback port for the test.
func serve(t testing.TB, h http.Handler) *httptest.Server {
	t.Helper()
	srv := httptest.NewServer(h)
	t.Cleanup(srv.Close)
	return srv
}

// configure is client.Configure that fails the test on error.
func configure(t testing.TB, pool *klue.Pool, api string, opts ...client.ClientOption) {
	t.Helper()
	if err := client.Configure(pool, api, opts...); err != nil {
		t.Fatal(err)
	}
}
