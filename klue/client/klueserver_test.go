package client_test

import (
	"context"
	"errors"
	"io"
	"net/http"
	"strings"
	"sync"
	"sync/atomic"
	"testing"

	"github.com/labstack/echo/v4"

	"github.com/klue-go/klue-client-server/klue"
	"github.com/klue-go/klue-client-server/klue/callctx"
	"github.com/klue-go/klue-client-server/klue/client"
	"github.com/klue-go/klue-client-server/klue/kluetest"
	"github.com/klue-go/klue-client-server/klue/server"
)

// The client against real klue servers (server.Bind and server.Spawn on
// echo) on loopback: the same Req and Res types serve both sides.

// PhotoIn is the input of upload_photo on both sides: a klue server hands
// the file to its handler as a *server.File, which a client sends on.
type PhotoIn struct {
	ID      int          `path:"id"`
	Photo   *server.File `form:"photo"`
	Caption string       `form:"caption"`
}

// Who is the model of testdata/relay.yaml.
type Who struct {
	ID   string `json:"id"`
	Path string `json:"path"`
}

// petsService is a klue server of testdata/pets.yaml.
type petsService struct {
	mu      sync.Mutex
	pets    map[int64]Pet
	next    int64
	version atomic.Int32 // calls of version
	// failVersion is how many calls of version fail with 503 first.
	failVersion int32
	photo       struct{ filename, contentType, content, caption string }
}

func (s *petsService) bind(pool *klue.Pool, api string) {
	in := server.InAPI(api)
	server.Bind(pool, "version", func(context.Context, *struct{}) (*Version, error) {
		if s.version.Add(1) <= s.failVersion {
			return nil, klue.Errorf(http.StatusServiceUnavailable, "warming up")
		}
		return &Version{Name: "pets", Version: "2.0.0"}, nil
	}, in)
	server.Bind(pool, "list_pets", func(_ context.Context, q *ListPets) (*[]Pet, error) {
		s.mu.Lock()
		defer s.mu.Unlock()
		out := []Pet{}
		for n := int64(1); n < s.next; n++ {
			if p, ok := s.pets[n]; ok && (len(q.Tags) == 0 || contains(q.Tags, p.Tag)) {
				out = append(out, p)
			}
		}
		if q.Limit > 0 && q.Limit < len(out) {
			out = out[:q.Limit]
		}
		return &out, nil
	}, in)
	server.Bind(pool, "create_pet", func(_ context.Context, np *NewPet) (*Pet, error) {
		s.mu.Lock()
		defer s.mu.Unlock()
		for _, p := range s.pets {
			if strings.EqualFold(p.Name, np.Name) {
				return nil, &klue.Error{Status: http.StatusConflict, Body: APIError{Status: 409, Error: "Conflict", Description: np.Name + " exists"}}
			}
		}
		p := Pet{ID: s.next, Name: np.Name, Tag: np.Tag}
		s.pets[p.ID] = p
		s.next++
		return &p, nil
	}, in)
	server.Bind(pool, "get_pet", func(_ context.Context, in *PetID) (*Pet, error) {
		s.mu.Lock()
		defer s.mu.Unlock()
		p, ok := s.pets[int64(in.ID)]
		if !ok {
			return nil, &klue.Error{Status: http.StatusNotFound, Body: APIError{Status: 404, Error: "Not Found", Description: "no such pet"}}
		}
		return &p, nil
	}, in)
	server.Bind(pool, "upload_photo", func(_ context.Context, in *PhotoIn) (*struct{}, error) {
		data, err := io.ReadAll(in.Photo)
		if err != nil {
			return nil, err
		}
		s.mu.Lock()
		s.photo.filename, s.photo.contentType, s.photo.content, s.photo.caption = in.Photo.Filename, in.Photo.ContentType, string(data), in.Caption
		s.mu.Unlock()
		return &struct{}{}, nil
	}, in)
}

// spawn serves the API with a klue server in process, operations with no
// handler answering 501.
func spawn(t testing.TB, pool *klue.Pool, api string) *echo.Echo {
	t.Helper()
	return kluetest.Spawn(t, pool, api, server.WithUnboundNotImplemented(), server.WithoutDocs()).Echo
}

// petsKlue starts a klue pets server, and returns a pool whose "pets" API
// is called there.
func petsKlue(t testing.TB, svc *petsService, opts ...client.ClientOption) *klue.Pool {
	t.Helper()
	if svc.pets == nil {
		svc.pets, svc.next = map[int64]Pet{1: {ID: 1, Name: "Rex", Tag: "dog"}}, 2
	}
	srvPool := newPool(t, nil, "pets")
	svc.bind(srvPool, "pets")
	srv := serve(t, spawn(t, srvPool, "pets"))
	pool := newPool(t, []klue.Option{klue.WithHost(hostOf(srv))}, "pets")
	configure(t, pool, "pets", append([]client.ClientOption{client.WithNamedDecorator("auth", bearer("x"))}, opts...)...)
	return pool
}

func TestKlueServerRoundTrip(t *testing.T) {
	t.Parallel()
	svc := &petsService{}
	remote := petsKlue(t, svc).Client("pets")
	ctx := t.Context()
	created, err := client.CallWith[Pet](remote, "create_pet", &NewPet{Name: "Tom", Tag: "cat"}).Do(ctx)
	if err != nil || created.ID != 2 {
		t.Fatalf("create: %+v, %v", created, err)
	}
	got, err := client.CallWith[Pet](remote, "get_pet", &PetID{ID: 2}).Do(ctx)
	if err != nil || *got != *created {
		t.Fatalf("get: %+v, %v", got, err)
	}
	list, err := client.CallWith[[]Pet](remote, "list_pets", &ListPets{Tags: []string{"cat", "fish"}, Limit: 10}).Do(ctx)
	if err != nil || len(*list) != 1 || (*list)[0].Name != "Tom" {
		t.Fatalf("list: %+v, %v", list, err)
	}
}

// A declared error response arrives as the API's own model; an
// undeclared one, as klue servers send it (RFC 9457), gives its detail and
// its violations.
func TestKlueServerErrors(t *testing.T) {
	t.Parallel()
	remote := petsKlue(t, &petsService{}).Client("pets")
	_, err := client.CallWith[Pet](remote, "create_pet", &NewPet{Name: "rex"}).Do(t.Context())
	if m, ok := client.ErrorBody[APIError](err); !ok || klue.StatusOf(err) != http.StatusConflict || m.Description != "rex exists" {
		t.Errorf("declared error: %v (%+v)", err, m)
	}
	_, err = client.CallWith[Pet](remote, "get_pet", &PetID{ID: 7}).Do(t.Context())
	if !errors.Is(err, klue.ErrNotFound) {
		t.Errorf("404: %v", err)
	}

	// The server checks what the client was told not to.
	_, err = client.CallWith[[]Pet](remote, "list_pets", &ListPets{Limit: 1000}, client.WithoutRequestValidation()).Do(t.Context())
	var ke *klue.Error
	if !errors.As(err, &ke) || ke.Status != http.StatusBadRequest || len(ke.Details) == 0 || ke.Details[0].Location != "query.limit" {
		t.Fatalf("problem document: %v (%+v)", err, ke)
	}
	_, err = client.CallWith[Pet](remote, "create_pet", &NewPet{}, client.WithoutRequestValidation()).Do(t.Context())
	if !errors.As(err, &ke) || ke.Status != http.StatusBadRequest || len(ke.Details) == 0 || ke.Details[0].Location != "body.name" {
		t.Fatalf("problem document: %v (%+v)", err, ke)
	}
}

// A klue server that fails twice (503) then answers is called three times.
func TestKlueServerRetries(t *testing.T) {
	t.Parallel()
	svc := &petsService{failVersion: 2}
	remote := petsKlue(t, svc, client.WithBackoff(1, 1)).Client("pets")
	v, err := client.Call[Version](remote, "version").Do(t.Context())
	if err != nil || v.Version != "2.0.0" || svc.version.Load() != 3 {
		t.Fatalf("%+v, %v after %d calls", v, err, svc.version.Load())
	}
}

// A new file made with server.NewFile is sent with the same input type the
// handler receives.
func TestKlueServerNewFileUploaded(t *testing.T) {
	t.Parallel()
	svc := &petsService{}
	remote := petsKlue(t, svc).Client("pets")
	in := &PhotoIn{ID: 1, Caption: "at the beach", Photo: server.NewFile("rex.png", "image/png", strings.NewReader("\x89PNG fake"))}
	if _, err := client.CallWith[struct{}](remote, "upload_photo", in).Do(t.Context()); err != nil {
		t.Fatal(err)
	}
	svc.mu.Lock()
	defer svc.mu.Unlock()
	if svc.photo.filename != "rex.png" || svc.photo.contentType != "image/png" || svc.photo.content != "\x89PNG fake" || svc.photo.caption != "at the beach" {
		t.Errorf("the handler received %+v", svc.photo)
	}
}

// A file sent to a klue server reaches its handler as a *server.File; the
// handler can send it on with the same input type.
func TestKlueServerFileForwarded(t *testing.T) {
	t.Parallel()
	back := &petsService{}
	backPool := petsKlue(t, back)

	frontPool := newPool(t, nil, "pets")
	server.Bind(frontPool, "upload_photo", func(ctx context.Context, in *PhotoIn) (*struct{}, error) {
		return client.CallWith[struct{}](backPool.Client("pets"), "upload_photo", in).Do(ctx)
	})
	front := serve(t, spawn(t, frontPool, "pets"))
	pool := newPool(t, []klue.Option{klue.WithHost(hostOf(front))}, "pets")
	configure(t, pool, "pets", client.WithNamedDecorator("auth", bearer("x")))

	_, err := client.CallWith[struct{}](pool.Client("pets"), "upload_photo", &UploadPhoto{
		ID: 1, Photo: namedReader{strings.NewReader("GIF89a..."), "rex.gif", "image/gif"}, Caption: "Rex"}).Do(t.Context())
	if err != nil {
		t.Fatal(err)
	}
	back.mu.Lock()
	defer back.mu.Unlock()
	if back.photo.filename != "rex.gif" || back.photo.contentType != "image/gif" || back.photo.content != "GIF89a..." || back.photo.caption != "Rex" {
		t.Errorf("the back end got %+v", back.photo)
	}
}

// A call made from a klue handler carries the call ID on, and the next
// server appends its name to the call path.
func TestKlueServerCallPath(t *testing.T) {
	t.Parallel()
	pool := klue.NewPool()
	for _, name := range []string{"a", "b"} {
		if err := pool.Add(name, klue.File("testdata/relay.yaml")); err != nil {
			t.Fatal(err)
		}
	}
	server.Bind(pool, "whoami", func(ctx context.Context, _ *struct{}) (*Who, error) {
		return &Who{ID: callctx.ID(ctx), Path: callctx.Path(ctx)}, nil
	}, server.InAPI("b"))
	b := spawn(t, pool, "b")
	configure(t, pool, "b", client.WithLocal(b))
	server.Bind(pool, "relay", func(ctx context.Context, _ *struct{}) (*Who, error) {
		return client.Call[Who](pool.Client("b"), "whoami").Do(ctx)
	}, server.InAPI("a"))
	a := serve(t, spawn(t, pool, "a"))

	callerPool := klue.NewPool()
	kluetest.Add(t, callerPool, "a", klue.File("testdata/relay.yaml"), klue.WithHost(hostOf(a)))
	id := callctx.NewID()
	ctx := callctx.NewContext(t.Context(), callctx.Call{ID: id, Path: "public"})
	who, err := client.Call[Who](callerPool.Client("a"), "relay").Do(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if who.ID != id || who.Path != "public.a.b" {
		t.Errorf("b saw %+v, want ID %s and path public.a.b", who, id)
	}
}

// Parallel calls to a klue server, each with its own result type.
func TestKlueServerParallel(t *testing.T) {
	t.Parallel()
	remote := petsKlue(t, &petsService{}).Client("pets")
	version := client.Call[Version](remote, "version")
	pet := client.CallWith[Pet](remote, "get_pet", &PetID{ID: 1})
	missing := client.CallWith[Pet](remote, "get_pet", &PetID{ID: 2})
	err := client.Parallel(t.Context(), []client.Runner{version, pet, missing})
	if !errors.Is(err, klue.ErrNotFound) || strings.Count(err.Error(), "\n") != 0 {
		t.Errorf("error %v", err)
	}
	if v, err := version.Result(); err != nil || v.Version != "2.0.0" {
		t.Errorf("version %+v, %v", v, err)
	}
	if p, err := pet.Result(); err != nil || p.Name != "Rex" {
		t.Errorf("pet %+v, %v", p, err)
	}
}

// Local mode runs a klue server's echo in process.
func TestKlueServerLocal(t *testing.T) {
	t.Parallel()
	svc := &petsService{pets: map[int64]Pet{1: {ID: 1, Name: "Rex"}}, next: 2}
	pool := newPool(t, nil, "pets")
	svc.bind(pool, "pets")
	configure(t, pool, "pets", client.WithLocal(spawn(t, pool, "pets")), client.WithNamedDecorator("auth", bearer("x")))
	p, err := client.CallWith[Pet](pool.Client("pets"), "get_pet", &PetID{ID: 1}).Do(t.Context())
	if err != nil || p.Name != "Rex" {
		t.Fatalf("%+v, %v", p, err)
	}
	_, err = client.CallWith[Pet](pool.Client("pets"), "create_pet", &NewPet{Name: "Rex"}).Do(t.Context())
	if klue.StatusOf(err) != http.StatusConflict {
		t.Errorf("error %v", err)
	}
}
