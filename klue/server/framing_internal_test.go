package server

import (
	"bufio"
	"bytes"
	"io"
	"net/http"
	"net/textproto"
	"slices"
	"testing"
)

// countingReader counts the bytes read through it.
type countingReader struct {
	r io.Reader
	n int
}

func (c *countingReader) Read(p []byte) (int, error) {
	n, err := c.r.Read(p)
	c.n += n
	return n, err
}

// referenceHeads reads data as net/http's server does, one request after
// the other, and returns what the header of each says of its body, up to
// the first one that carries Transfer-Encoding (after which the guarded
// server serves nothing), or the first that net/http refuses.
func referenceHeads(data []byte) []headInfo {
	var out []headInfo
	cr := &countingReader{r: bytes.NewReader(data)}
	br := bufio.NewReader(cr)
	for {
		start := cr.n - br.Buffered()
		req, err := http.ReadRequest(br)
		if err != nil {
			return out
		}
		// The header as sent, which ReadRequest does not keep whole.
		tp := textproto.NewReader(bufio.NewReader(bytes.NewReader(data[start:])))
		line, err := tp.ReadLine()
		if err != nil {
			return out
		}
		h, err := tp.ReadMIMEHeader()
		if err != nil {
			return out
		}
		_, te := h["Transfer-Encoding"]
		info := headInfo{transferEncoding: te, contentLength: len(h["Content-Length"]) > 0, http10: !req.ProtoAtLeast(1, 1)}
		if !(req.Method == http.MethodOptions && req.RequestURI == "*") {
			out = append(out, info)
		}
		_ = line
		if te {
			return out
		}
		if _, err := io.Copy(io.Discard, req.Body); err != nil {
			return out
		}
	}
}

// FuzzFraming checks the framing scanner against net/http: fed the bytes
// of a connection in pieces of any size, it sees the same requests as
// net/http, and the same Content-Length and Transfer-Encoding in each, as
// far as net/http reads them.
func FuzzFraming(f *testing.F) {
	f.Add([]byte("GET / HTTP/1.1\r\nHost: x\r\n\r\nPOST /a HTTP/1.1\r\nHost: x\r\nContent-Length: 3\r\n\r\nabcGET /b HTTP/1.1\r\nHost: x\r\n\r\n"), uint8(7))
	f.Add([]byte("POST /a HTTP/1.1\r\nHost: x\r\nContent-Length: 30\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\nGET /s HTTP/1.1\r\nHost: x\r\n\r\n"), uint8(3))
	f.Add([]byte("POST /a HTTP/1.0\nHost: x\nConnection: keep-alive\nTransfer-Encoding: chunked\n\n"), uint8(1))
	f.Add([]byte("OPTIONS * HTTP/1.1\r\nHost: x\r\n\r\nGET / HTTP/1.1\r\nHost: x\r\ncontent-length: 0\r\n\r\n"), uint8(64))
	f.Add([]byte("POST / HTTP/1.1\r\nHost: x\r\nContent-Length: 2\r\nContent-Length: 2\r\n\r\nabGET / HTTP/1.1\r\nHost: x\r\n\r\n"), uint8(5))
	f.Fuzz(func(t *testing.T, data []byte, piece uint8) {
		want := referenceHeads(data)
		fr := &framing{maxHead: 1 << 20}
		step := int(piece%32) + 1
		for i := 0; i < len(data); i += step {
			fr.feed(data[i:min(i+step, len(data))])
		}
		got := fr.heads
		if len(got) > len(want) {
			// The scanner may read on where net/http refused a request
			// (and closed the connection): those are never served.
			got = got[:len(want)]
		}
		if !slices.Equal(got, want) {
			t.Fatalf("scanner %+v\nnet/http %+v", got, want)
		}
	})
}
