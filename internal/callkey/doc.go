// Package callkey holds the context key under which package callctx keeps a
// call, so that klue's server can answer for it from a context of its own
// (see callwire.Lookup) without a layer of context per request.
package callkey
