package klue_test

import (
	"strings"
	"testing"

	"github.com/klue-go/klue-client-server/klue"
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
func TestDefaultsJudgedByTheirType(t *testing.T) {
	t.Parallel()
	// Kubernetes publishes defaults that match their type but not the rest
	// of their schema; OpenAPI asks no more, and they are never filled in.
	api := loadFile(t, "testdata/defaults/kubernetes.yaml")
	const at = "testdata/defaults/kubernetes.yaml:"
	const props = "/components/schemas/io.k8s.api.core.v1.PodSpec/properties/"
	sameLines(t, "warnings", warningLines(api), []string{
		at + `12:20: ` + props + `restartPolicy/default: default "" does not fit its schema: value must be one of 'Always', 'Never', 'OnFailure'; klue never fills it in, so only its type must match`,
		at + `14:20: ` + props + `securityContext/default: default {} does not fit its schema: runAsUser: is required; klue never fills it in, so only its type must match`,
	})
}

func TestDefaultsOfTheWrongType(t *testing.T) {
	t.Parallel()
	const file = "testdata/defaults/wrongtype.yaml"
	const at = file + ":"
	const props = "/components/schemas/Settings/properties/"
	faults := []string{
		at + `9:43: ` + props + `retries/default: default "3" does not fit its schema: got string, want integer`,
		at + `10:41: ` + props + `ratio/default: default 0.5 does not fit its schema: got number, want integer`,
		at + `11:61: ` + props + `tags/default: default {} does not fit its schema: got object, want array`,
		at + `12:50: ` + props + `mode/default: default true does not fit its schema: got boolean, want string or integer`,
	}
	beyondType := at + `13:53: ` + props + `limit/default: default 12 does not fit its schema: maximum: got 12, want 10; klue never fills it in, so only its type must match`

	// Each problem once, not once per time its schema is converted.
	sameLines(t, "strict errors", problemLines(asLoadError(t, klue.NewPool().Add("api", klue.File(file)))), faults)
	api := loadFile(t, file, klue.WithLenient())
	sameLines(t, "lenient warnings", warningLines(api), append(faults[:4:4], beyondType))
}

func TestParameterDefaultsMustFitWholly(t *testing.T) {
	t.Parallel()
	for _, c := range []struct {
		file string
		want []string
	}{
		{"testdata/defaults/params.yaml", []string{
			`testdata/defaults/params.yaml:7:77: /paths/~1items/get/parameters/0/default: default "up" does not fit its schema: value must be one of 'asc', 'desc'; klue fills it into requests that omit the parameter, so it must fit`,
		}},
		{"testdata/defaults/params30.yaml", []string{
			`testdata/defaults/params30.yaml:12:54: /components/schemas/Sort/default: default "up" does not fit its schema: value must be one of 'asc', 'desc'; klue fills it into requests that omit the parameter, so it must fit`,
			`testdata/defaults/params30.yaml:8:82: /paths/~1items/get/parameters/1/schema/default: default 500 does not fit its schema: maximum: got 500, want 100; klue fills it into requests that omit the parameter, so it must fit`,
		}},
	} {
		// Lenient mode does not forgive them: the server would hand
		// handlers a value the schema refuses.
		for _, opts := range [][]klue.Option{nil, {klue.WithLenient()}} {
			le := asLoadError(t, klue.NewPool().Add("api", klue.File(c.file), opts...))
			sameLines(t, c.file, problemLines(le), c.want)
		}
	}
}

// sameLines fails the test unless got and want hold the same lines, in
// order.
func sameLines(t *testing.T, what string, got, want []string) {
	t.Helper()
	if strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Errorf("%s:\n%s\nwant:\n%s", what, strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
}
