package server

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"sync"
	"time"

	"github.com/labstack/echo/v4"
	"golang.org/x/sync/singleflight"
)

// ReadyCheck is one condition of a service's readiness, such as "the store
// answers": Name says what it checks, in the answer of GET /readyz and in
// the logs; Check returns nil when the condition holds.
type ReadyCheck struct {
	Name  string
	Check func(ctx context.Context) error
}

// ReadyTimeout bounds each readiness check of GET /readyz.
const ReadyTimeout = 2 * time.Second

// healthAnswer is the body of GET /healthz and GET /readyz.
type healthAnswer struct {
	Status string            `json:"status"`
	Checks map[string]string `json:"checks,omitempty"`
}

// Health serves the probes of load balancers and orchestrators on e:
//
//   - GET /healthz answers 200 {"status":"ok"} as long as the process
//     serves requests (liveness).
//   - GET /readyz runs every check at once, each bounded by [ReadyTimeout],
//     and answers 200 {"status":"ok","checks":{"store":"ok"}} when all of
//     them pass, or 503 with "unavailable" and each failing check marked
//     "fail" (readiness). The errors themselves are logged, with the
//     logger of [WithLogger], never sent. Requests that arrive while the
//     checks run share that run's answer, so that a flood of probes costs
//     one run at a time.
//
// Mount it once the APIs are spawned: a spec that does not load stops the
// service before it ever answers ready. Health returns an error, and mounts
// nothing, when a check has no name or no function, or two share a name.
func Health(e *echo.Echo, checks []ReadyCheck, opts ...Option) error {
	cfg := newConfig(opts)
	seen := map[string]bool{}
	var errs []error
	for i, c := range checks {
		switch {
		case c.Name == "":
			errs = append(errs, fmt.Errorf("server: Health: check %d has no name", i))
		case c.Check == nil:
			errs = append(errs, fmt.Errorf("server: Health: check %q has no function", c.Name))
		case seen[c.Name]:
			errs = append(errs, fmt.Errorf("server: Health: two checks are named %q", c.Name))
		}
		seen[c.Name] = true
	}
	if err := errors.Join(errs...); err != nil {
		return err
	}
	checks = append([]ReadyCheck(nil), checks...)
	e.GET("/healthz", func(c echo.Context) error {
		c.Response().Header().Set("Cache-Control", "no-store")
		return c.JSON(http.StatusOK, healthAnswer{Status: "ok"})
	})
	// The requests in flight share one run of the checks: probes need no
	// credentials, and each run may cost a round trip to a database.
	var runs singleflight.Group
	e.GET("/readyz", func(c echo.Context) error {
		ctx := c.Request().Context()
		v, _, _ := runs.Do("", func() (any, error) {
			// The run outlives the request that started it, for the
			// others; each check is bounded by ReadyTimeout.
			return runChecks(context.WithoutCancel(ctx), checks), nil
		})
		failed := v.([]error)
		answer := healthAnswer{Status: "ok", Checks: map[string]string{}}
		status := http.StatusOK
		for i, err := range failed {
			answer.Checks[checks[i].Name] = "ok"
			if err != nil {
				answer.Checks[checks[i].Name] = "fail"
				answer.Status, status = "unavailable", http.StatusServiceUnavailable
				cfg.logger.WarnContext(ctx, "klue: not ready", slog.String("check", checks[i].Name), slog.String("error", err.Error()))
			}
		}
		c.Response().Header().Set("Cache-Control", "no-store")
		return c.JSON(status, answer)
	})
	return nil
}

// runChecks runs every check at once, and returns their errors in order.
func runChecks(ctx context.Context, checks []ReadyCheck) []error {
	failed := make([]error, len(checks))
	var wg sync.WaitGroup
	for i, check := range checks {
		wg.Go(func() {
			failed[i] = runCheck(ctx, check)
		})
	}
	wg.Wait()
	return failed
}

// runCheck runs one check within ReadyTimeout, even one that ignores its
// context; a panic is a failure.
func runCheck(ctx context.Context, check ReadyCheck) error {
	ctx, cancel := context.WithTimeout(ctx, ReadyTimeout)
	defer cancel()
	done := make(chan error, 1)
	go func() {
		defer func() {
			if v := recover(); v != nil {
				done <- fmt.Errorf("panic: %v", v)
			}
		}()
		done <- check.Check(ctx)
	}()
	select {
	case err := <-done:
		return err
	case <-ctx.Done():
		return fmt.Errorf("no answer within %v: %w", ReadyTimeout, ctx.Err())
	}
}
