package main

import (
	"context"
	"crypto/pbkdf2"
	"crypto/rand"
	"crypto/sha256"
	"crypto/subtle"
	"encoding/base64"
	"errors"
	"fmt"
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/klue-go/klue-client-server/klue"
)

// Passwords are kept as PBKDF2-HMAC-SHA256 hashes with a random salt, in one
// string that names the method and its cost, so that the cost can be raised
// later without breaking the hashes already stored:
//
//	pbkdf2-sha256$600000$<salt>$<key>
//
// 600,000 iterations is OWASP's advice for this method; a hash takes about
// 0.1 s of one core.
const (
	passwordMethod     = "pbkdf2-sha256"
	passwordIterations = 600_000
	passwordSaltBytes  = 16
	passwordKeyBytes   = 32
)

var b64 = base64.RawStdEncoding

// hashPassword returns the string to store for password.
func hashPassword(password string) (string, error) {
	salt := make([]byte, passwordSaltBytes)
	if _, err := rand.Read(salt); err != nil {
		return "", err
	}
	key, err := pbkdf2.Key(sha256.New, password, salt, passwordIterations, passwordKeyBytes)
	if err != nil {
		return "", err
	}
	return fmt.Sprintf("%s$%d$%s$%s", passwordMethod, passwordIterations, b64.EncodeToString(salt), b64.EncodeToString(key)), nil
}

// checkPassword reports whether password is the one hashed into stored.
// It takes as long for a wrong password as for the right one.
func checkPassword(stored, password string) (bool, error) {
	parts := strings.Split(stored, "$")
	if len(parts) != 4 || parts[0] != passwordMethod {
		return false, errors.New("password hash: unknown format")
	}
	iter, err := strconv.Atoi(parts[1])
	if err != nil || iter < 1 {
		return false, errors.New("password hash: bad iteration count")
	}
	salt, err1 := b64.DecodeString(parts[2])
	want, err2 := b64.DecodeString(parts[3])
	if err1 != nil || err2 != nil || len(want) == 0 {
		return false, errors.New("password hash: bad salt or key")
	}
	got, err := pbkdf2.Key(sha256.New, password, salt, iter, len(want))
	if err != nil {
		return false, err
	}
	return subtle.ConstantTimeCompare(got, want) == 1, nil
}

// errBusy is the answer to a request whose password hash found no free
// slot in time.
var errBusy = klue.Errorf(http.StatusServiceUnavailable, "too many password checks at once: try again shortly")

// hashing bounds the CPU spent hashing passwords, which anyone may ask for
// by signing up or logging in, and which takes a core for a tenth of a
// second or more: at most slots hashes run at once, and new hashes (sign-ups,
// password changes) take at most half of the slots, so that logins keep
// their share under a flood of sign-ups. A hash that finds no free slot
// within wait is not computed: it fails with errBusy. A hashing is safe for
// concurrent use.
type hashing struct {
	all    chan struct{} // one token per hash running
	writes chan struct{} // one token per new hash running
	wait   time.Duration
}

// newHashing bounds the hashes to slots at once (at least 2), each waiting
// at most wait for its slot.
func newHashing(slots int, wait time.Duration) *hashing {
	slots = max(slots, 2)
	return &hashing{all: make(chan struct{}, slots), writes: make(chan struct{}, slots/2), wait: wait}
}

// hash returns the string to store for password, as hashPassword does.
func (h *hashing) hash(ctx context.Context, password string) (string, error) {
	var stored string
	err := h.do(ctx, true, func() (err error) {
		stored, err = hashPassword(password)
		return err
	})
	return stored, err
}

// check reports whether password is the one hashed into stored, as
// checkPassword does.
func (h *hashing) check(ctx context.Context, stored, password string) (bool, error) {
	var ok bool
	err := h.do(ctx, false, func() (err error) {
		ok, err = checkPassword(stored, password)
		return err
	})
	return ok, err
}

// do runs work in a slot, a slot for new hashes too when write is set:
// errBusy when none is free within h.wait, the context's error when it ends
// first.
func (h *hashing) do(ctx context.Context, write bool, work func() error) error {
	timer := time.NewTimer(h.wait)
	defer timer.Stop()
	sems := []chan struct{}{h.all}
	if write {
		sems = []chan struct{}{h.writes, h.all}
	}
	for _, sem := range sems {
		select {
		case sem <- struct{}{}:
			defer func() { <-sem }()
		case <-timer.C:
			return errBusy
		case <-ctx.Done():
			return ctx.Err()
		}
	}
	return work()
}
