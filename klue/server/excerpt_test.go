package server_test

import (
	"encoding/json"
	"io"
	"net/http"
	"strings"
	"testing"
)

// maxErrorBody bounds an error answer, whatever the request carried: a few
// violations, each echoing at most an excerpt of a value.
const maxErrorBody = 4 << 10

// TestErrorsEchoExcerpts checks that an error answer quotes at most an
// excerpt of a hostile value, in its messages, values, locations and
// instance, in problem documents and in the API's own error model alike.
func TestErrorsEchoExcerpts(t *testing.T) {
	t.Parallel()
	const n = 100_000
	long := strings.Repeat("a", n)
	tests := []struct {
		name, method, path, body string
		status                   int
	}{
		{"invalid email", "POST", "/users", `{"email":"` + long + `","name":"n"}`, 400},
		{"email of escaped characters", "POST", "/users", `{"email":"` + strings.Repeat("<", n) + `","name":"n"}`, 400},
		{"name too long", "POST", "/users", `{"email":"a@example.com","name":"` + long + `"}`, 400},
		{"unknown property", "POST", "/users", `{"email":"a@example.com","name":"n","` + long + `":1}`, 400},
		{"huge number", "POST", "/users", `{"email":"a@example.com","name":"n","age":1` + strings.Repeat("0", n) + `}`, 400},
		{"number too precise", "POST", "/users", `{"email":"a@example.com","name":"n","age":1.` + strings.Repeat("5", n) + `}`, 400},
		{"not in the enum", "POST", "/users", `{"email":"a@example.com","name":"n","role":"` + long + `"}`, 400},
		{"wrong type", "POST", "/users", `{"email":"a@example.com","name":["` + long + `"]}`, 400},
		{"deep value", "POST", "/users", `{"email":"a@example.com","name":"n","profile":{"bio":"` + long + `"}}`, 400},
		{"invalid JSON", "POST", "/users", `{"email":"` + long, 400},
		{"path id not a number", "GET", "/users/" + long, "", 404},
		{"path id too large", "GET", "/users/1" + strings.Repeat("0", n), "", 400},
		{"query too long", "GET", "/users/1?fields=" + long, "", 400},
		{"path not matching its pattern", "GET", "/files/" + strings.Repeat("A", n), "", 400},
		{"no such path", "GET", "/" + long, "", 404},
	}
	for _, formatter := range []bool{false, true} {
		ts, _ := hostileServer(t, formatter)
		for _, tt := range tests {
			name := tt.name
			if formatter {
				name += ", own error model"
			}
			t.Run(name, func(t *testing.T) {
				t.Parallel()
				req, err := http.NewRequest(tt.method, ts.URL+tt.path, strings.NewReader(tt.body))
				if err != nil {
					t.Fatal(err)
				}
				if tt.body != "" {
					req.Header.Set("Content-Type", "application/json")
				}
				res, err := ts.Client().Do(req)
				if err != nil {
					t.Fatal(err)
				}
				defer res.Body.Close()
				body, err := io.ReadAll(res.Body)
				if err != nil {
					t.Fatal(err)
				}
				if res.StatusCode != tt.status {
					t.Errorf("status %d, want %d: %.300s", res.StatusCode, tt.status, body)
				}
				if len(body) > maxErrorBody {
					t.Errorf("a %d-byte error body, over %d: %.300s", len(body), maxErrorBody, body)
				}
				if !json.Valid(body) {
					t.Errorf("the error body is not JSON: %.300s", body)
				}
			})
		}
	}
}
