package main_test

import (
	"bytes"
	"fmt"
	"go/build"
	"io"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"
)

// The tests start the example the way the README says, as a process, from
// a binary built once for them all by TestMain.
var binary string

func TestMain(m *testing.M) {
	dir, err := os.MkdirTemp("", "example_service-")
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	binary = filepath.Join(dir, "example_service")
	build := exec.Command(goCommand(), "build", "-o", binary, ".")
	build.Stdout, build.Stderr = os.Stderr, os.Stderr
	if err := build.Run(); err != nil {
		fmt.Fprintln(os.Stderr, "building the example:", err)
		os.RemoveAll(dir)
		os.Exit(1)
	}
	code := m.Run()
	os.RemoveAll(dir)
	os.Exit(code)
}

// goCommand is the go command running the tests.
func goCommand() string {
	if p, err := exec.LookPath("go"); err == nil {
		return p
	}
	return filepath.Join(build.Default.GOROOT, "bin", "go")
}

// instance is a running example process.
type instance struct {
	cmd *exec.Cmd
	// addr and base map each service to its address (host:port) and the
	// URL of its API.
	addr, base     map[string]string
	stdout, stderr *syncBuffer
	exited         chan struct{} // closed once the process has exited
	waitErr        error         // Wait's error, once exited is closed
	stopped        bool
}

// startExample starts the example on free ports with a data directory of
// its own, and waits until it serves. The test's end stops it and checks
// that it exits cleanly.
func startExample(t *testing.T, args ...string) *instance {
	t.Helper()
	args = append([]string{"-public-port", "0", "-login-port", "0", "-user-port", "0", "-data", t.TempDir()}, args...)
	in := &instance{
		cmd:    exec.Command(binary, args...),
		addr:   map[string]string{},
		base:   map[string]string{},
		stdout: &syncBuffer{},
		stderr: &syncBuffer{},
		exited: make(chan struct{}),
	}
	in.cmd.Dir = ".." // the repository's root, where the README runs it
	in.cmd.Stdout, in.cmd.Stderr = in.stdout, in.stderr
	if err := in.cmd.Start(); err != nil {
		t.Fatal(err)
	}
	go func() {
		in.waitErr = in.cmd.Wait()
		close(in.exited)
	}()
	t.Cleanup(func() {
		if !in.stopped {
			in.stop(t)
		}
	})

	listed := regexp.MustCompile(`(?m)^\s+(public|login|user)\s+(http://(\S+)/v1)\s+docs: (\S+)$`)
	deadline := time.After(60 * time.Second)
	for !strings.Contains(in.stdout.String(), "Stop with Ctrl-C.") {
		select {
		case <-in.exited:
			t.Fatalf("the example exited at start: %v\nstdout:\n%s\nstderr:\n%s", in.waitErr, in.stdout, in.stderr)
		case <-deadline:
			t.Fatalf("the example did not start in time\nstdout:\n%s\nstderr:\n%s", in.stdout, in.stderr)
		case <-time.After(20 * time.Millisecond):
		}
	}
	for _, m := range listed.FindAllStringSubmatch(in.stdout.String(), -1) {
		in.base[m[1]], in.addr[m[1]] = m[2], m[3]
		if m[4] != m[2]+"/docs/" {
			t.Errorf("docs of %s at %s, want %s/docs/", m[1], m[4], m[2])
		}
	}
	if len(in.addr) != 3 {
		t.Fatalf("the example did not list its three services:\n%s", in.stdout)
	}
	for name, base := range in.base {
		res, err := httpClient.Get(base + "/docs/")
		if err != nil {
			t.Fatalf("%s service: %v", name, err)
		}
		res.Body.Close()
		if res.StatusCode != http.StatusOK {
			t.Fatalf("%s service: GET /v1/docs/: %d", name, res.StatusCode)
		}
	}
	return in
}

// stop sends SIGTERM and checks that the process exits cleanly, after
// saying so in its log.
func (in *instance) stop(t *testing.T) {
	t.Helper()
	in.stopped = true
	if err := in.cmd.Process.Signal(syscall.SIGTERM); err != nil {
		t.Errorf("SIGTERM: %v", err)
	}
	select {
	case <-in.exited:
	case <-time.After(30 * time.Second):
		_ = in.cmd.Process.Kill()
		<-in.exited
		t.Errorf("the example did not stop within 30 s of SIGTERM\nstderr:\n%s", in.stderr)
		return
	}
	if in.waitErr != nil {
		t.Errorf("the example exited with %v after SIGTERM\nstderr:\n%s", in.waitErr, in.stderr)
	}
	if !strings.Contains(in.stderr.String(), "msg=stopped") {
		t.Errorf("the example's log does not say it stopped:\n%s", in.stderr)
	}
}

// logLines returns the lines of the example's log that hold every one of
// the fields given, once there are at least want of them or a few seconds
// have passed: a request is logged just after it is answered.
func (in *instance) logLines(want int, fields ...string) []string {
	for deadline := time.Now().Add(5 * time.Second); ; time.Sleep(10 * time.Millisecond) {
		var out []string
		for _, line := range strings.Split(in.stderr.String(), "\n") {
			all := line != ""
			for _, f := range fields {
				all = all && strings.Contains(" "+line+" ", " "+f+" ")
			}
			if all {
				out = append(out, line)
			}
		}
		if len(out) >= want || time.Now().After(deadline) {
			return out
		}
	}
}

// httpClient is the tests' client: no request may hang a test.
var httpClient = &http.Client{Timeout: 30 * time.Second}

// answer is an HTTP response, read.
type answer struct {
	status int
	header http.Header
	body   string
}

// send makes one request; a body is sent as JSON, a token as a bearer token.
func send(t *testing.T, method, url, token, body string, header ...string) answer {
	t.Helper()
	var r io.Reader
	if body != "" {
		r = strings.NewReader(body)
	}
	req, err := http.NewRequest(method, url, r)
	if err != nil {
		t.Fatal(err)
	}
	if body != "" {
		req.Header.Set("Content-Type", "application/json")
	}
	if token != "" {
		req.Header.Set("Authorization", "Bearer "+token)
	}
	for i := 0; i+1 < len(header); i += 2 {
		req.Header.Set(header[i], header[i+1])
	}
	res, err := httpClient.Do(req)
	if err != nil {
		t.Fatalf("%s %s: %v", method, url, err)
	}
	defer res.Body.Close()
	data, err := io.ReadAll(res.Body)
	if err != nil {
		t.Fatalf("%s %s: reading the answer: %v", method, url, err)
	}
	return answer{status: res.StatusCode, header: res.Header, body: string(data)}
}

// syncBuffer is a bytes.Buffer that a process writes to while the test
// reads it.
type syncBuffer struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

func (b *syncBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.Write(p)
}

func (b *syncBuffer) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.String()
}
