package klue_test

import (
	"strings"
	"testing"
)

func TestEachDefaultProblemOnce(t *testing.T) {
	t.Parallel()
	// The nested schema is converted with its model and again as an entry
	// of its own (it holds a default); its default is one problem.
	le := loadError(t, `openapi: 3.0.3
info: {title: t, version: '1'}
paths: {}
components:
  schemas:
    Settings:
      type: object
      properties:
        retries: {type: integer, default: "3"}
    Holder:
      type: object
      properties:
        settings: {$ref: '#/components/schemas/Settings'}
`)
	want := `spec.yaml:9:43: /components/schemas/Settings/properties/retries/default: default "3" does not fit its schema: got string, want integer`
	if got := problemLines(le); strings.Join(got, "\n") != want {
		t.Errorf("problems:\n%s\nwant:\n%s", strings.Join(got, "\n"), want)
	}
}
