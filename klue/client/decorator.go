package client

import (
	"errors"
	"fmt"
	"io"
	"net/http"

	"github.com/go-resty/resty/v2"
)

// Decorator changes an outgoing request before it is sent, typically to add
// credentials (a bearer token, a signature). It runs before each attempt, so
// that a retried request gets fresh credentials. An error fails the call,
// which is then not tried again.
//
// A decorator may be called from several goroutines at once.
type Decorator func(*http.Request) error

// WithNamedDecorator registers d under name, for the operations whose spec
// says `x-decorate-request: name` (or lists name). It runs after the
// decorators of [WithDecorator]. [Configure] fails when an operation of the
// API names a decorator that is not registered. (The server's
// x-decorate-server counterpart is server.WithNamedDecorator.)
func WithNamedDecorator(name string, d Decorator) ClientOption {
	return clientOption(func(c *config) {
		switch {
		case name == "":
			c.policy.fail(errors.New("klue: client.WithNamedDecorator: empty name"))
		case d == nil:
			c.policy.fail(fmt.Errorf("klue: client.WithNamedDecorator(%q, nil): need a decorator", name))
		case c.decorators[name] != nil:
			c.policy.fail(fmt.Errorf("klue: client.WithNamedDecorator: %q is registered twice", name))
		default:
			c.decorators[name] = d
		}
	})
}

// WithDecorator applies d to every request of the API, before the
// decorators its operations name ([WithNamedDecorator]). Several run in the
// order they are given, like server.WithDecorator's middleware.
func WithDecorator(d Decorator) ClientOption {
	return clientOption(func(c *config) {
		if d == nil {
			c.policy.fail(errors.New("klue: client.WithDecorator(nil): need a decorator"))
			return
		}
		c.global = append(c.global, d)
	})
}

// decorateKey carries the operation of a request to decorate, in its
// context.
type decorateKey struct{}

// decoratorError is an error a decorator returned: the call fails with it,
// without another attempt.
type decoratorError struct{ err error }

func (e *decoratorError) Error() string { return "request decorator: " + e.err.Error() }
func (e *decoratorError) Unwrap() error { return e.err }

// beforeSend is resty's pre-request hook: it runs right before each attempt
// is sent. It gives a request without a body http.NoBody, which resty
// replaced by an empty reader of unknown length (that net/http would then
// probe, in a goroutine of its own), and runs the decorators of the
// request's operation.
func beforeSend(_ *resty.Client, r *http.Request) error {
	if r.ContentLength == 0 && r.Body != nil && r.Body != http.NoBody {
		r.Body, r.GetBody = http.NoBody, emptyBody
	}
	info, _ := r.Context().Value(decorateKey{}).(*opInfo)
	if info == nil {
		return nil
	}
	for _, d := range info.decorators {
		if err := d(r); err != nil {
			return &decoratorError{err}
		}
	}
	return nil
}

func emptyBody() (io.ReadCloser, error) { return http.NoBody, nil }
