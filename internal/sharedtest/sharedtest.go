package sharedtest

import (
	"bufio"
	"bytes"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// RequiredEnv names the environment variable that, set to 1, turns a missing
// shared directory from a skip into a failure.
const RequiredEnv = "KLUE_SHARED_REQUIRED"

// modulePath is the module whose directory has the shared data beside it.
const modulePath = "github.com/klue-go/klue-client-server"

// Dir returns the path of ../shared/parts..., relative to the test's working
// directory, where .. is the parent of the repository root (the directory of
// the go.mod declaring the klue module, found by walking up from the working
// directory, so that nested modules such as bench/ find it too).
//
// When the path does not exist, Dir skips the test, or fails it when
// KLUE_SHARED_REQUIRED=1.
func Dir(t testing.TB, parts ...string) string {
	t.Helper()
	name := filepath.ToSlash(filepath.Join(append([]string{"..", "shared"}, parts...)...))
	path, err := Find(parts...)
	if err != nil {
		if os.Getenv(RequiredEnv) == "1" {
			t.Fatalf("%s not found (%s=1 requires it): %v", name, RequiredEnv, err)
		}
		t.Skipf("%s not found; set %s=1 to require it", name, RequiredEnv)
	}
	return path
}

// Find returns the path of ../shared/parts... as [Dir] does, or why it cannot,
// for the few uses where the shared data is optional, such as a fuzz target's
// extra seeds.
func Find(parts ...string) (string, error) {
	wd, err := os.Getwd()
	if err != nil {
		return "", err
	}
	root, err := repoRoot(wd)
	if err != nil {
		return "", err
	}
	abs := filepath.Join(append([]string{filepath.Dir(root), "shared"}, parts...)...)
	if _, err := os.Stat(abs); err != nil {
		return "", err
	}
	rel, err := filepath.Rel(wd, abs)
	if err != nil {
		return abs, nil
	}
	return rel, nil
}

// repoRoot walks up from dir to the directory whose go.mod declares the klue
// module.
func repoRoot(dir string) (string, error) {
	for d := dir; ; {
		data, err := os.ReadFile(filepath.Join(d, "go.mod"))
		if err == nil && declares(data, modulePath) {
			return d, nil
		}
		if err != nil && !errors.Is(err, os.ErrNotExist) {
			return "", err
		}
		parent := filepath.Dir(d)
		if parent == d {
			return "", fmt.Errorf("no go.mod declaring module %s above %s", modulePath, dir)
		}
		d = parent
	}
}

// declares reports whether the go.mod text declares module path.
func declares(gomod []byte, path string) bool {
	sc := bufio.NewScanner(bytes.NewReader(gomod))
	for sc.Scan() {
		f := strings.Fields(sc.Text())
		if len(f) >= 2 && f[0] == "module" {
			return strings.Trim(f[1], `"`) == path
		}
	}
	return false
}
