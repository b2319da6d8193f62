package server_test

import (
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/klue-go/klue-client-server/klue/server"
)

// TestBodyLimitAndMediaType checks the 413 and 415 answers: an unsupported
// Content-Type, and a body over the limit whether or not it declares its
// length, are refused before the handler runs.
func TestBodyLimitAndMediaType(t *testing.T) {
	t.Parallel()
	big := `{"email":"a@a.a","int":"` + strings.Repeat("x", server.DefaultBodyLimit) + `"}`
	small := `{"email":"a@a.a","int":"` + strings.Repeat("x", 150) + `"}`
	tests := []struct {
		name        string
		limit       int64 // 0: the default
		body        string
		contentType string
		unsized     bool // no Content-Length: the body is read as a stream
		opts        []server.Option
		status      int
	}{
		{"JSON within the default limit", 0, small, "application/json", false, nil, http.StatusOK},
		{"unsupported media type", 0, small, "text/plain", false, nil, http.StatusUnsupportedMediaType},
		{"over the default limit", 0, big, "application/json", false, nil, http.StatusRequestEntityTooLarge},
		{"over the default limit, unsized", 0, big, "application/json", true, nil, http.StatusRequestEntityTooLarge},
		{"over a configured limit", 100, small, "application/json", false, nil, http.StatusRequestEntityTooLarge},
		{"over a configured limit, unsized", 100, small, "application/json", true, nil, http.StatusRequestEntityTooLarge},
		{"within a configured limit", 1000, small, "application/json", true, nil, http.StatusOK},
		// A cross-site form can send a body without Content-Type (or
		// text/plain) with no preflight: it must not reach a JSON
		// operation.
		{"no Content-Type", 0, small, "", false, nil, http.StatusUnsupportedMediaType},
		{"no Content-Type, unsized", 0, small, "", true, nil, http.StatusUnsupportedMediaType},
		{"no Content-Type, allowed", 0, small, "", false, []server.Option{server.WithBodiesWithoutContentType()}, http.StatusOK},
		{"text/plain, with bodies without Content-Type allowed", 0, small, "text/plain", false, []server.Option{server.WithBodiesWithoutContentType()}, http.StatusUnsupportedMediaType},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			opts := tt.opts
			if tt.limit > 0 {
				opts = append(opts, server.WithBodyLimit(tt.limit))
			}
			e, calls, _ := behaviours(t, opts...)
			var body io.Reader = strings.NewReader(tt.body)
			if tt.unsized {
				body = io.MultiReader(body) // hides the length from httptest
			}
			req := httptest.NewRequest(http.MethodPost, "/v1/login", body)
			if tt.contentType != "" {
				req.Header.Set("Content-Type", tt.contentType)
			}
			rec := httptest.NewRecorder()
			e.ServeHTTP(rec, req)
			if rec.Code != tt.status {
				t.Fatalf("status %d, want %d: %.200s", rec.Code, tt.status, rec.Body.String())
			}
			if tt.status != http.StatusOK {
				if calls.Load() != 0 {
					t.Error("the handler ran")
				}
				if ct := rec.Header().Get("Content-Type"); ct != server.MIMEProblemJSON {
					t.Errorf("Content-Type %q, want problem+json", ct)
				}
			}
		})
	}
}
