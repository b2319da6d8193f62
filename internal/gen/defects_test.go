package gen_test

import (
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/klue-go/klue-client-server/internal/gen"
	"github.com/klue-go/klue-client-server/klue"
	"github.com/klue-go/klue-client-server/klue/kluetest"
)

// TestNoPropertyLost checks the declarations testdata/roundtrip.yaml
// gives for schemas whose properties types used to lose; the round trip of
// TestRoundTripTestdata proves the values come back whole.
func TestNoPropertyLost(t *testing.T) {
	t.Parallel()
	res, err := gen.Generate(load(t, spec{file: filepath.Join("testdata", "roundtrip.yaml")}), gen.Config{Package: "roundtripapi"})
	if err != nil {
		t.Fatal(err)
	}
	src := string(res.Files[0].Data) + string(res.Files[1].Data)
	for _, tt := range []struct{ what, decl string }{
		{"allOf members both define path: its properties merge",
			`type RouterPath struct { ID string ` + "`json:\"id\"`" + ` CreatedAt \*time.Time ` + "`json:\"created_at,omitempty\"`" + ` Kind \*RouterPathKind ` + "`json:\"kind,omitempty\"`" + ` }`},
		{"properties beside a oneOf are in every option",
			`type PaymentOption1 struct { Amount int ` + "`json:\"amount\"`" + ` Currency \*string ` + "`json:\"currency,omitempty\"`" + ` CardNumber string ` + "`json:\"card_number\"`" + ` }`},
		{"properties beside a discriminated oneOf are in every option",
			`type Transfer struct { CardTransfer \*TransferCardTransfer BankTransfer \*TransferBankTransfer }`},
		{"a required, nullable, readOnly property is sent as null",
			`NextCursor \*string ` + "`json:\"next_cursor\"`"},
		{"an optional, nullable property tells null from absent",
			`Total klue.Nullable\[int\] ` + "`json:\"total,omitzero\"`"},
		{"a JSON body and a multipart body of other schemas share one type",
			`type EditImageRequest struct { Prompt string ` + "`json:\"prompt\"`" + ` Size \*EditImageRequestSize ` + "`json:\"size,omitempty\"`" + ` Images \[\]string ` + "`json:\"images,omitzero\"`" + ` Image \*string ` + "`json:\"image,omitempty\"`" + ` N \*int ` + "`json:\"n,omitempty\"`" + ` }`},
		{"Accept, Content-Type and Authorization get no field; a default makes a plain value",
			`type ListRoutersRequest struct { Limit int ` + "`query:\"limit\"`" + ` Cursor \*string ` + "`query:\"cursor\"`" + ` XTrace string ` + "`header:\"X-Trace\"`" + ` }`},
	} {
		re := regexp.MustCompile(strings.ReplaceAll(tt.decl, " ", `\s+`))
		if !re.MatchString(src) {
			t.Errorf("%s: no %s in\n%s", tt.what, tt.decl, src)
		}
	}
}

// TestConflictingAllOf expects a property two allOf members define with
// different types to be refused, at both places.
func TestConflictingAllOf(t *testing.T) {
	t.Parallel()
	src := `openapi: 3.0.3
info: {title: t, version: "1"}
paths: {}
components:
  schemas:
    A:
      allOf:
        - type: object
          properties:
            size: {type: integer}
        - type: object
          properties:
            size: {type: string}
`
	pool := klue.NewPool()
	kluetest.Add(t, pool, "t", klue.Bytes("conflict.yaml", []byte(src)))
	api, _ := pool.API("t")
	_, err := gen.Generate(api, gen.Config{Package: "t"})
	if err == nil {
		t.Fatal("no error")
	}
	for _, want := range []string{`conflict.yaml:13:19: the property "size" is a string here and an integer at conflict.yaml:10:19`} {
		if !strings.Contains(err.Error(), want) {
			t.Errorf("%v\nlacks %q", err, want)
		}
	}
}

// TestFileProperties31 expects the file properties of an OpenAPI 3.1
// multipart body, told by contentMediaType rather than format binary, to
// be files in the Req type: alone, in an array, and through allOf. That
// the types fit the operation (server.Fit) TestCorpus proves.
func TestFileProperties31(t *testing.T) {
	t.Parallel()
	res, err := gen.Generate(load(t, spec{file: filepath.Join("testdata", "files31.yaml")}), gen.Config{Package: "files31api"})
	if err != nil {
		t.Fatal(err)
	}
	var src strings.Builder
	for _, f := range res.Files {
		src.Write(f.Data)
	}
	for _, decl := range []string{
		`Image \*server.File ` + "`form:\"image\"`",
		`Images \[\]\*server.File ` + "`form:\"images\"`",
		`Thumb \*server.File ` + "`form:\"thumb\"`",
		`Caption \*string ` + "`form:\"caption\"`",
	} {
		re := regexp.MustCompile(strings.ReplaceAll(decl, " ", `\s+`))
		if !re.MatchString(src.String()) {
			t.Errorf("no %s in\n%s", decl, src.String())
		}
	}
}

// TestTupleIsAnySlice expects a tuple (prefixItems), whose positions have
// schemas of their own, to be a []any, never a slice of the rest's type.
func TestTupleIsAnySlice(t *testing.T) {
	t.Parallel()
	file := filepath.Join(t.TempDir(), "tuple.yaml")
	if err := os.WriteFile(file, []byte(`openapi: 3.1.0
info: {title: t, version: '1'}
paths: {}
components:
  schemas:
    Pair:
      type: object
      required: [p]
      properties:
        p: {type: array, prefixItems: [{type: string}], items: {type: integer}}
`), 0o600); err != nil {
		t.Fatal(err)
	}
	res, err := gen.Generate(load(t, spec{file: file}), gen.Config{Package: "tupleapi"})
	if err != nil {
		t.Fatal(err)
	}
	var src strings.Builder
	for _, f := range res.Files {
		src.Write(f.Data)
	}
	if re := regexp.MustCompile(`P\s+\[\]any\s+` + "`json:\"p\"`"); !re.MatchString(src.String()) {
		t.Errorf("no P []any in\n%s", src.String())
	}
}
