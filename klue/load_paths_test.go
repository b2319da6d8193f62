package klue_test

import (
	"fmt"
	"slices"
	"strings"
	"testing"

	"github.com/klue-go/klue-client-server/klue"
)

// warningLines returns an API's warnings, one formatted line each.
func warningLines(api *klue.API) []string {
	var out []string
	for _, w := range api.Warnings() {
		out = append(out, w.Error())
	}
	return out
}

func TestIdenticalPathTemplates(t *testing.T) {
	t.Parallel()
	const file = "testdata/paths/identical.yaml"
	const fault = `testdata/paths/identical.yaml:12:7: /paths/~1journals~1{JournalNumber}/get: GET /journals/{JournalNumber} has the same template as GET /journals/{JournalID} (testdata/paths/identical.yaml:6:7), which answers all its requests: OpenAPI forbids templates that differ only in parameter names`
	le := asLoadError(t, klue.NewPool().Add("api", klue.File(file)))
	if got := problemLines(le); len(got) != 1 || got[0] != fault {
		t.Errorf("strict: problems\n%s\nwant\n%s", strings.Join(got, "\n"), fault)
	}

	api := loadFile(t, file, klue.WithLenient())
	if ws := warningLines(api); !slices.Contains(ws, fault) {
		t.Errorf("lenient: warnings\n%s\nwant among them\n%s", strings.Join(ws, "\n"), fault)
	}
	for key, unrouted := range map[string]bool{
		"getJournalByID": false, "getJournalByNumber": true, "deleteJournal": false, "getJournalJSON": false,
	} {
		op, err := api.Operation(key)
		if err != nil {
			t.Fatal(err)
		}
		if got := op.Unrouted != ""; got != unrouted {
			t.Errorf("%s: Unrouted = %q, want it set: %v", key, op.Unrouted, unrouted)
		}
	}
}

func TestPathKeysWithQueryOrFragment(t *testing.T) {
	t.Parallel()
	api := loadFile(t, "testdata/paths/variants.yaml")
	want := []string{
		`testdata/paths/variants.yaml:10:7: /paths/~1a?beta=true/get: GET /a?beta=true is not routed: a request path holds no query ('?'); GET /a answers its requests`,
		`testdata/paths/variants.yaml:14:7: /paths/~1files~1{id}#variant/get: GET /files/{id}#variant is not routed: a request path holds no fragment ('#'); no operation answers its requests`,
	}
	ws := warningLines(api)
	for _, w := range want {
		if !slices.Contains(ws, w) {
			t.Errorf("warnings\n%s\nwant among them\n%s", strings.Join(ws, "\n"), w)
		}
	}
	for key, unrouted := range map[string]bool{"getA": false, "getABeta": true, "getFileVariant": true} {
		op, err := api.Operation(key)
		if err != nil {
			t.Fatal(err)
		}
		if got := op.Unrouted != ""; got != unrouted {
			t.Errorf("%s: Unrouted = %q, want it set: %v", key, op.Unrouted, unrouted)
		}
	}
}

func TestWarningsPastTheCapAreCounted(t *testing.T) {
	t.Parallel()
	var b strings.Builder
	b.WriteString("openapi: 3.0.3\ninfo: {title: t, version: '1'}\npaths:\n")
	for i := range 230 {
		fmt.Fprintf(&b, "  /a%d:\n    gett: {}\n", i)
	}
	ws := warningLines(addSpec(t, b.String()))
	if len(ws) != 201 || ws[200] != "... and 30 more warnings" {
		t.Errorf("%d warnings, the last %q", len(ws), ws[len(ws)-1])
	}
}
