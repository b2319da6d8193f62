package main_test

import (
	"net/http"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/klue-go/klue-client-server/internal/pgtest"
)

// TestProbesFollowTheDatabase runs the example on PostgreSQL and checks its
// probes on every service's port: GET /healthz answers 200 throughout; GET
// /readyz answers 503 on the services that keep data while the database is
// stopped, and 200 again once it is back; GET /metrics counts the requests
// throughout.
func TestProbesFollowTheDatabase(t *testing.T) {
	t.Parallel()
	pg := pgtest.Start(t)
	in := startExample(t, "-db", pg.NewDatabase(t))

	probe := func(service, path string) answer {
		t.Helper()
		return send(t, "GET", "http://"+in.addr[service]+path, "", "")
	}
	// expect polls until every service answers its probes as want says
	// (the pool of connections notices a database come back on its next
	// attempt).
	expect := func(when string, ready map[string]bool) {
		t.Helper()
		deadline := time.Now().Add(20 * time.Second)
		for {
			var wrong []string
			for service, want := range ready {
				if a := probe(service, "/healthz"); a.status != http.StatusOK || a.body != `{"status":"ok"}`+"\n" {
					wrong = append(wrong, service+" /healthz: "+a.body)
				}
				a := probe(service, "/readyz")
				switch {
				case want && a.status != http.StatusOK:
					wrong = append(wrong, service+" /readyz: "+a.body)
				case !want && (a.status != http.StatusServiceUnavailable || !strings.Contains(a.body, `"store":"fail"`)):
					wrong = append(wrong, service+" /readyz: "+a.body)
				}
			}
			if len(wrong) == 0 {
				return
			}
			if time.Now().After(deadline) {
				t.Fatalf("%s: %s", when, strings.Join(wrong, "; "))
			}
			time.Sleep(100 * time.Millisecond)
		}
	}

	// metrics checks that each service's /metrics counts the requests
	// made to its operation so far.
	const counted = `klue_server_requests_total{http_request_method="GET",http_response_status_class="4xx",http_route="/v1/users/{id}",klue_api="user",klue_operation="getUser"} `
	unauthorized := 0
	metrics := func(when string) {
		t.Helper()
		send(t, "GET", in.base["user"]+"/users/nobody", "", "") // 401: no token
		unauthorized++
		for _, service := range []string{"public", "login", "user"} {
			a := probe(service, "/metrics")
			if a.status != http.StatusOK || !strings.HasPrefix(a.header.Get("Content-Type"), "text/plain") {
				t.Errorf("%s: %s GET /metrics: %d %s", when, service, a.status, a.header.Get("Content-Type"))
			}
			if service == "user" && !strings.Contains(a.body, counted+strconv.Itoa(unauthorized)+"\n") {
				t.Errorf("%s: the user service's metrics do not count %d requests:\n%s", when, unauthorized, a.body)
			}
		}
	}

	expect("database up", map[string]bool{"public": true, "login": true, "user": true})
	metrics("database up")
	pg.Stop(t)
	expect("database stopped", map[string]bool{"public": true, "login": false, "user": false})
	metrics("database stopped")
	pg.Resume(t)
	expect("database back", map[string]bool{"public": true, "login": true, "user": true})
	metrics("database back")
	if !strings.Contains(in.stderr.String(), "check=store") {
		t.Errorf("the failed readiness check is not logged:\n%s", in.stderr)
	}
}
