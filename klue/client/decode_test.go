package client_test

import (
	"errors"
	"fmt"
	"net/http"
	"strings"
	"testing"

	"github.com/klue-go/klue-client-server/klue"
	"github.com/klue-go/klue-client-server/klue/client"
)

// TestAnswerDecodesAsValidated: an answer is decoded with the semantics it
// was validated with: member names exact, a member name twice, invalid
// UTF-8 and lone surrogates refused.
func TestAnswerDecodesAsValidated(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		name, body string
		want       *Pet
		message    string
	}{
		{"case-folded names are other members", `{"id":1,"name":"Rex","NAME":"Max","Id":7}`, &Pet{ID: 1, Name: "Rex"}, ""},
		{"case-folded name first", `{"NAME":"Max","id":1,"name":"Rex"}`, &Pet{ID: 1, Name: "Rex"}, ""},
		{"name twice", `{"id":1,"name":"Rex","name":"Max"}`, nil, `"name" comes twice`},
		{"unknown name twice", `{"id":1,"name":"Rex","x":1,"x":2}`, nil, `"x" comes twice`},
		{"invalid UTF-8", "{\"id\":1,\"name\":\"R\xffx\"}", nil, "invalid UTF-8"},
		{"lone surrogate", `{"id":1,"name":"R\udc00x"}`, nil, "lone surrogate"},
	} {
		for _, validate := range []bool{true, false} {
			t.Run(fmt.Sprintf("%s validate=%v", tc.name, validate), func(t *testing.T) {
				t.Parallel()
				srv := serve(t, &capture{answer: jsonAnswer(http.StatusOK, tc.body)})
				pool := newPool(t, []klue.Option{klue.WithHost(hostOf(srv))}, "pets")
				configure(t, pool, "pets", client.WithNamedDecorator("auth", func(*http.Request) error { return nil }))
				var opts []client.CallOption
				if !validate {
					opts = append(opts, client.WithoutResponseValidation())
				}
				got, err := client.CallWith[Pet](pool.Client("pets"), "get_pet", &PetID{ID: 1}, opts...).Do(t.Context())
				if tc.want != nil {
					if err != nil || *got != *tc.want {
						t.Fatalf("validate=%v: got %+v, %v; want %+v", validate, got, err, tc.want)
					}
					return
				}
				var ce *client.CallError
				if err == nil || !errors.As(err, &ce) || !strings.Contains(err.Error(), tc.message) {
					t.Fatalf("validate=%v: got %+v, %v; want an error containing %q", validate, got, err, tc.message)
				}
			})
		}
	}
}

// TestErrorBodyDecodesAsValidated: a declared error body is decoded the
// same way.
func TestErrorBodyDecodesAsValidated(t *testing.T) {
	t.Parallel()
	srv := serve(t, &capture{answer: jsonAnswer(http.StatusNotFound, `{"status":404,"error":"not_found","ERROR":"other","statu\u017f":500}`)})
	pool := newPool(t, []klue.Option{klue.WithHost(hostOf(srv))}, "pets")
	configure(t, pool, "pets", client.WithNamedDecorator("auth", func(*http.Request) error { return nil }))
	_, err := client.CallWith[Pet](pool.Client("pets"), "get_pet", &PetID{ID: 1}).Do(t.Context())
	body, ok := client.ErrorBody[APIError](err)
	if !ok || body.Error != "not_found" || body.Status != 404 {
		t.Fatalf("ErrorBody = %+v, %v (%v)", body, ok, err)
	}
}
