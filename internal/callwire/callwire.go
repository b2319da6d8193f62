package callwire

import (
	"net/http"
	"net/textproto"
	"strings"

	"github.com/google/uuid"

	"github.com/klue-go/klue-client-server/internal/callkey"
	"github.com/klue-go/klue-client-server/klue/callctx"
)

// Lookup lets a context type that holds a call in a field of its own carry
// it, in place of a NewContext layer (and its allocation per request): its
// Value method answers with Lookup first. The call must not change while
// the context is in use.
//
//	func (rc *requestContext) Value(key any) any {
//		if v, ok := callwire.Lookup(key, &rc.call); ok {
//			return v
//		}
//		return rc.Context.Value(key)
//	}
func Lookup(key any, c *callctx.Call) (any, bool) {
	if _, ok := key.(callkey.Key); ok {
		return c, true
	}
	return nil, false
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
func Incoming(apiName string, h http.Header) (callctx.Call, []Rejection) {
	var rejected []Rejection
	c := callctx.Call{Path: apiName}
	id := headerValue(h, canonicalID)
	switch {
	case id == "":
		c.ID = callctx.NewID()
	case ValidID(id):
		c.ID = id
	default:
		c.ID = callctx.NewID()
		rejected = append(rejected, Rejection{callctx.HeaderID, Escape(id), "not a UUID"})
	}
	if p := headerValue(h, canonicalPath); p != "" {
		if reason := checkPath(p); reason != "" {
			rejected = append(rejected, Rejection{callctx.HeaderPath, Escape(p), reason})
		} else if strings.Count(p, ".")+2 > callctx.MaxHops {
			rejected = append(rejected, Rejection{callctx.HeaderPath, Escape(p), "too many hops"})
		} else if len(p)+1+len(apiName) > callctx.MaxPathLength {
			rejected = append(rejected, Rejection{callctx.HeaderPath, Escape(p), "too long"})
		} else {
			c.Path = p + "." + apiName
		}
	}
	return c, rejected
}

// The header names in the canonical form http.Header keys them by, so that
// reading them costs no canonicalisation per request.
var (
	canonicalID   = textproto.CanonicalMIMEHeaderKey(callctx.HeaderID)
	canonicalPath = textproto.CanonicalMIMEHeaderKey(callctx.HeaderPath)
)

// headerValue is h.Get for a key already in canonical form.
func headerValue(h http.Header, canonicalKey string) string {
	if v := h[canonicalKey]; len(v) > 0 {
		return v[0]
	}
	return ""
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
// names of [A-Za-z0-9_-] joined by dots, at most callctx.MaxPathLength bytes.
func ValidPath(s string) bool { return checkPath(s) == "" }

func checkPath(s string) string {
	if len(s) > callctx.MaxPathLength {
		return "too long"
	}
	if strings.Count(s, ".")+1 > callctx.MaxHops {
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
