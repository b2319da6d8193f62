package server_test

import (
	"context"
	"net/http/httptest"
	"sync/atomic"
	"testing"

	"github.com/labstack/echo/v4"

	"github.com/klue-go/klue-client-server/klue"
	"github.com/klue-go/klue-client-server/klue/kluetest"
	"github.com/klue-go/klue-client-server/klue/server"
)

type NewUser struct {
	Email   string   `json:"email"`
	Name    string   `json:"name"`
	Age     *int     `json:"age,omitempty"`
	Role    string   `json:"role,omitempty"`
	Tags    []string `json:"tags,omitempty"`
	Profile *struct {
		Bio string `json:"bio,omitempty"`
	} `json:"profile,omitempty"`
}

type HostileUser struct {
	ID    int64  `json:"id"`
	Email string `json:"email"`
	Name  string `json:"name"`
}

type userID struct {
	ID     int64  `path:"id"`
	Fields string `query:"fields"`
}

type deleteIn struct {
	ID int64 `path:"id"`
}

type fileName struct {
	Name string `path:"name"`
}

type fileOut struct {
	Name string `json:"name"`
}

// apiError is the hostile API's own error model, filled by its error
// formatter from the *klue.Error it is given.
type apiError struct {
	Status  int              `json:"status"`
	Message string           `json:"message"`
	Errors  []klue.Violation `json:"errors,omitempty"`
}

// hostileCalls counts the handler calls of the hostile API, by operation.
type hostileCalls struct {
	create, get, del, file atomic.Int64
}

// hostileServer serves testdata/hostile.yaml on a loopback listener, its
// errors rendered as problem documents, or by an error formatter into the
// API's own model when formatter is set.
func hostileServer(t *testing.T, formatter bool, opts ...server.Option) (*httptest.Server, *hostileCalls) {
	t.Helper()
	e, calls := hostileAPI(t, formatter, opts...)
	ts := httptest.NewServer(e)
	t.Cleanup(ts.Close)
	return ts, calls
}

// hostileAPI spawns testdata/hostile.yaml on a new echo instance.
func hostileAPI(t *testing.T, formatter bool, opts ...server.Option) (*echo.Echo, *hostileCalls) {
	t.Helper()
	var popts []klue.Option
	if formatter {
		popts = append(popts, klue.WithErrorFormatter(func(_ context.Context, err *klue.Error) any {
			return apiError{Status: err.Status, Message: err.Message, Errors: err.Details}
		}))
	}
	pool := klue.NewPool()
	kluetest.Add(t, pool, "hostile", klue.File("testdata/hostile.yaml"), popts...)
	calls := &hostileCalls{}
	server.Bind(pool, "createUser", func(_ context.Context, u *NewUser) (*HostileUser, error) {
		calls.create.Add(1)
		return &HostileUser{ID: 1, Email: u.Email, Name: u.Name}, nil
	})
	server.Bind(pool, "getUser", func(_ context.Context, in *userID) (*HostileUser, error) {
		calls.get.Add(1)
		return &HostileUser{ID: in.ID, Email: "a@example.com", Name: "a"}, nil
	})
	server.Bind(pool, "deleteUser", func(_ context.Context, in *deleteIn) (*struct{}, error) {
		calls.del.Add(1)
		return nil, nil
	})
	server.Bind(pool, "getFile", func(_ context.Context, in *fileName) (*fileOut, error) {
		calls.file.Add(1)
		return &fileOut{Name: in.Name}, nil
	})
	e := newEcho()
	if err := server.Spawn(e, pool, "hostile", opts...); err != nil {
		t.Fatal(err)
	}
	return e, calls
}
