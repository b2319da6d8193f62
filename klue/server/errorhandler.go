package server

import (
	"context"
	"encoding/json"
	"errors"
	"log/slog"
	"net/http"

	"github.com/klue-go/klue-client-server/internal/excerpt"
	"github.com/klue-go/klue-client-server/klue"
	"github.com/klue-go/klue-client-server/klue/callctx"
	"github.com/labstack/echo/v4"
)

// ErrorHandler returns an echo HTTPErrorHandler that renders every error
// the way klue does. [Spawn] installs it unless told otherwise; install it
// yourself with [WithoutErrorHandler], or on an echo instance that serves
// klue APIs among other routes.
//
// The error is normalised with errors.As: a *klue.Error keeps its status
// and message, an *echo.HTTPError its code, and any other error becomes a
// 500 whose cause is logged with the call ID, never sent. The body is, in
// order: the error's own Body (a [ProblemDetails], or the API's error model,
// checked against the response the operation declares for the status); the
// output of the API's klue.ErrorFormatter, checked the same way; an RFC 9457
// problem document. An output that does not fit its schema is logged and
// replaced by the problem document.
//
// The options that matter here are [WithLogger]; the returned handler is
// safe for concurrent use.
func ErrorHandler(pool *klue.Pool, opts ...Option) echo.HTTPErrorHandler {
	cfg := newConfig(opts)
	reg := registryOf(pool)
	return func(err error, c echo.Context) {
		r := c.Request()
		ctx := r.Context()
		ke := asError(err)
		var op *klue.Operation
		var api *klue.API
		logger := cfg.logger
		if x := exchangeOf(ctx); x != nil && x.op != nil {
			op = x.op.op
			api = op.API()
		}
		if m := reg.mountFor(c.Echo(), r.URL.Path); m != nil {
			logger = m.cfg.logger
			if api == nil {
				api = m.api
			}
		}
		if ke.Status >= 500 {
			var logged errLogged
			if ke.Cause != nil && !errors.As(ke.Cause, &logged) {
				attrs := []any{slog.Int("status", ke.Status), slog.String("call_id", callctx.ID(ctx)), slog.String("error", ke.Cause.Error())}
				if op != nil {
					attrs = append(attrs, slog.String("api", api.Name()), slog.String("operation", op.Name()))
				}
				logger.ErrorContext(ctx, "klue: internal error", attrs...)
			}
		}
		if c.Response().Committed {
			return
		}
		body, contentType := render(ctx, bounded(ke), api, op, excerpt.String(r.URL.Path, excerpt.Location), logger)
		w := c.Response()
		w.Header().Set(echo.HeaderContentType, contentType)
		w.WriteHeader(ke.Status)
		if r.Method != http.MethodHead {
			_, _ = w.Write(body)
		}
	}
}

// asError normalises any error to a *klue.Error, echo's included.
func asError(err error) *klue.Error {
	var he *echo.HTTPError
	var ke *klue.Error
	if !errors.As(err, &ke) && errors.As(err, &he) {
		msg, ok := he.Message.(string)
		if !ok || msg == "" {
			msg = http.StatusText(he.Code)
		}
		switch he.Code {
		case http.StatusNotFound:
			msg = "no such path"
		case http.StatusMethodNotAllowed:
			msg = "method not allowed here"
		}
		return &klue.Error{Status: he.Code, Message: msg, Cause: he.Internal}
	}
	ke = klue.AsError(err)
	// An informational status (1xx) would go out as such, 101 switching
	// protocols; past 599 there are no HTTP statuses.
	if ke.Status < 200 || ke.Status > 599 {
		cp := *ke
		cp.Status = http.StatusInternalServerError
		ke = &cp
	}
	return ke
}

// bounded returns ke, or a copy of it whose message and violations quote
// at most an excerpt of what the request carried: they reach the problem
// document and the API's error formatter alike.
func bounded(ke *klue.Error) *klue.Error {
	cp := *ke
	cp.Message = excerpt.String(ke.Message, excerpt.Message)
	if len(ke.Details) > 0 {
		cp.Details = make([]klue.Violation, len(ke.Details))
		for i, v := range ke.Details {
			cp.Details[i] = klue.Violation{
				Location: excerpt.String(v.Location, excerpt.Location),
				Message:  excerpt.String(v.Message, excerpt.Message),
				Value:    excerpt.Any(v.Value, excerpt.Value),
			}
		}
	}
	return &cp
}

// render returns the body of an error response and its media type.
func render(ctx context.Context, ke *klue.Error, api *klue.API, op *klue.Operation, path string, logger *slog.Logger) ([]byte, string) {
	own := ke.Body
	source := "the error's Body"
	if own == nil && api != nil {
		if f := api.ErrorFormatter(); f != nil {
			own = f(ctx, ke)
			source = "the error formatter's output"
		}
	}
	switch p := own.(type) {
	case nil:
	case ProblemDetails:
		return problemJSON(&p), MIMEProblemJSON
	case *ProblemDetails:
		return problemJSON(p), MIMEProblemJSON
	default:
		data, err := json.Marshal(own)
		if err == nil {
			err = fitsResponse(op, ke.Status, data)
		}
		if err == nil {
			return data, echo.MIMEApplicationJSON
		}
		logger.ErrorContext(ctx, "klue: "+source+" does not fit the declared response; sending a problem document",
			slog.Int("status", ke.Status), slog.String("call_id", callctx.ID(ctx)), slog.String("error", err.Error()))
	}
	return problemJSON(ProblemDetailsOf(ke, path)), MIMEProblemJSON
}

// fitsResponse checks an error body against the schema the operation
// declares for its status (or its default response).
func fitsResponse(op *klue.Operation, status int, data []byte) error {
	if op == nil {
		return nil
	}
	resp := op.Response(status)
	if resp == nil {
		return nil
	}
	// Error bodies are rare: the schema's own validator, compiled when the
	// spec was added, is fast enough.
	s := resp.Schema()
	if s == nil || !s.Compiled() {
		return nil
	}
	return s.ValidateJSON(klue.ForResponse, data)
}

func problemJSON(p *ProblemDetails) []byte {
	data, err := json.Marshal(p)
	if err != nil {
		// A Value in Errors that JSON cannot encode: drop the values.
		cp := *p
		cp.Errors = nil
		for _, v := range p.Errors {
			v.Value = nil
			cp.Errors = append(cp.Errors, v)
		}
		data, _ = json.Marshal(&cp)
	}
	return data
}
