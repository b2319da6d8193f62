package bench

import (
	"bufio"
	"bytes"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"go/build"
	"io"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"runtime"
	"slices"
	"sort"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"
)

// The end-to-end load test: example_service, built and run as a process the
// way its README runs it, and the bare services of e2e_bare_test.go, in a
// process of their own, loaded in turns by the load generator below
// through loopback connections.

var (
	e2eConns    = flag.Int("e2e.conns", 64, "end-to-end load test: concurrent connections")
	e2eDuration = flag.Duration("e2e.duration", 3*time.Second, "end-to-end load test: length of one measured turn")
	e2eWarm     = flag.Duration("e2e.warm", 500*time.Millisecond, "end-to-end load test: unmeasured load before each turn")
	e2eRounds   = flag.Int("e2e.rounds", 3, "end-to-end load test: rounds, each a turn of each stack")
	e2eMax      = flag.Int("e2e.max", 2_000_000, "end-to-end load test: most requests in one turn")
	e2eProfile  = flag.String("e2e.profile", "", "end-to-end load test: a directory to write CPU profiles of both processes in, taken during the first round")
	e2eBlock    = flag.Bool("e2e.block", false, "end-to-end load test: with -e2e.profile, record and write blocking and mutex profiles too (slows both stacks)")
)

func TestMain(m *testing.M) {
	if dir := os.Getenv(bareEnv); dir != "" {
		if os.Getenv(blockEnv) != "" {
			runtime.SetBlockProfileRate(10_000)
			runtime.SetMutexProfileFraction(10)
		}
		if err := serveBare(dir); err != nil {
			fmt.Fprintln(os.Stderr, "bare services:", err)
			os.Exit(1)
		}
		os.Exit(0)
	}
	os.Exit(m.Run())
}

// stack is a running process of three services.
type stack struct {
	name  string
	cmd   *exec.Cmd
	base  map[string]string // service name -> URL of its API
	debug string            // URL of expvar and pprof
	token string
	done  chan struct{}
}

// blockEnv turns the blocking and mutex profiles of both stacks on.
const blockEnv = "KLUE_E2E_BLOCK"

var listedRE = regexp.MustCompile(`^\s+(public|login|user)\s+(http://\S+/v1)\b`)

// start runs cmd and reads its standard output until it lists its services.
func start(b *testing.B, name string, cmd *exec.Cmd) *stack {
	b.Helper()
	stdout, err := cmd.StdoutPipe()
	if err != nil {
		b.Fatal(err)
	}
	logs, err := os.Create(filepath.Join(b.TempDir(), name+".log"))
	if err != nil {
		b.Fatal(err)
	}
	cmd.Stderr = logs
	if err := cmd.Start(); err != nil {
		b.Fatal(err)
	}
	s := &stack{name: name, cmd: cmd, base: map[string]string{}, done: make(chan struct{})}
	b.Cleanup(func() {
		_ = cmd.Process.Kill()
		<-s.done
		logs.Close()
	})
	ready := make(chan error, 1)
	go func() {
		defer close(s.done)
		sc := bufio.NewScanner(stdout)
		for sc.Scan() {
			line := sc.Text()
			if m := listedRE.FindStringSubmatch(line); m != nil {
				s.base[m[1]] = m[2]
			}
			if d, ok := strings.CutPrefix(line, "e2e-debug "); ok {
				s.debug = d
			}
			if strings.Contains(line, "Stop with Ctrl-C.") {
				ready <- nil
			}
		}
		ready <- fmt.Errorf("%s exited before it served: %v", name, cmd.Wait())
	}()
	select {
	case err := <-ready:
		if err != nil {
			b.Fatal(err)
		}
	case <-time.After(2 * time.Minute):
		b.Fatalf("%s did not start in time", name)
	}
	if len(s.base) != 3 || s.debug == "" {
		b.Fatalf("%s listed %v, debug %q", name, s.base, s.debug)
	}
	return s
}

// startExample builds example_service with the debug listener of
// testdata/e2e/debug.go added, and runs it on free ports.
func startExample(b *testing.B) *stack {
	root, err := filepath.Abs("..")
	if err != nil {
		b.Fatal(err)
	}
	dir := b.TempDir()
	debug, err := filepath.Abs("testdata/e2e/debug.go")
	if err != nil {
		b.Fatal(err)
	}
	overlay, _ := json.Marshal(map[string]any{"Replace": map[string]string{
		filepath.Join(root, "example_service", "zz_e2e_debug.go"): debug,
	}})
	if err := os.WriteFile(filepath.Join(dir, "overlay.json"), overlay, 0o600); err != nil {
		b.Fatal(err)
	}
	bin := filepath.Join(dir, "example_service")
	build := exec.Command(goCommand(), "build", "-overlay", filepath.Join(dir, "overlay.json"), "-o", bin, "./example_service")
	build.Dir = root
	if out, err := build.CombinedOutput(); err != nil {
		b.Fatalf("building example_service: %v\n%s", err, out)
	}
	cmd := exec.Command(bin, "-public-port", "0", "-login-port", "0", "-user-port", "0", "-data", filepath.Join(dir, "data"))
	cmd.Env = append(os.Environ(), "KLUE_E2E_DEBUG=1")
	if *e2eBlock {
		cmd.Env = append(cmd.Env, blockEnv+"=1")
	}
	s := start(b, "example", cmd)

	// Sign up and log in, as the README does.
	post := func(url, body string, want int) []byte {
		res, err := http.Post(url, "application/json", strings.NewReader(body))
		if err != nil {
			b.Fatal(err)
		}
		defer res.Body.Close()
		data, _ := io.ReadAll(res.Body)
		if res.StatusCode != want {
			b.Fatalf("POST %s: %s: %s", url, res.Status, data)
		}
		return data
	}
	creds := `"email":"load@example.com","password":"correct horse battery"`
	post(s.base["user"]+"/users", `{"name":"Load Test",`+creds+`}`, http.StatusCreated)
	var welcome struct{ Token string }
	if err := json.Unmarshal(post(s.base["login"]+"/login", `{`+creds+`}`, http.StatusOK), &welcome); err != nil || welcome.Token == "" {
		b.Fatalf("login: %v %q", err, welcome.Token)
	}
	s.token = welcome.Token
	return s
}

// startBare runs this test binary again as the bare services.
func startBare(b *testing.B) *stack {
	cmd := exec.Command(os.Args[0])
	cmd.Env = append(os.Environ(), bareEnv+"="+b.TempDir())
	if *e2eBlock {
		cmd.Env = append(cmd.Env, blockEnv+"=1")
	}
	s := start(b, "bare", cmd)
	s.token = bareToken
	return s
}

func goCommand() string {
	if p, err := exec.LookPath("go"); err == nil {
		return p
	}
	return filepath.Join(build.Default.GOROOT, "bin", "go")
}

// mallocs reads the process's count of heap allocations from expvar.
func (s *stack) mallocs(b *testing.B) uint64 {
	res, err := http.Get(s.debug + "/debug/vars")
	if err != nil {
		b.Fatal(err)
	}
	defer res.Body.Close()
	var vars struct{ Memstats struct{ Mallocs uint64 } }
	if err := json.NewDecoder(res.Body).Decode(&vars); err != nil {
		b.Fatal(err)
	}
	return vars.Memstats.Mallocs
}

// loadResult is what one turn of load measured.
type loadResult struct {
	requests int
	elapsed  time.Duration
	p50, p99 time.Duration
	mallocs  uint64        // by the server process, during the turn
	cpu      time.Duration // of the server process, during the turn
}

func (r loadResult) perSecond() float64 { return float64(r.requests) / r.elapsed.Seconds() }

// load sends GET url with the token from conns connections at once, each
// sending its next request when the previous one is answered, for d or
// until limit requests are sent. Every answer must be a 200.
func load(hc *http.Client, url, token string, conns int, d time.Duration, limit int) (loadResult, error) {
	var (
		sent     atomic.Int64
		failed   atomic.Pointer[error]
		wg       sync.WaitGroup
		latency  = make([][]time.Duration, conns)
		deadline = time.Now().Add(d)
	)
	begin := time.Now()
	for w := range conns {
		wg.Add(1)
		go func() {
			defer wg.Done()
			lat := make([]time.Duration, 0, 4096)
			for time.Now().Before(deadline) && sent.Add(1) <= int64(limit) && failed.Load() == nil {
				req, _ := http.NewRequest(http.MethodGet, url, http.NoBody)
				req.Header.Set("Authorization", "Bearer "+token)
				t0 := time.Now()
				res, err := hc.Do(req)
				if err == nil {
					_, err = io.Copy(io.Discard, res.Body)
					res.Body.Close()
					if err == nil && res.StatusCode != http.StatusOK {
						err = fmt.Errorf("GET %s: %s", url, res.Status)
					}
				}
				if err != nil {
					failed.CompareAndSwap(nil, &err)
					break
				}
				lat = append(lat, time.Since(t0))
			}
			latency[w] = lat
		}()
	}
	wg.Wait()
	r := loadResult{elapsed: time.Since(begin)}
	if p := failed.Load(); p != nil {
		return r, *p
	}
	all := slices.Concat(latency...)
	slices.Sort(all)
	r.requests = len(all)
	if len(all) > 0 {
		r.p50, r.p99 = all[len(all)*50/100], all[len(all)*99/100]
	}
	return r, nil
}

// BenchmarkEndToEnd loads example_service's GET /v1/version and its fan-out
// GET /v1/me (public asks user and login at once; user asks login about
// the token, then reads the user from SQLite; login reads the session),
// and the same endpoints of the bare services, at a fixed concurrency for
// a fixed time, in turns: each round gives each stack one turn per
// endpoint, the stack going first alternating from round to round. It
// reports the medians over the rounds of each stack's requests per second,
// p50 and p99 latency, and heap allocations per request (of the server
// process: its three services, the calls between them included), and the
// median of the rounds' ratios of klue's requests per second to bare's.
// b.N is not used: one run is the measurement.
//
//	go test -run '^$' -bench EndToEnd -benchtime 1x . -args -e2e.conns 64 -e2e.duration 3s -e2e.rounds 3
func BenchmarkEndToEnd(b *testing.B) {
	if testing.Short() {
		b.Skip("end-to-end load test: not in -short mode")
	}
	stacks := []*stack{startExample(b), startBare(b)}
	t := http.DefaultTransport.(*http.Transport).Clone()
	t.MaxIdleConns = 2 * *e2eConns
	t.MaxIdleConnsPerHost = *e2eConns
	hc := &http.Client{Transport: t}
	defer t.CloseIdleConnections()

	for _, path := range []string{"/version", "/me"} {
		b.Run(strings.TrimPrefix(path, "/"), func(b *testing.B) {
			results := map[string][]loadResult{}
			var ratios, cpuRatios []float64
			for round := range *e2eRounds {
				order := slices.Clone(stacks)
				if round%2 == 1 {
					slices.Reverse(order)
				}
				got := map[string]loadResult{}
				for _, s := range order {
					url := s.base["public"] + path
					if _, err := load(hc, url, s.token, *e2eConns, *e2eWarm, *e2eMax); err != nil {
						b.Fatalf("%s: %v", s.name, err)
					}
					var prof func()
					if round == 0 && *e2eProfile != "" {
						prof = s.profile(b, path)
					}
					before, cpu := s.mallocs(b), s.cpuTime()
					r, err := load(hc, url, s.token, *e2eConns, *e2eDuration, *e2eMax)
					if err != nil {
						b.Fatalf("%s: %v", s.name, err)
					}
					r.mallocs = s.mallocs(b) - before
					r.cpu = s.cpuTime() - cpu
					if prof != nil {
						prof()
					}
					got[s.name] = r
					results[s.name] = append(results[s.name], r)
					b.Logf("round %d %-7s %8.0f req/s  p50 %6.2f ms  p99 %6.2f ms  %6.0f allocs/req  %6.0f cpu-µs/req", round+1, s.name,
						r.perSecond(), ms(r.p50), ms(r.p99), float64(r.mallocs)/float64(r.requests), r.cpuPerRequest())
				}
				ratios = append(ratios, got["example"].perSecond()/got["bare"].perSecond())
				cpuRatios = append(cpuRatios, got["example"].cpuPerRequest()/got["bare"].cpuPerRequest())
			}
			for _, s := range stacks {
				rs := results[s.name]
				name := map[string]string{"example": "klue", "bare": "bare"}[s.name]
				b.ReportMetric(median(rs, func(r loadResult) float64 { return r.perSecond() }), name+"-req/s")
				b.ReportMetric(median(rs, func(r loadResult) float64 { return ms(r.p50) }), name+"-p50-ms")
				b.ReportMetric(median(rs, func(r loadResult) float64 { return ms(r.p99) }), name+"-p99-ms")
				b.ReportMetric(median(rs, func(r loadResult) float64 { return float64(r.mallocs) / float64(r.requests) }), name+"-allocs/req")
				if cpu := median(rs, loadResult.cpuPerRequest); cpu > 0 {
					b.ReportMetric(cpu, name+"-cpu-µs/req")
				}
			}
			sort.Float64s(ratios)
			sort.Float64s(cpuRatios)
			b.ReportMetric(ratios[len(ratios)/2], "klue/bare-req/s")
			b.Logf("klue/bare requests/s by round: %.3f", ratios)
			if cpuRatios[0] > 0 {
				b.ReportMetric(cpuRatios[len(cpuRatios)/2], "klue/bare-cpu/req")
				b.Logf("klue/bare CPU time per request by round: %.3f", cpuRatios)
			}
		})
	}
}

// profile starts a CPU profile of the process for the turn's length; the
// function it returns waits for it and writes it to the profile directory.
func (s *stack) profile(b *testing.B, path string) func() {
	secs := max(1, int(e2eDuration.Seconds()))
	done := make(chan []byte, 1)
	go func() {
		res, err := http.Get(fmt.Sprintf("%s/debug/pprof/profile?seconds=%d", s.debug, secs))
		if err != nil {
			done <- nil
			return
		}
		defer res.Body.Close()
		var buf bytes.Buffer
		_, _ = io.Copy(&buf, res.Body)
		done <- buf.Bytes()
	}()
	return func() {
		data := <-done
		if len(data) == 0 {
			b.Errorf("%s: no CPU profile", s.name)
			return
		}
		write := func(kind string, data []byte) {
			file := filepath.Join(*e2eProfile, s.name+"-"+strings.Trim(path, "/")+"-"+kind+".pprof")
			if err := errors.Join(os.MkdirAll(*e2eProfile, 0o750), os.WriteFile(file, data, 0o600)); err != nil {
				b.Error(err)
			}
		}
		write("cpu", data)
		if !*e2eBlock {
			return
		}
		for _, kind := range []string{"block", "mutex"} {
			res, err := http.Get(s.debug + "/debug/pprof/" + kind)
			if err != nil {
				b.Error(err)
				continue
			}
			data, err := io.ReadAll(res.Body)
			res.Body.Close()
			if err != nil {
				b.Error(err)
				continue
			}
			write(kind, data)
		}
	}
}

func (r loadResult) cpuPerRequest() float64 {
	return float64(r.cpu) / float64(time.Microsecond) / float64(r.requests)
}

// cpuTime is the CPU time the process has used so far, user and system,
// from /proc (0 where there is none).
func (s *stack) cpuTime() time.Duration {
	data, err := os.ReadFile(fmt.Sprintf("/proc/%d/stat", s.cmd.Process.Pid))
	if err != nil {
		return 0
	}
	// The fields after the command's name, in parentheses: utime and
	// stime are the 12th and 13th, in clock ticks (USER_HZ, 100 on Linux).
	_, rest, ok := bytes.Cut(data, []byte(") "))
	fields := strings.Fields(string(rest))
	if !ok || len(fields) < 13 {
		return 0
	}
	utime, err1 := strconv.ParseInt(fields[11], 10, 64)
	stime, err2 := strconv.ParseInt(fields[12], 10, 64)
	if err1 != nil || err2 != nil {
		return 0
	}
	return time.Duration(utime+stime) * 10 * time.Millisecond
}

func ms(d time.Duration) float64 { return float64(d) / float64(time.Millisecond) }

func median(rs []loadResult, f func(loadResult) float64) float64 {
	v := make([]float64, len(rs))
	for i, r := range rs {
		v[i] = f(r)
	}
	sort.Float64s(v)
	return v[len(v)/2]
}
