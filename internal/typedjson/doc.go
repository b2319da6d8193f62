// Package typedjson decodes JSON documents into Go values, and encodes Go
// values as JSON, checking them against a schema as it goes: one pass over
// the bytes, with decoders and encoders built once per Go type and schema.
//
// It is a fast path, not a second implementation to trust on its own. A
// [Decoder] either stores exactly the value encoding/json's Unmarshal would
// store, from a document the jsonschema validator accepts, or it reports
// that it cannot, and the caller takes the general path (encoding/json,
// then the validator, which decides and explains). An [Encoder] either
// writes exactly the bytes encoding/json's Marshal would write, for a value
// the validator accepts, or reports that it cannot. Schemas are checked
// through the nodes of internal/jsonvalid, whose verdicts are Valid only
// when the jsonschema validator's would be.
//
// # What the fast path covers
//
// Booleans, integers, floats, strings, structs (fields named by their json
// tags, omitempty, omitzero), pointers, slices, maps with string keys,
// time.Time, and types with an UnmarshalText or MarshalText method. Types
// with UnmarshalJSON or MarshalJSON, interfaces, arrays, []byte and
// structs with embedded fields are handed to encoding/json for their part
// of the document. The decoder gives up on repeated or case-folded member
// names, escaped member names, invalid UTF-8, lone surrogates and numbers
// that do not fit; the encoder on invalid UTF-8, NaN and infinities. A
// struct tag with the string option, or a name that needs escaping, makes
// the whole struct go to encoding/json.
//
// Built with GOEXPERIMENT=jsonv2, whose encoding/json differs in details,
// the fast path is off: every call reports that it cannot.
package typedjson
