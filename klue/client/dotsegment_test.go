package client_test

import (
	"encoding/json"
	"errors"
	"net/http"
	"testing"

	"github.com/klue-go/klue-client-server/klue"
	"github.com/klue-go/klue-client-server/klue/client"
	"github.com/klue-go/klue-client-server/klue/kluetest"
)

type dotSegmentIn struct {
	ID string `path:"id"`
}

const dotSegmentSpec = `openapi: 3.0.3
info: {title: dots, version: "1"}
paths:
  /users/{id}/delete:
    post:
      operationId: deleteUser
      parameters:
        - {name: id, in: path, required: true, schema: {type: string}}
      responses:
        "200": {description: ok, content: {application/json: {schema: {type: object}}}}
`

// TestPathParameterDotSegment gives a path parameter "." or "..": the URL
// /users/../delete is /delete to every server and proxy that resolves dot
// segments, so the call would reach another operation. It is refused
// before anything is sent; dots within a segment are sent as they are.
func TestPathParameterDotSegment(t *testing.T) {
	t.Parallel()
	c := &capture{answer: jsonAnswer(http.StatusOK, `{}`)}
	srv := serve(t, c)
	pool := klue.NewPool(klue.WithHost(hostOf(srv)))
	kluetest.Add(t, pool, "dots", klue.Bytes("dots.yaml", []byte(dotSegmentSpec)))
	remote := pool.Client("dots")
	call := func(id string) error {
		_, err := client.CallWith(remote, klue.Key[dotSegmentIn, json.RawMessage]("deleteUser"), &dotSegmentIn{ID: id}).Do(t.Context())
		return err
	}
	for _, id := range []string{"..", "."} {
		err := call(id)
		var ke *klue.Error
		if !errors.As(err, &ke) || ke.Status != http.StatusBadRequest || len(ke.Details) != 1 || ke.Details[0].Location != "path.id" {
			t.Errorf("id %q: %v; want a 400 at path.id", id, err)
		}
	}
	if n := c.count(); n != 0 {
		t.Fatalf("the server got %d requests, the last %s", n, c.last(t).Request.RequestURI)
	}
	for id, want := range map[string]string{"...": "/users/.../delete", "a..b": "/users/a..b/delete", "../x": "/users/..%2Fx/delete"} {
		if err := call(id); err != nil {
			t.Errorf("id %q: %v", id, err)
			continue
		}
		if got := c.last(t).Request.RequestURI; got != want {
			t.Errorf("id %q: sent %s, want %s", id, got, want)
		}
	}
}
