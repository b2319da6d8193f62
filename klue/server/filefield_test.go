package server_test

import (
	"context"
	"strings"
	"testing"

	"github.com/labstack/echo/v4"

	"github.com/klue-go/klue-client-server/klue"
	"github.com/klue-go/klue-client-server/klue/kluetest"
	"github.com/klue-go/klue-client-server/klue/server"
)

// TestFileFieldForAValue binds a File field to a form property that is
// not a file: it could never receive anything, so Spawn refuses it,
// naming the field and saying why.
func TestFileFieldForAValue(t *testing.T) {
	t.Parallel()
	for what, bind := range map[string]func(*klue.Pool){
		"*File": func(pool *klue.Pool) {
			server.Bind(pool, "upload", func(_ context.Context, in *struct {
				Name *server.File `form:"name"`
				File *server.File `form:"file"`
			}) (*struct{}, error) {
				return &struct{}{}, nil
			})
		},
		"[]*File": func(pool *klue.Pool) {
			server.Bind(pool, "upload", func(_ context.Context, in *struct {
				Name []*server.File `form:"name"`
				File *server.File   `form:"file"`
			}) (*struct{}, error) {
				return &struct{}{}, nil
			})
		},
	} {
		t.Run(what, func(t *testing.T) {
			t.Parallel()
			pool := klue.NewPool()
			kluetest.Add(t, pool, "kinds", klue.Bytes("kinds.yaml", []byte(multipartKindSpecs["openapi 3.0 format binary"])))
			bind(pool)
			err := server.Spawn(echo.New(), pool, "kinds")
			if err == nil || !strings.Contains(err.Error(), "not a file") {
				t.Errorf("Spawn: %v; want an error saying the property is not a file", err)
			}
		})
	}
}

// TestOneFileFieldForSeveral binds a *File field to a property of several
// files: it would see the first and lose the others, so Spawn refuses it.
func TestOneFileFieldForSeveral(t *testing.T) {
	t.Parallel()
	pool := klue.NewPool()
	kluetest.Add(t, pool, "many", klue.Bytes("many.yaml", []byte(multipartManySpec)))
	server.Bind(pool, "upload", func(_ context.Context, in *struct {
		Name  string       `form:"name"`
		Files *server.File `form:"files"`
	}) (*struct{}, error) {
		return &struct{}{}, nil
	})
	err := server.Spawn(echo.New(), pool, "many")
	if err == nil || !strings.Contains(err.Error(), "[]*server.File") {
		t.Errorf("Spawn: %v; want an error saying to use []*server.File", err)
	}
}

// TestFileFieldInAURLEncodedForm binds a File field to the property of a
// form that is urlencoded, which carries no files: Spawn refuses it.
func TestFileFieldInAURLEncodedForm(t *testing.T) {
	t.Parallel()
	spec := strings.Replace(multipartKindSpecs["openapi 3.0 format binary"], "multipart/form-data", "application/x-www-form-urlencoded", 1)
	pool := klue.NewPool()
	kluetest.Add(t, pool, "kinds", klue.Bytes("kinds.yaml", []byte(spec)))
	server.Bind(pool, "upload", func(_ context.Context, in *struct {
		Name string       `form:"name"`
		File *server.File `form:"file"`
	}) (*struct{}, error) {
		return &struct{}{}, nil
	})
	err := server.Spawn(echo.New(), pool, "kinds")
	if err == nil || !strings.Contains(err.Error(), "multipart") {
		t.Errorf("Spawn: %v; want an error saying files need a multipart body", err)
	}
}
