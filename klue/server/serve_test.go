package server_test

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/klue-go/klue-client-server/klue/server"
)

// served records the paths a handler was called for.
type served struct {
	mu    sync.Mutex
	paths []string
}

func (s *served) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	body, _ := io.ReadAll(r.Body)
	s.mu.Lock()
	s.paths = append(s.paths, r.URL.Path)
	s.mu.Unlock()
	fmt.Fprintf(w, "%s:%s", r.URL.Path, body)
}

func (s *served) list() []string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]string(nil), s.paths...)
}

// startServe runs server.Serve on a loopback port until the test ends.
func startServe(t *testing.T, h http.Handler, cfg server.ServeConfig) string {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- server.Serve(ctx, ln, h, cfg) }()
	t.Cleanup(func() {
		cancel()
		if err := <-done; err != nil {
			t.Errorf("Serve: %v", err)
		}
	})
	return ln.Addr().String()
}

// exchange writes raw bytes on a new connection and reads until the server
// closes it, or until the deadline: it reports whether the server closed.
func rawExchange(t *testing.T, addr, raw string) (answer string, closed bool) {
	t.Helper()
	c, err := net.Dial("tcp", addr)
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	if _, err := io.WriteString(c, raw); err != nil {
		t.Fatal(err)
	}
	_ = c.SetReadDeadline(time.Now().Add(2 * time.Second))
	data, err := io.ReadAll(c)
	var ne net.Error
	timedOut := errors.As(err, &ne) && ne.Timeout()
	return string(data), err == nil && !timedOut
}

// TestServeRefusesDoubleFraming checks RFC 9112 section 6.3 on a real
// connection: a request carrying both Content-Length and Transfer-Encoding
// gets 400 and the connection is closed, so that a request smuggled in its
// body is never served; a chunked request is served, and its connection
// closed after it; plain keep-alive requests are served one after another.
func TestServeRefusesDoubleFraming(t *testing.T) {
	t.Parallel()
	smuggled := "GET /smuggled HTTP/1.1\r\nHost: x\r\n\r\n"
	chunkedEnd := "0\r\n\r\n" + smuggled
	tests := []struct {
		name      string
		raw       string
		wantPaths []string
		want400   bool
	}{
		{
			name:      "Content-Length and Transfer-Encoding",
			raw:       fmt.Sprintf("POST /first HTTP/1.1\r\nHost: x\r\nContent-Length: %d\r\nTransfer-Encoding: chunked\r\n\r\n%s", len(chunkedEnd), chunkedEnd),
			wantPaths: nil,
			want400:   true,
		},
		{
			name:      "Transfer-Encoding before Content-Length, LF line ends",
			raw:       fmt.Sprintf("POST /first HTTP/1.1\nHost: x\ntransfer-encoding: chunked\ncontent-length: %d\n\n%s", len(chunkedEnd), chunkedEnd),
			wantPaths: nil,
			want400:   true,
		},
		{
			name: "after a kept-alive request",
			raw: "POST /one HTTP/1.1\r\nHost: x\r\nContent-Length: 5\r\n\r\nhello" +
				fmt.Sprintf("POST /first HTTP/1.1\r\nHost: x\r\nContent-Length: %d\r\nTransfer-Encoding: chunked\r\n\r\n%s", len(chunkedEnd), chunkedEnd),
			wantPaths: []string{"/one"},
			want400:   true,
		},
		{
			name:      "Transfer-Encoding in HTTP/1.0",
			raw:       fmt.Sprintf("POST /first HTTP/1.0\r\nHost: x\r\nConnection: keep-alive\r\nTransfer-Encoding: chunked\r\nContent-Length: %d\r\n\r\n%s", len(chunkedEnd), chunkedEnd),
			wantPaths: nil,
			want400:   true,
		},
		{
			name:      "chunked alone: served, then closed",
			raw:       "POST /first HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n5\r\nhello\r\n" + chunkedEnd,
			wantPaths: []string{"/first"},
		},
		{
			name:      "kept-alive requests",
			raw:       "GET /one HTTP/1.1\r\nHost: x\r\n\r\nPOST /two HTTP/1.1\r\nHost: x\r\nContent-Length: 3\r\n\r\nabcGET /three HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n",
			wantPaths: []string{"/one", "/two", "/three"},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			h := &served{}
			addr := startServe(t, h, server.ServeConfig{})
			answer, closed := rawExchange(t, addr, tt.raw)
			if !closed {
				t.Errorf("the connection stayed open; answer %q", answer)
			}
			if got := h.list(); strings.Join(got, ",") != strings.Join(tt.wantPaths, ",") {
				t.Errorf("served %v, want %v; answer %q", got, tt.wantPaths, answer)
			}
			if got := strings.Count(answer, " 400 Bad Request\r\n"); tt.want400 != (got == 1) {
				t.Errorf("%d answers 400, want400 %v: %q", got, tt.want400, answer)
			}
			if strings.Contains(answer, "/smuggled") {
				t.Errorf("the smuggled request was answered: %q", answer)
			}
		})
	}
}

// TestServeLimits checks the limits of ServeConfig on real connections:
// an idle connection and a slow header are closed, an oversized header is
// refused, and connections beyond the cap wait for one to end.
func TestServeLimits(t *testing.T) {
	t.Parallel()
	cfg := server.ServeConfig{
		ReadHeaderTimeout: 200 * time.Millisecond,
		IdleTimeout:       200 * time.Millisecond,
		MaxHeaderBytes:    4 << 10,
		MaxConnections:    2,
	}
	addr := startServe(t, &served{}, cfg)

	t.Run("idle connection closed", func(t *testing.T) {
		_, closed := rawExchange(t, addr, "GET /a HTTP/1.1\r\nHost: x\r\n\r\n")
		if !closed {
			t.Error("an idle kept-alive connection stayed open")
		}
	})
	t.Run("slow header closed", func(t *testing.T) {
		answer, closed := rawExchange(t, addr, "GET /a HTTP/1.1\r\nHost: x\r\n")
		if !closed || strings.Contains(answer, "200 OK") {
			t.Errorf("a header never finished: closed %v, answer %q", closed, answer)
		}
	})
	t.Run("oversized header", func(t *testing.T) {
		answer, _ := rawExchange(t, addr, "GET /a HTTP/1.1\r\nHost: x\r\nX-Big: "+strings.Repeat("b", 64<<10)+"\r\n\r\n")
		if !strings.HasPrefix(answer, "HTTP/1.1 431 ") {
			t.Errorf("an oversized header: %.100q", answer)
		}
	})
	t.Run("connections capped", func(t *testing.T) {
		var held []net.Conn
		for range 2 {
			c, err := net.Dial("tcp", addr)
			if err != nil {
				t.Fatal(err)
			}
			defer c.Close()
			held = append(held, c)
		}
		// Both accepted connections are idle, within IdleTimeout: a third
		// is not served until the server closes one of them.
		start := time.Now()
		c, err := net.Dial("tcp", addr)
		if err != nil {
			t.Fatal(err)
		}
		defer c.Close()
		_, _ = io.WriteString(c, "GET /third HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n")
		_ = c.SetReadDeadline(time.Now().Add(5 * time.Second))
		line, err := bufio.NewReader(c).ReadString('\n')
		if err != nil || !strings.HasPrefix(line, "HTTP/1.1 200") {
			t.Fatalf("the third connection: %q, %v", line, err)
		}
		if waited := time.Since(start); waited < 100*time.Millisecond {
			t.Errorf("the third connection was served after %v, while two were held", waited)
		}
		_ = held
	})
}

func bufioReader(s string) *bufio.Reader { return bufio.NewReader(strings.NewReader(s)) }
