package server_test

import (
	"context"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"

	"github.com/labstack/echo/v4"

	"github.com/klue-go/klue-client-server/klue"
	"github.com/klue-go/klue-client-server/klue/kluetest"
	"github.com/klue-go/klue-client-server/klue/server"
)

// DecodeUser is decoded by the fast path.
type DecodeUser struct {
	Email    string `json:"email"`
	Name     string `json:"name"`
	Password string `json:"password"`
}

// decodeBase makes DecodeUserGeneral a struct the fast path leaves to the
// general one: it has an embedded field.
type decodeBase struct {
	Email string `json:"email"`
}

// DecodeUserGeneral is decoded by the general path.
type DecodeUserGeneral struct {
	decodeBase
	Name     string `json:"name"`
	Password string `json:"password"`
}

type decodeMeta struct {
	Kind string `json:"kind"`
}

func decodeServer(t *testing.T) *echo.Echo {
	t.Helper()
	pool := klue.NewPool()
	kluetest.Add(t, pool, "decode", klue.File("testdata/decode.yaml"))
	server.Bind(pool, "createUser", func(ctx context.Context, in *DecodeUser) (*DecodeUser, error) { return in, nil })
	server.Bind(pool, "createUserGeneral", func(ctx context.Context, in *DecodeUserGeneral) (*DecodeUser, error) {
		return &DecodeUser{Email: in.Email, Name: in.Name, Password: in.Password}, nil
	})
	server.Bind(pool, "limited", func(ctx context.Context, in *struct {
		I int `json:"i"`
	}) (*map[string]any, error) {
		return &map[string]any{"i": in.I}, nil
	})
	server.Bind(pool, "form", func(ctx context.Context, in *struct {
		Meta decodeMeta `form:"meta"`
	}) (*map[string]any, error) {
		return &map[string]any{"kind": in.Meta.Kind}, nil
	})
	server.Bind(pool, "search", func(ctx context.Context, in *struct {
		Filter any `query:"filter"`
	}) (*map[string]any, error) {
		return &map[string]any{"filter": in.Filter}, nil
	})
	e := newEcho()
	if err := server.Spawn(e, pool, "decode"); err != nil {
		t.Fatal(err)
	}
	return e
}

// TestBodyMemberNamesExact sends members whose names encoding/json would
// match to a field ignoring case or folding Unicode: the validator judged
// them as other members, and the handler never sees them.
func TestBodyMemberNamesExact(t *testing.T) {
	t.Parallel()
	e := decodeServer(t)
	const user = `"email":"a@example.com","name":"ok","password":"correct horse"`
	for _, path := range []string{"/users", "/users-general"} {
		for _, tc := range []struct{ name, body string }{
			{"upper case", `{` + user + `,"NAME":""}`},
			{"upper case first", `{"NAME":"",` + user + `}`},
			{"long upper case", `{` + user + `,"NAME":"` + strings.Repeat("x", 5000) + `"}`},
			{"long folded name", `{` + user + `,"Name":"` + strings.Repeat("x", 5000) + `"}`},
			{"long s", `{` + user + `,"pa\u017f\u017fword":"zz"}`},
			{"kelvin sign", `{` + user + `,"nam\u212a":"zz"}`},
			{"capitalised email", `{` + user + `,"Email":"nope"}`},
		} {
			t.Run(path+" "+tc.name, func(t *testing.T) {
				rec := send(e, request{method: http.MethodPost, path: path, body: tc.body})
				if rec.Code != http.StatusOK {
					t.Fatalf("status %d: %s", rec.Code, rec.Body)
				}
				got := kluetest.Decode[map[string]any](t, rec)
				if got["email"] != "a@example.com" || got["name"] != "ok" || got["password"] != "correct horse" {
					t.Errorf("the handler saw %v", got)
				}
			})
		}
	}
}

func TestBodyIntegerCaseFolded(t *testing.T) {
	t.Parallel()
	e := decodeServer(t)
	for _, body := range []string{`{"i":1,"I":99}`, `{"I":99,"i":1}`} {
		rec := send(e, request{method: http.MethodPost, path: "/limited", body: body})
		if rec.Code != http.StatusOK {
			t.Fatalf("%s: status %d: %s", body, rec.Code, rec.Body)
		}
		if got := kluetest.Decode[map[string]any](t, rec); got["i"] != 1.0 {
			t.Errorf("%s: the handler saw %v", body, got)
		}
	}
}

// TestBodyRefused sends documents the validator and the decoder both
// refuse, with a 400 naming where.
func TestBodyRefused(t *testing.T) {
	t.Parallel()
	e := decodeServer(t)
	for _, path := range []string{"/users", "/users-general"} {
		for _, tc := range []struct{ name, body, location, message string }{
			{"duplicate", `{"email":"a@example.com","name":"ok","password":"correct horse","name":""}`, "body", `"name" comes twice`},
			{"duplicate unknown", `{"email":"a@example.com","name":"ok","password":"correct horse","x":1,"x":2}`, "body", `"x" comes twice`},
			{"duplicate escaped", `{"email":"a@example.com","name":"ok","password":"correct horse","n\u0061me":"other"}`, "body", `"name" comes twice`},
			{"duplicate nested", `{"email":"a@example.com","name":"ok","password":"correct horse","x":{"y":[{"z":1,"z":1}]}}`, "body.x.y.0", `"z" comes twice`},
			{"invalid UTF-8", "{\"email\":\"a@example.com\",\"name\":\"o\xffk\",\"password\":\"correct horse\"}", "body.name", "invalid UTF-8"},
			{"invalid UTF-8 unknown", "{\"email\":\"a@example.com\",\"name\":\"ok\",\"password\":\"correct horse\",\"x\":\"\xc3\"}", "body.x", "invalid UTF-8"},
			{"invalid UTF-8 name", "{\"email\":\"a@example.com\",\"name\":\"ok\",\"password\":\"correct horse\",\"\xff\":1}", "body", "invalid UTF-8"},
			{"lone surrogate", `{"email":"a@example.com","name":"o\ud800k","password":"correct horse"}`, "body.name", "lone surrogate"},
			{"lone low surrogate", `{"email":"a@example.com","name":"ok","password":"correct \udc00horse"}`, "body.password", "lone surrogate"},
			{"lone surrogate unknown", `{"email":"a@example.com","name":"ok","password":"correct horse","x":"\ud800"}`, "body.x", "lone surrogate"},
		} {
			t.Run(path+" "+tc.name, func(t *testing.T) {
				rec := send(e, request{method: http.MethodPost, path: path, body: tc.body})
				if rec.Code != http.StatusBadRequest {
					t.Fatalf("status %d, want 400: %s", rec.Code, rec.Body)
				}
				errs, _ := kluetest.Decode[map[string]any](t, rec)["errors"].([]any)
				if len(errs) != 1 {
					t.Fatalf("errors: %s", rec.Body)
				}
				v, _ := errs[0].(map[string]any)
				if v["location"] != tc.location || !strings.Contains(v["message"].(string), tc.message) {
					t.Errorf("got %v, want location %q and a message containing %q", v, tc.location, tc.message)
				}
			})
		}
	}
}

// TestFormFieldHoldingJSON decodes a form field that holds a JSON
// document as bodies are decoded.
func TestFormFieldHoldingJSON(t *testing.T) {
	t.Parallel()
	e := decodeServer(t)
	post := func(meta string) *httptest.ResponseRecorder {
		body := url.Values{"meta": {meta}}.Encode()
		req := httptest.NewRequest(http.MethodPost, "/form", strings.NewReader(body))
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
		rec := httptest.NewRecorder()
		e.ServeHTTP(rec, req)
		return rec
	}
	for _, meta := range []string{`{"kind":"ok","KIND":""}`, `{"KIND":"toolong","kind":"ok"}`, `{"kind":"ok","\u212aind":"toolong"}`} {
		rec := post(meta)
		if rec.Code != http.StatusOK {
			t.Fatalf("%s: status %d: %s", meta, rec.Code, rec.Body)
		}
		if got := kluetest.Decode[map[string]any](t, rec); got["kind"] != "ok" {
			t.Errorf("%s: the handler saw %v", meta, got)
		}
	}
	for _, meta := range []string{`{"kind":"ok","kind":""}`, "{\"kind\":\"\xff\"}", `{"kind":"\ud800"}`} {
		rec := post(meta)
		if rec.Code != http.StatusBadRequest {
			t.Errorf("%q: status %d, want 400: %s", meta, rec.Code, rec.Body)
			continue
		}
		if !strings.Contains(rec.Body.String(), `"location":"body.meta`) || !strings.Contains(rec.Body.String(), "invalid JSON") {
			t.Errorf("%q: the answer does not name the field and the problem: %s", meta, rec.Body)
		}
	}
}

// decodeBadTag has a tag the decoder cannot read: a trailing comma.
type decodeBadTag struct {
	//lint:ignore SA5008 the malformed tag is the point
	Email string `json:"email,"`
}

// TestBindRefusesUndecodableBody: a body type the decoder refuses whole is
// a start-up error, not a 400 for every request.
func TestBindRefusesUndecodableBody(t *testing.T) {
	t.Parallel()
	pool := klue.NewPool()
	kluetest.Add(t, pool, "decode", klue.File("testdata/decode.yaml"))
	server.Bind(pool, "createUser", func(ctx context.Context, in *struct{ Body decodeBadTag }) (*DecodeUser, error) {
		return nil, nil
	})
	err := server.Spawn(newEcho(), pool, "decode")
	if err == nil || !strings.Contains(err.Error(), "cannot be decoded from JSON") || !strings.Contains(err.Error(), "Go struct field Email has malformed `json` tag") {
		t.Fatalf("Spawn = %v", err)
	}
}

// TestParameterHoldingJSON decodes a parameter whose content is JSON as
// bodies are decoded, even where its schema accepts anything.
func TestParameterHoldingJSON(t *testing.T) {
	t.Parallel()
	e := decodeServer(t)
	get := func(filter string) *httptest.ResponseRecorder {
		return send(e, request{method: http.MethodGet, path: "/search?" + url.Values{"filter": {filter}}.Encode()})
	}
	if rec := get(`{"a":1,"A":2}`); rec.Code != http.StatusOK || !strings.Contains(rec.Body.String(), `"filter":{"A":2,"a":1}`) {
		t.Errorf("%d %s", rec.Code, rec.Body)
	}
	for _, filter := range []string{`{"a":1,"a":2}`, "\"\xff\"", `"\ud800"`, `[1,{"b":1,"b":1}]`} {
		rec := get(filter)
		if rec.Code != http.StatusBadRequest || !strings.Contains(rec.Body.String(), `"location":"query.filter`) || !strings.Contains(rec.Body.String(), "invalid JSON") {
			t.Errorf("%q: %d %s", filter, rec.Code, rec.Body)
		}
	}
}
