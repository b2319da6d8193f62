package callctx

import (
	"context"
	"net/http"
	"net/textproto"

	"github.com/klue-go/klue-client-server/internal/callkey"
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

// NewContext returns a context that carries c.
func NewContext(ctx context.Context, c Call) context.Context {
	return context.WithValue(ctx, callkey.Key{}, c)
}

// FromContext returns the call carried by ctx, if any.
func FromContext(ctx context.Context) (Call, bool) {
	switch c := ctx.Value(callkey.Key{}).(type) {
	case Call:
		return c, true
	case *Call:
		return *c, true
	}
	return Call{}, false
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

// The header names in the canonical form http.Header keys them by, so that
// reading them costs no canonicalisation per request.
var (
	canonicalID   = textproto.CanonicalMIMEHeaderKey(HeaderID)
	canonicalPath = textproto.CanonicalMIMEHeaderKey(HeaderPath)
)

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
