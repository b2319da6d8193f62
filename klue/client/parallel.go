package client

import (
	"context"
	"errors"
	"fmt"
	"sync/atomic"

	"github.com/sourcegraph/conc/panics"
	"github.com/sourcegraph/conc/pool"
)

// Runner is a prepared call that [Parallel] can run: a *Prepared of any
// result type. Only this package implements it.
type Runner interface {
	// Name returns "api.operation".
	Name() string
	run(ctx context.Context) error
	failed(err error) error
}

// ParallelOption configures [Parallel].
type ParallelOption interface {
	applyToParallel(*parallelConfig)
}

type parallelConfig struct {
	limit    int
	failFast bool
}

type parallelOption func(*parallelConfig)

func (o parallelOption) applyToParallel(c *parallelConfig) { o(c) }

// WithMaxConcurrency runs at most n calls at a time (n < 1: no bound, the
// default).
func WithMaxConcurrency(n int) ParallelOption {
	return parallelOption(func(c *parallelConfig) { c.limit = max(n, 0) })
}

// WithFailFast cancels the calls still running, and skips those not started,
// as soon as one call fails. The calls stopped this way keep their own
// error (a cancelled context), which Parallel leaves out of its own.
func WithFailFast() ParallelOption {
	return parallelOption(func(c *parallelConfig) { c.failFast = true })
}

// Parallel runs calls at once, the last one in the calling goroutine and
// each other one in a goroutine of its own, and returns when all are done: the original library's async_call. Each call keeps its own
// result and error, read with its Result method. The error Parallel returns
// joins the calls' errors in the order of calls, each naming its operation; a
// call that panics fails with an error that holds the panic value and its
// stack. No goroutine started by Parallel outlives it.
//
//	version := client.Call[Version](public, "version")
//	user := client.CallWith[User](users, "get_user", &GetUser{ID: "42"})
//	err := client.Parallel(ctx, []client.Runner{version, user})
//	v, verr := version.Result()
//
// Each goroutine costs a few kilobytes; bound them with WithMaxConcurrency
// when calls are many.
func Parallel(ctx context.Context, calls []Runner, opts ...ParallelOption) error {
	var cfg parallelConfig
	for _, o := range opts {
		o.applyToParallel(&cfg)
	}
	runCtx, cancel := context.WithCancel(ctx)
	defer cancel()
	errs := make([]error, len(calls))
	var first atomic.Int64 // 1 + index of the first call to fail
	p := pool.New()
	if cfg.limit > 0 {
		p = p.WithMaxGoroutines(cfg.limit)
	}
	run := func(i int, r Runner) {
		var err error
		if rec := panics.Try(func() { err = r.run(runCtx) }); rec != nil {
			err = r.failed(&PanicError{Value: rec.Value, Stack: rec.Stack})
		}
		if err != nil {
			errs[i] = err
			if cfg.failFast && first.CompareAndSwap(0, int64(i)+1) {
				cancel()
			}
		}
	}
	// Without a limit, the last call runs in this goroutine, whose stack
	// has already grown, while the others run in the pool's: one goroutine
	// fewer to start and grow per batch.
	inline := -1
	if cfg.limit == 0 {
		for i := len(calls) - 1; i >= 0 && inline < 0; i-- {
			if calls[i] != nil {
				inline = i
			}
		}
	}
	for i, r := range calls {
		if r == nil {
			errs[i] = fmt.Errorf("klue: call %d of Parallel is nil", i)
			continue
		}
		if i != inline {
			p.Go(func() { run(i, r) })
		}
	}
	if inline >= 0 {
		run(inline, calls[inline])
	}
	p.Wait()
	if cfg.failFast && first.Load() > 0 && ctx.Err() == nil {
		for i, err := range errs {
			if int64(i)+1 != first.Load() && errors.Is(err, context.Canceled) {
				errs[i] = nil // stopped because another call failed
			}
		}
	}
	return errors.Join(errs...)
}

// PanicError is the error of a call that panicked inside Parallel (in a
// decorator, a local handler, a value's JSON encoding). Stack is the
// panicking goroutine's stack. It is not changed once returned; the zero
// value reads "panic: <nil>".
type PanicError struct {
	Value any
	Stack []byte
}

// Error reads "panic: " and the panic value.
func (e *PanicError) Error() string { return fmt.Sprintf("panic: %v", e.Value) }

// Unwrap returns the panic value when it is an error.
func (e *PanicError) Unwrap() error {
	err, _ := e.Value.(error)
	return err
}
