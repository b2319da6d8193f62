package klue_test

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"strings"
	"testing"

	"github.com/klue-go/klue-client-server/klue"
)

// uncomparable is an error of a type == cannot compare.
type uncomparable struct{ parts []string }

func (u uncomparable) Error() string { return strings.Join(u.parts, "/") }

func TestErrorfKeepsWrappedTextOutOfTheMessage(t *testing.T) {
	t.Parallel()
	secret := errors.New("password=hunter2 host=10.0.0.7")
	other := errors.New("token expired at 12:00")
	tests := []struct {
		name    string
		err     *klue.Error
		message string
		causes  []error
	}{
		{"no cause", klue.Errorf(404, "no user %q", "42"), `no user "42"`, nil},
		{"cause at the end", klue.Errorf(503, "user store down: %w", secret), "user store down", []error{secret}},
		{"cause alone", klue.Errorf(500, "%w", secret), "Internal Server Error", []error{secret}},
		{"cause in the middle", klue.Errorf(502, "upstream (%w) failed", secret), "upstream () failed", []error{secret}},
		{"two causes", klue.Errorf(500, "saving %s: %w; then %w", "u1", secret, other), "saving u1: ; then", []error{secret, other}},
		{"wrapped klue error", klue.Errorf(409, "taken: %w", klue.Errorf(409, "inner %w", secret)), "taken", []error{secret}},
		{"uncomparable cause", klue.Errorf(500, "batch: %w", uncomparable{[]string{"a", "secret"}}), "batch", nil},
		{"error given to %v is shown", klue.Errorf(400, "bad value: %v", errors.New("not a number")), "bad value: not a number", nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if tt.err.Message != tt.message {
				t.Errorf("message %q, want %q", tt.err.Message, tt.message)
			}
			for _, leak := range []string{"hunter2", "12:00", "secret"} {
				if strings.Contains(tt.err.Message, leak) || strings.Contains(tt.err.Error(), leak) {
					t.Errorf("the message %q (Error() %q) shows the wrapped %q", tt.err.Message, tt.err.Error(), leak)
				}
			}
			for _, c := range tt.causes {
				if !errors.Is(tt.err, c) {
					t.Errorf("errors.Is does not reach the cause %v", c)
				}
			}
			// The log gets the whole text (a wrapped *Error logs its own
			// message; its cause is logged through it).
			for _, c := range tt.causes {
				if tt.name != "wrapped klue error" && !strings.Contains(tt.err.Cause.Error(), c.Error()) {
					t.Errorf("the cause %q, kept for the log, lacks %q", tt.err.Cause, c)
				}
			}
		})
	}
}

func TestNewErrorSendsOnlyTheStatusText(t *testing.T) {
	t.Parallel()
	cause := errors.New("dial tcp: connection refused")
	err := klue.NewError(http.StatusServiceUnavailable, cause)
	if err.Status != 503 || err.Message != "Service Unavailable" || strings.Contains(err.Error(), "refused") {
		t.Errorf("NewError = %d %q (%q)", err.Status, err.Message, err.Error())
	}
	if !errors.Is(err, cause) || !errors.Is(err, klue.ErrUnavailable) || errors.Is(err, klue.ErrNotFound) {
		t.Error("errors.Is does not see the cause and the status")
	}
}

func TestSentinels(t *testing.T) {
	t.Parallel()
	for _, tt := range []struct {
		sentinel error
		status   int
		text     string
	}{
		{klue.ErrBadRequest, 400, "klue: bad request"},
		{klue.ErrUnauthorized, 401, "klue: unauthorized"},
		{klue.ErrForbidden, 403, "klue: forbidden"},
		{klue.ErrNotFound, 404, "klue: not found"},
		{klue.ErrMethodNotAllowed, 405, "klue: method not allowed"},
		{klue.ErrConflict, 409, "klue: conflict"},
		{klue.ErrTooManyRequests, 429, "klue: too many requests"},
		{klue.ErrInternal, 500, "klue: internal server error"},
		{klue.ErrNotImplemented, 501, "klue: not implemented"},
		{klue.ErrUnavailable, 503, "klue: service unavailable"},
		{klue.ErrGatewayTimeout, 504, "klue: gateway timeout"},
	} {
		if tt.sentinel.Error() != tt.text {
			t.Errorf("%d: %q, want %q", tt.status, tt.sentinel.Error(), tt.text)
		}
		// Any *Error of the status matches, whatever its message.
		if !errors.Is(klue.Errorf(tt.status, "anything"), tt.sentinel) || errors.Is(klue.Errorf(418, "teapot"), tt.sentinel) {
			t.Errorf("%d: errors.Is does not go by the status", tt.status)
		}
		// A handler may return the sentinel, wrapped or not.
		wrapped := fmt.Errorf("looking up: %w", tt.sentinel)
		if got := klue.AsError(wrapped); got.Status != tt.status || got.Message != http.StatusText(tt.status) || got.Cause != wrapped {
			t.Errorf("%d: AsError(wrapped sentinel) = %d %q, cause %v", tt.status, got.Status, got.Message, got.Cause)
		}
		if klue.StatusOf(tt.sentinel) != tt.status || !errors.Is(wrapped, tt.sentinel) {
			t.Errorf("%d: StatusOf or errors.Is fails on the sentinel", tt.status)
		}
	}
}

func TestSentinelsCannotBeChanged(t *testing.T) {
	t.Parallel()
	// What errors.As finds in a sentinel is a copy: changing it changes
	// neither the sentinel nor what the next caller finds.
	var ke *klue.Error
	if !errors.As(klue.ErrNotFound, &ke) {
		t.Fatal("errors.As finds no *Error in a sentinel")
	}
	ke.Status, ke.Message = 200, "fine"
	if got := klue.AsError(klue.ErrNotFound); got.Status != 404 || got.Message != "Not Found" {
		t.Errorf("after changing a found copy, the sentinel gives %d %q", got.Status, got.Message)
	}
	if klue.StatusOf(klue.ErrNotFound) != 404 || klue.ErrNotFound.Error() != "klue: not found" {
		t.Error("the sentinel changed")
	}
}

func TestAsError(t *testing.T) {
	t.Parallel()
	own := klue.Errorf(418, "short and stout")
	if klue.AsError(fmt.Errorf("ctx: %w", own)) != own {
		t.Error("AsError does not return the *Error found in the chain")
	}
	if klue.AsError(nil) != nil || klue.StatusOf(nil) != 200 {
		t.Error("nil is not a success")
	}
	for err, status := range map[error]int{
		context.DeadlineExceeded:          504,
		context.Canceled:                  klue.StatusClientClosedRequest,
		errors.New("disk on fire"):        500,
		&klue.Error{Message: "no status"}: 500,
	} {
		got := klue.AsError(err)
		if got.Status != status || strings.Contains(got.Message, "disk") {
			t.Errorf("AsError(%v) = %d %q, want %d and no internal text", err, got.Status, got.Message, status)
		}
	}
}

func TestCodeOrDefaultNamesTheStatus(t *testing.T) {
	t.Parallel()
	if got := klue.Errorf(404, "x").CodeOrDefault(); got != "not_found" {
		t.Errorf("got %q", got)
	}
	if got := (&klue.Error{Status: 409, Code: "email_taken"}).CodeOrDefault(); got != "email_taken" {
		t.Errorf("got %q", got)
	}
}
