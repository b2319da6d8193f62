package client_test

import (
	"errors"
	"io"
	"net/http"
	"testing"

	"github.com/klue-go/klue-client-server/klue"
	"github.com/klue-go/klue-client-server/klue/client"
)

// TestAnswerCheckedWhateverItsContentType answers with a JSON document the
// spec refuses, under media types the client reads as JSON all the same:
// the answer is checked as it is read, whatever the server says it is.
func TestAnswerCheckedWhateverItsContentType(t *testing.T) {
	t.Parallel()
	var ct string
	srv := serve(t, http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) {
		if ct != "" {
			w.Header().Set("Content-Type", ct)
		}
		w.WriteHeader(http.StatusOK)
		_, _ = io.WriteString(w, `{"name":"evil"}`) // version is required
	}))
	pool := newPool(t, []klue.Option{klue.WithHost(hostOf(srv))}, "pets")
	remote := pool.Client("pets")
	for _, ct = range []string{"application/json", "text/plain", "text/plain; charset=utf-8", ""} {
		v, err := client.Call[Version](remote, "version").Do(t.Context())
		var ke *klue.Error
		if !errors.As(err, &ke) || ke.Status != http.StatusBadGateway {
			t.Errorf("Content-Type %q: got %+v, %v; want a 502 invalid response", ct, v, err)
		}
	}
}
