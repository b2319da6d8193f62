package callctx

import (
	"context"
	"log/slog"
)

// The attribute keys the log handler adds.
const (
	LogKeyID   = "call_id"
	LogKeyPath = "call_path"
)

// NewLogHandler wraps next so that every record logged with a context that
// carries a call gets the call's ID and path as attributes (call_id,
// call_path). Records without a call, or that carry a call_id attribute of
// their own (such as klue's request log), pass through unchanged.
//
// Use it once, where the application builds its logger:
//
//	logger := slog.New(callctx.NewLogHandler(slog.NewJSONHandler(os.Stderr, nil)))
//	logger.InfoContext(ctx, "user created") // ... call_id=... call_path=public.user
//
// The attributes are added to the record, so they land in the group the
// handler has open, like any other attribute of the record.
func NewLogHandler(next slog.Handler) slog.Handler {
	return &logHandler{next: next}
}

type logHandler struct {
	next slog.Handler
}

func (h *logHandler) Enabled(ctx context.Context, level slog.Level) bool {
	return h.next.Enabled(ctx, level)
}

func (h *logHandler) Handle(ctx context.Context, r slog.Record) error {
	if c, ok := FromContext(ctx); ok && !hasCallID(r) {
		r = r.Clone()
		r.AddAttrs(slog.String(LogKeyID, c.ID), slog.String(LogKeyPath, c.Path))
	}
	return h.next.Handle(ctx, r)
}

func (h *logHandler) WithAttrs(attrs []slog.Attr) slog.Handler {
	return &logHandler{next: h.next.WithAttrs(attrs)}
}

func (h *logHandler) WithGroup(name string) slog.Handler {
	return &logHandler{next: h.next.WithGroup(name)}
}

// hasCallID reports whether r has a call_id attribute at its top level.
func hasCallID(r slog.Record) bool {
	found := false
	r.Attrs(func(a slog.Attr) bool {
		found = a.Key == LogKeyID
		return !found
	})
	return found
}
