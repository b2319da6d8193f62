package server_test

import (
	"encoding/base64"
	"net/http"
	"strings"
	"testing"

	"github.com/klue-go/klue-client-server/klue/kluetest"
)

// TestCredentialsGivenTwice sends a credential twice, in each place a
// scheme reads one: which of the two a proxy in front judged is anybody's
// guess, so the request is refused before any verifier runs, even when
// one of them is valid.
func TestCredentialsGivenTwice(t *testing.T) {
	t.Parallel()
	h := secured(t)
	basic := "Basic " + base64.StdEncoding.EncodeToString([]byte("dan:secret"))
	for _, tc := range []struct {
		what   string
		target string
		header []string
	}{
		{"a header key", "/v1/who", []string{"X-Key: ada", "X-Key: nobody"}},
		{"a header key, the same", "/v1/who", []string{"X-Key: ada", "X-Key: ada"}},
		{"a query key", "/v1/who?key=bob&key=nobody", nil},
		{"a cookie key", "/v1/who", []string{"Cookie: session=cy; session=nobody"}},
		{"a cookie key, two headers", "/v1/who", []string{"Cookie: session=cy", "Cookie: session=nobody"}},
		{"Authorization", "/v1/who", []string{"Authorization: " + basic, "Authorization: Basic eDp5"}},
	} {
		args := []any{"Content-Type: application/json", []byte(`{"who":"hi"}`)}
		for _, h := range tc.header {
			args = append(args, h)
		}
		rec := kluetest.Serve(t, h, http.MethodPost, tc.target, args...)
		if rec.Code != http.StatusBadRequest || strings.Contains(rec.Body.String(), "says") {
			t.Errorf("%s: status %d (%s), want 400", tc.what, rec.Code, rec.Body)
		}
	}
}
