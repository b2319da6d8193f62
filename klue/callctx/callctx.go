package callctx

import (
	"context"
	"net/http"
	"net/textproto"
	"strings"

	"github.com/google/uuid"
)

// The headers that carry a call across services.
const (
	HeaderID   = "KlueCallerID"
	HeaderPath = "KlueCallerPath"
)

// Limits on an incoming call path.
const (
	MaxHops       = 32
	MaxPathLength = 1024
)

// Call is the identity of a call: its ID and the path of services so far.
type Call struct {
	ID   string
	Path string
}

type ctxKey struct{}

// NewContext returns a context that carries c.
func NewContext(ctx context.Context, c Call) context.Context {
	return context.WithValue(ctx, ctxKey{}, c)
}

// FromContext returns the call carried by ctx, if any.
func FromContext(ctx context.Context) (Call, bool) {
	switch c := ctx.Value(ctxKey{}).(type) {
	case Call:
		return c, true
	case *Call:
		return *c, true
	}
	return Call{}, false
}

// Lookup lets a context type that holds a call in a field of its own carry
// it, in place of a NewContext layer (and its allocation per request): its
// Value method answers with Lookup first. The call must not change while
// the context is in use.
//
//	func (rc *requestContext) Value(key any) any {
//		if v, ok := callctx.Lookup(key, &rc.call); ok {
//			return v
//		}
//		return rc.Context.Value(key)
//	}
func Lookup(key any, c *Call) (any, bool) {
	if _, ok := key.(ctxKey); ok {
		return c, true
	}
	return nil, false
}

// ID returns the call ID carried by ctx, or "".
func ID(ctx context.Context) string {
	c, _ := FromContext(ctx)
	return c.ID
}

// Path returns the call path carried by ctx, or "".
func Path(ctx context.Context) string {
	c, _ := FromContext(ctx)
	return c.Path
}

// Rejection records an incoming header value that was replaced. Value is
// quoted with strconv-style escaping and truncated, safe to log.
type Rejection struct {
	Header string
	Value  string
	Reason string
}

// Incoming returns the call a server for the API apiName handles, given the
// request headers: the incoming ID, else a new UUID v4; the incoming path
// plus "." plus apiName, else apiName. Header values that are not valid
// (an ID that is not a UUID; a path too long, too deep, or with characters
// outside [A-Za-z0-9_.-]) are replaced, the path restarting from apiName, and
// reported as rejections.
func Incoming(apiName string, h http.Header) (Call, []Rejection) {
	var rejected []Rejection
	c := Call{Path: apiName}
	id := headerValue(h, canonicalID)
	switch {
	case id == "":
		c.ID = NewID()
	case ValidID(id):
		c.ID = id
	default:
		c.ID = NewID()
		rejected = append(rejected, Rejection{HeaderID, Escape(id), "not a UUID"})
	}
	if p := headerValue(h, canonicalPath); p != "" {
		if reason := checkPath(p); reason != "" {
			rejected = append(rejected, Rejection{HeaderPath, Escape(p), reason})
		} else if strings.Count(p, ".")+2 > MaxHops {
			rejected = append(rejected, Rejection{HeaderPath, Escape(p), "too many hops"})
		} else if len(p)+1+len(apiName) > MaxPathLength {
			rejected = append(rejected, Rejection{HeaderPath, Escape(p), "too long"})
		} else {
			c.Path = p + "." + apiName
		}
	}
	return c, rejected
}

// The header names in the canonical form http.Header keys them by, so that
// reading them costs no canonicalisation per request.
var (
	canonicalID   = textproto.CanonicalMIMEHeaderKey(HeaderID)
	canonicalPath = textproto.CanonicalMIMEHeaderKey(HeaderPath)
)

// headerValue is h.Get for a key already in canonical form.
func headerValue(h http.Header, canonicalKey string) string {
	if v := h[canonicalKey]; len(v) > 0 {
		return v[0]
	}
	return ""
}

// SetHeaders writes the call carried by ctx into h, for an outgoing request.
// It does nothing when ctx carries no call.
func SetHeaders(ctx context.Context, h http.Header) {
	c, ok := FromContext(ctx)
	if !ok {
		return
	}
	if c.ID != "" {
		h[canonicalID] = []string{c.ID}
	}
	if c.Path != "" {
		h[canonicalPath] = []string{c.Path}
	}
}

// ValidID reports whether s is a UUID in its canonical textual form.
func ValidID(s string) bool {
	if len(s) != 36 {
		return false
	}
	_, err := uuid.Parse(s)
	return err == nil
}

// ValidPath reports whether s is a call path klue accepts: at most MaxHops
// names of [A-Za-z0-9_-] joined by dots, at most MaxPathLength bytes.
func ValidPath(s string) bool { return checkPath(s) == "" }

func checkPath(s string) string {
	if len(s) > MaxPathLength {
		return "too long"
	}
	if strings.Count(s, ".")+1 > MaxHops {
		return "too many hops"
	}
	if s == "" || s[0] == '.' || s[len(s)-1] == '.' || strings.Contains(s, "..") {
		return "empty service name"
	}
	for i := 0; i < len(s); i++ {
		c := s[i]
		if !(c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '_' || c == '-' || c == '.') {
			return "invalid character"
		}
	}
	return ""
}

// Escape renders an untrusted header value for a log line: quoted, with
// control and non-ASCII characters escaped, cut to 80 bytes.
func Escape(s string) string {
	const limit = 80
	cut := len(s) > limit
	if cut {
		s = s[:limit]
	}
	var b strings.Builder
	b.WriteByte('"')
	for _, r := range s {
		switch {
		case r == '"' || r == '\\':
			b.WriteByte('\\')
			b.WriteRune(r)
		case r < 0x20 || r >= 0x7f:
			if r == 0xFFFD {
				b.WriteString(`\ufffd`)
				continue
			}
			const hex = "0123456789abcdef"
			if r < 0x10000 {
				b.WriteString(`\u`)
				for shift := 12; shift >= 0; shift -= 4 {
					b.WriteByte(hex[(r>>shift)&0xF])
				}
			} else {
				b.WriteString(`\U`)
				for shift := 28; shift >= 0; shift -= 4 {
					b.WriteByte(hex[(r>>shift)&0xF])
				}
			}
		default:
			b.WriteRune(r)
		}
	}
	b.WriteByte('"')
	if cut {
		b.WriteString("...")
	}
	return b.String()
}
