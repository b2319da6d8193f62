package server_test

import (
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"regexp"
	"strings"
	"testing"

	"github.com/klue-go/klue-client-server/klue"
	"github.com/klue-go/klue-client-server/klue/kluetest"
	"github.com/klue-go/klue-client-server/klue/server"
)

// TestDocsBehindPrefixProxy serves the docs of an API under /v1 through a
// proxy that adds a path prefix of its own, /gateway/login, and follows
// every URL the page refers to, as a browser would: each must stay under
// the prefix and answer.
func TestDocsBehindPrefixProxy(t *testing.T) {
	t.Parallel()
	pool := klue.NewPool()
	kluetest.Add(t, pool, "login", klue.Bytes("login.yaml", []byte(loginSpec)))
	e := newEcho()
	if err := server.Spawn(e, pool, "login", server.WithUnboundNotImplemented()); err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewServer(http.StripPrefix("/gateway/login", e))
	defer srv.Close()
	client := &http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	get := func(u *url.URL) (*http.Response, string) {
		t.Helper()
		if !strings.HasPrefix(u.Path, "/gateway/login/v1/") {
			t.Errorf("%s leaves the proxy's prefix", u)
		}
		res, err := client.Get(u.String())
		if err != nil {
			t.Fatal(err)
		}
		defer res.Body.Close()
		body, _ := io.ReadAll(res.Body)
		return res, string(body)
	}
	base, _ := url.Parse(srv.URL + "/gateway/login/v1/docs")
	res, _ := get(base)
	if res.StatusCode != http.StatusMovedPermanently {
		t.Fatalf("GET %s: %d", base, res.StatusCode)
	}
	page := base.ResolveReference(&url.URL{Path: res.Header.Get("Location")})
	res, html := get(page)
	if res.StatusCode != http.StatusOK || !strings.Contains(html, "swagger-ui") {
		t.Fatalf("GET %s: %d %s", page, res.StatusCode, html)
	}
	refs := regexp.MustCompile(`(?:href|src)="([^"]+)"`).FindAllStringSubmatch(html, -1)
	if len(refs) < 3 {
		t.Fatalf("the page refers to %d assets:\n%s", len(refs), html)
	}
	for _, m := range refs {
		ref, err := url.Parse(m[1])
		if err != nil {
			t.Fatal(err)
		}
		if res, _ := get(page.ResolveReference(ref)); res.StatusCode != http.StatusOK {
			t.Errorf("asset %s: %d", m[1], res.StatusCode)
		}
	}
	// The page's script fetches the spec at its path plus a relative URL.
	m := regexp.MustCompile(`"swaggerJsonUrl":"([^"]+)"`).FindStringSubmatch(html)
	if m == nil || !strings.HasPrefix(m[1], ".") {
		t.Fatalf("the spec's URL is not relative: %v", m)
	}
	specURL := page.ResolveReference(&url.URL{Path: m[1]})
	res, spec := get(specURL)
	api, _ := pool.API("login")
	if res.StatusCode != http.StatusOK || spec != string(api.SpecJSON()) {
		t.Errorf("GET %s: %d %s", specURL, res.StatusCode, spec)
	}
}
