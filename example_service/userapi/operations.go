package userapi

import (
	"github.com/klue-go/klue-client-server/klue"
)

// Create a user (sign up)
//
// POST /users
const CreateUser klue.Key[NewUser, User] = "createUser"

// Read a user
//
// GET /users/{id}
const GetUser klue.Key[GetUserRequest, User] = "getUser"

// GetUserRequest is the input of GetUser (GET /users/{id}).
type GetUserRequest struct {
	ID string `path:"id"`
}

// Change a user's name or password (only the user themself may)
//
// PATCH /users/{id}
const UpdateUser klue.Key[UpdateUserRequest, User] = "updateUser"

// UpdateUserRequest is the input of UpdateUser (PATCH /users/{id}).
type UpdateUserRequest struct {
	ID   string `path:"id"`
	Body UserUpdate
}

// The user the token belongs to
//
// GET /me
const GetMe klue.Key[struct{}, User] = "getMe"

// Check an email and a password
//
// POST /authenticate
const Authenticate klue.Key[Credentials, User] = "authenticate"
