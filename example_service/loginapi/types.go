// Package loginapi holds the Go types of the API "Login", written the way klue gen writes them: a type per model
// (types.go), and per operation a typed key, klue.Key[Req, Res], with its input and result types
// (operations.go), for server.Bind and the client's calls.
package loginapi

import (
	"time"
)

// Credentials is the model "Credentials".
type Credentials struct {
	Email    string `json:"email"`
	Password string `json:"password"`
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

// Session is the model "Session".
//
// A session, stored under the SHA-256 of its token (the token itself is never stored).
type Session struct {
	// The SHA-256 of the token, in hex.
	ID      string    `json:"id"`
	UserID  string    `json:"user_id"`
	Email   string    `json:"email"`
	Created time.Time `json:"created"`
	Expires time.Time `json:"expires"`
}

// Welcome is the model "Welcome".
type Welcome struct {
	// The session token, for "Authorization: Bearer <token>".
	Token  string `json:"token"`
	UserID string `json:"user_id"`
}
