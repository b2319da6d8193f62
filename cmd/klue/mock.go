package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"os/signal"
	"syscall"
	"time"

	"github.com/labstack/echo/v4"

	"github.com/klue-go/klue-client-server/klue/mock"
)

// mockCmd runs "klue mock": it serves every operation of a spec from the
// spec alone until interrupted.
func mockCmd(args []string, stdout, stderr io.Writer) int {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	return serveMock(ctx, args, stdout, stderr)
}

// serveMock serves the mock until ctx is done.
func serveMock(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	fs, sf := newFlagSet("mock", stderr, "load the spec with klue.WithLenient")
	addr := fs.String("addr", "127.0.0.1:8080", "listen on `HOST:PORT`")
	seed := fs.Uint64("seed", 1, "the `N` the answers are drawn from")
	if !parse(fs, args, "mock [-addr HOST:PORT] [-seed N] [-ref-root DIR] [-lenient] SPEC", one) {
		return 2
	}
	pool, api, ok := sf.load(fs.Arg(0), stderr)
	if !ok {
		return 1
	}
	e := echo.New()
	e.HideBanner, e.HidePort = true, true
	if err := mock.Spawn(e, pool, "spec", mock.Config{Seed: *seed}); err != nil {
		fmt.Fprintf(stderr, "klue mock: %v\n", err)
		return 1
	}
	ln, err := net.Listen("tcp", *addr)
	if err != nil {
		fmt.Fprintf(stderr, "klue mock: %v\n", err)
		return 1
	}
	srv := &http.Server{Handler: e, ReadHeaderTimeout: 10 * time.Second}
	fmt.Fprintf(stdout, "klue mock: %s: %d operations on http://%s%s (docs at /docs/)\n", fs.Arg(0), len(api.Operations()), ln.Addr(), api.BasePath())
	done := make(chan error, 1)
	go func() { done <- srv.Serve(ln) }()
	select {
	case err := <-done:
		fmt.Fprintf(stderr, "klue mock: %v\n", err)
		return 1
	case <-ctx.Done():
	}
	shutdown, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	if err := srv.Shutdown(shutdown); err != nil && !errors.Is(err, http.ErrServerClosed) {
		fmt.Fprintf(stderr, "klue mock: %v\n", err)
		return 1
	}
	return 0
}
