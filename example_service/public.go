package main

import (
	"context"
	"net/http"

	"github.com/klue-go/klue-client-server/example_service/loginapi"
	"github.com/klue-go/klue-client-server/example_service/publicapi"
	"github.com/klue-go/klue-client-server/example_service/userapi"
	"github.com/klue-go/klue-client-server/klue"
	"github.com/klue-go/klue-client-server/klue/client"
	"github.com/klue-go/klue-client-server/klue/server"
)

// public answers with what the login and user services know, passing the
// caller's token on to them: it checks only that there is one, and leaves
// deciding whose it is to them.
type public struct {
	login, users *klue.Client
	version      string
}

// bearer is a token that public passes on.
type bearer string

// newPublic builds the public service.
func newPublic(_ context.Context, d *deps) (*service, error) {
	pool, err := d.newPool("public", "login", "user")
	if err != nil {
		return nil, err
	}
	api, err := pool.API("public")
	if err != nil {
		return nil, err
	}
	s := &public{login: pool.Client("login"), users: pool.Client("user"), version: api.Version()}
	server.Bind(pool, publicapi.GetVersion, s.getVersion)
	server.Bind(pool, publicapi.WhoAmI, s.whoAmI)
	server.Bind(pool, publicapi.GetProfile, s.profile)
	return d.spawn(pool, "public", nil, server.WithVerifier("bearer", verifyPresent))
}

// verifyPresent accepts any bearer token, for the services it is passed on
// to to check.
func verifyPresent(_ context.Context, cred server.Credentials) (any, error) {
	token, ok := bearerToken(cred.Value)
	if !ok {
		return nil, klue.Errorf(http.StatusUnauthorized, `expected "Authorization: Bearer <token>"`)
	}
	return bearer(token), nil
}

// passToken returns a context whose calls carry the request's token.
func passToken(ctx context.Context) context.Context {
	token, _ := server.Principal[bearer](ctx)
	return withToken(ctx, string(token))
}

func (s *public) getVersion(context.Context, *struct{}) (*publicapi.Version, error) {
	return &publicapi.Version{Name: "public", Version: s.version}, nil
}

// whoAmI asks the user service who the token's user is, and the login service
// until when the token works, at once. The user service asks the login
// service about the token in turn: the login service sees that call with
// the call path public.user.login.
func (s *public) whoAmI(ctx context.Context, _ *struct{}) (*publicapi.Me, error) {
	ctx = passToken(ctx)
	user := client.Call(s.users, userapi.GetMe)
	session := client.Call(s.login, loginapi.GetSession)
	if err := client.Parallel(ctx, []client.Runner{user, session}, client.WithFailFast()); err != nil {
		return nil, err // a 401 from either, as they answered it
	}
	u, _ := user.Result()
	ss, _ := session.Result()
	return &publicapi.Me{
		User:    publicapi.Account{ID: *u.ID, Email: u.Email, Name: u.Name, Created: *u.Created},
		Session: publicapi.SessionInfo{Created: ss.Created, Expires: ss.Expires},
	}, nil
}

// profile returns what anyone logged in may know of a user.
func (s *public) profile(ctx context.Context, in *publicapi.GetProfileRequest) (*publicapi.Profile, error) {
	u, err := client.CallWith(s.users, userapi.GetUser, &userapi.GetUserRequest{ID: in.ID}).Do(passToken(ctx))
	if err != nil {
		return nil, err
	}
	return &publicapi.Profile{ID: *u.ID, Name: u.Name}, nil
}
