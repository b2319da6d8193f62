package probe_test

import (
	"context"
	"net/http/httptest"
	"testing"
	"time"

	"github.com/labstack/echo/v4"

	"github.com/klue-go/klue-client-server/internal/probe"
	"github.com/klue-go/klue-client-server/klue"
	"github.com/klue-go/klue-client-server/klue/kluetest"
	"github.com/klue-go/klue-client-server/klue/mock"
)

// probeMock probes a klue mock of the spec file: the mock checks every
// request as klue's server does, so each valid request the probe writes
// must be read back as valid.
func probeMock(t *testing.T, file string) {
	t.Helper()
	pool := klue.NewPool()
	kluetest.Add(t, pool, "spec", klue.File(file))
	api, err := pool.API("spec")
	if err != nil {
		t.Fatal(err)
	}
	e := echo.New()
	if err := mock.Spawn(e, pool, "spec", mock.Config{Seed: 1}); err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewServer(e)
	defer srv.Close()
	rep, err := probe.Run(context.Background(), api, srv.URL+api.BasePath(), probe.Config{Seed: 4, N: 10, Time: 30 * time.Second})
	if err != nil {
		t.Fatal(err)
	}
	for _, f := range rep.Failures {
		t.Errorf("%s", f)
	}
	if rep.Requests < 10 {
		t.Errorf("only %d requests", rep.Requests)
	}
}

// TestParameterStyles probes parameters in the matrix, deepObject and
// pipeDelimited styles.
func TestParameterStyles(t *testing.T) {
	t.Parallel()
	probeMock(t, "testdata/styles.yaml")
}

// TestFormEncoding probes a form body whose encoding joins an array and
// writes an object as a deep object.
func TestFormEncoding(t *testing.T) {
	t.Parallel()
	probeMock(t, "testdata/form.yaml")
}
