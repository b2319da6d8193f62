package klue_test

import (
	"errors"
	"fmt"
	"net/http"
	"testing"

	"github.com/klue-go/klue-client-server/klue"
)

// storeError stands for another package's sentinel that matches a klue one.
type storeError struct{ is error }

func (e storeError) Error() string        { return "store: gone" }
func (e storeError) Is(target error) bool { return target == e.is }

func TestAsErrorMatchesSentinels(t *testing.T) {
	t.Parallel()
	tests := []struct {
		err    error
		status int
	}{
		{storeError{klue.ErrNotFound}, http.StatusNotFound},
		{fmt.Errorf("load: %w", storeError{klue.ErrConflict}), http.StatusConflict},
		{fmt.Errorf("load: %w", storeError{klue.ErrTooManyRequests}), http.StatusTooManyRequests},
		{storeError{errors.New("other")}, http.StatusInternalServerError},
	}
	for _, tt := range tests {
		ke := klue.AsError(tt.err)
		if ke.Status != tt.status || !errors.Is(ke, tt.err) {
			t.Errorf("AsError(%v) = %d %v, want %d with the error as its cause", tt.err, ke.Status, ke.Cause, tt.status)
		}
		if ke.Message != http.StatusText(tt.status) && tt.status != http.StatusInternalServerError {
			t.Errorf("AsError(%v) message %q, want the status text", tt.err, ke.Message)
		}
	}
}
