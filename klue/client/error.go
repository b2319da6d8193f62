package client

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"strings"

	"github.com/klue-go/klue-client-server/internal/strictjson"
	"github.com/klue-go/klue-client-server/klue"
)

// CallError is the error of every call that did not succeed. It names the
// operation and the request, and wraps the reason:
//
//	klue: public.version: GET https://api.example.com/v1/version: 503 Service Unavailable (3 attempts)
//
// The reason is a *klue.Error whenever the call reached the API or failed on
// the way (errors.As finds it; klue.StatusOf gives its status): the status of
// the answer, with the decoded model in Body when the answer matches a
// response the spec declares; 400 with Details for an input the spec
// rejects, found before anything is sent; 502 for a connection failure or
// an answer that does not match the spec; 504 for a timeout; 499 for a
// cancelled context (errors.Is(err, context.Canceled) holds). A service that
// returns such an error from a handler answers with that status and message;
// the URL and the start of the body stay in the CallError, which the server
// never sends. Other reasons (an unknown operation, an input type that does
// not fit the operation) are plain errors.
//
// A CallError is not changed once returned, and may be read from several
// goroutines. The zero value formats as an error of no call.
type CallError struct {
	// API and Operation name the call: the API's name in the pool, and the
	// operation's client key (or "METHOD /path").
	API       string
	Operation string
	// Method and URL are the request's, the URL without its query (which
	// may carry credentials). URL is the operation's template when the call
	// failed before its URL was built.
	Method string
	URL    string
	// Attempts counts the requests sent; 0 when the call failed before.
	Attempts int
	// Status is the status of the last answer, or 0 when none came.
	Status int
	// Snippet is the start of an answer's body that matches no declared
	// response, for the message.
	Snippet string
	Err     error
}

// Error formats the error as one line.
func (e *CallError) Error() string {
	var b strings.Builder
	b.WriteString("klue: ")
	b.WriteString(e.API)
	b.WriteByte('.')
	b.WriteString(e.Operation)
	if e.Method != "" {
		b.WriteString(": ")
		b.WriteString(e.Method)
		b.WriteByte(' ')
		b.WriteString(e.URL)
	}
	b.WriteString(": ")
	b.WriteString(e.reason())
	if e.Attempts > 1 {
		fmt.Fprintf(&b, " (%d attempts)", e.Attempts)
	}
	return b.String()
}

func (e *CallError) reason() string {
	var ke *klue.Error
	isKlue := errors.As(e.Err, &ke)
	if e.Status > 0 {
		s := fmt.Sprintf("%d %s", e.Status, http.StatusText(e.Status))
		switch {
		case isKlue:
			if msg := ke.Error(); msg != "" && msg != http.StatusText(ke.Status) {
				s += ": " + msg
			}
		case e.Err != nil:
			s += ": " + trimKlue(e.Err.Error())
		}
		if e.Snippet != "" {
			s += ": " + e.Snippet
		}
		return s
	}
	if e.Err == nil {
		return "failed"
	}
	if isKlue && ke.Cause != nil && !errors.Is(ke.Cause, context.DeadlineExceeded) && !errors.Is(ke.Cause, context.Canceled) {
		return ke.Error() + ": " + trimKlue(ke.Cause.Error())
	}
	return trimKlue(e.Err.Error())
}

func trimKlue(s string) string { return strings.TrimPrefix(s, "klue: ") }

// Unwrap returns the reason.
func (e *CallError) Unwrap() error { return e.Err }

// ErrorBody returns the body of the declared error response carried by err
// (a call's error whose *klue.Error has a Body), decoded into an E: the API's
// own error model. It reports false when err carries no body, or one that
// does not decode into an E.
func ErrorBody[E any](err error) (*E, bool) {
	var ke *klue.Error
	if !errors.As(err, &ke) || ke.Body == nil {
		return nil, false
	}
	data, jerr := strictjson.Marshal(ke.Body)
	if jerr != nil {
		return nil, false
	}
	out := new(E)
	if strictjson.Unmarshal(data, out) != nil {
		return nil, false
	}
	return out, true
}

// ErrNotRun is the error Result returns for a call that Parallel has not
// run.
var ErrNotRun = errors.New("klue: the call has not run")
