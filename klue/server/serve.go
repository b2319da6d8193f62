package server

import (
	"context"
	"errors"
	"net"
	"net/http"
	"time"

	"golang.org/x/net/netutil"
)

// Defaults of [ServeConfig].
const (
	DefaultReadHeaderTimeout = 10 * time.Second
	DefaultReadTimeout       = time.Minute
	DefaultWriteTimeout      = time.Minute
	DefaultIdleTimeout       = 2 * time.Minute
	DefaultMaxHeaderBytes    = 64 << 10
	DefaultMaxConnections    = 1024
	DefaultShutdownTimeout   = 10 * time.Second
)

// ServeConfig holds the limits a server holds its connections to, so that
// no client can hold the process's connections, memory or file descriptors:
// an http.Server's zero value has no timeout and no cap on connections, and
// idle or slow connections then stay open for ever. A zero field takes its
// default (the Default* constants); a negative one lifts the limit (but
// for MaxHeaderBytes, which then is net/http's own, 1 MiB).
//
// A ServeConfig is a plain value, safe to copy and to use from several
// goroutines.
type ServeConfig struct {
	// ReadHeaderTimeout bounds the reading of a request's header.
	ReadHeaderTimeout time.Duration
	// ReadTimeout bounds the reading of a whole request, body included.
	ReadTimeout time.Duration
	// WriteTimeout bounds the time from the end of a request's header to
	// the end of its response. A handler that streams for longer extends
	// it with http.NewResponseController(w).SetWriteDeadline.
	WriteTimeout time.Duration
	// IdleTimeout bounds how long a kept-alive connection waits for its
	// next request.
	IdleTimeout time.Duration
	// MaxHeaderBytes bounds the size of a request's header (431 beyond).
	MaxHeaderBytes int
	// MaxConnections caps the connections served at once; more wait to be
	// accepted. Keep it well below the process's file descriptor limit.
	MaxConnections int
	// ShutdownTimeout bounds how long [Serve] lets the requests in flight
	// finish once its context is done.
	ShutdownTimeout time.Duration
}

func orDefault[T time.Duration | int](v, def T) T {
	switch {
	case v == 0:
		return def
	case v < 0:
		return 0 // no limit, in net/http's terms
	}
	return v
}

// HTTPServer returns an http.Server that serves h within the config's
// timeouts and header size. It refuses a request that frames its body
// twice (Content-Length and Transfer-Encoding, RFC 9112 section 6.3) with
// 400, and closes the connection after any request whose body is chunked,
// so that bytes smuggled after such a body are never read as a request.
//
// The cap on connections belongs to the listener: serve with
// srv.Serve(cfg.Listener(ln)), or use [Serve], which does both.
func (c ServeConfig) HTTPServer(h http.Handler) *http.Server {
	return &http.Server{
		Handler:           framingGuard(h),
		ReadHeaderTimeout: orDefault(c.ReadHeaderTimeout, DefaultReadHeaderTimeout),
		ReadTimeout:       orDefault(c.ReadTimeout, DefaultReadTimeout),
		WriteTimeout:      orDefault(c.WriteTimeout, DefaultWriteTimeout),
		IdleTimeout:       orDefault(c.IdleTimeout, DefaultIdleTimeout),
		MaxHeaderBytes:    orDefault(c.MaxHeaderBytes, DefaultMaxHeaderBytes),
		ConnContext:       framingContext,
	}
}

// Listener returns ln accepting at most MaxConnections connections at
// once, and reading what the server of [ServeConfig.HTTPServer] needs to
// see how each request frames its body.
func (c ServeConfig) Listener(ln net.Listener) net.Listener {
	if n := orDefault(c.MaxConnections, DefaultMaxConnections); n > 0 {
		ln = netutil.LimitListener(ln, n)
	}
	maxHead := orDefault(c.MaxHeaderBytes, DefaultMaxHeaderBytes)
	if maxHead == 0 {
		maxHead = http.DefaultMaxHeaderBytes
	}
	return framingListener{ln, maxHead}
}

// Serve serves h on ln within the limits of cfg until ctx is done; then it
// stops accepting connections and lets the requests in flight finish, for
// up to cfg.ShutdownTimeout. It returns nil after a clean shutdown, and
// closes ln in every case.
//
//	ln, err := net.Listen("tcp", ":8080")
//	if err != nil {
//		log.Fatal(err)
//	}
//	err = server.Serve(ctx, ln, e, server.ServeConfig{})
func Serve(ctx context.Context, ln net.Listener, h http.Handler, cfg ServeConfig) error {
	srv := cfg.HTTPServer(h)
	srv.BaseContext = func(net.Listener) context.Context { return context.WithoutCancel(ctx) }
	served := make(chan error, 1)
	go func() { served <- srv.Serve(cfg.Listener(ln)) }()
	select {
	case err := <-served:
		return err
	case <-ctx.Done():
	}
	sctx := context.WithoutCancel(ctx)
	if d := orDefault(cfg.ShutdownTimeout, DefaultShutdownTimeout); d > 0 {
		var cancel context.CancelFunc
		sctx, cancel = context.WithTimeout(sctx, d)
		defer cancel()
	}
	err := srv.Shutdown(sctx)
	if serr := <-served; !errors.Is(serr, http.ErrServerClosed) {
		err = errors.Join(err, serr)
	}
	return err
}

// ListenAndServe listens on the TCP address addr and calls [Serve].
func ListenAndServe(ctx context.Context, addr string, h http.Handler, cfg ServeConfig) error {
	var lc net.ListenConfig
	ln, err := lc.Listen(ctx, "tcp", addr)
	if err != nil {
		return err
	}
	return Serve(ctx, ln, h, cfg)
}
