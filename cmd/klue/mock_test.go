package main

import (
	"bytes"
	"context"
	"io"
	"net/http"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"
)

// lockedBuffer is a bytes.Buffer safe for a writer and a reader.
type lockedBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (l *lockedBuffer) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.Write(p)
}

func (l *lockedBuffer) String() string {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.String()
}

func TestMock(t *testing.T) {
	t.Parallel()
	ctx, cancel := context.WithCancel(context.Background())
	var out, errOut lockedBuffer
	code := make(chan int, 1)
	go func() {
		code <- serveMock(ctx, []string{"-addr", "127.0.0.1:0", "../../specs/public.yaml"}, &out, &errOut)
	}()
	listening := regexp.MustCompile(`on (http://\S+) `)
	var base string
	for deadline := time.Now().Add(10 * time.Second); base == "" && time.Now().Before(deadline); time.Sleep(10 * time.Millisecond) {
		if m := listening.FindStringSubmatch(out.String()); m != nil {
			base = m[1]
		}
	}
	if base == "" {
		cancel()
		t.Fatalf("the mock did not start: %s%s", out.String(), errOut.String())
	}
	res, err := http.Get(base + "/version")
	if err != nil {
		t.Fatal(err)
	}
	body, _ := io.ReadAll(res.Body)
	res.Body.Close()
	if res.StatusCode != http.StatusOK || !strings.Contains(string(body), `"version"`) {
		t.Errorf("GET /version: %d %s", res.StatusCode, body)
	}
	cancel()
	if c := <-code; c != 0 {
		t.Errorf("exit %d: %s", c, errOut.String())
	}
}

func TestMockUsage(t *testing.T) {
	t.Parallel()
	var out, errOut bytes.Buffer
	if c := serveMock(context.Background(), []string{}, &out, &errOut); c != 2 {
		t.Errorf("no spec: exit %d", c)
	}
	if c := serveMock(context.Background(), []string{"testdata/no-such.yaml"}, &out, &errOut); c != 1 {
		t.Errorf("a missing spec: exit %d", c)
	}
}
