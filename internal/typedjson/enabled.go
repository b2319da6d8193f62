//go:build !goexperiment.jsonv2

package typedjson

// enabled is false when encoding/json's semantics are not the ones this
// package mirrors.
const enabled = true
