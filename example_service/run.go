package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"strconv"
	"time"

	"github.com/klue-go/klue-client-server/klue/server"
	"github.com/labstack/echo/v4"
	"github.com/sourcegraph/conc/pool"
)

// service is one of the example's APIs, spawned on its own echo instance
// and served on its own listener, by an http.Server with the limits of
// server.ServeConfig's defaults.
type service struct {
	name string
	echo *echo.Echo
	ln   net.Listener
	srv  *http.Server
	// base is the URL of the API: scheme, address and base path.
	base string
}

// run starts the three services, prints where they are, and serves until
// ctx is done or a server fails; then it shuts them all down, letting the
// requests in flight finish for up to cfg.grace.
func run(ctx context.Context, cfg config, out io.Writer, logger *slog.Logger) (err error) {
	var lns []net.Listener
	defer func() {
		if err != nil {
			for _, ln := range lns {
				_ = ln.Close()
			}
		}
	}()
	for _, port := range []int{cfg.publicPort, cfg.loginPort, cfg.userPort} {
		ln, err := net.Listen("tcp", net.JoinHostPort(cfg.host, strconv.Itoa(port)))
		if err != nil {
			return err
		}
		lns = append(lns, ln)
	}
	names := []string{"public", "login", "user"}
	at := map[string]string{}
	for i, ln := range lns {
		at[names[i]] = callable(ln)
	}

	backend, err := openBackend(ctx, cfg)
	if err != nil {
		return err
	}
	defer backend.close()

	d := &deps{backend: backend.Backend, logger: logger, at: at,
		ready: []server.ReadyCheck{{Name: "store", Check: backend.ping}}}
	// The defaults: timeouts, header size, a cap on connections.
	var limits server.ServeConfig
	var services []*service
	for i, build := range []func(context.Context, *deps) (*service, error){newPublic, newLogin, newUser} {
		s, err := build(ctx, d)
		if err != nil {
			return err
		}
		s.ln = limits.Listener(lns[i])
		s.srv = limits.HTTPServer(s.echo)
		s.base = "http://" + callable(s.ln) + s.base
		services = append(services, s)
	}

	fmt.Fprintf(out, "klue example: %d services, data in %s\n", len(services), backend.where)
	for _, s := range services {
		fmt.Fprintf(out, "  %-6s  %-28s  docs: %s/docs/\n", s.name, s.base, s.base)
	}
	fmt.Fprintln(out, "Stop with Ctrl-C.")
	// The public service stops first, as its requests call the others;
	// then the login and user services, which call each other, together.
	return serve(ctx, [][]*service{services[:1], services[1:]}, cfg.grace, logger)
}

// serve runs the services' servers, each in a goroutine of a pool that
// owns them, until ctx is done or one fails. It then shuts them down stage
// after stage: each service of a stage stops accepting connections and
// answers the requests in flight, all within grace.
func serve(ctx context.Context, stages [][]*service, grace time.Duration, logger *slog.Logger) error {
	p := pool.New().WithContext(ctx).WithCancelOnError().WithFirstError()
	for _, stage := range stages {
		for _, s := range stage {
			p.Go(func(context.Context) error {
				if err := s.srv.Serve(s.ln); !errors.Is(err, http.ErrServerClosed) {
					return fmt.Errorf("%s service: %w", s.name, err)
				}
				return nil
			})
		}
	}
	p.Go(func(ctx context.Context) error {
		<-ctx.Done()
		logger.Info("shutting down", slog.Duration("grace", grace))
		sctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), grace)
		defer cancel()
		var errs []error
		for _, stage := range stages {
			down := pool.NewWithResults[error]()
			for _, s := range stage {
				down.Go(func() error {
					if err := s.srv.Shutdown(sctx); err != nil {
						return fmt.Errorf("%s service: shutdown: %w", s.name, err)
					}
					return nil
				})
			}
			errs = append(errs, down.Wait()...)
		}
		if err := errors.Join(errs...); err != nil {
			return err
		}
		logger.Info("stopped")
		return nil
	})
	return p.Wait()
}

// callable returns the address to call a listener at: its own, with the
// loopback address in place of an unspecified one (0.0.0.0, ::).
func callable(ln net.Listener) string {
	a := ln.Addr().(*net.TCPAddr)
	ip := a.IP
	switch {
	case ip.IsUnspecified() && ip.To4() != nil:
		ip = net.IPv4(127, 0, 0, 1)
	case ip.IsUnspecified():
		ip = net.IPv6loopback
	}
	return net.JoinHostPort(ip.String(), strconv.Itoa(a.Port))
}
