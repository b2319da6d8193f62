package callkey

// Key is the context key of a callctx.Call (or *callctx.Call).
type Key struct{}
