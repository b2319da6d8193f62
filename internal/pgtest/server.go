package pgtest

import (
	"context"
	"errors"
	"fmt"
	"net"
	"os"
	"os/exec"
	"os/user"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"syscall"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"
)

// Server is a PostgreSQL server started for a test. Its one role,
// "postgres", is a superuser that needs no password on loopback.
//
// A Server is safe for concurrent use. Its zero value is not usable: get
// one with [Start].
type Server struct {
	bin  string // directory of initdb and postgres
	dir  string // owned by the server's user; data/ and log inside
	port int
	cred *syscall.Credential // nil: run as the current user

	mu   sync.Mutex
	proc *process
	dbs  atomic.Int64
}

// process is one run of postgres; done is closed when it has exited.
type process struct {
	cmd  *exec.Cmd
	done chan struct{}
	err  error
}

// startTimeout bounds how long the server may take to accept connections.
const startTimeout = 60 * time.Second

// Start initialises a database cluster in a temporary directory and starts
// a server on it, stopped and removed when t ends. It skips t when the
// machine has no PostgreSQL server binaries, and fails t when they are there
// but the server does not start.
func Start(t testing.TB) *Server {
	t.Helper()
	bin, err := findBinaries()
	if err != nil {
		t.Skipf("pgtest: %v", err)
	}
	s := &Server{bin: bin}
	if s.cred, err = unprivileged(); err != nil {
		t.Fatalf("pgtest: %v", err)
	}
	if s.dir, err = s.makeDir(); err != nil {
		t.Fatalf("pgtest: %v", err)
	}
	t.Cleanup(func() {
		s.stop(syscall.SIGQUIT)
		os.RemoveAll(s.dir)
	})
	initdb := s.command("initdb", "-D", s.dataDir(), "-U", "postgres", "-A", "trust", "-E", "UTF8", "--locale=C", "--no-sync")
	if out, err := initdb.CombinedOutput(); err != nil {
		t.Fatalf("pgtest: initdb: %v\n%s", err, out)
	}
	if s.port, err = freePort(); err != nil {
		t.Fatalf("pgtest: %v", err)
	}
	if err := s.start(); err != nil {
		t.Fatalf("pgtest: %v", err)
	}
	return s
}

// URL returns the connection string of the database "postgres".
func (s *Server) URL() string { return s.databaseURL("postgres") }

// Port returns the loopback port the server listens on.
func (s *Server) Port() int { return s.port }

// NewDatabase creates an empty database and returns its connection string,
// so that tests sharing one server do not share tables.
func (s *Server) NewDatabase(t testing.TB) string {
	t.Helper()
	name := fmt.Sprintf("test_%d", s.dbs.Add(1))
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	conn, err := pgx.Connect(ctx, s.URL())
	if err != nil {
		t.Fatalf("pgtest: %v", err)
	}
	defer conn.Close(ctx)
	if _, err := conn.Exec(ctx, "CREATE DATABASE "+name); err != nil {
		t.Fatalf("pgtest: %v", err)
	}
	return s.databaseURL(name)
}

// Restart stops the server and starts it again on the same port and data.
// With immediate set, the server is stopped the way a crash would stop it
// (SIGQUIT: no checkpoint, recovery from the WAL at start); otherwise with a
// fast shutdown (SIGINT: open sessions are ended, then a checkpoint).
func (s *Server) Restart(t testing.TB, immediate bool) {
	t.Helper()
	sig := syscall.SIGINT
	if immediate {
		sig = syscall.SIGQUIT
	}
	if err := s.stop(sig); err != nil {
		t.Fatalf("pgtest: stop: %v", err)
	}
	if err := s.start(); err != nil {
		t.Fatalf("pgtest: %v", err)
	}
}

// Stop stops the server (a fast shutdown) until [Server.Resume]:
// connections are refused meanwhile.
func (s *Server) Stop(t testing.TB) {
	t.Helper()
	if err := s.stop(syscall.SIGINT); err != nil {
		t.Fatalf("pgtest: stop: %v", err)
	}
}

// Resume starts a server stopped by [Server.Stop] again, on the same port
// and data.
func (s *Server) Resume(t testing.TB) {
	t.Helper()
	if err := s.start(); err != nil {
		t.Fatalf("pgtest: %v", err)
	}
}

func (s *Server) databaseURL(db string) string {
	return fmt.Sprintf("postgres://postgres@127.0.0.1:%d/%s?sslmode=disable", s.port, db)
}

func (s *Server) dataDir() string { return filepath.Join(s.dir, "data") }
func (s *Server) logFile() string { return filepath.Join(s.dir, "postgres.log") }

// start runs postgres and waits until it accepts connections.
func (s *Server) start() error {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.proc != nil {
		return errors.New("the server is already running")
	}
	logf, err := os.OpenFile(s.logFile(), os.O_CREATE|os.O_WRONLY|os.O_APPEND, 0o644)
	if err != nil {
		return err
	}
	defer logf.Close()
	cmd := s.command("postgres", "-D", s.dataDir(),
		"-p", strconv.Itoa(s.port),
		"-c", "listen_addresses=127.0.0.1",
		"-c", "unix_socket_directories=",
		// A test server needs no protection from the machine crashing;
		// commits still reach the WAL, so a crash of the server loses none.
		"-c", "fsync=off",
		"-c", "full_page_writes=off",
		"-c", "max_connections=200",
	)
	cmd.Stdout, cmd.Stderr = logf, logf
	// The server dies with the test binary rather than outliving it.
	cmd.SysProcAttr.Pdeathsig = syscall.SIGQUIT
	if err := cmd.Start(); err != nil {
		return fmt.Errorf("start postgres: %w", err)
	}
	p := &process{cmd: cmd, done: make(chan struct{})}
	go func() {
		p.err = cmd.Wait()
		close(p.done)
	}()
	s.proc = p

	ctx, cancel := context.WithTimeout(context.Background(), startTimeout)
	defer cancel()
	for {
		conn, err := pgx.Connect(ctx, s.URL())
		if err == nil {
			return conn.Close(ctx)
		}
		select {
		case <-p.done:
			s.proc = nil
			return fmt.Errorf("postgres exited (%v) before accepting connections:\n%s", p.err, s.logTail())
		case <-ctx.Done():
			return fmt.Errorf("postgres did not accept connections within %v: %v\n%s", startTimeout, err, s.logTail())
		case <-time.After(50 * time.Millisecond):
		}
	}
}

// stop signals the server and waits for it to exit, killing it if it takes
// too long.
func (s *Server) stop(sig syscall.Signal) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	p := s.proc
	if p == nil {
		return nil
	}
	s.proc = nil
	if err := p.cmd.Process.Signal(sig); err != nil && !errors.Is(err, os.ErrProcessDone) {
		return err
	}
	select {
	case <-p.done:
		return nil
	case <-time.After(30 * time.Second):
		p.cmd.Process.Kill()
		<-p.done
		return fmt.Errorf("postgres did not stop within 30s after %v; killed", sig)
	}
}

func (s *Server) logTail() string {
	b, _ := os.ReadFile(s.logFile())
	if len(b) > 4000 {
		b = b[len(b)-4000:]
	}
	return string(b)
}

// command prepares one of the PostgreSQL programs, to run as the server's
// user with a minimal environment.
func (s *Server) command(name string, args ...string) *exec.Cmd {
	cmd := exec.Command(filepath.Join(s.bin, name), args...)
	cmd.Dir = s.dir
	cmd.Env = []string{"HOME=" + s.dir, "LC_ALL=C", "TZ=UTC", "PATH=" + s.bin + ":/usr/bin:/bin"}
	cmd.SysProcAttr = &syscall.SysProcAttr{Credential: s.cred}
	return cmd
}

// makeDir makes the server's directory, owned by the user it runs as.
func (s *Server) makeDir() (string, error) {
	parent := os.TempDir()
	if s.cred != nil && !reachableByOthers(parent) {
		parent = "/tmp" // TMPDIR may be private to root
	}
	dir, err := os.MkdirTemp(parent, "klue-pgtest-")
	if err != nil {
		return "", err
	}
	if s.cred != nil {
		if err := os.Chown(dir, int(s.cred.Uid), int(s.cred.Gid)); err != nil {
			os.RemoveAll(dir)
			return "", err
		}
	}
	return dir, nil
}

// reachableByOthers reports whether every directory down to dir may be
// traversed by any user.
func reachableByOthers(dir string) bool {
	for d := filepath.Clean(dir); ; d = filepath.Dir(d) {
		fi, err := os.Stat(d)
		if err != nil || fi.Mode().Perm()&0o001 == 0 {
			return false
		}
		if d == filepath.Dir(d) {
			return true
		}
	}
}

// unprivileged returns the credentials to run PostgreSQL with: nil when the
// test is not root, and the user "nobody" when it is, since PostgreSQL
// refuses to run as root.
func unprivileged() (*syscall.Credential, error) {
	if os.Geteuid() != 0 {
		return nil, nil
	}
	u, err := user.Lookup("nobody")
	if err != nil {
		return nil, fmt.Errorf("running as root, and no user \"nobody\" to run PostgreSQL as: %w", err)
	}
	uid, err1 := strconv.ParseUint(u.Uid, 10, 32)
	gid, err2 := strconv.ParseUint(u.Gid, 10, 32)
	if err := errors.Join(err1, err2); err != nil {
		return nil, err
	}
	return &syscall.Credential{Uid: uint32(uid), Gid: uint32(gid), NoSetGroups: true}, nil
}

// findBinaries returns the directory holding initdb and postgres: the one
// $KLUE_PG_BIN names, else the one of initdb on PATH, else the newest
// /usr/lib/postgresql/<version>/bin (Debian keeps them off PATH).
func findBinaries() (string, error) {
	var cands []string
	if dir := os.Getenv("KLUE_PG_BIN"); dir != "" {
		cands = append(cands, dir)
	}
	if p, err := exec.LookPath("initdb"); err == nil {
		if real, err := filepath.EvalSymlinks(p); err == nil {
			cands = append(cands, filepath.Dir(real))
		}
	}
	versions, _ := filepath.Glob("/usr/lib/postgresql/*/bin")
	slices.SortFunc(versions, func(a, b string) int { return versionOf(b) - versionOf(a) })
	cands = append(cands, versions...)
	for _, dir := range cands {
		if executable(filepath.Join(dir, "initdb")) && executable(filepath.Join(dir, "postgres")) {
			return dir, nil
		}
	}
	return "", errors.New("no PostgreSQL server binaries (initdb and postgres) in $KLUE_PG_BIN, on PATH or in /usr/lib/postgresql/*/bin: install PostgreSQL (Debian: apt-get install postgresql) to run this test")
}

func versionOf(binDir string) int {
	v, _ := strconv.Atoi(strings.SplitN(filepath.Base(filepath.Dir(binDir)), ".", 2)[0])
	return v
}

func executable(path string) bool {
	fi, err := os.Stat(path)
	return err == nil && !fi.IsDir() && fi.Mode()&0o111 != 0
}

// freePort returns a loopback TCP port that was free a moment ago.
func freePort() (int, error) {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return 0, err
	}
	defer l.Close()
	return l.Addr().(*net.TCPAddr).Port, nil
}
