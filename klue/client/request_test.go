package client_test

import (
	"context"
	"encoding/json"
	"errors"
	"mime"
	"mime/multipart"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/klue-go/klue-client-server/klue"
	"github.com/klue-go/klue-client-server/klue/client"
)

// Requests are checked as the server sees them, through local mode.
func TestRequestShape(t *testing.T) {
	t.Parallel()
	type check func(t *testing.T, s seen)
	wantLine := func(method, path, query string) check {
		return func(t *testing.T, s seen) {
			t.Helper()
			if s.Method != method || s.Path != path || s.RawQuery != query {
				t.Errorf("request %s %s?%s, want %s %s?%s", s.Method, s.Path, s.RawQuery, method, path, query)
			}
		}
	}
	wantHeader := func(name, value string) check {
		return func(t *testing.T, s seen) {
			t.Helper()
			if got := s.Header.Get(name); got != value {
				t.Errorf("header %s = %q, want %q", name, got, value)
			}
		}
	}
	wantBody := func(body string) check {
		return func(t *testing.T, s seen) {
			t.Helper()
			if string(s.Body) != body {
				t.Errorf("body %q, want %q", s.Body, body)
			}
		}
	}
	wantCookie := func(name, value string) check {
		return func(t *testing.T, s seen) {
			t.Helper()
			c, err := s.Request.Cookie(name)
			if err != nil || c.Value != value {
				t.Errorf("cookie %s = %v (%v), want %q", name, c, err, value)
			}
		}
	}
	day := time.Date(2024, 2, 29, 13, 0, 0, 0, time.UTC)
	cases := []struct {
		name   string
		call   func(ctx context.Context, pool *klue.Pool) error
		checks []check
	}{
		{"no input", func(ctx context.Context, pool *klue.Pool) error {
			_, err := client.Call[struct{}](pool.Client("pets"), "version", client.WithoutResponseValidation()).Do(ctx)
			return err
		}, []check{wantLine("GET", "/v1/version", ""), wantHeader("Accept", "application/json")}},
		{"query and header", func(ctx context.Context, pool *klue.Pool) error {
			_, err := client.CallWith[[]Pet](pool.Client("pets"), "list_pets", &ListPets{
				Limit: 10, Tags: []string{"a b", "c&d"}, IDs: []int{1, 2}, RequestTag: "t1"}).Do(ctx)
			return err
		}, []check{wantLine("GET", "/v1/pets", "limit=10&tag=a+b&tag=c%26d&ids=1,2"), wantHeader("X-Request-Tag", "t1")}},
		{"zero optional parameters are not sent", func(ctx context.Context, pool *klue.Pool) error {
			_, err := client.CallWith[[]Pet](pool.Client("pets"), "list_pets", &ListPets{}).Do(ctx)
			return err
		}, []check{wantLine("GET", "/v1/pets", ""), wantHeader("X-Request-Tag", "")}},
		{"path parameter of a path item", func(ctx context.Context, pool *klue.Pool) error {
			_, err := client.CallWith[struct{}](pool.Client("pets"), "delete_pet", &PetID{ID: 42}).Do(ctx)
			return err
		}, []check{wantLine("DELETE", "/v1/pets/42", "")}},
		{"path parameter escaped", func(ctx context.Context, pool *klue.Pool) error {
			_, err := client.CallWith[[]byte](pool.Client("pets"), "get_file", &GetFile{Name: "a/b c?d"}).Do(ctx)
			return err
		}, []check{wantLine("GET", "/v1/files/a%2Fb%20c%3Fd", "")}},
		{"JSON body model", func(ctx context.Context, pool *klue.Pool) error {
			_, err := client.CallWith[Pet](pool.Client("pets"), "create_pet", &NewPet{Name: "Rex"}, client.WithoutResponseValidation()).Do(ctx)
			return err
		}, []check{wantLine("POST", "/v1/pets", ""), wantHeader("Content-Type", "application/json"), wantBody(`{"name":"Rex"}`)}},
		{"path parameter and body", func(ctx context.Context, pool *klue.Pool) error {
			_, err := client.CallWith[Pet](pool.Client("pets"), "update_pet", &UpdatePet{ID: 7, Body: &Pet{ID: 7, Name: "Rex"}}, client.WithoutResponseValidation()).Do(ctx)
			return err
		}, []check{wantLine("PUT", "/v1/pets/7", ""), wantBody(`{"id":7,"name":"Rex"}`)}},
		{"urlencoded form", func(ctx context.Context, pool *klue.Pool) error {
			_, err := client.CallWith[[]Pet](pool.Client("pets"), "search", &Search{Q: "rex & co", Page: 2}).Do(ctx)
			return err
		}, []check{wantLine("POST", "/v1/search", ""), wantHeader("Content-Type", "application/x-www-form-urlencoded"), wantBody("page=2&q=rex+%26+co")}},
		{"by METHOD /path", func(ctx context.Context, pool *klue.Pool) error {
			_, err := client.CallWith[struct{}](pool.Client("pets"), "HEAD /pets/{id}", &PetID{ID: 1}).Do(ctx)
			return err
		}, []check{wantLine("HEAD", "/v1/pets/1", "")}},
		{"OPTIONS", func(ctx context.Context, pool *klue.Pool) error {
			_, err := client.CallWith[struct{}](pool.Client("pets"), "pet_options", &PetID{ID: 1}).Do(ctx)
			return err
		}, []check{wantLine("OPTIONS", "/v1/pets/1", "")}},
		{"server variables, label style", func(ctx context.Context, pool *klue.Pool) error {
			_, err := client.CallWith[struct{}](pool.Client("styles"), "label", &struct {
				IDs []int `path:"id"`
			}{[]int{3, 4, 5}}).Do(ctx)
			return err
		}, []check{wantLine("GET", "/v2/label/.3,4,5", "")}},
		{"matrix style, exploded", func(ctx context.Context, pool *klue.Pool) error {
			_, err := client.CallWith[struct{}](pool.Client("styles"), "matrix", &struct {
				IDs []int `path:"id"`
			}{[]int{3, 4}}).Do(ctx)
			return err
		}, []check{wantLine("GET", "/v2/matrix/;id=3;id=4", "")}},
		{"query styles, cookie, header array, date", func(ctx context.Context, pool *klue.Pool) error {
			type filter struct {
				Color string `json:"color"`
				Size  int    `json:"size"`
			}
			_, err := client.CallWith[struct{}](pool.Client("styles"), "query", &struct {
				Filter  filter         `query:"filter"`
				Space   []string       `query:"space"`
				Pipe    []string       `query:"pipe"`
				CSV     []string       `query:"csv"`
				Multi   []string       `query:"multi"`
				When    time.Time      `query:"when"`
				JSON    map[string]any `query:"json"`
				Session string         `cookie:"session"`
				IDs     []int          `header:"X-Ids"`
			}{filter{"red", 3}, []string{"a", "b"}, []string{"a", "b"}, []string{"a", "b"}, []string{"a", "b"}, day,
				map[string]any{"k": 1}, "s3cr3t", []int{1, 2}}).Do(ctx)
			return err
		}, []check{
			wantLine("GET", "/v2/query", "filter%5Bcolor%5D=red&filter%5Bsize%5D=3&space=a+b&pipe=a%7Cb&csv=a,b&multi=a&multi=b&when=2024-02-29&json=%7B%22k%22%3A1%7D"),
			wantCookie("session", "s3cr3t"), wantHeader("X-Ids", "1,2"),
		}},
		{"text body", func(ctx context.Context, pool *klue.Pool) error {
			_, err := client.CallWith[json.RawMessage](pool.Client("styles"), "add_note", new("remember the milk"), client.WithoutResponseValidation()).Do(ctx)
			return err
		}, []check{wantLine("POST", "/v2/notes", ""), wantHeader("Content-Type", "text/plain"), wantBody("remember the milk")}},
		{"OpenAPI 3 form body from a model", func(ctx context.Context, pool *klue.Pool) error {
			type form struct {
				Name string   `json:"name"`
				Tags []string `json:"tags"`
			}
			_, err := client.CallWith[struct{}](pool.Client("styles"), "post_form", &form{"n", []string{"x", "y"}}).Do(ctx)
			return err
		}, []check{wantLine("POST", "/v2/forms", ""), wantBody("name=n&tags=x&tags=y")}},
		{"Args", func(ctx context.Context, pool *klue.Pool) error {
			_, err := client.CallWith[Pet](pool.Client("pets"), "update_pet", &client.Args{
				Path: map[string]any{"id": 9}, Body: map[string]any{"id": 9, "name": "Rex"}}, client.WithoutResponseValidation()).Do(ctx)
			return err
		}, []check{wantLine("PUT", "/v1/pets/9", ""), wantBody(`{"id":9,"name":"Rex"}`)}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			rec := &capture{}
			pool := newPool(t, nil, "pets", "styles")
			configure(t, pool, "pets", client.WithLocal(rec), client.WithNamedDecorator("auth", func(*http.Request) error { return nil }))
			configure(t, pool, "styles", client.WithLocal(rec))
			if err := tc.call(t.Context(), pool); err != nil {
				t.Fatal(err)
			}
			s := rec.last(t)
			for _, c := range tc.checks {
				c(t, s)
			}
		})
	}
}

func TestMultipartUpload(t *testing.T) {
	t.Parallel()
	rec := &capture{}
	pool := newPool(t, nil, "pets")
	configure(t, pool, "pets", client.WithLocal(rec), client.WithNamedDecorator("auth", func(*http.Request) error { return nil }))
	photo := namedReader{strings.NewReader("\x89PNG..."), "rex.png", "image/png"}
	_, err := client.CallWith[struct{}](pool.Client("pets"), "upload_photo", &UploadPhoto{
		ID: 3, Photo: photo, Caption: "Rex", Labels: []string{"dog", "good"}}).Do(t.Context())
	if err != nil {
		t.Fatal(err)
	}
	s := rec.last(t)
	if s.Path != "/v1/pets/3/photo" {
		t.Errorf("path %s", s.Path)
	}
	mt, params, err := mime.ParseMediaType(s.Header.Get("Content-Type"))
	if err != nil || mt != "multipart/form-data" {
		t.Fatalf("content type %q: %v", s.Header.Get("Content-Type"), err)
	}
	form, err := multipart.NewReader(strings.NewReader(string(s.Body)), params["boundary"]).ReadForm(1 << 20)
	if err != nil {
		t.Fatal(err)
	}
	if got := form.Value["caption"]; len(got) != 1 || got[0] != "Rex" {
		t.Errorf("caption %q", got)
	}
	// Swagger 2.0 form arrays default to csv.
	if got := form.Value["labels"]; len(got) != 1 || got[0] != "dog,good" {
		t.Errorf("labels %q", got)
	}
	files := form.File["photo"]
	if len(files) != 1 || files[0].Filename != "rex.png" || files[0].Header.Get("Content-Type") != "image/png" {
		t.Fatalf("photo %+v", files)
	}
	f, _ := files[0].Open()
	defer f.Close()
	data := make([]byte, 64)
	n, _ := f.Read(data)
	if string(data[:n]) != "\x89PNG..." {
		t.Errorf("photo content %q", data[:n])
	}
}

type namedReader struct {
	*strings.Reader
	name, contentType string
}

func (r namedReader) Filename() string    { return r.name }
func (r namedReader) ContentType() string { return r.contentType }

// Outgoing input is checked before anything is sent: the error names every
// problem and no request is made.
func TestInvalidInputIsNotSent(t *testing.T) {
	t.Parallel()
	cases := []struct {
		name     string
		call     func(ctx context.Context, pool *klue.Pool) error
		location string
	}{
		{"query out of range", func(ctx context.Context, pool *klue.Pool) error {
			_, err := client.CallWith[[]Pet](pool.Client("pets"), "list_pets", &ListPets{Limit: 1000}).Do(ctx)
			return err
		}, "query.limit"},
		{"body missing a required property", func(ctx context.Context, pool *klue.Pool) error {
			_, err := client.CallWith[Pet](pool.Client("pets"), "create_pet", &NewPet{}).Do(ctx)
			return err
		}, "body.name"},
		{"missing body", func(ctx context.Context, pool *klue.Pool) error {
			_, err := client.CallWith[Pet](pool.Client("pets"), "update_pet", &UpdatePet{ID: 1}).Do(ctx)
			return err
		}, "body"},
		{"missing path parameter in Args", func(ctx context.Context, pool *klue.Pool) error {
			_, err := client.CallWith[Pet](pool.Client("pets"), "get_pet", &client.Args{}).Do(ctx)
			return err
		}, "path.id"},
		{"wrong type in Args", func(ctx context.Context, pool *klue.Pool) error {
			_, err := client.CallWith[Pet](pool.Client("pets"), "get_pet", &client.Args{Path: map[string]any{"id": "abc"}}).Do(ctx)
			return err
		}, "path.id"},
		{"missing form file", func(ctx context.Context, pool *klue.Pool) error {
			_, err := client.CallWith[struct{}](pool.Client("pets"), "upload_photo", &UploadPhoto{ID: 1}).Do(ctx)
			return err
		}, "body.photo"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			rec := &capture{}
			pool := newPool(t, nil, "pets")
			configure(t, pool, "pets", client.WithLocal(rec), client.WithNamedDecorator("auth", func(*http.Request) error { return nil }))
			err := tc.call(t.Context(), pool)
			var ke *klue.Error
			if !errors.As(err, &ke) || ke.Status != http.StatusBadRequest {
				t.Fatalf("error %v, want a 400 *klue.Error", err)
			}
			found := false
			for _, d := range ke.Details {
				found = found || d.Location == tc.location
			}
			if !found {
				t.Errorf("details %+v, want one at %s", ke.Details, tc.location)
			}
			var ce *client.CallError
			if !errors.As(err, &ce) || ce.Attempts != 0 {
				t.Errorf("error %#v, want a CallError with no attempt", err)
			}
			if n := rec.count(); n != 0 {
				t.Errorf("%d requests sent", n)
			}
		})
	}
}

// Input types that do not fit their operation are found when the call is
// prepared, before it runs.
func TestInputTypeMismatch(t *testing.T) {
	t.Parallel()
	pool := newPool(t, nil, "pets")
	configure(t, pool, "pets", client.WithLocal(&capture{}), client.WithNamedDecorator("auth", func(*http.Request) error { return nil }))
	remote := pool.Client("pets")
	cases := []struct {
		name string
		err  error
		want string
	}{
		{"missing path parameter", client.Call[Pet](remote, "get_pet").Err(), `no field for the required path parameter "id"`},
		{"unknown parameter", client.CallWith[[]Pet](remote, "list_pets", &struct {
			Limit int `query:"limt"`
		}{}).Err(), `the operation has no query parameter "limt" (did you mean "limit"?)`},
		{"body where none is taken", client.CallWith[Pet](remote, "get_pet", &struct {
			ID   int `path:"id"`
			Body *Pet
		}{}).Err(), "the operation takes no request body"},
		{"untagged input without body", client.CallWith[Version](remote, "version", &Pet{}).Err(), "has no field tagged"},
		{"unknown operation", client.Call[Pet](remote, "get_pets").Err(), `has no client operation "get_pets" (did you mean "get_pet"`},
		{"nil input", client.CallWith[Pet, NewPet](remote, "create_pet", nil).Err(), "nil input"},
		{"invalid call option", client.Call[Version](remote, "version", client.WithAttempts(0)).Err(), "need at least 1 attempt"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			if tc.err == nil || !strings.Contains(tc.err.Error(), tc.want) {
				t.Fatalf("error %v, want it to say %q", tc.err, tc.want)
			}
			if !strings.HasPrefix(tc.err.Error(), "klue: pets.") {
				t.Errorf("error %q does not name the call", tc.err)
			}
		})
	}
}
