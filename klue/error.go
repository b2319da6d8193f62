package klue

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"strings"

	"github.com/klue-go/klue-client-server/internal/wire"
)

// Error is klue's one error type, used on both sides of a call: a handler
// returns it to choose the status and message of its answer, the server
// builds it for every request it rejects, and the client returns it for every
// call that did not succeed.
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

	sentinel bool
}

// Violation is one problem with a request or a value: where it is (like
// "body.email" or "query.limit"), what is wrong, and the offending value when
// it is safe to show.
type Violation struct {
	Location string `json:"location"`
	Message  string `json:"message"`
	Value    any    `json:"value,omitempty"`
}

func (v Violation) String() string {
	if v.Location == "" {
		return v.Message
	}
	return v.Location + ": " + v.Message
}

// NewError returns an error with the given HTTP status and message.
func NewError(status int, message string) *Error {
	return &Error{Status: status, Message: message}
}

// Errorf returns an error with the given HTTP status and a formatted message.
// A %w verb sets the cause as well.
func Errorf(status int, format string, args ...any) *Error {
	err := fmt.Errorf(format, args...)
	return &Error{Status: status, Message: err.Error(), Cause: errors.Unwrap(err)}
}

// WrapError returns an error with the given status whose cause is err. The
// message is the status text: the cause is internal and never sent.
func WrapError(status int, err error) *Error {
	return &Error{Status: status, Message: http.StatusText(status), Cause: err}
}

// Sentinel errors for errors.Is: an *Error matches the sentinel with the same
// status, whatever its message.
var (
	ErrBadRequest       = &Error{Status: http.StatusBadRequest, Message: "klue: bad request", sentinel: true}
	ErrUnauthorized     = &Error{Status: http.StatusUnauthorized, Message: "klue: unauthorized", sentinel: true}
	ErrForbidden        = &Error{Status: http.StatusForbidden, Message: "klue: forbidden", sentinel: true}
	ErrNotFound         = &Error{Status: http.StatusNotFound, Message: "klue: not found", sentinel: true}
	ErrConflict         = &Error{Status: http.StatusConflict, Message: "klue: conflict", sentinel: true}
	ErrInternal         = &Error{Status: http.StatusInternalServerError, Message: "klue: internal error", sentinel: true}
	ErrNotImplemented   = &Error{Status: http.StatusNotImplemented, Message: "klue: not implemented", sentinel: true}
	ErrUnavailable      = &Error{Status: http.StatusServiceUnavailable, Message: "klue: service unavailable", sentinel: true}
	ErrGatewayTimeout   = &Error{Status: http.StatusGatewayTimeout, Message: "klue: gateway timeout", sentinel: true}
	ErrTooManyRequests  = &Error{Status: http.StatusTooManyRequests, Message: "klue: too many requests", sentinel: true}
	ErrMethodNotAllowed = &Error{Status: http.StatusMethodNotAllowed, Message: "klue: method not allowed", sentinel: true}
)

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

// Is reports whether target is the sentinel error for e's status.
func (e *Error) Is(target error) bool {
	t, ok := target.(*Error)
	return ok && t.sentinel && t.Status == e.Status
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
// one whose cause is err: 504 for an expired deadline, 499 for a cancelled
// context, and a 500 with a generic message for anything else, so that no
// internal detail leaks to a caller. AsError(nil) is nil.
func AsError(err error) *Error {
	if err == nil {
		return nil
	}
	var ke *Error
	if errors.As(err, &ke) {
		if ke.sentinel {
			return &Error{Status: ke.Status, Message: http.StatusText(ke.Status), Cause: err}
		}
		if ke.Status == 0 {
			cp := *ke
			cp.Status = http.StatusInternalServerError
			return &cp
		}
		return ke
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
