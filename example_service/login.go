package main

import (
	"context"
	"errors"
	"log/slog"
	"net/http"
	"time"

	"github.com/klue-go/klue-client-server/example_service/loginapi"
	"github.com/klue-go/klue-client-server/example_service/userapi"
	"github.com/klue-go/klue-client-server/klue"
	"github.com/klue-go/klue-client-server/klue/client"
	"github.com/klue-go/klue-client-server/klue/persist"
	"github.com/klue-go/klue-client-server/klue/server"
)

// sessionLifetime is how long a token works.
const sessionLifetime = 12 * time.Hour

// login opens sessions for the users whose password the user service
// accepts, and tells the other services whose token they were given.
type login struct {
	sessions *persist.Store[loginapi.Session, string]
	users    *klue.Client
	logger   *slog.Logger
}

// newLogin builds the login service, and creates its table if needed.
func newLogin(ctx context.Context, d *deps) (*service, error) {
	pool, err := d.newPool("login", "user")
	if err != nil {
		return nil, err
	}
	if err := persist.Use(pool, d.backend); err != nil {
		return nil, err
	}
	sessions, err := persist.For[loginapi.Session](pool)
	if err != nil {
		return nil, err
	}
	if err := sessions.Define(ctx); err != nil {
		return nil, err
	}
	s := &login{sessions: sessions, users: pool.Client("user"), logger: d.logger.With(slog.String("service", "login"))}
	server.Bind(pool, loginapi.Login, s.login)
	server.Bind(pool, loginapi.GetSession, s.session)
	server.Bind(pool, loginapi.Logout, s.logout)
	return d.spawn(pool, "login", d.ready, server.WithVerifier("bearer", s.verify))
}

// login asks the user service whether the credentials are right, and opens
// a session if they are.
func (s *login) login(ctx context.Context, c *loginapi.Credentials) (*loginapi.Welcome, error) {
	u, err := client.CallWith(s.users, userapi.Authenticate, &userapi.Credentials{Email: c.Email, Password: c.Password}).Do(ctx)
	if klue.StatusOf(err) == http.StatusUnauthorized {
		return nil, klue.Errorf(http.StatusUnauthorized, "wrong email or password")
	}
	if klue.StatusOf(err) == http.StatusServiceUnavailable {
		return nil, retryLater(ctx, klue.Errorf(http.StatusServiceUnavailable, "too many logins at once: try again shortly"))
	}
	if err != nil {
		return nil, err
	}
	token, err := newToken()
	if err != nil {
		return nil, err
	}
	now := time.Now().UTC().Truncate(time.Second)
	session := loginapi.Session{ID: tokenID(token), UserID: *u.ID, Email: u.Email, Created: now, Expires: now.Add(sessionLifetime)}
	if _, err := s.sessions.Create(ctx, session); err != nil {
		return nil, err
	}
	s.logger.InfoContext(ctx, "session opened", slog.String("user_id", session.UserID))
	return &loginapi.Welcome{Token: token, UserID: session.UserID}, nil
}

// verify checks a bearer token: it must be the token of a session that has
// not expired. The session is the principal.
func (s *login) verify(ctx context.Context, cred server.Credentials) (any, error) {
	token, ok := bearerToken(cred.Value)
	if !ok {
		return nil, klue.Errorf(http.StatusUnauthorized, `expected "Authorization: Bearer <token>"`)
	}
	r, err := s.sessions.Load(ctx, tokenID(token))
	if errors.Is(err, persist.ErrNotFound) || err == nil && time.Now().After(r.Value.Expires) {
		return nil, klue.Errorf(http.StatusUnauthorized, "unknown or expired token")
	}
	if err != nil {
		return nil, klue.NewError(http.StatusInternalServerError, err)
	}
	return &r.Value, nil
}

// session returns the session of the request's token.
func (s *login) session(ctx context.Context, _ *struct{}) (*loginapi.Session, error) {
	session, _ := server.Principal[*loginapi.Session](ctx)
	return session, nil
}

// logout ends the session of the request's token.
func (s *login) logout(ctx context.Context, _ *struct{}) (*struct{}, error) {
	session, _ := server.Principal[*loginapi.Session](ctx)
	if err := s.sessions.Delete(ctx, session.ID, 0); err != nil && !errors.Is(err, persist.ErrNotFound) {
		return nil, err
	}
	s.logger.InfoContext(ctx, "session closed", slog.String("user_id", session.UserID))
	return &struct{}{}, nil
}
