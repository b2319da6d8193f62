package server

import (
	"bytes"
	"context"
	"net"
	"net/http"
	"strconv"
	"sync"
)

// net/http reads a request that carries both Content-Length and
// Transfer-Encoding: chunked by its chunks, drops the Content-Length
// before the handler sees the request, and keeps the connection open. A
// proxy in front that frames by Content-Length then forwards, inside one
// body, bytes that the server reads as a request of their own (request
// smuggling). RFC 9112 section 6.3 asks a server to refuse such a request
// or to close the connection after it.
//
// framingListener's connections read the header of each request as it
// arrives, so that framingGuard can tell; and framingGuard closes the
// connection after every chunked request, which keeps smuggling out even
// where the header could not be read (TLS, a header the scanner does not
// follow).

// headInfo is what a request's header says of its body.
type headInfo struct {
	transferEncoding bool
	contentLength    bool
	http10           bool
}

// framing follows the requests of one connection through the bytes read
// from it: their headers, and the bodies framed by Content-Length. It stops
// at the first request that carries Transfer-Encoding, the last one served
// on the connection.
type framing struct {
	mu       sync.Mutex
	maxHead  int
	state    framingState
	head     []byte
	bodyLeft int64
	heads    []headInfo // read, not yet served
}

type framingState uint8

const (
	readingHead framingState = iota
	readingBody
	stopped
)

// feed follows p, the next bytes read from the connection.
func (f *framing) feed(p []byte) {
	f.mu.Lock()
	defer f.mu.Unlock()
	for len(p) > 0 {
		switch f.state {
		case stopped:
			return
		case readingBody:
			n := min(int64(len(p)), f.bodyLeft)
			f.bodyLeft -= n
			p = p[n:]
			if f.bodyLeft == 0 {
				f.state = readingHead
			}
		case readingHead:
			i := bytes.IndexByte(p, '\n')
			if i < 0 {
				f.appendHead(p)
				return
			}
			f.appendHead(p[:i+1])
			p = p[i+1:]
			if f.state == readingHead && headEnded(f.head) {
				f.endHead()
			}
		}
	}
}

func (f *framing) appendHead(p []byte) {
	if len(f.head)+len(p) > f.maxHead {
		f.state = stopped // net/http refuses the request and closes
		f.head = nil
		return
	}
	f.head = append(f.head, p...)
}

// headEnded reports whether head, which ends with a line feed, ends with an
// empty line: net/http ends lines with CRLF or LF alone.
func headEnded(head []byte) bool {
	return bytes.HasSuffix(head, []byte("\n\n")) || bytes.HasSuffix(head, []byte("\n\r\n"))
}

// endHead reads the header just completed.
func (f *framing) endHead() {
	lines := bytes.Split(f.head, []byte("\n"))
	f.head = f.head[:0]
	requestLine := bytes.TrimSuffix(lines[0], []byte("\r"))
	var info headInfo
	var length int64 = -1
	for _, line := range lines[1:] {
		name, value, ok := bytes.Cut(bytes.TrimSuffix(line, []byte("\r")), []byte(":"))
		if !ok {
			continue
		}
		switch {
		case bytes.EqualFold(name, []byte("Transfer-Encoding")):
			info.transferEncoding = true
		case bytes.EqualFold(name, []byte("Content-Length")):
			n, err := strconv.ParseInt(string(bytes.TrimSpace(value)), 10, 64)
			if err != nil || n < 0 || (info.contentLength && n != length) {
				f.state = stopped // net/http refuses the request and closes
				return
			}
			info.contentLength, length = true, n
		}
	}
	// The request line as net/http reads it: method, target, version.
	_, rest, _ := bytes.Cut(requestLine, []byte(" "))
	_, proto, _ := bytes.Cut(rest, []byte(" "))
	major, minor, ok := http.ParseHTTPVersion(string(proto))
	if !ok {
		f.state = stopped // net/http refuses the request and closes
		return
	}
	info.http10 = major < 1 || major == 1 && minor < 1
	if !bytes.HasPrefix(requestLine, []byte("OPTIONS * ")) { // answered by net/http itself
		f.heads = append(f.heads, info)
	}
	switch {
	case info.transferEncoding:
		f.state = stopped
	case length > 0:
		f.state, f.bodyLeft = readingBody, length
	}
}

// next returns what the header of the request being served said, false
// when it is not known.
func (f *framing) next() (headInfo, bool) {
	f.mu.Lock()
	defer f.mu.Unlock()
	if len(f.heads) == 0 {
		return headInfo{}, false
	}
	info := f.heads[0]
	f.heads = f.heads[1:]
	return info, true
}

type framingListener struct {
	net.Listener
	maxHead int
}

func (l framingListener) Accept() (net.Conn, error) {
	c, err := l.Listener.Accept()
	if err != nil {
		return nil, err
	}
	// net/http reads a little more than MaxHeaderBytes before it refuses.
	return &framingConn{Conn: c, f: &framing{maxHead: l.maxHead + 4096}}, nil
}

type framingConn struct {
	net.Conn
	f *framing
}

func (c *framingConn) Read(p []byte) (int, error) {
	n, err := c.Conn.Read(p)
	c.f.feed(p[:n])
	return n, err
}

type framingKey struct{}

// framingContext is the ConnContext of the server: it puts the
// connection's framing in the context of its requests.
func framingContext(ctx context.Context, c net.Conn) context.Context {
	if fc, ok := c.(*framingConn); ok {
		return context.WithValue(ctx, framingKey{}, fc.f)
	}
	return ctx
}

// framingGuard answers 400 to a request that frames its body twice, and
// closes the connection after any request whose body is chunked.
func framingGuard(h http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		var info headInfo
		if f, ok := r.Context().Value(framingKey{}).(*framing); ok {
			info, _ = f.next()
		}
		if info.transferEncoding && (info.contentLength || info.http10) {
			w.Header().Set("Connection", "close")
			w.Header().Set("Content-Type", MIMEProblemJSON)
			w.WriteHeader(http.StatusBadRequest)
			_, _ = w.Write(problemJSON(&ProblemDetails{
				Type: "about:blank", Title: http.StatusText(http.StatusBadRequest), Status: http.StatusBadRequest,
				Detail: "the request frames its body twice: Transfer-Encoding with Content-Length, or in HTTP/1.0",
			}))
			return
		}
		if len(r.TransferEncoding) > 0 || info.transferEncoding {
			w.Header().Set("Connection", "close")
		}
		h.ServeHTTP(w, r)
	})
}
