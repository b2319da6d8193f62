// Package publicapi holds the Go types of the API "Public", written the way klue gen writes them: a type per model
// (types.go), and per operation a typed key, klue.Key[Req, Res], with its input and result types
// (operations.go), for server.Bind and the client's calls.
package publicapi

import (
	"time"
)

// Account is the model "Account".
type Account struct {
	ID      string    `json:"id"`
	Email   string    `json:"email"`
	Name    string    `json:"name"`
	Created time.Time `json:"created"`
}

// Error is the model "Error".
type Error struct {
	Status int `json:"status"`
	// The status as a short name, like unauthorized or bad_request.
	Error            string  `json:"error"`
	ErrorDescription *string `json:"error_description,omitempty"`
	// What was wrong with the request, one entry per problem.
	Errors []ErrorDetail `json:"errors,omitzero"`
}

// ErrorDetail is the model "ErrorDetail".
type ErrorDetail struct {
	// Where the problem is, like body.email or path.id.
	Location string `json:"location"`
	Message  string `json:"message"`
}

// Me is the model "Me".
type Me struct {
	User    Account     `json:"user"`
	Session SessionInfo `json:"session"`
}

// Profile is the model "Profile".
type Profile struct {
	ID   string `json:"id"`
	Name string `json:"name"`
}

// SessionInfo is the model "SessionInfo".
type SessionInfo struct {
	Created time.Time `json:"created"`
	Expires time.Time `json:"expires"`
}

// Version is the model "Version".
type Version struct {
	Name    string `json:"name"`
	Version string `json:"version"`
}
