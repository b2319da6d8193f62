package main

import (
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
)

// TestToolDirective installs klue as the README says, in a module of its
// own that requires this checkout: go get -tool adds the tool directive, a
// //go:generate line runs go tool klue gen, the generated package builds,
// and go mod tidy keeps all of it (a go run line would lose its
// requirement there, since no package imports cmd/klue).
func TestToolDirective(t *testing.T) {
	t.Parallel()
	root, err := filepath.Abs("../..")
	if err != nil {
		t.Fatal(err)
	}
	mod := t.TempDir()
	write := func(name, data string) {
		t.Helper()
		if err := os.MkdirAll(filepath.Dir(filepath.Join(mod, name)), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(filepath.Join(mod, name), []byte(data), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	spec, err := os.ReadFile("../../specs/login.yaml")
	if err != nil {
		t.Fatal(err)
	}
	sum, err := os.ReadFile(filepath.Join(root, "go.sum"))
	if err != nil {
		t.Fatal(err)
	}
	write("go.mod", "module example.com/svc\n\ngo 1.26.0\n\nrequire github.com/klue-go/klue-client-server v0.0.0\n\n"+
		"replace github.com/klue-go/klue-client-server => "+root+"\n")
	write("go.sum", string(sum))
	write("specs/login.yaml", string(spec))
	write("loginapi/generate.go", "// Package loginapi holds the types of the login API.\npackage loginapi\n\n"+
		"//go:generate go tool klue gen -spec ../specs/login.yaml -o .\n")
	write("main.go", `package main

import (
	"fmt"

	"example.com/svc/loginapi"
)

func main() { fmt.Println(loginapi.Login) }
`)

	goCmd(t, mod, "get", "-tool", "github.com/klue-go/klue-client-server/cmd/klue")
	if data, err := os.ReadFile(filepath.Join(mod, "go.mod")); err != nil || !strings.Contains(string(data), "\ntool github.com/klue-go/klue-client-server/cmd/klue\n") {
		t.Fatalf("go get -tool did not add the tool directive:\n%s", data)
	}
	goCmd(t, mod, "generate", "./...")
	goCmd(t, mod, "mod", "tidy")
	if out := goCmd(t, mod, "run", "."); strings.TrimSpace(out) != "login" {
		t.Errorf("the generated key prints %q, want login", out)
	}
	goCmd(t, mod, "generate", "./...") // still there after go mod tidy
	if out := goCmd(t, mod, "tool", "klue", "check", "specs/login.yaml"); !strings.Contains(out, "specs/login.yaml: ok") {
		t.Errorf("go tool klue check: %s", out)
	}
}

// goCmd runs the go command in dir, offline (every module it needs is in
// the module cache already: this checkout's tests need them), and returns
// its output.
func goCmd(t *testing.T, dir string, args ...string) string {
	t.Helper()
	goBin, err := exec.LookPath("go")
	if err != nil {
		t.Fatal(err)
	}
	cmd := exec.Command(goBin, args...)
	cmd.Dir = dir
	cmd.Env = append(os.Environ(), "GOFLAGS=-mod=mod", "GOPROXY=off", "GOWORK=off", "GOTOOLCHAIN=local")
	out, err := cmd.CombinedOutput()
	if err != nil {
		t.Fatalf("go %s: %v\n%s", strings.Join(args, " "), err, out)
	}
	return string(out)
}
