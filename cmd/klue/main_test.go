package main

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func TestCheck(t *testing.T) {
	t.Parallel()
	var out, errOut bytes.Buffer
	code := run([]string{"check", "../../specs/login.yaml", "../../specs/user.yaml"}, &out, &errOut)
	if code != 0 {
		t.Fatalf("exit %d: %s%s", code, out.String(), errOut.String())
	}
	for _, want := range []string{
		"../../specs/login.yaml: ok: Swagger 2.0, 3 operations, 5 models,",
		"../../specs/user.yaml: ok: OpenAPI 3.0.3, 5 operations, 6 models,",
	} {
		if !strings.Contains(out.String(), want) {
			t.Errorf("output lacks %q:\n%s", want, out.String())
		}
	}
}

func TestCheckFailure(t *testing.T) {
	t.Parallel()
	var out, errOut bytes.Buffer
	code := run([]string{"check", "../../specs/login.yaml", "testdata/bad_default.yaml"}, &out, &errOut)
	if code != 1 {
		t.Fatalf("exit %d, want 1", code)
	}
	if !strings.Contains(out.String(), "testdata/bad_default.yaml: FAIL") || !strings.Contains(out.String(), `bad_default.yaml:12:20: /paths/~1welcome/get/parameters/0/default: default "somestring" does not fit its schema`) {
		t.Errorf("output:\n%s", out.String())
	}
	if !strings.Contains(out.String(), "login.yaml: ok") {
		t.Error("a failing file stopped the others from being checked")
	}
}

func TestCheckWarningsAndRefRoot(t *testing.T) {
	t.Parallel()
	var out, errOut bytes.Buffer
	petstore := "testdata/multifile"
	if code := run([]string{"check", petstore + "/spec/swagger.yaml"}, &out, &errOut); code != 1 {
		t.Errorf("without -ref-root: exit %d", code)
	}
	out.Reset()
	if code := run([]string{"check", "-ref-root", petstore, petstore + "/spec/swagger.yaml"}, &out, &errOut); code != 0 {
		t.Errorf("with -ref-root: exit %d: %s", code, out.String())
	}
	out.Reset()
	run([]string{"check", "testdata/warnings.yaml"}, &out, &errOut)
	if !strings.Contains(out.String(), "warning: ") || !strings.Contains(out.String(), "$ref is empty (null)") {
		t.Errorf("check does not print warnings:\n%s", out.String())
	}
}

func TestRoutes(t *testing.T) {
	t.Parallel()
	var out, errOut bytes.Buffer
	code := run([]string{"routes", "../../klue/testdata/endpoints.yaml"}, &out, &errOut)
	if code != 0 {
		t.Fatalf("exit %d: %s", code, errOut.String())
	}
	lines := strings.Split(strings.TrimSpace(out.String()), "\n")
	if len(lines) != 6 || !strings.HasPrefix(lines[0], "METHOD") {
		t.Fatalf("routes:\n%s", out.String())
	}
	want := []string{"POST", "/v1/v1/auth/login", "pnt_login.handlers.do_login", "login"}
	for _, w := range want {
		if !strings.Contains(lines[1], w) {
			t.Errorf("first route %q lacks %q", lines[1], w)
		}
	}
	if !strings.Contains(out.String(), "x-no-bind-server") || !strings.Contains(out.String(), "server decorator foo.bar.baz") {
		t.Errorf("bindings missing:\n%s", out.String())
	}
}

func TestUsage(t *testing.T) {
	t.Parallel()
	var out, errOut bytes.Buffer
	if code := run(nil, &out, &errOut); code != 2 || !strings.Contains(errOut.String(), "usage:") {
		t.Errorf("no arguments: exit %d", code)
	}
	if code := run([]string{"frobnicate"}, &out, &errOut); code != 2 {
		t.Errorf("unknown command: exit %d", code)
	}
}

func TestCheckLenient(t *testing.T) {
	t.Parallel()
	const spec = "../../klue/testdata/paths/identical.yaml"
	var out, errOut bytes.Buffer
	if code := run([]string{"check", spec}, &out, &errOut); code != 1 || !strings.Contains(out.String(), "OpenAPI forbids templates that differ only in parameter names") {
		t.Errorf("strict: exit %d:\n%s", code, out.String())
	}
	out.Reset()
	if code := run([]string{"check", "-lenient", "-v", spec}, &out, &errOut); code != 0 {
		t.Errorf("lenient: exit %d:\n%s%s", code, out.String(), errOut.String())
	}
	if !strings.Contains(out.String(), spec+": ok: OpenAPI 3.0.3, 4 operations") || !strings.Contains(out.String(), "warning: "+spec+":12:7: ") {
		t.Errorf("lenient output:\n%s", out.String())
	}
}

func TestRoutesShowsUnroutedOperations(t *testing.T) {
	t.Parallel()
	var out, errOut bytes.Buffer
	if code := run([]string{"routes", "../../klue/testdata/paths/variants.yaml"}, &out, &errOut); code != 0 {
		t.Fatalf("exit %d: %s", code, errOut.String())
	}
	var line string
	for _, l := range strings.Split(out.String(), "\n") {
		if strings.Contains(l, "/a?beta=true") {
			line = l
		}
	}
	if !strings.Contains(line, "not routed: a request path holds no query ('?'); GET /a answers its requests") {
		t.Errorf("routes:\n%s", out.String())
	}
	out.Reset()
	if code := run([]string{"routes", "-lenient", "../../klue/testdata/paths/identical.yaml"}, &out, &errOut); code != 0 || !strings.Contains(out.String(), "not routed: same template as GET /journals/{JournalID}") {
		t.Errorf("routes -lenient: exit %d:\n%s%s", code, out.String(), errOut.String())
	}
}

func TestRefRootFlagNamed(t *testing.T) {
	t.Parallel()
	const petstore = "testdata/multifile"
	spec := petstore + "/spec/swagger.yaml"
	for name, args := range map[string][]string{
		"check":  {"check", spec},
		"routes": {"routes", spec},
		"gen":    {"gen", "-spec", spec, "-pkg", "petstore", "-o", t.TempDir()},
		"mock":   {"mock", "-addr", "127.0.0.1:0", spec},
		"probe":  {"probe", spec, "http://127.0.0.1:1"},
	} {
		var out, errOut bytes.Buffer
		if code := run(args, &out, &errOut); code != 1 {
			t.Errorf("klue %s: exit %d, want 1", name, code)
		}
		text := out.String() + errOut.String()
		if !strings.Contains(text, "(allow it with -ref-root DIR)") || strings.Contains(text, "klue.WithRefRoot") {
			t.Errorf("klue %s does not name the -ref-root flag:\n%s", name, text)
		}
	}
}

// TestCheckPlacesSyntaxErrors checks that check names the file, line and
// column of a fault that keeps a spec file or a file it refers to from
// parsing.
func TestCheckPlacesSyntaxErrors(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	files := map[string]string{
		"root.yaml":   "openapi: 3.0.3\ninfo: {title: t, version: '1'}\npaths: {}\ncomponents:\n  schemas:\n    X: {$ref: 'models.yaml#/A'}\n",
		"models.yaml": "A:\n  type: object\n\tdescription: x\n",
		"utf8.yaml":   "openapi: 3.0.3\ninfo: {title: t, version: '1'}\npaths: {}\nx: \"é\xff\"\n",
		"dup.json":    `{"openapi": "3.0.3", "info": {"title": "t", "version": "1"}, "paths": {}, "paths": {}}`,
	}
	for name, doc := range files {
		if err := os.WriteFile(filepath.Join(dir, name), []byte(doc), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	var out, errOut bytes.Buffer
	args := []string{"check", filepath.Join(dir, "root.yaml"), filepath.Join(dir, "utf8.yaml"), filepath.Join(dir, "dup.json")}
	if code := run(args, &out, &errOut); code != 1 {
		t.Fatalf("exit %d, want 1", code)
	}
	for _, want := range []string{
		`root.yaml:6:15: /components/schemas/X: $ref "models.yaml#/A" cannot be parsed: ` + filepath.Join(dir, "models.yaml") + `:3:1: tab character in indentation`,
		`utf8.yaml:4:6: invalid UTF-8: byte 0xff`,
		`warning: ` + filepath.Join(dir, "dup.json") + `:1:75: duplicate key "paths": the last value is used`,
	} {
		if !strings.Contains(out.String(), want) {
			t.Errorf("output lacks %q:\n%s", want, out.String())
		}
	}
}
