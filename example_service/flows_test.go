package main_test

import (
	"bufio"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net"
	"net/http"
	"os/exec"
	"slices"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/klue-go/klue-client-server/internal/pgtest"
)

// user is a user signed up and logged in.
type user struct {
	id, token string
}

// signUp creates a user on in and logs them in.
func signUp(t *testing.T, in *instance, email, password string) user {
	t.Helper()
	a := send(t, "POST", in.base["user"]+"/users", "", fmt.Sprintf(`{"email":%q,"name":"Test","password":%q}`, email, password))
	if a.status != http.StatusCreated {
		t.Fatalf("sign up %s: %d %s", email, a.status, a.body)
	}
	return logIn(t, in, email, password)
}

// logIn logs a user in on in.
func logIn(t *testing.T, in *instance, email, password string) user {
	t.Helper()
	a := send(t, "POST", in.base["login"]+"/login", "", fmt.Sprintf(`{"email":%q,"password":%q}`, email, password))
	if a.status != http.StatusOK {
		t.Fatalf("log in %s: %d %s", email, a.status, a.body)
	}
	var w struct {
		Token  string `json:"token"`
		UserID string `json:"user_id"`
	}
	if err := json.Unmarshal([]byte(a.body), &w); err != nil || w.Token == "" || w.UserID == "" {
		t.Fatalf("log in %s: %s", email, a.body)
	}
	return user{id: w.UserID, token: w.Token}
}

// errorModel decodes an answer in the APIs' Error model, and checks its
// status and media type.
func errorModel(t *testing.T, what string, a answer, status int) (description string, locations []string) {
	t.Helper()
	if a.status != status {
		t.Fatalf("%s: %d %s, want %d", what, a.status, a.body, status)
	}
	var e struct {
		Status      int    `json:"status"`
		Error       string `json:"error"`
		Description string `json:"error_description"`
		Errors      []struct {
			Location string `json:"location"`
		} `json:"errors"`
	}
	if err := json.Unmarshal([]byte(a.body), &e); err != nil || e.Status != status || e.Error == "" {
		t.Fatalf("%s: %s is not the Error model of status %d", what, a.body, status)
	}
	if ct := a.header.Get("Content-Type"); ct != "application/json" {
		t.Errorf("%s: Content-Type %q", what, ct)
	}
	for _, d := range e.Errors {
		locations = append(locations, d.Location)
	}
	return e.Description, locations
}

// TestFlows runs what the quick start does not: the other operations, the
// refusals, and the headers.
func TestFlows(t *testing.T) {
	t.Parallel()
	in := startExample(t)
	ada := signUp(t, in, "Ada@Example.com", "correct horse")
	bob := signUp(t, in, "bob@example.com", "battery staple")

	t.Run("emails are unique, whatever their case", func(t *testing.T) {
		a := send(t, "POST", in.base["user"]+"/users", "", `{"email":"ADA@example.com","name":"Other Ada","password":"another one"}`)
		errorModel(t, "second sign-up", a, http.StatusConflict)
	})
	t.Run("a user may change only themself", func(t *testing.T) {
		a := send(t, "PATCH", in.base["user"]+"/users/"+bob.id, ada.token, `{"name":"Mallory"}`)
		errorModel(t, "PATCH another user", a, http.StatusForbidden)
		a = send(t, "GET", in.base["user"]+"/users/"+bob.id, ada.token, "")
		if a.status != http.StatusOK || !strings.Contains(a.body, `"name":"Test"`) {
			t.Errorf("bob after ada's attempt: %d %s", a.status, a.body)
		}
	})
	t.Run("an update names what it changes, and nothing else", func(t *testing.T) {
		a := send(t, "PATCH", in.base["user"]+"/users/"+ada.id, ada.token, `{"email":"eve@example.com"}`)
		if _, locs := errorModel(t, "PATCH email", a, http.StatusBadRequest); len(locs) == 0 {
			t.Errorf("PATCH email: no details: %s", a.body)
		}
		a = send(t, "PATCH", in.base["user"]+"/users/"+ada.id, ada.token, `{}`)
		errorModel(t, "PATCH nothing", a, http.StatusBadRequest)
	})
	t.Run("path parameters are checked", func(t *testing.T) {
		a := send(t, "GET", in.base["user"]+"/users/not-a-uuid", ada.token, "")
		if _, locs := errorModel(t, "GET /users/not-a-uuid", a, http.StatusBadRequest); len(locs) != 1 || locs[0] != "path.id" {
			t.Errorf("details at %v, want [path.id]", locs)
		}
		a = send(t, "GET", in.base["user"]+"/users/00000000-0000-4000-8000-000000000000", ada.token, "")
		errorModel(t, "GET an unknown user", a, http.StatusNotFound)
	})
	t.Run("a password change", func(t *testing.T) {
		dan := signUp(t, in, "dan@example.com", "first password")
		a := send(t, "PATCH", in.base["user"]+"/users/"+dan.id, dan.token, `{"password":"second password"}`)
		if a.status != http.StatusOK || strings.Contains(a.body, "password") {
			t.Fatalf("PATCH password: %d %s", a.status, a.body)
		}
		a = send(t, "POST", in.base["login"]+"/login", "", `{"email":"dan@example.com","password":"first password"}`)
		errorModel(t, "log in with the old password", a, http.StatusUnauthorized)
		logIn(t, in, "dan@example.com", "second password")
	})
	t.Run("unknown emails are refused like wrong passwords", func(t *testing.T) {
		a := send(t, "POST", in.base["login"]+"/login", "", `{"email":"nobody@example.com","password":"correct horse"}`)
		unknown, _ := errorModel(t, "unknown email", a, http.StatusUnauthorized)
		a = send(t, "POST", in.base["login"]+"/login", "", `{"email":"ada@example.com","password":"wrong horse"}`)
		wrong, _ := errorModel(t, "wrong password", a, http.StatusUnauthorized)
		if unknown != wrong {
			t.Errorf("an unknown email says %q, a wrong password %q", unknown, wrong)
		}
	})
	t.Run("public profiles", func(t *testing.T) {
		a := send(t, "GET", in.base["public"]+"/users/"+bob.id, ada.token, "")
		if a.status != http.StatusOK || a.body != `{"id":"`+bob.id+`","name":"Test"}` {
			t.Errorf("profile: %d %s", a.status, a.body)
		}
		a = send(t, "GET", in.base["public"]+"/users/"+bob.id, "not-a-token", "")
		errorModel(t, "profile with a bad token", a, http.StatusUnauthorized)
		a = send(t, "GET", in.base["public"]+"/users/"+bob.id, "", "", "Authorization", "Basic Ym9iOnNlY3JldA==")
		errorModel(t, "profile with basic credentials", a, http.StatusUnauthorized)
	})
	t.Run("no cache keeps tokens or personal data", func(t *testing.T) {
		for _, a := range []answer{
			send(t, "POST", in.base["login"]+"/login", "", `{"email":"bob@example.com","password":"battery staple"}`),
			send(t, "GET", in.base["login"]+"/session", bob.token, ""),
			send(t, "GET", in.base["user"]+"/me", bob.token, ""),
			send(t, "GET", in.base["user"]+"/users/"+ada.id, bob.token, ""),
		} {
			if a.status != http.StatusOK || a.header.Get("Cache-Control") != "no-store" {
				t.Errorf("%d, Cache-Control %q, want 200 and no-store", a.status, a.header.Get("Cache-Control"))
			}
		}
	})
	t.Run("the caller's call ID is kept across the services", func(t *testing.T) {
		const id = "5b0cf34c-54a4-4b39-9ef0-79b1f1e6b2a4"
		a := send(t, "GET", in.base["public"]+"/me", ada.token, "", "KlueCallerID", id)
		if a.status != http.StatusOK || a.header.Get("KlueCallerID") != id {
			t.Fatalf("GET /me: %d, KlueCallerID %q", a.status, a.header.Get("KlueCallerID"))
		}
		for _, path := range []string{"public", "public.user", "public.login", "public.user.login"} {
			if len(in.logLines(1, "msg=request", "call_id="+id, "call_path="+path)) != 1 {
				t.Errorf("no request logged with call path %s and call ID %s:\n%s", path, id, in.stderr)
			}
		}
	})
	// Last: it ends ada's session.
	t.Run("log out", func(t *testing.T) {
		a := send(t, "DELETE", in.base["login"]+"/session", ada.token, "")
		if a.status != http.StatusNoContent {
			t.Fatalf("log out: %d %s", a.status, a.body)
		}
		for _, u := range []string{in.base["login"] + "/session", in.base["user"] + "/me", in.base["public"] + "/me"} {
			desc, _ := errorModel(t, "GET "+u+" after logging out", send(t, "GET", u, ada.token, ""), http.StatusUnauthorized)
			if desc != "unknown or expired token" {
				t.Errorf("GET %s after logging out: %q", u, desc)
			}
		}
	})
}

// TestShutdown checks that SIGTERM lets a request in flight finish: the
// request's headers and half its body are sent before the signal, the rest
// after its service has stopped accepting connections.
func TestShutdown(t *testing.T) {
	t.Parallel()
	in := startExample(t)
	conn, err := net.Dial("tcp", in.addr["user"])
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	if err := conn.SetDeadline(time.Now().Add(60 * time.Second)); err != nil {
		t.Fatal(err)
	}
	body := `{"email":"late@example.com","name":"Late","password":"correct horse"}`
	half := len(body) / 2
	fmt.Fprintf(conn, "POST /v1/users HTTP/1.1\r\nHost: %s\r\nContent-Type: application/json\r\nContent-Length: %d\r\n\r\n%s", in.addr["user"], len(body), body[:half])
	time.Sleep(200 * time.Millisecond) // the server reads the headers and waits for the rest

	in.stopped = true
	if err := in.cmd.Process.Signal(syscall.SIGTERM); err != nil {
		t.Fatal(err)
	}
	for deadline := time.Now().Add(10 * time.Second); ; time.Sleep(20 * time.Millisecond) {
		c, err := net.Dial("tcp", in.addr["user"])
		if err != nil {
			break // no longer accepting
		}
		c.Close()
		if time.Now().After(deadline) {
			t.Fatal("the user service still accepts connections 10 s after SIGTERM")
		}
	}
	select {
	case <-in.exited:
		t.Fatalf("the example exited with a request in flight: %v\n%s", in.waitErr, in.stderr)
	default:
	}

	if _, err := conn.Write([]byte(body[half:])); err != nil {
		t.Fatal(err)
	}
	res, err := http.ReadResponse(bufio.NewReader(conn), nil)
	if err != nil {
		t.Fatalf("the request in flight got no answer: %v\n%s", err, in.stderr)
	}
	res.Body.Close()
	if res.StatusCode != http.StatusCreated {
		t.Errorf("the request in flight was answered %d, want 201", res.StatusCode)
	}
	select {
	case <-in.exited:
	case <-time.After(15 * time.Second):
		t.Fatal("the example did not exit once the request in flight was answered")
	}
	if in.waitErr != nil {
		t.Errorf("the example exited with %v\n%s", in.waitErr, in.stderr)
	}
	if !strings.Contains(in.stderr.String(), "msg=stopped") {
		t.Errorf("the log does not say the example stopped:\n%s", in.stderr)
	}
}

// TestPostgres runs the quick start on PostgreSQL, then checks that two
// instances sharing the database behave as one service: a user signed up
// on one logs in on the other, and the token works on both.
func TestPostgres(t *testing.T) {
	t.Parallel()
	db := pgtest.Start(t).NewDatabase(t)
	a := startExample(t, "-db", db)
	b := startExample(t, "-db", db)
	if !strings.Contains(a.stdout.String(), "data in postgres://") {
		t.Errorf("the example does not say it keeps its data in PostgreSQL:\n%s", a.stdout)
	}
	runQuickStart(t, a)

	ada := logIn(t, b, "ada@example.com", "correct horse")
	for _, in := range []*instance{a, b} {
		got := send(t, "GET", in.base["user"]+"/users/"+ada.id, ada.token, "")
		if got.status != http.StatusOK || !strings.Contains(got.body, `"name":"Ada King"`) {
			t.Errorf("GET the user with a token from the other instance: %d %s", got.status, got.body)
		}
		if got := send(t, "GET", in.base["public"]+"/me", ada.token, ""); got.status != http.StatusOK {
			t.Errorf("GET /me: %d %s", got.status, got.body)
		}
	}
	dup := send(t, "POST", b.base["user"]+"/users", "", `{"email":"ada@example.com","name":"Ada","password":"correct horse"}`)
	errorModel(t, "sign up on the other instance with a taken email", dup, http.StatusConflict)

	// Sign-ups with one email on both instances at once: the database's
	// unique index lets exactly one through. (A sign-up answered 503, when
	// the instance's password hashing is busy, is sent again, as its
	// Retry-After asks.)
	statuses := make([]int, 6)
	var wg sync.WaitGroup
	for i := range statuses {
		in := []*instance{a, b}[i%2]
		wg.Go(func() {
			for range 100 {
				resp, err := http.Post(in.base["user"]+"/users", "application/json", strings.NewReader(`{"email":"grace@example.com","name":"Grace","password":"correct horse"}`))
				if err != nil {
					t.Errorf("sign-up %d: %v", i, err)
					return
				}
				resp.Body.Close()
				statuses[i] = resp.StatusCode
				if resp.StatusCode != http.StatusServiceUnavailable {
					return
				}
				time.Sleep(50 * time.Millisecond)
			}
		})
	}
	wg.Wait()
	slices.Sort(statuses)
	if want := []int{201, 409, 409, 409, 409, 409}; !slices.Equal(statuses, want) {
		t.Errorf("concurrent sign-ups with one email answered %v, want %v", statuses, want)
	}
}

// TestStartFailures checks that the example refuses to start, saying why,
// when it cannot serve.
func TestStartFailures(t *testing.T) {
	t.Parallel()
	taken, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { taken.Close() }) // after the parallel subtests
	port := fmt.Sprint(taken.Addr().(*net.TCPAddr).Port)
	for _, tc := range []struct {
		name string
		args []string
		says string
		code int
	}{
		{"port taken", []string{"-login-port", port}, "address already in use", 1},
		{"not PostgreSQL", []string{"-db", "mysql://db/klue"}, "want a postgres:// URL", 1},
		{"no PostgreSQL there", []string{"-db", "postgres://klue@127.0.0.1:" + port + "/klue?connect_timeout=5"}, "-db:", 1},
		{"unknown flag", []string{"-colour"}, "flag provided but not defined: -colour", 2},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			args := append([]string{"-public-port", "0", "-user-port", "0", "-data", t.TempDir()}, tc.args...)
			if !slices.Contains(tc.args, "-login-port") {
				args = append(args, "-login-port", "0")
			}
			ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
			defer cancel()
			cmd := exec.CommandContext(ctx, binary, args...)
			var stderr syncBuffer
			cmd.Stderr = &stderr
			err := cmd.Run()
			var exit *exec.ExitError
			if !errors.As(err, &exit) || exit.ExitCode() != tc.code {
				t.Fatalf("exit: %v, want status %d\n%s", err, tc.code, stderr.String())
			}
			if !strings.Contains(stderr.String(), tc.says) {
				t.Errorf("stderr does not say %q:\n%s", tc.says, stderr.String())
			}
		})
	}
}
