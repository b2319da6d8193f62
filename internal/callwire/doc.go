// Package callwire is the part of call propagation that only klue's server
// and client use: reading and checking the call headers of an incoming
// request, answering for a call from a context of klue's own, escaping
// untrusted values for logs, and starting spans. Applications use package
// callctx.
package callwire
