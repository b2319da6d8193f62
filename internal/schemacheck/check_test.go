package schemacheck_test

import (
	"encoding/json"
	"errors"
	"strings"
	"testing"

	"github.com/klue-go/klue-client-server/internal/schemacheck"
	"github.com/klue-go/klue-client-server/klue"
)

func TestChecker(t *testing.T) {
	t.Parallel()
	pool := klue.NewPool()
	spec := `openapi: 3.0.3
info: {title: t, version: '1'}
paths: {}
components:
  schemas:
    User:
      type: object
      required: [name]
      properties:
        name: {type: string, minLength: 2}
        password: {type: string, writeOnly: true}
    Age: {type: integer, minimum: 0}
`
	if err := pool.Add("api", klue.Bytes("spec.yaml", []byte(spec))); err != nil {
		t.Fatal(err)
	}
	api, _ := pool.API("api")
	user, _ := api.Model("User")
	age, _ := api.Model("Age")
	res := schemacheck.New(user.Schema, klue.ForResponse)
	tests := []struct {
		doc  string
		want string // "" for valid, else the violation's location
	}{
		{`{"name": "Ada"}`, ""},
		{`{"name": "A"}`, "name"},
		{`{}`, "name"},
		{`{"name": "Ada", "password": "x"}`, "password"},
		{`{"name": `, ""},
	}
	for _, tt := range tests {
		err := res.Document([]byte(tt.doc))
		var ve *klue.ValidationError
		switch {
		case tt.doc == `{"name": `:
			// The document ends where the value of name should be.
			if !errors.As(err, &ve) || len(ve.Violations) != 1 || ve.Violations[0].Location != "name" ||
				!strings.Contains(ve.Violations[0].Message, "invalid JSON") {
				t.Errorf("%s: %v, want one violation for the malformed JSON, at name", tt.doc, err)
			}
		case tt.want == "" && err != nil:
			t.Errorf("%s: %v", tt.doc, err)
		case tt.want != "" && (!errors.As(err, &ve) || ve.Violations[0].Location != tt.want):
			t.Errorf("%s: %v, want a violation at %s", tt.doc, err, tt.want)
		}
	}
	ages := schemacheck.New(age.Schema, klue.Neutral)
	for v, ok := range map[any]bool{json.Number("3"): true, json.Number("-1"): false, "3": false, nil: false, true: false} {
		if err := ages.Value(v); (err == nil) != ok {
			t.Errorf("Value(%v): %v", v, err)
		}
	}
	var none *schemacheck.Checker
	if schemacheck.New(nil, klue.Neutral) != nil || none.Value(1) != nil || none.Document([]byte("x")) != nil || none.Fast() != nil {
		t.Error("a nil checker must accept everything")
	}
}
