package main

import (
	"context"
	"errors"
	"log/slog"
	"net/http"
	"runtime"
	"strings"
	"time"

	"github.com/klue-go/klue-client-server/example_service/loginapi"
	"github.com/klue-go/klue-client-server/example_service/userapi"
	"github.com/klue-go/klue-client-server/klue"
	"github.com/klue-go/klue-client-server/klue/client"
	"github.com/klue-go/klue-client-server/klue/persist"
	"github.com/klue-go/klue-client-server/klue/server"
)

// user keeps the users, and checks their passwords for the login service.
// It asks the login service about every token it is given.
type user struct {
	users  *persist.Store[userapi.User, string]
	login  *klue.Client
	logger *slog.Logger
	// decoy is a password hash to check unknown emails against, so that
	// they take as long to refuse as wrong passwords.
	decoy string
	// hashing bounds the password hashes computed at once.
	hashing *hashing
}

// hashWait is how long a password hash waits for a free slot before the
// request is answered 503.
const hashWait = 500 * time.Millisecond

// newUser builds the user service, and creates its table and the unique
// index on emails if needed.
func newUser(ctx context.Context, d *deps) (*service, error) {
	pool, err := d.newPool("user", "login")
	if err != nil {
		return nil, err
	}
	if err := persist.Use(pool, d.backend); err != nil {
		return nil, err
	}
	users, err := persist.For[userapi.User](pool)
	if err != nil {
		return nil, err
	}
	decoy, err := hashPassword("not the password of anyone")
	if err := errors.Join(err, users.Define(ctx)); err != nil {
		return nil, err
	}
	s := &user{users: users, login: pool.Client("login"), logger: d.logger.With(slog.String("service", "user")), decoy: decoy,
		hashing: newHashing(runtime.GOMAXPROCS(0), hashWait)}
	server.Bind(pool, userapi.CreateUser, s.create)
	server.Bind(pool, userapi.GetUser, s.get)
	server.Bind(pool, userapi.UpdateUser, s.update)
	server.Bind(pool, userapi.GetMe, s.me)
	server.Bind(pool, userapi.Authenticate, s.authenticate)
	return d.spawn(pool, "user", d.ready, server.WithVerifier("bearer", s.verify))
}

// verify asks the login service whose token it was given. The session is
// the principal.
func (s *user) verify(ctx context.Context, cred server.Credentials) (any, error) {
	session, err := client.Call(s.login, loginapi.GetSession).Do(withToken(ctx, cred.Value))
	if err != nil {
		return nil, err // the login service's answer: 401 for a bad token, 5xx when it fails
	}
	return session, nil
}

// create signs a user up. Emails are unique: the store refuses a second
// user with the same email, atomically, whatever the number of instances.
func (s *user) create(ctx context.Context, nu *userapi.NewUser) (*userapi.User, error) {
	hash, err := s.hashing.hash(ctx, nu.Password)
	if err != nil {
		return nil, retryLater(ctx, err)
	}
	created := time.Now().UTC().Truncate(time.Second)
	// No ID: the store gives the user a UUID (version 7).
	r, err := s.users.Create(ctx, userapi.User{Email: normalEmail(nu.Email), Name: nu.Name, PasswordHash: &hash, Created: &created})
	if errors.Is(err, persist.ErrDuplicate) {
		return nil, klue.Errorf(http.StatusConflict, "a user with this email exists")
	}
	if err != nil {
		return nil, err
	}
	s.logger.InfoContext(ctx, "user created", slog.String("user_id", *r.Value.ID))
	return sendable(r.Value), nil
}

// get reads a user; any user logged in may.
func (s *user) get(ctx context.Context, in *userapi.GetUserRequest) (*userapi.User, error) {
	r, err := s.users.Load(ctx, in.ID)
	if errors.Is(err, persist.ErrNotFound) {
		return nil, klue.Errorf(http.StatusNotFound, "no such user")
	}
	if err != nil {
		return nil, err
	}
	return sendable(r.Value), nil
}

// update changes the name or the password of the user the token belongs
// to. Store.Update starts again if someone else saved the user meanwhile.
func (s *user) update(ctx context.Context, in *userapi.UpdateUserRequest) (*userapi.User, error) {
	session, _ := server.Principal[*loginapi.Session](ctx)
	if session.UserID != in.ID {
		return nil, klue.Errorf(http.StatusForbidden, "a user may change only themself")
	}
	var hash string
	if in.Body.Password != nil {
		h, err := s.hashing.hash(ctx, *in.Body.Password)
		if err != nil {
			return nil, retryLater(ctx, err)
		}
		hash = h
	}
	r, err := s.users.Update(ctx, in.ID, func(u *userapi.User) error {
		if in.Body.Name != nil {
			u.Name = *in.Body.Name
		}
		if hash != "" {
			u.PasswordHash = &hash
		}
		return nil
	})
	if errors.Is(err, persist.ErrNotFound) {
		return nil, klue.Errorf(http.StatusNotFound, "no such user")
	}
	if err != nil {
		return nil, err
	}
	s.logger.InfoContext(ctx, "user updated", slog.String("user_id", in.ID))
	return sendable(r.Value), nil
}

// me reads the user the token belongs to.
func (s *user) me(ctx context.Context, _ *struct{}) (*userapi.User, error) {
	session, _ := server.Principal[*loginapi.Session](ctx)
	return s.get(ctx, &userapi.GetUserRequest{ID: session.UserID})
}

// authenticate checks an email and a password, for the login service.
func (s *user) authenticate(ctx context.Context, c *userapi.Credentials) (*userapi.User, error) {
	wrong := klue.Errorf(http.StatusUnauthorized, "wrong email or password")
	var u *userapi.User
	hash := s.decoy
	r, err := s.users.FindOne(ctx, "email", normalEmail(c.Email))
	if err == nil {
		u, hash = &r.Value, *r.Value.PasswordHash
	} else if !errors.Is(err, persist.ErrNotFound) {
		return nil, err
	}
	ok, err := s.hashing.check(ctx, hash, c.Password)
	if err != nil {
		return nil, retryLater(ctx, err)
	}
	if !ok || u == nil {
		return nil, wrong
	}
	return sendable(*u), nil
}

// retryLater returns err, telling the caller when to try again if it is
// a 503.
func retryLater(ctx context.Context, err error) error {
	if klue.StatusOf(err) == http.StatusServiceUnavailable {
		if w := server.ResponseWriter(ctx); w != nil {
			w.Header().Set("Retry-After", "1")
		}
	}
	return err
}

// sendable returns u as it may be sent: without its password hash, which
// the spec marks writeOnly. (If a handler forgot, klue would refuse to send
// the response rather than leak it.)
func sendable(u userapi.User) *userapi.User {
	u.PasswordHash = nil
	return &u
}

// normalEmail is the form emails are kept in: lower case, without spaces
// around.
func normalEmail(email string) string {
	return strings.ToLower(strings.TrimSpace(email))
}
