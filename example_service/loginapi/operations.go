package loginapi

import (
	"github.com/klue-go/klue-client-server/klue"
)

// Log in with an email and a password
//
// POST /login
const Login klue.Key[Credentials, Welcome] = "login"

// The session a token stands for
//
// GET /session
const GetSession klue.Key[struct{}, Session] = "getSession"

// Log out, ending the session of the token
//
// DELETE /session
const Logout klue.Key[struct{}, struct{}] = "logout"
