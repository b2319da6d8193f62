package main

import (
	"bytes"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
)

func TestProbe(t *testing.T) {
	t.Parallel()
	var got http.Header
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		got = r.Header.Clone()
		w.WriteHeader(http.StatusInternalServerError)
	}))
	defer srv.Close()
	var out, errOut bytes.Buffer
	code := run([]string{"probe", "-seed", "3", "-n", "1", "-H", "Authorization: Bearer t0k", "../../internal/probe/testdata/shop.yaml", srv.URL}, &out, &errOut)
	if code != 1 {
		t.Fatalf("exit %d, want 1: %s%s", code, out.String(), errOut.String())
	}
	for _, want := range []string{"GET /items: server error", "curl -X GET", "5 operations", "failures (done)"} {
		if !strings.Contains(out.String(), want) {
			t.Errorf("output lacks %q:\n%s", want, out.String())
		}
	}
	if got.Get("Authorization") != "Bearer t0k" {
		t.Errorf("-H not sent: %v", got)
	}
}

func TestProbeUsage(t *testing.T) {
	t.Parallel()
	for _, args := range [][]string{
		{"probe"},
		{"probe", "../../specs/login.yaml"},
		{"probe", "-H", "no colon", "../../specs/login.yaml", "http://127.0.0.1:9"},
	} {
		var out, errOut bytes.Buffer
		if code := run(args, &out, &errOut); code != 2 {
			t.Errorf("%q: exit %d, want 2", args, code)
		}
	}
	var out, errOut bytes.Buffer
	if code := run([]string{"probe", "../../specs/login.yaml", "not a url"}, &out, &errOut); code != 1 || !strings.Contains(errOut.String(), "is not a base URL") {
		t.Errorf("a bad base URL: exit %d: %s", code, errOut.String())
	}
}
