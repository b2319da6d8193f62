package main

import (
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"time"

	"github.com/klue-go/klue-client-server/klue"
	"github.com/klue-go/klue-client-server/klue/client"
	"github.com/klue-go/klue-client-server/klue/persist"
	"github.com/klue-go/klue-client-server/klue/server"
	"github.com/klue-go/klue-client-server/specs"
	"github.com/labstack/echo/v4"
	"go.opentelemetry.io/otel/metric"
)

// deps is what the services share: the database, the logger, and where
// each service is called.
type deps struct {
	backend persist.Backend
	// ready lists what the services that keep data need to be ready.
	ready  []server.ReadyCheck
	logger *slog.Logger
	// at maps each service's name to the address (host:port) it is
	// called at.
	at map[string]string
	// metrics holds each service's metrics, from newPool to spawn.
	metrics map[string]*serviceMetrics
}

// serviceMetrics are the metrics of one service: what its server and its
// clients record, and the handler that serves them.
type serviceMetrics struct {
	meters  metric.MeterProvider
	handler http.Handler
}

// callTimeout bounds each attempt of a call from one service to another.
const callTimeout = 5 * time.Second

// newPool returns the pool of the service called own: its own API, whose
// errors are rendered in its Error model, and the APIs it calls, at the
// addresses they listen on. Like a service running alone, each has a pool
// of its own, with the specs of the services it calls.
func (d *deps) newPool(own string, calls ...string) (*klue.Pool, error) {
	pool := klue.NewPool(klue.WithTimeout(callTimeout))
	errs := []error{pool.Add(own, spec(own), klue.WithErrorFormatter(formatError))}
	for _, name := range calls {
		// The services it calls keep their own data: no x-persist here.
		errs = append(errs, pool.Add(name, spec(name), klue.WithHost(d.at[name]), klue.WithoutPersistence()))
	}
	if err := errors.Join(errs...); err != nil {
		return nil, err
	}
	meters, handler, err := newMetrics()
	if err != nil {
		return nil, err
	}
	if d.metrics == nil {
		d.metrics = map[string]*serviceMetrics{}
	}
	d.metrics[own] = &serviceMetrics{meters: meters, handler: handler}
	for _, name := range calls {
		// Operations that need the caller's token say so in the spec:
		// they require its bearer security scheme.
		if err := client.Configure(pool, name, client.WithCredentials("bearer", client.BearerToken(callToken)), client.WithMetrics(meters)); err != nil {
			return nil, err
		}
	}
	return pool, nil
}

// spawn serves the API own of pool on a new echo instance: every request
// logged with its call ID and call path (a proxy's X-Request-Id becomes the
// call ID), GET /healthz and GET /readyz (ready when every check of ready
// passes), and the service's metrics in Prometheus's text format at GET
// /metrics.
func (d *deps) spawn(pool *klue.Pool, own string, ready []server.ReadyCheck, opts ...server.Option) (*service, error) {
	api, err := pool.API(own)
	if err != nil {
		return nil, err
	}
	logger := d.logger.With(slog.String("service", own))
	e := echo.New()
	e.HideBanner, e.HidePort = true, true
	metrics := d.metrics[own]
	if metrics == nil {
		return nil, fmt.Errorf("%s service: spawned without newPool", own)
	}
	opts = append([]server.Option{
		server.WithLogger(logger),
		server.WithRequestLog(logger),
		server.WithRequestIDHeader("X-Request-Id"),
		server.WithMetrics(metrics.meters),
		server.WithNamedDecorator("no-store", noStore),
	}, opts...)
	if err := server.Spawn(e, pool, own, opts...); err != nil {
		return nil, err
	}
	if err := server.Health(e, ready, server.WithLogger(logger)); err != nil {
		return nil, err
	}
	e.GET("/metrics", echo.WrapHandler(metrics.handler))
	return &service{name: own, echo: e, base: api.BasePath()}, nil
}

// spec is the source of the spec of the service called name.
func spec(name string) klue.Source {
	return klue.FS(specs.FS, name+".yaml")
}
