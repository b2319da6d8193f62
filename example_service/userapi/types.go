// Package userapi holds the Go types of the API "User", written the way klue gen writes them: a type per model
// (types.go), and per operation a typed key, klue.Key[Req, Res], with its input and result types
// (operations.go), for server.Bind and the client's calls.
package userapi

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

// NewUser is the model "NewUser".
type NewUser struct {
	Email    string `json:"email"`
	Name     string `json:"name"`
	Password string `json:"password"`
}

// User is the model "User".
type User struct {
	// Required in responses; the server sets it (readOnly).
	ID    *string `json:"id,omitempty"`
	Email string  `json:"email"`
	Name  string  `json:"name"`
	// Stored, never sent.
	//
	// Required in requests; never sent back (writeOnly).
	PasswordHash *string `json:"password_hash,omitempty"`
	// Required in responses; the server sets it (readOnly).
	Created *time.Time `json:"created,omitempty"`
}

// UserEmail is the model "UserEmail".
//
// Which user an email belongs to, so that emails stay unique and logins find their user.
type UserEmail struct {
	Email  string `json:"email"`
	UserID string `json:"user_id"`
}

// UserUpdate is the model "UserUpdate".
type UserUpdate struct {
	Name     *string `json:"name,omitempty"`
	Password *string `json:"password,omitempty"`
}
