package main

import (
	"io"
	"strings"
	"testing"
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
