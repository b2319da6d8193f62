package main_test

import (
	"errors"
	"fmt"
	"io"
	"net"
	"strings"
	"testing"
	"time"
)

// TestSmuggledRequestNotServed sends, on one connection to the running
// example, a request framed both by Content-Length and by
// Transfer-Encoding whose body holds a second request: the example answers
// 400, closes the connection, and never answers the second request.
func TestSmuggledRequestNotServed(t *testing.T) {
	t.Parallel()
	in := startExample(t)
	smuggled := "GET /v1/docs/ HTTP/1.1\r\nHost: x\r\n\r\n"
	body := "0\r\n\r\n" + smuggled
	c, err := net.Dial("tcp", in.addr["user"])
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	fmt.Fprintf(c, "POST /v1/users HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: %d\r\nTransfer-Encoding: chunked\r\n\r\n%s", len(body), body)
	_ = c.SetReadDeadline(time.Now().Add(5 * time.Second))
	answer, err := io.ReadAll(c)
	var ne net.Error
	if errors.As(err, &ne) && ne.Timeout() {
		t.Errorf("the connection stayed open after %q", answer)
	}
	if n := strings.Count(string(answer), "HTTP/1.1 "); n != 1 || !strings.HasPrefix(string(answer), "HTTP/1.1 400 ") {
		t.Errorf("%d answers, want one 400: %q", n, answer)
	}
}
