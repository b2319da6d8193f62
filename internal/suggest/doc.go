// Package suggest finds, among the names a lookup knows, the ones closest to
// a name it does not know, for the "did you mean" hints of klue's messages.
package suggest
