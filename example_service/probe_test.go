package main_test

import (
	"context"
	"net/http"
	"testing"
	"time"

	"github.com/klue-go/klue-client-server/internal/probe"
	"github.com/klue-go/klue-client-server/klue"
	"github.com/klue-go/klue-client-server/klue/kluetest"
)

// TestProbe runs klue probe's checks against each service of the example,
// with a user's bearer token: every answer keeps the spec.
func TestProbe(t *testing.T) {
	t.Parallel()
	in := startExample(t)
	signUp(t, in, "probe@example.com", "correct horse battery")
	for _, name := range []string{"public", "login", "user"} {
		// A token of its own: probing the login service logs out.
		ada := logIn(t, in, "probe@example.com", "correct horse battery")
		pool := klue.NewPool()
		kluetest.Add(t, pool, name, klue.File("../specs/"+name+".yaml"))
		api, _ := pool.API(name)
		rep, err := probe.Run(context.Background(), api, "http://"+in.addr[name], probe.Config{
			Seed: 1, Time: 30 * time.Second, Client: httpClient,
			Header: http.Header{"Authorization": {"Bearer " + ada.token}},
		})
		if err != nil {
			t.Fatal(err)
		}
		for _, f := range rep.Failures {
			t.Errorf("%s service: %s", name, f)
		}
		if rep.Incomplete || rep.Requests < len(api.Operations())*5 {
			t.Errorf("%s service: %d requests, incomplete: %v", name, rep.Requests, rep.Incomplete)
		}
		t.Logf("%s service: %d operations, %d requests", name, len(api.Operations()), rep.Requests)
	}
}
