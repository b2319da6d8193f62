package server_test

import (
	"context"
	"io"
	"net/http"
	"net/http/httptest"
	"strconv"
	"testing"

	"github.com/klue-go/klue-client-server/klue"
	"github.com/klue-go/klue-client-server/klue/kluetest"
	"github.com/klue-go/klue-client-server/klue/server"
)

const replyStatusSpec = `openapi: 3.0.3
info: {title: reply, version: "1"}
paths:
  /answer:
    get:
      operationId: answer
      parameters:
        - {name: status, in: query, required: true, schema: {type: integer}}
        - {name: error, in: query, schema: {type: boolean}}
      responses:
        default:
          description: any answer
          content: {application/json: {schema: {type: object}}}
`

// replyAnswer is a typed response: the handler picks its status.
type replyAnswer struct {
	Status int `status:""`
	Body   map[string]any
}

// TestReplyStatusIsAFinalOne has a handler reply, or fail, with statuses that are
// not the final status of an HTTP response, which the operation's default
// response matches all the same: an informational status would be sent as
// such (101 switches protocols, 100 precedes an implicit 200), and one
// past 599 is no HTTP status. Each is the handler's fault, a 500.
func TestReplyStatusIsAFinalOne(t *testing.T) {
	t.Parallel()
	pool := klue.NewPool()
	kluetest.Add(t, pool, "reply", klue.Bytes("reply.yaml", []byte(replyStatusSpec)))
	server.Bind(pool, "answer", func(ctx context.Context, in *struct {
		Status int  `query:"status"`
		Error  bool `query:"error"`
	}) (*replyAnswer, error) {
		if in.Error {
			return nil, &klue.Error{Status: in.Status, Message: "refused"}
		}
		return &replyAnswer{Status: in.Status, Body: map[string]any{"a": 1}}, nil
	})
	logger, _ := newLogger()
	e := kluetest.Spawn(t, pool, "reply", server.WithLogger(logger)).Echo
	srv := httptest.NewServer(e)
	t.Cleanup(srv.Close)
	for _, query := range []string{"", "&error=true"} {
		for _, status := range []int{100, 101, 103, 199, 600, 999} {
			res, err := http.Get(srv.URL + "/answer?status=" + strconv.Itoa(status) + query)
			if err != nil {
				t.Errorf("status %d: %v", status, err)
				continue
			}
			_, _ = io.Copy(io.Discard, res.Body)
			res.Body.Close()
			if res.StatusCode != http.StatusInternalServerError {
				t.Errorf("status %d%s: the client got %d, want 500", status, query, res.StatusCode)
			}
		}
	}
	for _, status := range []int{200, 404, 599} {
		res, err := http.Get(srv.URL + "/answer?status=" + strconv.Itoa(status))
		if err != nil {
			t.Fatal(err)
		}
		res.Body.Close()
		if res.StatusCode != status {
			t.Errorf("a reply with status %d: the client got %d", status, res.StatusCode)
		}
	}
}
