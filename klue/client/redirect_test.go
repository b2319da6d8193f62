package client_test

import (
	"errors"
	"net/http"
	"testing"

	"github.com/klue-go/klue-client-server/klue"
	"github.com/klue-go/klue-client-server/klue/client"
)

// TestRedirectsStayInTheOrigin checks that the client follows a redirect
// within the origin it called (scheme, host and port), with its decorated
// headers, and never to another origin: a loopback server on another port
// gets nothing, neither the request nor its credentials, and the call
// fails on the undeclared 3xx.
func TestRedirectsStayInTheOrigin(t *testing.T) {
	t.Parallel()
	foreign := &capture{answer: jsonAnswer(http.StatusOK, `{"name":"evil","version":"6.6.6"}`)}
	foreignSrv := serve(t, foreign)
	var target string
	home := &capture{answer: func(w http.ResponseWriter, r *http.Request) {
		switch r.URL.Path {
		case "/v1/version":
			http.Redirect(w, r, target, http.StatusTemporaryRedirect)
		default:
			jsonAnswer(http.StatusOK, `{"name":"home","version":"1.0.0"}`)(w, r)
		}
	}}
	homeSrv := serve(t, home)
	pool := newPool(t, []klue.Option{klue.WithHost(hostOf(homeSrv))}, "pets")
	configure(t, pool, "pets", client.WithDecorator(func(r *http.Request) error {
		r.Header.Set("X-Api-Key", "s3cr3t")
		return nil
	}), client.WithNamedDecorator("auth", func(*http.Request) error { return nil }))
	remote := pool.Client("pets")

	target = homeSrv.URL + "/v1/moved/version"
	v, err := client.Call[Version](remote, "version", client.WithoutResponseValidation()).Do(t.Context())
	if err != nil || v.Name != "home" {
		t.Fatalf("a redirect within the origin: %+v, %v", v, err)
	}
	if s := home.last(t); s.Path != "/v1/moved/version" || s.Header.Get("X-Api-Key") != "s3cr3t" {
		t.Errorf("the redirect within the origin reached %s with %v", s.Path, s.Header)
	}

	for _, foreignURL := range []string{foreignSrv.URL + "/v1/version", "//" + hostOf(foreignSrv) + "/v1/version"} {
		target = foreignURL
		v, err = client.Call[Version](remote, "version", client.WithoutResponseValidation()).Do(t.Context())
		var ce *client.CallError
		if !errors.As(err, &ce) || ce.Status != http.StatusTemporaryRedirect {
			t.Errorf("a redirect to %s: got %+v, %v; want a CallError with status 307", foreignURL, v, err)
		}
		if n := foreign.count(); n != 0 {
			t.Fatalf("a redirect to %s: the foreign server got %d requests, the last with %v", foreignURL, n, foreign.last(t).Header)
		}
	}
}
