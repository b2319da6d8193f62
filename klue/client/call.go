package client

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"net/url"
	"reflect"
	"strings"
	"time"

	"github.com/klue-go/klue-client-server/klue"
	"github.com/klue-go/klue-client-server/klue/callctx"
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

// Call prepares a call, with no input, of the operation key of the remote's
// API: its x-bind-client name, else its operationId, else "METHOD /path".
//
//	v, err := client.Call[Version](pool.Client("public"), "version").Do(ctx)
//
// A call that cannot be made (an unknown API or operation, a required
// parameter, a decorator that is not registered) fails when it runs, with an
// error that says why; Err reports it right away.
func Call[Res any](remote *klue.Remote, key klue.Key[struct{}, Res], opts ...CallOption) *Prepared[Res] {
	return &Prepared[Res]{call: prepare(remote, string(key), reflect.TypeFor[struct{}](), reflect.Value{}, opts)}
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
func CallWith[Res, Req any](remote *klue.Remote, key klue.Key[Req, Res], req *Req, opts ...CallOption) *Prepared[Res] {
	if req == nil {
		p := &Prepared[Res]{call: prepare(remote, string(key), reflect.TypeFor[Req](), reflect.Value{}, opts)}
		if p.info != nil {
			p.err = p.fail(errors.New("nil input: give a pointer to the input, or use client.Call"), p.info.template, 0)
		}
		return p
	}
	in := *req
	return &Prepared[Res]{call: prepare(remote, string(key), reflect.TypeFor[Req](), reflect.ValueOf(&in), opts)}
}

// Do runs the call and returns the decoded answer. The error is a
// *CallError.
func (p *Prepared[Res]) Do(ctx context.Context) (*Res, error) {
	if p.err != nil {
		return nil, p.err
	}
	o, attempts, err := p.execute(ctx)
	if err != nil {
		return nil, err
	}
	res, err := decodeResult[Res](o)
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

func prepare(remote *klue.Remote, key string, t reflect.Type, input reflect.Value, opts []CallOption) call {
	cl := call{op: key, input: input}
	if remote == nil {
		cl.err = &CallError{Operation: key, Err: errors.New("nil *klue.Remote")}
		return cl
	}
	cl.api = remote.Name()
	c, err := clientFor(remote)
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
		cl.plan = cl.info.planFor(t)
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

// execute encodes the input, sends the request, tries again when it may,
// and checks the answer.
func (cl *call) execute(ctx context.Context) (*outcome, int, error) {
	info, c := cl.info, cl.c
	e, err := cl.plan.encode(info, cl.input, !cl.pol.noRequestValidation)
	if err != nil {
		return nil, 0, cl.fail(err, info.template, 0)
	}
	shown, target := cl.url(e)
	callctx.SetHeaders(ctx, e.header)
	// Shared, read-only values: http.Header.Clone, which resty applies,
	// copies them.
	if e.contentType != "" {
		e.header["Content-Type"] = []string{e.contentType}
	}
	if info.accept != nil && e.header["Accept"] == nil {
		e.header["Accept"] = info.accept
	}
	if e.header["User-Agent"] == nil {
		e.header["User-Agent"] = userAgent
	}
	callCtx := ctx
	if len(info.decorators) > 0 {
		callCtx = context.WithValue(ctx, decorateKey{}, info)
	}
	timeout := cl.pol.timeout
	if timeout == 0 {
		timeout = c.api.Timeout()
	}
	mayRetry := info.idempotent || cl.pol.retryNonIdempotent
	for attempt := 1; ; attempt++ {
		o, failure, retryable := cl.attempt(callCtx, timeout, e, target)
		if !retryable || !mayRetry || attempt >= cl.pol.attempts {
			if failure != nil {
				ce := cl.fail(failure, shown, attempt)
				if o != nil {
					ce.Status = o.status
				}
				return nil, attempt, ce
			}
			if err, snippet := info.check(o, !cl.pol.noResponseValidate); err != nil {
				ce := cl.fail(err, shown, attempt)
				ce.Status, ce.Snippet = o.status, snippet
				return nil, attempt, ce
			}
			return o, attempt, nil
		}
		wait := c.backoff(attempt)
		if o != nil && (o.status == 429 || o.status == 503) {
			if ra, ok := retryAfter(o.header, time.Now()); ok {
				wait = ra
			}
		}
		stop := func(err error) (*outcome, int, error) {
			if failure == nil {
				failure, _ = info.check(o, false)
			}
			ce := cl.fail(failure, shown, attempt)
			if o != nil {
				ce.Status = o.status
			}
			if err != nil {
				ce.Err = klue.AsError(err)
				ce.Status = 0
			}
			return nil, attempt, ce
		}
		if dl, ok := ctx.Deadline(); ok && time.Until(dl) < wait {
			return stop(nil) // no time left for another attempt
		}
		t := time.NewTimer(wait)
		select {
		case <-ctx.Done():
			t.Stop()
			return stop(ctx.Err())
		case <-t.C:
		}
	}
}

// userAgent names klue in requests.
var userAgent = []string{"klue"}

// attempt sends the request once. It returns the answer, or why there is
// none; retryable says whether trying again may help.
func (cl *call) attempt(ctx context.Context, timeout time.Duration, e *encoded, target string) (o *outcome, failure error, retryable bool) {
	actx, cancel := context.WithTimeout(ctx, timeout)
	defer cancel()
	r := cl.c.rc.R()
	r.SetContext(actx)
	r.Header = e.header
	if len(e.cookies) > 0 {
		r.SetCookies(e.cookies)
	}
	if e.body != nil {
		r.SetBody(bytes.NewReader(e.body))
	}
	resp, err := r.Execute(cl.info.op.Method, target)
	if err == nil {
		var body []byte
		body, err = readBody(resp.RawBody(), resp.RawResponse.ContentLength, cl.c.cfg.maxResponseBytes)
		if err == nil {
			o = &outcome{status: resp.StatusCode(), header: resp.Header(), body: body}
			return o, nil, retryableStatus(o.status)
		}
	}
	var de *decoratorError
	var ue *url.Error
	if errors.As(err, &ue) {
		err = ue.Err
	}
	switch {
	case errors.As(err, &de):
		return nil, de, false
	case ctx.Err() != nil:
		return nil, klue.AsError(ctx.Err()), false
	case actx.Err() == context.DeadlineExceeded || errors.Is(err, context.DeadlineExceeded):
		return nil, &klue.Error{Status: 504, Message: fmt.Sprintf("timed out after %v", timeout), Cause: context.DeadlineExceeded}, true
	case errors.Is(err, errTooLarge):
		return nil, &klue.Error{Status: 502, Message: fmt.Sprintf("the answer is larger than %d bytes", cl.c.cfg.maxResponseBytes), Cause: err}, false
	}
	return nil, &klue.Error{Status: 502, Message: "connection failed", Cause: err}, true
}

// errTooLarge is the error of an answer longer than the client reads.
var errTooLarge = errors.New("response body too large")

// readBody reads a whole answer of size bytes (-1 when unknown), up to
// limit bytes, and closes it.
func readBody(rc io.ReadCloser, size int64, limit int) ([]byte, error) {
	if rc == nil {
		return nil, nil
	}
	defer rc.Close()
	if size > int64(limit) {
		return nil, errTooLarge
	}
	if size >= 0 {
		data := make([]byte, size)
		if _, err := io.ReadFull(rc, data); err != nil {
			return nil, err
		}
		return data, nil
	}
	data, err := io.ReadAll(io.LimitReader(rc, int64(limit)+1))
	if err != nil {
		return nil, err
	}
	if len(data) > limit {
		return nil, errTooLarge
	}
	return data, nil
}

// url returns the request's URL without its query, for messages, and with
// it, to send.
func (cl *call) url(e *encoded) (shown, target string) {
	var b strings.Builder
	b.WriteString(cl.c.baseURL)
	for _, part := range cl.info.path {
		if part.param < 0 {
			b.WriteString(part.lit)
		} else {
			b.WriteString(e.pathVals[part.param])
		}
	}
	shown = b.String()
	if e.query.Len() == 0 {
		return shown, shown
	}
	b.WriteByte('?')
	b.WriteString(e.query.String())
	return shown, b.String()
}
