package callctx_test

import (
	"context"
	"fmt"
	"log/slog"
	"net/http"
	"os"

	"github.com/klue-go/klue-client-server/klue/callctx"
)

// A klue server puts the call in the handler's context; a handler reads it
// there, and klue's client sends it on with every call made with that
// context.
func ExampleFromContext() {
	ctx := callctx.NewContext(context.Background(), callctx.Call{
		ID:   "0b7c2f0e-5a1d-4a57-9d87-3f0f6f2c1a11",
		Path: "public.user",
	})

	fmt.Println(callctx.ID(ctx), callctx.Path(ctx))

	h := http.Header{}
	callctx.SetHeaders(ctx, h)
	fmt.Println(h.Get(callctx.HeaderID), h.Get(callctx.HeaderPath))
	// Output:
	// 0b7c2f0e-5a1d-4a57-9d87-3f0f6f2c1a11 public.user
	// 0b7c2f0e-5a1d-4a57-9d87-3f0f6f2c1a11 public.user
}

// Records logged with a call's context carry its ID and path.
func ExampleNewLogHandler() {
	text := slog.NewTextHandler(os.Stdout, &slog.HandlerOptions{
		// Leave the time out, so that the output is the same every run.
		ReplaceAttr: func(_ []string, a slog.Attr) slog.Attr {
			if a.Key == slog.TimeKey {
				return slog.Attr{}
			}
			return a
		},
	})
	logger := slog.New(callctx.NewLogHandler(text))

	ctx := callctx.NewContext(context.Background(), callctx.Call{
		ID:   "0b7c2f0e-5a1d-4a57-9d87-3f0f6f2c1a11",
		Path: "public.user",
	})
	logger.InfoContext(ctx, "user created")
	logger.Info("no call")
	// Output:
	// level=INFO msg="user created" call_id=0b7c2f0e-5a1d-4a57-9d87-3f0f6f2c1a11 call_path=public.user
	// level=INFO msg="no call"
}
