package client_test

import (
	"context"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"reflect"
	"testing"

	"github.com/klue-go/klue-client-server/internal/strictjson"
	"github.com/klue-go/klue-client-server/klue"
	"github.com/klue-go/klue-client-server/klue/client"
)

// A typed call, whose answer the typed decoder checks as it decodes it,
// ends as the same call with the answer kept raw, checked by the response
// check alone, and then decoded: the same error, or the same value.
func TestTypedAnswerCheckedOnce(t *testing.T) {
	t.Parallel()
	const spec = `
openapi: 3.0.3
info: {title: Answers, version: '1'}
paths:
  /thing:
    get:
      operationId: thing
      responses:
        '200':
          description: a thing
          content:
            application/json:
              schema:
                type: object
                additionalProperties: false
                required: [name]
                properties:
                  name: {type: string, maxLength: 5, pattern: '^[a-zé]+$'}
                  count: {type: integer, minimum: 0}
                  tags: {type: array, items: {type: string}, maxItems: 2}
`
	type thing struct {
		Name  string   `json:"name"`
		Count int      `json:"count,omitempty"`
		Tags  []string `json:"tags,omitempty"`
	}
	answers := []string{
		`{"name":"abc"}`, `{"name":"abc","count":3,"tags":["x","y"]}`, `{"name":"éé","count":0}`,
		`{"name":"abcdef"}`, `{"name":"ABC"}`, `{"name":"abc","count":-1}`, `{"name":"abc","count":1.5}`,
		`{"name":"abc","extra":1}`, `{"count":1}`, `{"name":3}`, `{"name":"abc","name":"abd"}`,
		`{"NAME":"abc"}`, `{"name":"abc","tags":["a","b","c"]}`, `{"name":"abc","tags":null}`,
		`null`, `[]`, `{"name":"a\ud800"}`, "{\"name\":\"a\xff\"}", `{"name":"abc"} x`, ` {"name":"abc"} `,
	}
	var body string
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		_, _ = w.Write([]byte(body))
	}))
	defer srv.Close()
	pool := klue.NewPool()
	if err := pool.Add("answers", klue.Bytes("answers.yaml", []byte(spec)), klue.WithBaseURL(srv.URL)); err != nil {
		t.Fatal(err)
	}
	remote := pool.Client("answers")
	ctx := context.Background()
	for _, a := range answers {
		body = a
		got, err := client.Call[thing](remote, "thing").Do(ctx)
		raw, rawErr := client.Call[json.RawMessage](remote, "thing").Do(ctx)
		var want *thing
		if rawErr == nil {
			want = new(thing)
			if derr := strictjson.Unmarshal(*raw, want); derr != nil {
				want, rawErr = nil, derr
			}
		}
		switch {
		case (err == nil) != (rawErr == nil):
			t.Errorf("%s: typed call: %v; checked raw, then decoded: %v", a, err, rawErr)
		case err != nil && rawErr != nil && raw == nil && err.Error() != rawErr.Error():
			t.Errorf("%s: typed call: %v\nraw call: %v", a, err, rawErr)
		case err == nil && !reflect.DeepEqual(got, want):
			t.Errorf("%s: typed call gave %+v, checked raw and decoded %+v", a, got, want)
		}
	}
}
