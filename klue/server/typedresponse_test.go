package server_test

import (
	"context"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/klue-go/klue-client-server/klue"
	"github.com/klue-go/klue-client-server/klue/kluetest"
	"github.com/klue-go/klue-client-server/klue/server"
)

const typedResponseSpec = `openapi: 3.0.3
info: {title: t, version: "1"}
paths:
  /pets:
    post:
      operationId: put_pet
      parameters:
        - {name: mode, in: query, schema: {type: string}}
      responses:
        "200":
          description: replaced
          headers:
            ETag: {schema: {type: string}}
          content:
            application/json:
              schema: {$ref: '#/components/schemas/Pet'}
        "201":
          description: created
          headers:
            Location: {required: true, schema: {type: string}}
            X-Rate-Limit: {schema: {type: integer}}
            Last-Modified: {schema: {type: string}}
          content:
            application/json:
              schema: {$ref: '#/components/schemas/Pet'}
        "202":
          description: queued
          content:
            application/json:
              schema:
                type: object
                required: [job]
                properties: {job: {type: string}}
        "204": {description: unchanged}
components:
  schemas:
    Pet:
      type: object
      required: [name]
      properties: {name: {type: string}}
`

type Pet struct {
	Name string `json:"name"`
}

type PetAnswer struct {
	Status       int       `status:""`
	Location     string    `header:"Location"`
	ETag         string    `header:"ETag"`
	RateLimit    int       `header:"X-Rate-Limit"`
	LastModified time.Time `header:"Last-Modified"`
	Body         any
}

type ModeIn struct {
	Mode string `query:"mode"`
}

// A handler picks a declared status and sets headers through its result.
func TestTypedResponse(t *testing.T) {
	t.Parallel()
	pool := klue.NewPool()
	kluetest.Add(t, pool, "api", klue.Bytes("api.yaml", []byte(typedResponseSpec)))
	day := time.Date(2024, 2, 29, 13, 0, 0, 0, time.UTC)
	server.Bind(pool, "put_pet", func(_ context.Context, in *ModeIn) (*PetAnswer, error) {
		switch in.Mode {
		case "create":
			return &PetAnswer{Status: http.StatusCreated, Location: "/pets/1", RateLimit: 9, LastModified: day, Body: &Pet{"Ada"}}, nil
		case "queue":
			return &PetAnswer{Status: http.StatusAccepted, Body: map[string]any{"job": "j1"}}, nil
		case "queue-bad":
			return &PetAnswer{Status: http.StatusAccepted, Body: map[string]any{"nojob": 1}}, nil
		case "same":
			return &PetAnswer{Status: http.StatusNoContent}, nil
		case "same-with-body":
			return &PetAnswer{Status: http.StatusNoContent, Body: &Pet{"x"}}, nil
		case "no-location":
			return &PetAnswer{Status: http.StatusCreated, Body: &Pet{"Ada"}}, nil
		case "undeclared":
			return &PetAnswer{Status: http.StatusTeapot}, nil
		}
		return &PetAnswer{ETag: `"v2"`, Body: Pet{"Bob"}}, nil
	})
	h := kluetest.Spawn(t, pool, "api").Echo
	cases := []struct {
		mode    string
		status  int
		headers map[string]string
		body    string
	}{
		{"", 200, map[string]string{"ETag": `"v2"`, "Location": ""}, `{"name":"Bob"}`},
		{"create", 201, map[string]string{"Location": "/pets/1", "X-Rate-Limit": "9", "Last-Modified": "Thu, 29 Feb 2024 13:00:00 GMT", "ETag": ""}, `{"name":"Ada"}`},
		{"queue", 202, nil, `{"job":"j1"}`},
		{"queue-bad", 500, nil, ""},
		{"same", 204, nil, ""},
		{"same-with-body", 500, nil, ""},
		{"undeclared", 500, nil, ""},
		{"no-location", 500, nil, ""},
	}
	for _, tc := range cases {
		rec := kluetest.Serve(t, h, "POST", "/pets?mode="+tc.mode)
		if rec.Code != tc.status {
			t.Errorf("%s: status %d, want %d: %s", tc.mode, rec.Code, tc.status, rec.Body)
			continue
		}
		for k, v := range tc.headers {
			if got := rec.Header().Get(k); got != v {
				t.Errorf("%s: header %s = %q, want %q", tc.mode, k, got, v)
			}
		}
		if tc.status < 300 && strings.TrimSpace(rec.Body.String()) != tc.body {
			t.Errorf("%s: body %s, want %s", tc.mode, rec.Body, tc.body)
		}
	}
}

// Bind checks the fields of a typed response against the operation.
func TestTypedResponseFit(t *testing.T) {
	t.Parallel()
	type noLocation struct {
		Status int `status:""`
		Body   *Pet
	}
	type badHeader struct {
		Location string `header:"Locaton"`
		Body     *Pet
	}
	type badHeaderType struct {
		Location  string `header:"Location"`
		RateLimit bool   `header:"X-Rate-Limit"`
		Body      *Pet
	}
	type badStatus struct {
		Status   string `status:""`
		Location string `header:"Location"`
		Body     *Pet
	}
	type stray struct {
		Location string `header:"Location"`
		Note     string
		Body     *Pet
	}
	type badBody struct {
		Location string `header:"Location"`
		Body     *struct {
			Name int `json:"name"`
		}
	}
	cases := []struct {
		name string
		fit  func(pool *klue.Pool) error
		want string
	}{
		{"fits", func(p *klue.Pool) error { return server.Fit(p, klue.Key[ModeIn, PetAnswer]("put_pet")) }, ""},
		{"required header", func(p *klue.Pool) error { return server.Fit(p, klue.Key[ModeIn, noLocation]("put_pet")) }, `no field for the header "Location"`},
		{"undeclared header", func(p *klue.Pool) error { return server.Fit(p, klue.Key[ModeIn, badHeader]("put_pet")) }, `did you mean "Location"`},
		{"header type", func(p *klue.Pool) error { return server.Fit(p, klue.Key[ModeIn, badHeaderType]("put_pet")) }, `the schema says integer`},
		{"status type", func(p *klue.Pool) error { return server.Fit(p, klue.Key[ModeIn, badStatus]("put_pet")) }, `must be an int`},
		{"stray field", func(p *klue.Pool) error { return server.Fit(p, klue.Key[ModeIn, stray]("put_pet")) }, `field Note of Res`},
		{"body", func(p *klue.Pool) error { return server.Fit(p, klue.Key[ModeIn, badBody]("put_pet")) }, `name: the schema says string`},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			pool := klue.NewPool()
			kluetest.Add(t, pool, "api", klue.Bytes("api.yaml", []byte(typedResponseSpec)))
			err := tc.fit(pool)
			switch {
			case tc.want == "" && err != nil:
				t.Fatalf("unexpected error: %v", err)
			case tc.want != "" && (err == nil || !strings.Contains(err.Error(), tc.want)):
				t.Fatalf("error %v, want one containing %q", err, tc.want)
			}
		})
	}
}

// A field fits a property only under the property's exact name: the
// decoders match member names exactly, and encoding/json writes the
// field's name, so a field named Price never carries "price".
func TestFitExactNames(t *testing.T) {
	t.Parallel()
	pool := klue.NewPool()
	kluetest.Add(t, pool, "api", klue.Bytes("api.yaml", []byte(typedResponseSpec)))
	type Loose struct {
		Name string // property "name"
	}
	err := server.Fit(pool, klue.Key[ModeIn, Loose]("put_pet"))
	if err == nil || !strings.Contains(err.Error(), `no field for the required property "name"`) {
		t.Fatalf("error %v, want the property without a field", err)
	}
}
