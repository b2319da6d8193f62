package klue

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"reflect"
	"strings"

	"github.com/klue-go/klue-client-server/internal/wire"
)

// Error is klue's one error type, used on both sides of a call: a handler
// returns it to choose the status and message of its answer, the server
// builds it for every request it rejects, and the client returns it for every
// call that did not succeed. Make one with [NewError] (a status and the
// internal error behind it) or [Errorf] (a status and a message for the
// caller).
//
// Status is the HTTP status and decides everything else; Code is a short
// machine-readable name derived from it unless set. Message is safe to send
// to callers; Cause is not: the server logs it and never sends it.
type Error struct {
	Status  int
	Code    string
	Message string
	// Details lists what was wrong with the input, one entry per problem.
	Details []Violation
	// Cause is the underlying error, reachable with errors.Unwrap.
	Cause error
	// Body is an API's own error model: on the server, a handler may set it
	// to be sent as is; on the client, it holds the decoded response body of
	// a declared error response.
	Body any

	// fromSentinel marks an Error made by errors.As from a sentinel.
	fromSentinel bool
}

// Violation is one problem with a request or a value: where it is (like
// "body.email" or "query.limit"), what is wrong, and the offending value when
// it is safe to show.
type Violation struct {
	Location string `json:"location"`
	Message  string `json:"message"`
	Value    any    `json:"value,omitempty"`
}

// String returns "location: message", or the message alone.
func (v Violation) String() string {
	if v.Location == "" {
		return v.Message
	}
	return v.Location + ": " + v.Message
}

// NewError returns an error with the given HTTP status whose cause is err:
// the cause is kept for errors.Is, errors.As and the server's log, and
// never sent. The caller reads the status text ("Service Unavailable");
// give it a message of its own with [Errorf].
//
//	return nil, klue.NewError(http.StatusServiceUnavailable, err)
func NewError(status int, err error) *Error {
	return &Error{Status: status, Message: http.StatusText(status), Cause: err}
}

// Errorf returns an error with the given HTTP status and a message for the
// caller, formatted as fmt.Errorf does. The errors given to %w are the
// cause, as with fmt.Errorf, but their text is left out of the message, so
// that an internal error never reaches the caller by being wrapped:
//
//	klue.Errorf(http.StatusNotFound, "no user %q", id)                   // message: no user "42"
//	klue.Errorf(http.StatusServiceUnavailable, "user store down: %w", err) // message: user store down
//
// Trailing spaces and punctuation that the left-out text leaves are
// trimmed; a message left empty becomes the status text. Errors given to
// other verbs (%v, %s) are shown: pass internal errors with %w.
func Errorf(status int, format string, args ...any) *Error {
	full := fmt.Errorf(format, args...)
	causes := wrappedBy(full)
	if len(causes) == 0 {
		return &Error{Status: status, Message: full.Error()}
	}
	shown := make([]any, len(args))
	for i, a := range args {
		shown[i] = a
		if e, ok := a.(error); ok && isCause(e, causes) {
			shown[i] = leftOut{}
		}
	}
	msg := strings.TrimRight(fmt.Errorf(format, shown...).Error(), " \t:;,-")
	if msg == "" {
		msg = http.StatusText(status)
	}
	return &Error{Status: status, Message: msg, Cause: full}
}

// wrappedBy returns the errors err wraps, one level down.
func wrappedBy(err error) []error {
	switch u := err.(type) {
	case interface{ Unwrap() error }:
		if c := u.Unwrap(); c != nil {
			return []error{c}
		}
	case interface{ Unwrap() []error }:
		return u.Unwrap()
	}
	return nil
}

// isCause reports whether e is one of causes. An error of a type that
// cannot be compared is taken to be one: its text is then left out rather
// than risked.
func isCause(e error, causes []error) bool {
	if !reflect.TypeOf(e).Comparable() {
		return true
	}
	for _, c := range causes {
		if reflect.TypeOf(c) == reflect.TypeOf(e) && c == e {
			return true
		}
	}
	return false
}

// leftOut stands for a %w operand in the message of Errorf: it prints
// nothing.
type leftOut struct{}

func (leftOut) Error() string          { return "" }
func (leftOut) Format(fmt.State, rune) {}

// The sentinel errors, for errors.Is: an *Error matches the sentinel of its
// status, whatever its message. A handler may also return a sentinel, or
// wrap one, to answer with its status and the status text. They are values
// of an unexported type: they cannot be changed.
var (
	ErrBadRequest       error = sentinel(http.StatusBadRequest)
	ErrUnauthorized     error = sentinel(http.StatusUnauthorized)
	ErrForbidden        error = sentinel(http.StatusForbidden)
	ErrNotFound         error = sentinel(http.StatusNotFound)
	ErrMethodNotAllowed error = sentinel(http.StatusMethodNotAllowed)
	ErrConflict         error = sentinel(http.StatusConflict)
	ErrTooManyRequests  error = sentinel(http.StatusTooManyRequests)
	ErrInternal         error = sentinel(http.StatusInternalServerError)
	ErrNotImplemented   error = sentinel(http.StatusNotImplemented)
	ErrUnavailable      error = sentinel(http.StatusServiceUnavailable)
	ErrGatewayTimeout   error = sentinel(http.StatusGatewayTimeout)
)

// sentinel is the type of the sentinel errors: an HTTP status.
type sentinel int

// Error returns "klue: " and the status text in lower case ("klue: not
// found").
func (s sentinel) Error() string { return "klue: " + strings.ToLower(http.StatusText(int(s))) }

// As makes errors.As find an *Error in a sentinel: one with the sentinel's
// status and status text, whose cause is the sentinel.
func (s sentinel) As(target any) bool {
	if t, ok := target.(**Error); ok {
		*t = &Error{Status: int(s), Message: http.StatusText(int(s)), Cause: s, fromSentinel: true}
		return true
	}
	return false
}

// sentinels lists the sentinel errors, for the errors of other packages
// that match one (with an Is method) to be answered with its status.
var sentinels = []error{
	ErrBadRequest, ErrUnauthorized, ErrForbidden, ErrNotFound, ErrMethodNotAllowed, ErrConflict, ErrTooManyRequests,
	ErrInternal, ErrNotImplemented, ErrUnavailable, ErrGatewayTimeout,
}

// Error returns the message, followed by the details.
func (e *Error) Error() string {
	msg := e.Message
	if msg == "" {
		msg = http.StatusText(e.Status)
	}
	if len(e.Details) == 0 {
		return msg
	}
	parts := make([]string, len(e.Details))
	for i, d := range e.Details {
		parts[i] = d.String()
	}
	return msg + ": " + strings.Join(parts, "; ")
}

// Unwrap returns the cause.
func (e *Error) Unwrap() error { return e.Cause }

// Is reports whether target is the sentinel error of e's status.
func (e *Error) Is(target error) bool {
	s, ok := target.(sentinel)
	return ok && int(s) == e.Status
}

// CodeOrDefault returns Code, or a name derived from the status
// ("not_found", "bad_request").
func (e *Error) CodeOrDefault() string {
	if e.Code != "" {
		return e.Code
	}
	return wire.StatusName(e.Status)
}

// StatusOf returns the HTTP status an error stands for: the status of an
// *Error found with errors.As, 504 for an expired deadline, 499 for a
// cancelled request, 500 for anything else, and 200 for nil.
func StatusOf(err error) int {
	return AsError(err).statusOr200()
}

func (e *Error) statusOr200() int {
	if e == nil {
		return http.StatusOK
	}
	return e.Status
}

// StatusClientClosedRequest is the status klue gives a request whose caller
// went away before the answer was ready.
const StatusClientClosedRequest = 499

// AsError returns err as an *Error: the one found with errors.As, or a new
// one whose cause is err: the status of the sentinel it matches with
// errors.Is (an error of another package may match [ErrNotFound] or
// [ErrConflict] with an Is method, as persist's do), 504 for an expired
// deadline, 499 for a cancelled context, and a 500 with a generic message
// for anything else, so that no internal detail leaks to a caller.
// AsError(nil) is nil.
func AsError(err error) *Error {
	if err == nil {
		return nil
	}
	var ke *Error
	if errors.As(err, &ke) {
		if ke.fromSentinel {
			// Made afresh from a sentinel found in err: keep all of err,
			// wrapping and all, for the log.
			ke.Cause = err
		}
		if ke.Status == 0 {
			cp := *ke
			cp.Status = http.StatusInternalServerError
			return &cp
		}
		return ke
	}
	for _, s := range sentinels {
		if errors.Is(err, s) {
			status := int(s.(sentinel))
			return &Error{Status: status, Message: http.StatusText(status), Cause: err}
		}
	}
	switch {
	case errors.Is(err, context.DeadlineExceeded):
		return &Error{Status: http.StatusGatewayTimeout, Message: "deadline exceeded", Cause: err}
	case errors.Is(err, context.Canceled):
		return &Error{Status: StatusClientClosedRequest, Message: "request cancelled", Cause: err}
	}
	return &Error{Status: http.StatusInternalServerError, Message: "internal error", Cause: err}
}

// ErrorFormatter turns an error into an API's own error model, the body sent
// instead of the default RFC 9457 problem document (the original library's
// error_callback). It receives the error already normalised by [AsError], so
// the status is decided; the value it returns is encoded as JSON and checked
// against the schema the operation declares for that status.
type ErrorFormatter func(ctx context.Context, err *Error) any
