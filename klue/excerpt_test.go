package klue_test

import (
	"encoding/json"
	"errors"
	"strings"
	"testing"

	"github.com/klue-go/klue-client-server/klue"
)

// TestViolationsQuoteExcerpts checks that a violation quotes at most an
// excerpt of the value it is about, in its message, value and location,
// for each kind of message that names the value.
func TestViolationsQuoteExcerpts(t *testing.T) {
	t.Parallel()
	api := addSpec(t, `swagger: '2.0'
info: {title: t, version: '1'}
paths: {}
definitions:
  Thing:
    type: object
    additionalProperties: false
    properties:
      email: {type: string, format: email}
      role: {type: string, enum: [a, b]}
      code: {type: string, pattern: '^[a-z]+$'}
      count: {type: integer, maximum: 3}
      nested:
        type: object
        additionalProperties: {type: integer}
`)
	m, err := api.Model("Thing")
	if err != nil {
		t.Fatal(err)
	}
	long := strings.Repeat("Z", 100_000)
	for _, doc := range []string{
		`{"email":"` + long + `"}`,
		`{"role":"` + long + `"}`,
		`{"code":"` + long + `"}`,
		`{"count":1` + strings.Repeat("0", 100_000) + `}`,
		`{"` + long + `":1}`,
		`{"nested":{"` + long + `":"x"}}`,
	} {
		err := m.Schema.ValidateJSON(klue.Neutral, []byte(doc))
		var ve *klue.ValidationError
		if !errors.As(err, &ve) || len(ve.Violations) == 0 {
			t.Fatalf("%.40s: error %v, want violations", doc, err)
		}
		for _, v := range ve.Violations {
			data, _ := json.Marshal(v)
			if len(data) > 600 {
				t.Errorf("%.40s: a %d-byte violation: %.200s", doc, len(data), data)
			}
		}
	}
}
