package server_test

import (
	"context"
	"errors"
	"fmt"
	"net/http/httptest"

	"github.com/klue-go/klue-client-server/klue/server"
	"github.com/labstack/echo/v4"
)

func ExampleHealth() {
	e := echo.New()
	// Spawn the APIs on e first, then mount the probes with what the
	// service needs to answer: here a store that is down.
	ping := func(ctx context.Context) error { return errors.New("connection refused") }
	if err := server.Health(e, []server.ReadyCheck{{Name: "store", Check: ping}}); err != nil {
		panic(err)
	}
	for _, path := range []string{"/healthz", "/readyz"} {
		rec := httptest.NewRecorder()
		e.ServeHTTP(rec, httptest.NewRequest("GET", path, nil))
		fmt.Print(rec.Code, " ", rec.Body.String())
	}
	// Output:
	// 200 {"status":"ok"}
	// 503 {"status":"unavailable","checks":{"store":"fail"}}
}
