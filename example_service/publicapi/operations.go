package publicapi

import (
	"github.com/klue-go/klue-client-server/klue"
)

// The service's version
//
// GET /version
const GetVersion klue.Key[struct{}, Version] = "getVersion"

// Who the token's user is, and until when the token works
//
// GET /me
const WhoAmI klue.Key[struct{}, Me] = "whoAmI"

// A user's public profile
//
// GET /users/{id}
const GetProfile klue.Key[GetProfileRequest, Profile] = "getProfile"

// GetProfileRequest is the input of GetProfile (GET /users/{id}).
type GetProfileRequest struct {
	ID string `path:"id"`
}
