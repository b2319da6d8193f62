package main_test

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"reflect"
	"regexp"
	"slices"
	"strings"
	"testing"
	"time"
)

// The README's quick start is run as written: its sh block is read from the
// README, each line is run against a running example, and each answer is
// compared with the one the README shows under its line, "…" standing for
// any string. So the README cannot drift from what the example does.

// TestQuickStart runs the quick start's lines through a small interpreter of
// the shell the README uses (curl, echo, sed, variables), so that it runs
// on machines without curl, and checks every request it made.
func TestQuickStart(t *testing.T) {
	t.Parallel()
	in := startExample(t)
	runQuickStart(t, in)
}

// runQuickStart runs the README's quick start against in, and checks the
// requests, the answers, and the call path the login service saw.
func runQuickStart(t *testing.T, in *instance) {
	t.Helper()
	sh := newShell(in)
	for _, l := range readQuickStart(t) {
		out, err := sh.run(l.text)
		if err != nil {
			t.Fatalf("README.md:%d: %s: %v", l.line, l.text, err)
		}
		if l.shows != "" {
			if err := matchShown(l.shows, out); err != nil {
				t.Errorf("README.md:%d: %s\nanswered %s\nthe README shows %s\n%v", l.line, l.text, out, l.shows, err)
			}
		}
	}

	// The requests, in order: the flows the quick start promises.
	want := []struct {
		service, method, path string
		status                int
	}{
		{"public", "GET", "/v1/version", 200},
		{"user", "POST", "/v1/users", 201},
		{"user", "POST", "/v1/users", 409},
		{"login", "POST", "/v1/login", 200},
		{"user", "GET", "/v1/users/{id}", 401},
		{"user", "GET", "/v1/users/{id}", 200},
		{"user", "PATCH", "/v1/users/{id}", 200},
		{"public", "GET", "/v1/me", 200},
		{"user", "POST", "/v1/users", 400},
		{"login", "POST", "/v1/login", 401},
		{"user", "GET", "/healthz", 200},
		{"user", "GET", "/readyz", 200},
	}
	if len(sh.calls) != len(want) {
		t.Fatalf("the quick start made %d requests, the test knows of %d: %v", len(sh.calls), len(want), sh.calls)
	}
	userPath := regexp.MustCompile(`^/v1/users/[0-9a-f-]{36}$`)
	for i, w := range want {
		c := sh.calls[i]
		pathOK := c.path == w.path || w.path == "/v1/users/{id}" && userPath.MatchString(c.path)
		if c.service != w.service || c.method != w.method || !pathOK || c.status != w.status {
			t.Errorf("request %d: %s %s %s answered %d, want %s %s %s answered %d", i+1, c.service, c.method, c.path, c.status, w.service, w.method, w.path, w.status)
		}
		if c.status >= 400 {
			if ct := c.header.Get("Content-Type"); ct != "application/json" {
				t.Errorf("request %d: error answered as %q, want the API's Error model in application/json", i+1, ct)
			}
			var e struct {
				Status int    `json:"status"`
				Error  string `json:"error"`
			}
			if err := json.Unmarshal([]byte(c.body), &e); err != nil || e.Status != c.status || e.Error == "" {
				t.Errorf("request %d: %d answered with %s, not the Error model", i+1, c.status, c.body)
			}
		}
	}
	if t.Failed() {
		return
	}

	// The user service's metrics, as the README shows them after the
	// quick start.
	metrics := send(t, "GET", "http://"+in.addr["user"]+"/metrics", "", "")
	for _, l := range readmeMetrics(t) {
		if !slices.Contains(strings.Split(metrics.body, "\n"), l) {
			t.Errorf("GET /metrics of the user service has no line %s:\n%s", l, metrics.body)
		}
	}

	// GET /me went public → user → login: the login service logged the
	// call with the path public.user.login, under the call ID public sent
	// back, and public's own parallel call to it as public.login.
	var me call
	for _, c := range sh.calls {
		if c.service == "public" && c.path == "/v1/me" {
			me = c
		}
	}
	id := me.header.Get("KlueCallerID")
	if id == "" {
		t.Fatal("GET /v1/me: no KlueCallerID header in the answer")
	}
	for _, path := range []string{"public.user.login", "public.login", "public.user", "public"} {
		service := path[strings.LastIndexByte(path, '.')+1:]
		if lines := in.logLines(1, "msg=request", "service="+service, "call_id="+id, "call_path="+path, "status=200"); len(lines) != 1 {
			t.Errorf("the %s service logged %d requests with call path %s and call ID %s, want 1:\n%s", service, len(lines), path, id, in.stderr)
		}
	}
}

// readmeMetrics returns the metrics lines the README shows.
func readmeMetrics(t *testing.T) []string {
	t.Helper()
	data, err := os.ReadFile("../README.md")
	if err != nil {
		t.Fatal(err)
	}
	var lines []string
	for _, l := range strings.Split(string(data), "\n") {
		if m, ok := strings.CutPrefix(l, "    klue_server_"); ok {
			lines = append(lines, "klue_server_"+m)
		}
	}
	if len(lines) == 0 {
		t.Fatal("README.md shows no metrics")
	}
	return lines
}

// TestQuickStartInShell runs the quick start's sh block with the machine's
// sh, curl and sed, exactly as a reader would, and compares what it prints
// with the answers the README shows.
func TestQuickStartInShell(t *testing.T) {
	t.Parallel()
	for _, tool := range []string{"sh", "curl", "sed"} {
		if _, err := exec.LookPath(tool); err != nil {
			t.Skipf("%s is not installed: the quick start was run by TestQuickStart's interpreter only", tool)
		}
	}
	in := startExample(t)
	script, _ := quickStartBlock(t)
	for port, service := range readmePorts {
		script = strings.ReplaceAll(script, "localhost:"+port, in.addr[service])
	}
	ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
	defer cancel()
	cmd := exec.CommandContext(ctx, "sh", "-e", "-u", "-c", script)
	out, err := cmd.Output()
	if err != nil {
		t.Fatalf("sh: %v\n%s", err, out)
	}
	var shown []string
	for _, l := range readQuickStart(t) {
		if l.shows != "" {
			shown = append(shown, l.shows)
		}
	}
	dec := json.NewDecoder(strings.NewReader(string(out)))
	for i := 0; ; i++ {
		var v json.RawMessage
		err := dec.Decode(&v)
		if errors.Is(err, io.EOF) {
			if i != len(shown) {
				t.Errorf("the quick start printed %d answers, the README shows %d:\n%s", i, len(shown), out)
			}
			break
		}
		if err != nil {
			t.Fatalf("the quick start printed something else than JSON answers: %v\n%s", err, out)
		}
		if i >= len(shown) {
			t.Fatalf("the quick start printed more answers than the README shows:\n%s", out)
		}
		if err := matchShown(shown[i], string(v)); err != nil {
			t.Errorf("answer %d: %s\nthe README shows %s\n%v", i+1, v, shown[i], err)
		}
	}
}

// readmePorts maps the ports the README's lines use to the services.
var readmePorts = map[string]string{"8080": "public", "8081": "login", "8082": "user"}

// readmeLine is one command of the quick start, with the answer the README
// shows for it.
type readmeLine struct {
	text  string // continuation lines joined
	shows string // the answer shown under it, or ""
	line  int
}

// quickStartBlock returns the sh block of the README's quick start, and the
// number of its first line.
func quickStartBlock(t *testing.T) (string, int) {
	t.Helper()
	data, err := os.ReadFile("../README.md")
	if err != nil {
		t.Fatal(err)
	}
	readme := string(data)
	i := strings.Index(readme, "\n## Quick start\n")
	if i < 0 {
		t.Fatal("README.md has no Quick start section")
	}
	j := strings.Index(readme[i:], "\n```sh\n")
	if j < 0 {
		t.Fatal("README.md: the Quick start section has no sh block")
	}
	start := i + j + len("\n```sh\n")
	end := strings.Index(readme[start:], "\n```\n")
	if end < 0 {
		t.Fatal("README.md: the quick start's sh block does not end")
	}
	return readme[start : start+end+1], strings.Count(readme[:start], "\n") + 1
}

// readQuickStart returns the commands of the quick start.
func readQuickStart(t *testing.T) []readmeLine {
	t.Helper()
	block, first := quickStartBlock(t)
	var lines []readmeLine
	continued := false // the line before ended with a backslash
	for i, raw := range strings.Split(strings.TrimSuffix(block, "\n"), "\n") {
		text := strings.TrimSpace(raw)
		more := strings.HasSuffix(text, `\`)
		text = strings.TrimSpace(strings.TrimSuffix(text, `\`))
		switch {
		case continued:
			lines[len(lines)-1].text += " " + text
		case text == "":
		case strings.HasPrefix(text, "# {"), strings.HasPrefix(text, "# ["):
			if len(lines) == 0 || lines[len(lines)-1].shows != "" {
				t.Fatalf("README.md:%d: an answer shown under no command", first+i)
			}
			lines[len(lines)-1].shows = strings.TrimPrefix(text, "# ")
		case strings.HasPrefix(text, "#"):
		default:
			lines = append(lines, readmeLine{text: text, line: first + i})
		}
		continued = more && len(lines) > 0
	}
	if len(lines) == 0 {
		t.Fatal("README.md: the quick start has no commands")
	}
	return lines
}

// matchShown compares an answer with the one the README shows: the same
// JSON, where a shown "…" stands for any string.
func matchShown(shown, got string) error {
	var want, have any
	if err := json.Unmarshal([]byte(shown), &want); err != nil {
		return fmt.Errorf("the README shows something else than JSON: %v", err)
	}
	if err := json.Unmarshal([]byte(got), &have); err != nil {
		return fmt.Errorf("the answer is not JSON: %v", err)
	}
	return matchJSON("", want, have)
}

func matchJSON(at string, want, got any) error {
	switch w := want.(type) {
	case map[string]any:
		g, ok := got.(map[string]any)
		if !ok {
			return fmt.Errorf("%s: got %v, want an object", at, got)
		}
		for k := range g {
			if _, ok := w[k]; !ok {
				return fmt.Errorf("%s/%s: not shown in the README", at, k)
			}
		}
		for k, wv := range w {
			gv, ok := g[k]
			if !ok {
				return fmt.Errorf("%s/%s: missing", at, k)
			}
			if err := matchJSON(at+"/"+k, wv, gv); err != nil {
				return err
			}
		}
		return nil
	case []any:
		g, ok := got.([]any)
		if !ok || len(g) != len(w) {
			return fmt.Errorf("%s: got %v, want %d items", at, got, len(w))
		}
		for i := range w {
			if err := matchJSON(fmt.Sprintf("%s/%d", at, i), w[i], g[i]); err != nil {
				return err
			}
		}
		return nil
	case string:
		if g, ok := got.(string); ok && w == "…" && g != "" {
			return nil
		}
	}
	if !reflect.DeepEqual(want, got) {
		return fmt.Errorf("%s: got %v, want %v", at, got, want)
	}
	return nil
}

// shell runs the quick start's lines: assignments of a command's output
// ("NAME=$(...)"), pipelines of curl, echo and sed (s/re/repl/p), quoted
// words and variables. Anything else is an error, so that the README
// cannot use what the test does not check.
type shell struct {
	in    *instance
	vars  map[string]string
	calls []call
}

// call is one request curl made.
type call struct {
	service, method, path string
	status                int
	header                http.Header
	body                  string
}

func newShell(in *instance) *shell {
	return &shell{in: in, vars: map[string]string{}}
}

var assignment = regexp.MustCompile(`^([A-Za-z_][A-Za-z0-9_]*)=\$\((.*)\)$`)

// run runs one line and returns what it prints.
func (sh *shell) run(line string) (string, error) {
	if m := assignment.FindStringSubmatch(line); m != nil {
		out, err := sh.pipeline(m[2])
		sh.vars[m[1]] = strings.TrimRight(out, "\n")
		return "", err
	}
	return sh.pipeline(line)
}

func (sh *shell) pipeline(line string) (string, error) {
	cmds, err := sh.words(line)
	if err != nil {
		return "", err
	}
	var out string
	for i, args := range cmds {
		if len(args) == 0 {
			return "", errors.New("empty command")
		}
		switch {
		case args[0] == "curl" && i == 0:
			out, err = sh.curl(args[1:])
		case args[0] == "echo" && i == 0:
			out = strings.Join(args[1:], " ") + "\n"
		case args[0] == "sed" && i > 0:
			out, err = sed(args[1:], out)
		default:
			return "", fmt.Errorf("%s: not a command the quick start may use here", args[0])
		}
		if err != nil {
			return "", err
		}
	}
	return out, nil
}

// words splits a line into the words of each command of its pipeline,
// with quotes removed and variables expanded.
func (sh *shell) words(line string) ([][]string, error) {
	var cmds [][]string
	var cur []string
	var w strings.Builder
	inWord := false
	flush := func() {
		if inWord {
			cur = append(cur, w.String())
			w.Reset()
			inWord = false
		}
	}
	for i := 0; i < len(line); i++ {
		c := line[i]
		switch {
		case c == ' ' || c == '\t':
			flush()
		case c == '|':
			flush()
			cmds = append(cmds, cur)
			cur = nil
		case c == '\'':
			j := strings.IndexByte(line[i+1:], '\'')
			if j < 0 {
				return nil, errors.New("unterminated '")
			}
			w.WriteString(line[i+1 : i+1+j])
			i += j + 1
			inWord = true
		case c == '"':
			inWord = true
			for i++; ; i++ {
				if i >= len(line) {
					return nil, errors.New(`unterminated "`)
				}
				if line[i] == '"' {
					break
				}
				if line[i] == '\\' && i+1 < len(line) && strings.IndexByte(`"\$`, line[i+1]) >= 0 {
					i++
					w.WriteByte(line[i])
					continue
				}
				if line[i] == '$' {
					n, err := sh.expand(line[i:], &w)
					if err != nil {
						return nil, err
					}
					i += n - 1
					continue
				}
				w.WriteByte(line[i])
			}
		case c == '$':
			n, err := sh.expand(line[i:], &w)
			if err != nil {
				return nil, err
			}
			i += n - 1
			inWord = true
		case c == '\\' && i+1 < len(line):
			i++
			w.WriteByte(line[i])
			inWord = true
		case strings.IndexByte(";&<>`(){}*?[]~", c) >= 0:
			return nil, fmt.Errorf("%q: not shell the quick start may use", c)
		default:
			w.WriteByte(c)
			inWord = true
		}
	}
	flush()
	return append(cmds, cur), nil
}

var varRef = regexp.MustCompile(`^\$(?:([A-Za-z_][A-Za-z0-9_]*)|\{([A-Za-z_][A-Za-z0-9_]*)\})`)

// expand writes the value of the variable s starts with, and returns the
// length of the reference.
func (sh *shell) expand(s string, w *strings.Builder) (int, error) {
	m := varRef.FindStringSubmatch(s)
	if m == nil {
		return 0, fmt.Errorf("%.10q: not a variable", s)
	}
	name := m[1] + m[2]
	v, ok := sh.vars[name]
	if !ok {
		return 0, fmt.Errorf("$%s is not set", name)
	}
	w.WriteString(v)
	return len(m[0]), nil
}

// curl makes the request curl would, with the options the quick start
// uses, at the service the README's port stands for.
func (sh *shell) curl(args []string) (string, error) {
	method, target, data := "", "", ""
	hasData := false
	header := http.Header{}
	for i := 0; i < len(args); i++ {
		a := args[i]
		needsValue := a == "-X" || a == "-H" || a == "-d"
		if needsValue && i+1 >= len(args) {
			return "", fmt.Errorf("curl %s: no value", a)
		}
		switch {
		case a == "-s" || a == "-sS" || a == "-S":
		case a == "-X":
			i++
			method = args[i]
		case a == "-H":
			i++
			name, value, ok := strings.Cut(args[i], ":")
			if !ok {
				return "", fmt.Errorf("curl -H %q: not a header", args[i])
			}
			header.Set(strings.TrimSpace(name), strings.TrimSpace(value))
		case a == "-d":
			i++
			data, hasData = args[i], true
		case strings.HasPrefix(a, "-"):
			return "", fmt.Errorf("curl %s: an option the test does not know", a)
		case target != "":
			return "", fmt.Errorf("curl: two URLs, %s and %s", target, a)
		default:
			target = a
		}
	}
	if method == "" {
		method = http.MethodGet
		if hasData {
			method = http.MethodPost
		}
	}
	if hasData && header.Get("Content-Type") == "" {
		header.Set("Content-Type", "application/x-www-form-urlencoded") // as curl -d does
	}
	if !strings.Contains(target, "://") {
		target = "http://" + target
	}
	u, err := url.Parse(target)
	if err != nil {
		return "", err
	}
	service, ok := readmePorts[u.Port()]
	if !ok || u.Hostname() != "localhost" {
		return "", fmt.Errorf("curl %s: not one of the example's services", target)
	}
	u.Host = sh.in.addr[service]
	var body io.Reader
	if hasData {
		body = strings.NewReader(data)
	}
	req, err := http.NewRequest(method, u.String(), body)
	if err != nil {
		return "", err
	}
	req.Header = header
	res, err := httpClient.Do(req)
	if err != nil {
		return "", err
	}
	defer res.Body.Close()
	out, err := io.ReadAll(res.Body)
	if err != nil {
		return "", err
	}
	sh.calls = append(sh.calls, call{service: service, method: method, path: u.Path, status: res.StatusCode, header: res.Header, body: string(out)})
	return string(out), nil
}

var sedScript = regexp.MustCompile(`^s/((?:[^/\\]|\\.)*)/((?:[^/\\]|\\.)*)/p$`)

// sed runs "sed -nE 's/re/repl/p'": for each line where re matches, the
// line with its first match replaced.
func sed(args []string, in string) (string, error) {
	if len(args) != 2 || args[0] != "-nE" && args[0] != "-En" {
		return "", fmt.Errorf("sed %q: only sed -nE 's/re/repl/p' is known", args)
	}
	m := sedScript.FindStringSubmatch(args[1])
	if m == nil {
		return "", fmt.Errorf("sed %q: only s/re/repl/p is known", args[1])
	}
	re, err := regexp.Compile(m[1])
	if err != nil {
		return "", fmt.Errorf("sed: %v", err)
	}
	repl := regexp.MustCompile(`\\([0-9])`).ReplaceAllString(m[2], "$${$1}")
	var out strings.Builder
	for _, line := range strings.Split(strings.TrimSuffix(in, "\n"), "\n") {
		loc := re.FindStringSubmatchIndex(line)
		if loc == nil {
			continue
		}
		out.WriteString(line[:loc[0]])
		out.Write(re.ExpandString(nil, repl, line, loc))
		out.WriteString(line[loc[1]:])
		out.WriteByte('\n')
	}
	return out.String(), nil
}

// TestReadmeCode checks that the code the README's "How the example works"
// shows is the example's: every line of its Go blocks, comments aside, is a
// line of the example's sources.
func TestReadmeCode(t *testing.T) {
	t.Parallel()
	data, err := os.ReadFile("../README.md")
	if err != nil {
		t.Fatal(err)
	}
	readme := string(data)
	start := strings.Index(readme, "\n## How the example works\n")
	if start < 0 {
		t.Fatal("README.md has no section How the example works")
	}
	section := readme[start+1:]
	if end := strings.Index(section, "\n## "); end >= 0 {
		section = section[:end]
	}
	sources := map[string]bool{}
	files, _ := filepath.Glob("*.go")
	for _, f := range files {
		if strings.HasSuffix(f, "_test.go") {
			continue
		}
		src, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		for _, line := range strings.Split(string(src), "\n") {
			sources[strings.TrimSpace(line)] = true
		}
	}
	blocks := strings.Split(section, "```go\n")[1:]
	if len(blocks) == 0 {
		t.Fatal("README.md: How the example works shows no Go code")
	}
	for _, block := range blocks {
		block = block[:strings.Index(block, "```")]
		for _, line := range strings.Split(block, "\n") {
			line = strings.TrimSpace(line)
			if line == "" || strings.HasPrefix(line, "//") {
				continue
			}
			if !sources[line] {
				code, _, _ := strings.Cut(line, " // ")
				if !sources[strings.TrimSpace(code)] {
					t.Errorf("README.md shows a line the example does not have: %s", line)
				}
			}
		}
	}
}
