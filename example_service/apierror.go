package main

import (
	"context"

	"github.com/klue-go/klue-client-server/klue"
)

// apiError is the Error model the three specs declare, with ErrorDetail:
// the original's {status, error, error_description}, plus what was wrong
// with the request.
type apiError struct {
	Status      int           `json:"status"`
	Error       string        `json:"error"`
	Description string        `json:"error_description,omitempty"`
	Errors      []errorDetail `json:"errors,omitempty"`
}

type errorDetail struct {
	Location string `json:"location"`
	Message  string `json:"message"`
}

// formatError is the error formatter of the three APIs: every error they
// answer, from a handler, a verifier or klue's validation, is sent in the
// API's Error model. The values found wrong are left out, since they may be
// passwords.
func formatError(_ context.Context, e *klue.Error) any {
	body := apiError{Status: e.Status, Error: e.CodeOrDefault(), Description: e.Message}
	for _, v := range e.Details {
		body.Errors = append(body.Errors, errorDetail{Location: v.Location, Message: v.Message})
	}
	return body
}
