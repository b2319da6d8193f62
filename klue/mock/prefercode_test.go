package mock_test

import (
	"bytes"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strconv"
	"testing"

	"github.com/klue-go/klue-client-server/klue"
	"github.com/klue-go/klue-client-server/klue/mock"
	"github.com/klue-go/klue-client-server/klue/server"
	"github.com/labstack/echo/v4"
)

const preferCodeSpec = `openapi: 3.0.3
info: {title: pets, version: "1"}
paths:
  /pets:
    get:
      operationId: listPets
      responses:
        "200":
          description: the pets
          content: {application/json: {schema: {type: array, items: {type: string}}}}
        default:
          description: an error
          content:
            application/json:
              schema: {type: object, required: [message], properties: {message: {type: string}}}
`

// TestPreferCode asks the mock for statuses through its default response:
// one that is not the final status of an HTTP response is the client's
// mistake, a 400; 304 answers without a body, as HTTP requires.
func TestPreferCode(t *testing.T) {
	t.Parallel()
	pool := klue.NewPool()
	if err := pool.Add("pets", klue.Bytes("pets.yaml", []byte(preferCodeSpec))); err != nil {
		t.Fatal(err)
	}
	var logged bytes.Buffer
	e := echo.New()
	if err := mock.Spawn(e, pool, "pets", mock.Config{Seed: 1}, server.WithoutDocs(),
		server.WithLogger(slog.New(slog.NewTextHandler(&logged, nil)))); err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewServer(e)
	t.Cleanup(srv.Close)
	get := func(prefer string) (int, string) {
		req, _ := http.NewRequest(http.MethodGet, srv.URL+"/pets", nil)
		req.Header.Set("Prefer", prefer)
		res, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		defer res.Body.Close()
		body, _ := io.ReadAll(res.Body)
		return res.StatusCode, string(body)
	}
	for _, code := range []string{"0", "-1", "42", "100", "101", "199", "600", "1000", "99999999999999999999"} {
		if status, body := get("code=" + code); status != http.StatusBadRequest {
			t.Errorf("code=%s: %d %.200s; want 400", code, status, body)
		}
	}
	for _, code := range []string{"204", "304"} {
		if status, body := get("code=" + code); strconv.Itoa(status) != code || body != "" {
			t.Errorf("code=%s: %d %.200q; want %s without a body", code, status, body, code)
		}
	}
	if status, body := get("code=503"); status != http.StatusServiceUnavailable {
		t.Errorf("code=503: %d %.200s", status, body)
	}
	if logged.Len() > 0 {
		t.Errorf("the server logged:\n%s", logged.String())
	}
}
