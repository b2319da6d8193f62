//go:build goexperiment.jsonv2

package typedjson

// enabled is false when encoding/json's semantics are not the ones this
// package mirrors: with GOEXPERIMENT=jsonv2, encoding/json is built on
// encoding/json/v2, which differs in details.
const enabled = false
