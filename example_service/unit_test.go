package main

import (
	"context"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/labstack/echo/v4"

	"github.com/klue-go/klue-client-server/example_service/userapi"
	"github.com/klue-go/klue-client-server/klue"
	"github.com/klue-go/klue-client-server/klue/callctx"
	"github.com/klue-go/klue-client-server/klue/kluetest"
	"github.com/klue-go/klue-client-server/klue/server"
)

func TestPasswords(t *testing.T) {
	t.Parallel()
	hash, err := hashPassword("correct horse")
	if err != nil {
		t.Fatal(err)
	}
	if !strings.HasPrefix(hash, "pbkdf2-sha256$600000$") || strings.Contains(hash, "correct horse") {
		t.Errorf("hash %q", hash)
	}
	other, _ := hashPassword("correct horse")
	if other == hash {
		t.Error("two hashes of one password are equal: no salt")
	}
	for _, tc := range []struct {
		stored, password string
		ok, fails        bool
	}{
		{hash, "correct horse", true, false},
		{hash, "correct horsE", false, false},
		{hash, "", false, false},
		{"md5$1$c2FsdA$a2V5", "correct horse", false, true},
		{"pbkdf2-sha256$x$c2FsdA$a2V5", "correct horse", false, true},
		{"pbkdf2-sha256$0$c2FsdA$a2V5", "correct horse", false, true},
		{"pbkdf2-sha256$1$!!$a2V5", "correct horse", false, true},
		{"pbkdf2-sha256$1$c2FsdA$", "correct horse", false, true},
		{"pbkdf2-sha256$1$c2FsdA", "correct horse", false, true},
	} {
		ok, err := checkPassword(tc.stored, tc.password)
		if ok != tc.ok || (err != nil) != tc.fails {
			t.Errorf("checkPassword(%q, %q) = %v, %v; want %v, error %v", tc.stored, tc.password, ok, err, tc.ok, tc.fails)
		}
	}
}

func TestBearerToken(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		header, token string
		ok            bool
	}{
		{"Bearer abc", "abc", true},
		{"bearer  abc ", "abc", true},
		{"Bearer ", "", false},
		{"Bearer", "", false},
		{"Basic YWxhZGRpbjpvcGVuc2VzYW1l", "", false},
		{"abc", "", false},
		{"", "", false},
	} {
		token, ok := bearerToken(tc.header)
		if ok != tc.ok || ok && token != tc.token {
			t.Errorf("bearerToken(%q) = %q, %v; want %q, %v", tc.header, token, ok, tc.token, tc.ok)
		}
	}
}

func TestTokens(t *testing.T) {
	t.Parallel()
	a, err1 := newToken()
	b, err2 := newToken()
	if err1 != nil || err2 != nil || len(a) != 64 || a == b {
		t.Fatalf("tokens %q, %q (%v, %v)", a, b, err1, err2)
	}
	if id := tokenID(a); len(id) != 64 || id == a || id != tokenID(a) || id == tokenID(b) {
		t.Errorf("tokenID(%q) = %q", a, id)
	}
}

func TestFlags(t *testing.T) {
	t.Parallel()
	cfg, err := parseFlags(nil, io.Discard)
	if err != nil || cfg.publicPort != 8080 || cfg.loginPort != 8081 || cfg.userPort != 8082 || cfg.host != "127.0.0.1" || cfg.dataDir != "klue-data" || cfg.db != "" {
		t.Errorf("defaults: %+v, %v", cfg, err)
	}
	cfg, err = parseFlags([]string{"-public-port", "0", "-db", "postgres://h/db", "-grace", "2s"}, io.Discard)
	if err != nil || cfg.publicPort != 0 || cfg.db != "postgres://h/db" || cfg.grace.Seconds() != 2 {
		t.Errorf("flags: %+v, %v", cfg, err)
	}
	for _, args := range [][]string{{"-port", "1"}, {"extra"}, {"-grace", "soon"}} {
		if _, err := parseFlags(args, io.Discard); err == nil {
			t.Errorf("parseFlags(%q): no error", args)
		}
	}
}

// TestPasswordHashNeverSent checks what the README says of password_hash,
// marked writeOnly in user.yaml: a handler that forgot to remove it gets a
// 500, and the hash is not sent.
func TestPasswordHashNeverSent(t *testing.T) {
	t.Parallel()
	pool := klue.NewPool()
	kluetest.Add(t, pool, "user", spec("user"), klue.WithErrorFormatter(formatError), klue.WithoutPersistence())
	server.Bind(pool, userapi.CreateUser, func(_ context.Context, nu *userapi.NewUser) (*userapi.User, error) {
		id, hash, created := "0b7f9a3e-5c1d-4c4e-9f0a-2f1e8d6c4b3a", "pbkdf2-sha256$1$c2FsdA$a2V5", time.Now()
		return &userapi.User{ID: &id, Email: nu.Email, Name: nu.Name, PasswordHash: &hash, Created: &created}, nil
	})
	e := echo.New()
	err := server.Spawn(e, pool, "user", server.WithUnboundNotImplemented(), server.WithLogger(slog.New(slog.DiscardHandler)),
		server.WithNamedDecorator("no-store", noStore), server.WithVerifier("bearer", func(context.Context, server.Credentials) (any, error) { return nil, nil }))
	if err != nil {
		t.Fatal(err)
	}
	req := httptest.NewRequest("POST", "/v1/users", strings.NewReader(`{"email":"ada@example.com","name":"Ada","password":"correct horse"}`))
	req.Header.Set("Content-Type", "application/json")
	rec := httptest.NewRecorder()
	e.ServeHTTP(rec, req)
	if rec.Code != http.StatusInternalServerError || strings.Contains(rec.Body.String(), "pbkdf2") {
		t.Errorf("a user sent with its password hash: %d %s", rec.Code, rec.Body.String())
	}
}

func TestLogger(t *testing.T) {
	t.Parallel()
	var text, json strings.Builder
	ctx := callctx.NewContext(context.Background(), callctx.Call{ID: "5b0cf34c-54a4-4b39-9ef0-79b1f1e6b2a4", Path: "public.user"})
	newLogger(&text, false).InfoContext(ctx, "request")
	newLogger(&json, true).InfoContext(ctx, "request")
	if !strings.Contains(text.String(), "msg=request call_id=5b0cf34c-54a4-4b39-9ef0-79b1f1e6b2a4 call_path=public.user") {
		t.Errorf("text log: %s", text.String())
	}
	if !strings.Contains(json.String(), `"msg":"request","call_id":"5b0cf34c-54a4-4b39-9ef0-79b1f1e6b2a4","call_path":"public.user"}`) {
		t.Errorf("JSON log: %s", json.String())
	}
}
