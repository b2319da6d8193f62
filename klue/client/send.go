package client

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"net/url"
	"strings"
	"time"

	"github.com/klue-go/klue-client-server/klue"
	"github.com/klue-go/klue-client-server/klue/callctx"
)

// execute encodes the input, sends the request, tries again when it may,
// and checks the answer.
//
// typed, when not nil, decodes a success answer that its declared response
// checks into the call's result, checking it as it reads, and reports
// whether it did: the answer then needs no other check.
func (cl *call) execute(ctx context.Context, typed func(*outcome, *klue.Response) bool) (result *outcome, attempts int, err error) {
	info, c := cl.info, cl.c
	e, err := cl.plan.encode(info, cl.input, !cl.pol.noRequestValidation)
	if err != nil {
		return nil, 0, cl.fail(err, info.template, 0)
	}
	shown, target := cl.url(e)
	callctx.SetHeaders(ctx, e.header)
	ctx, endSpan := cl.traced(ctx, e.header)
	defer func() { endSpan(result, err) }()
	measure := cl.measured()
	defer func() { measure.end(ctx, result, err) }()
	// Shared, read-only values: http.Header.Clone, which resty applies,
	// copies them.
	if e.contentType != "" {
		e.header["Content-Type"] = []string{e.contentType}
	}
	if cl.plan.accept != nil && e.header["Accept"] == nil {
		e.header["Accept"] = cl.plan.accept
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
			validate := !cl.pol.noResponseValidate
			if validate && typed != nil && o.status >= 200 && o.status < 300 {
				if r, chk := info.successCheck(o); chk != nil && len(bytes.TrimSpace(o.body)) > 0 && typed(o, r) {
					validate = false // checked by the typed decoder, against the same schema
				}
			}
			if snippet, err := info.check(o, validate); err != nil {
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
				_, failure = info.check(o, false)
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
	n := len(cl.c.baseURL) + 1 + len(cl.info.fixedQuery) + 1 + e.query.Len()
	for _, part := range cl.info.path {
		if part.param < 0 {
			n += len(part.lit)
		} else {
			n += len(e.pathVals[part.param])
		}
	}
	var b strings.Builder
	b.Grow(n)
	b.WriteString(cl.c.baseURL)
	for _, part := range cl.info.path {
		if part.param < 0 {
			b.WriteString(part.lit)
		} else {
			b.WriteString(e.pathVals[part.param])
		}
	}
	shown = b.String()
	if e.query.Len() == 0 && cl.info.fixedQuery == "" {
		return shown, shown
	}
	b.WriteByte('?')
	b.WriteString(cl.info.fixedQuery)
	if e.query.Len() > 0 {
		if cl.info.fixedQuery != "" {
			b.WriteByte('&')
		}
		b.WriteString(e.query.String())
	}
	return shown, b.String()
}
