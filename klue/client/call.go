package client

import (
	"context"
	"errors"
	"reflect"

	"github.com/klue-go/klue-client-server/klue"
)

// Prepared is a call ready to run: an operation of an API, its input, and
// its options. Run it with Do, as often as needed, or with others in
// [Parallel].
//
// Do is safe for concurrent use, but for an input holding readers (files),
// which the first run consumes. Parallel stores the call's outcome in it,
// for Result: a Prepared must not be in two Parallel runs at once. The zero
// value is not usable: make one with [Call] or [CallWith].
type Prepared[Res any] struct {
	call
	res    *Res
	resErr error
	ran    bool
}

// Call prepares a call, with no input, of the operation key of c's
// API: its x-bind-client name, else its operationId, else "METHOD /path".
//
//	v, err := client.Call[Version](pool.Client("public"), "version").Do(ctx)
//
// A call that cannot be made (an unknown API or operation, a required
// parameter, a decorator that is not registered) fails when it runs, with an
// error that says why; Err reports it right away.
func Call[Res any](c *klue.Client, key klue.Key[struct{}, Res], opts ...CallOption) *Prepared[Res] {
	return &Prepared[Res]{call: prepare(c, string(key), reflect.TypeFor[struct{}](), reflect.TypeFor[Res](), reflect.Value{}, opts)}
}

// CallWith prepares a call of the operation key with the input req, given as
// on the server side: the body model, or a struct of tagged parameters and a
// Body field (see [Args] for an input put together at run time). The input
// is copied (shallowly) when the call is prepared.
//
//	u, err := client.CallWith[User](remote, "get_user", &GetUser{ID: "42"}).Do(ctx)
//
// With a typed key (klue.Key[Req, Res], as generated code declares), both
// types are inferred.
func CallWith[Res, Req any](c *klue.Client, key klue.Key[Req, Res], req *Req, opts ...CallOption) *Prepared[Res] {
	if req == nil {
		p := &Prepared[Res]{call: prepare(c, string(key), reflect.TypeFor[Req](), reflect.TypeFor[Res](), reflect.Value{}, opts)}
		if p.info != nil {
			p.err = p.fail(errors.New("nil input: give a pointer to the input, or use client.Call"), p.info.template, 0)
		}
		return p
	}
	in := *req
	return &Prepared[Res]{call: prepare(c, string(key), reflect.TypeFor[Req](), reflect.TypeFor[Res](), reflect.ValueOf(&in), opts)}
}

// Do runs the call and returns the decoded answer. The error is a
// *CallError.
func (p *Prepared[Res]) Do(ctx context.Context) (*Res, error) {
	if p.err != nil {
		return nil, p.err
	}
	var res *Res
	o, attempts, err := p.execute(ctx, func(o *outcome, r *klue.Response) bool {
		res = decodeChecked[Res](p.info, p.plan, o, r)
		return res != nil
	})
	if err != nil {
		return nil, err
	}
	if res != nil {
		return res, nil
	}
	res, err = decodeResult[Res](p.info, p.plan, o)
	if err != nil {
		ce := p.fail(err, "", attempts)
		ce.Status = o.status
		return nil, ce
	}
	return res, nil
}

// Err returns the error that stops the call from running, or nil when it
// can run.
func (p *Prepared[Res]) Err() error { return p.err }

// Result returns what the last Parallel run of the call gave, or ErrNotRun.
func (p *Prepared[Res]) Result() (*Res, error) {
	if !p.ran {
		return nil, ErrNotRun
	}
	return p.res, p.resErr
}

// Name returns "api.operation", as errors name the call.
func (p *Prepared[Res]) Name() string { return p.api + "." + p.op }

func (p *Prepared[Res]) run(ctx context.Context) error {
	p.res, p.resErr = p.Do(ctx)
	p.ran = true
	return p.resErr
}

func (p *Prepared[Res]) failed(err error) error {
	p.res, p.resErr, p.ran = nil, p.fail(err, "", 0), true
	return p.resErr
}

// call is the part of a prepared call that does not depend on its result
// type.
type call struct {
	c     *apiClient
	info  *opInfo
	plan  *plan
	input reflect.Value
	pol   policy
	err   error
	// api and op name the call in messages, even when it could not be
	// looked up.
	api, op string
}

func prepare(handle *klue.Client, key string, t, res reflect.Type, input reflect.Value, opts []CallOption) call {
	cl := call{op: key, input: input}
	if handle == nil {
		cl.err = &CallError{Operation: key, Err: errors.New("nil *klue.Client")}
		return cl
	}
	cl.api = handle.Name()
	c, err := clientFor(handle)
	if err != nil {
		cl.err = cl.fail(err, "", 0)
		return cl
	}
	op, err := c.api.ClientOperation(key)
	if err != nil {
		cl.err = cl.fail(err, "", 0)
		return cl
	}
	cl.c, cl.info, cl.op = c, c.ops[op], c.ops[op].key
	cl.pol = c.cfg.policy
	cl.pol.errs = nil // the client's own are reported by Configure
	for _, o := range opts {
		o.applyToCall(&cl.pol)
	}
	switch {
	case c.err != nil:
		cl.err = cl.fail(c.err, "", 0)
	case cl.info.err != nil:
		cl.err = cl.fail(cl.info.err, cl.info.template, 0)
	case len(cl.pol.errs) > 0:
		cl.err = cl.fail(errors.Join(cl.pol.errs...), cl.info.template, 0)
	default:
		cl.plan = cl.info.planFor(t, res)
		if cl.plan.err != nil {
			cl.err = cl.fail(cl.plan.err, cl.info.template, 0)
		}
	}
	return cl
}

// fail wraps err into the call's *CallError.
func (cl *call) fail(err error, shownURL string, attempts int) *CallError {
	ce := &CallError{API: cl.api, Operation: cl.op, URL: shownURL, Attempts: attempts, Err: err}
	if shownURL != "" && cl.info != nil {
		ce.Method = cl.info.op.Method
	}
	return ce
}
