package server

import (
	"net/http"

	"github.com/klue-go/klue-client-server/internal/wire"
	"github.com/klue-go/klue-client-server/klue"
)

// ProblemDetails is an RFC 9457 problem details document: the body of every
// error klue answers, unless the API has an error formatter. A handler that
// returns a *klue.Error whose Body is a ProblemDetails (or *ProblemDetails)
// sends it as is, to choose its type, title or instance. It is a plain value:
// its zero value is an empty document, and it is not safe to change
// concurrently.
type ProblemDetails struct {
	// Type is a URI naming the kind of problem; "about:blank" when the
	// status says it all.
	Type string `json:"type"`
	// Title is a short summary of the kind of problem.
	Title string `json:"title"`
	// Status is the HTTP status.
	Status int `json:"status"`
	// Detail explains this occurrence.
	Detail string `json:"detail,omitempty"`
	// Instance identifies this occurrence: the request's path.
	Instance string `json:"instance,omitempty"`
	// Code is the error's machine-readable code, when it set one.
	Code string `json:"code,omitempty"`
	// Errors lists what was wrong with the request, each with its location
	// ("body.email", "query.limit").
	Errors []klue.Violation `json:"errors,omitempty"`
}

// ProblemDetailsOf returns the problem document of an error, as klue sends
// it.
func ProblemDetailsOf(err *klue.Error, instance string) *ProblemDetails {
	p := &ProblemDetails{
		Type:     "about:blank",
		Title:    http.StatusText(err.Status),
		Status:   err.Status,
		Detail:   err.Message,
		Instance: instance,
		Code:     err.Code,
		Errors:   err.Details,
	}
	if p.Title == "" {
		p.Title = wire.StatusName(err.Status)
	}
	if p.Detail == p.Title {
		p.Detail = ""
	}
	return p
}

// MIMEProblemJSON is the media type of problem documents.
const MIMEProblemJSON = "application/problem+json"
