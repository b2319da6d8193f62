package sharedtest

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// recorder stands for a test: it records how Dir ended it.
type recorder struct {
	testing.TB
	skipped, failed string
}

type stop struct{}

func (r *recorder) Helper() {}
func (r *recorder) Skipf(format string, args ...any) {
	r.skipped = formatted(format, args)
	panic(stop{})
}
func (r *recorder) Fatalf(format string, args ...any) {
	r.failed = formatted(format, args)
	panic(stop{})
}

func formatted(format string, args []any) string {
	return strings.TrimSpace(strings.ReplaceAll(fmt.Sprintf(format, args...), "\n", " "))
}

// call runs Dir as a test would and returns what it returned or how it ended.
func call(t *testing.T, parts ...string) (path string, r *recorder) {
	r = &recorder{TB: t}
	func() {
		defer func() {
			if v := recover(); v != nil {
				if _, ok := v.(stop); !ok {
					panic(v)
				}
			}
		}()
		path = Dir(r, parts...)
	}()
	return path, r
}

// tree builds root/{repo/go.mod, repo/pkg/sub, shared/corpus} and returns root.
func tree(t *testing.T, withShared bool) string {
	root := t.TempDir()
	must(t, os.MkdirAll(filepath.Join(root, "repo/pkg/sub"), 0o755))
	must(t, os.MkdirAll(filepath.Join(root, "repo/bench"), 0o755))
	must(t, os.WriteFile(filepath.Join(root, "repo/go.mod"), []byte("module "+modulePath+"\n\ngo 1.26\n"), 0o644))
	must(t, os.WriteFile(filepath.Join(root, "repo/bench/go.mod"), []byte("module "+modulePath+"/bench\n"), 0o644))
	if withShared {
		must(t, os.MkdirAll(filepath.Join(root, "shared/corpus"), 0o755))
	}
	return root
}

func must(t *testing.T, err error) {
	t.Helper()
	if err != nil {
		t.Fatal(err)
	}
}

func TestDirFound(t *testing.T) {
	root := tree(t, true)
	for _, tc := range []struct{ wd, want string }{
		{"repo", "../shared/corpus"},
		{"repo/pkg/sub", "../../../shared/corpus"},
		{"repo/bench", "../../shared/corpus"},
	} {
		t.Chdir(filepath.Join(root, tc.wd))
		t.Setenv(RequiredEnv, "1")
		got, r := call(t, "corpus")
		if r.skipped != "" || r.failed != "" || filepath.ToSlash(got) != tc.want {
			t.Errorf("from %s: Dir = %q (skipped %q, failed %q), want %q", tc.wd, got, r.skipped, r.failed, tc.want)
		}
	}
}

func TestDirMissingSkips(t *testing.T) {
	t.Chdir(filepath.Join(tree(t, false), "repo/pkg"))
	t.Setenv(RequiredEnv, "")
	_, r := call(t, "corpus")
	if want := "../shared/corpus not found; set KLUE_SHARED_REQUIRED=1 to require it"; r.skipped != want || r.failed != "" {
		t.Errorf("skipped %q, failed %q; want skipped %q", r.skipped, r.failed, want)
	}
}

func TestDirMissingFailsWhenRequired(t *testing.T) {
	t.Chdir(filepath.Join(tree(t, false), "repo/pkg"))
	t.Setenv(RequiredEnv, "1")
	_, r := call(t, "corpus", "INDEX.md")
	if r.skipped != "" || !strings.HasPrefix(r.failed, "../shared/corpus/INDEX.md not found (KLUE_SHARED_REQUIRED=1 requires it)") {
		t.Errorf("skipped %q, failed %q; want a failure naming the path and the variable", r.skipped, r.failed)
	}
}

func TestDirOutsideTheModule(t *testing.T) {
	t.Chdir(t.TempDir())
	t.Setenv(RequiredEnv, "1")
	_, r := call(t, "corpus")
	if !strings.Contains(r.failed, "no go.mod declaring module "+modulePath) {
		t.Errorf("failed %q; want it to say no go.mod declares the module", r.failed)
	}
}
