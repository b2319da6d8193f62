package main_test

import (
	"net/http"
	"strings"
	"testing"
)

// TestSignUpMemberNames sends sign-ups whose extra members encoding/json
// would have matched to a field ignoring case or folding Unicode: the
// schema judged them as other members, and the service never sees them.
func TestSignUpMemberNames(t *testing.T) {
	t.Parallel()
	in := startExample(t)
	base := in.base["user"] + "/users"

	a := send(t, "POST", base, "", `{"email":"ada@example.com","name":"Ada","password":"correct horse","pa\u017f\u017fword":"zz"}`)
	if a.status != http.StatusCreated {
		t.Fatalf("sign up: %d %s", a.status, a.body)
	}
	ada := logIn(t, in, "ada@example.com", "correct horse") // the password sent as "password"
	if a := send(t, "POST", in.base["login"]+"/login", "", `{"email":"ada@example.com","password":"zz"}`); a.status == http.StatusOK {
		t.Errorf("the folded member set the password: %s", a.body)
	}

	a = send(t, "POST", base, "", `{"email":"bob@example.com","name":"Bob","password":"battery staple","NAME":"","Name":"`+strings.Repeat("x", 5000)+`"}`)
	if a.status != http.StatusCreated || !strings.Contains(a.body, `"name":"Bob"`) {
		t.Fatalf("sign up with NAME: %d %.200s", a.status, a.body)
	}

	for _, body := range []string{
		`{"email":"eve@example.com","name":"Eve","password":"correct horse","name":""}`,
		"{\"email\":\"eve@example.com\",\"name\":\"E\xffe\",\"password\":\"correct horse\"}",
		`{"email":"eve@example.com","name":"E\ud800","password":"correct horse"}`,
	} {
		a := send(t, "POST", base, "", body)
		if _, locs := errorModel(t, "sign up "+body, a, http.StatusBadRequest); len(locs) != 1 || !strings.HasPrefix(locs[0], "body") {
			t.Errorf("%q: locations %v", body, locs)
		}
	}
	if a := send(t, "GET", base+"/"+ada.id, ada.token, ""); a.status != http.StatusOK || !strings.Contains(a.body, `"name":"Ada"`) {
		t.Errorf("ada: %d %s", a.status, a.body)
	}
}
