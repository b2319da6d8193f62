package main

import (
	"context"
	"crypto/rand"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"strings"
)

// tokenKey keys the token a service passes on, in a call's context.
type tokenKey struct{}

// withToken returns a context whose calls, to the operations whose spec
// requires the bearer security scheme, carry token.
func withToken(ctx context.Context, token string) context.Context {
	return context.WithValue(ctx, tokenKey{}, token)
}

// callToken is the source of the bearer scheme's credentials: the token of
// the call's context.
func callToken(ctx context.Context) (string, error) {
	token, _ := ctx.Value(tokenKey{}).(string)
	if token == "" {
		return "", errors.New("the call's context carries no token (see withToken)")
	}
	return token, nil
}

// bearerToken reads the token of an Authorization header value,
// "Bearer <token>".
func bearerToken(header string) (string, bool) {
	scheme, token, ok := strings.Cut(header, " ")
	token = strings.TrimSpace(token)
	return token, ok && strings.EqualFold(scheme, "bearer") && token != ""
}

// newToken returns a new session token: 32 random bytes, in hex.
func newToken() (string, error) {
	b := make([]byte, 32)
	if _, err := rand.Read(b); err != nil {
		return "", err
	}
	return hex.EncodeToString(b), nil
}

// tokenID is what a session is stored under: the SHA-256 of its token, so
// that the database holds no token that works.
func tokenID(token string) string {
	sum := sha256.Sum256([]byte(token))
	return hex.EncodeToString(sum[:])
}
