package server_test

import (
	"context"
	"fmt"
	"io"
	"log"
	"net"
	"net/http"
	"strings"

	"github.com/klue-go/klue-client-server/klue"
	"github.com/klue-go/klue-client-server/klue/server"
	"github.com/labstack/echo/v4"
)

// Serve an API within safe limits until the context is done, then let the
// requests in flight finish.
func ExampleServe() {
	pool := klue.NewPool()
	if err := pool.Add("login", klue.Bytes("login.yaml", []byte(loginSpec))); err != nil {
		log.Fatal(err)
	}
	server.Bind(pool, "login", DoLogin)
	e := echo.New()
	if err := server.Spawn(e, pool, "login"); err != nil {
		log.Fatal(err)
	}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		log.Fatal(err)
	}
	ctx, stop := context.WithCancel(context.Background())
	served := make(chan error, 1)
	go func() {
		// The zero ServeConfig: timeouts, a header limit and a cap on
		// connections, each at its default.
		served <- server.Serve(ctx, ln, e, server.ServeConfig{})
	}()

	res, err := http.Post("http://"+ln.Addr().String()+"/v1/login", "application/json",
		strings.NewReader(`{"email":"a@example.com","password":"secret"}`))
	if err != nil {
		log.Fatal(err)
	}
	body, _ := io.ReadAll(res.Body)
	res.Body.Close()
	fmt.Println(res.StatusCode, strings.TrimSpace(string(body)))

	stop()
	fmt.Println("stopped:", <-served)
	// Output:
	// 200 {"token":"token-for-a@example.com"}
	// stopped: <nil>
}
