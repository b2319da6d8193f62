// Package typedjson decodes JSON documents into Go values, and encodes Go
// values as JSON, checking them against a schema as it goes: one pass over
// the bytes, by decoders and encoders built once per Go type and schema,
// with no reflection walk per value beyond field offsets.
//
// It is a fast path, not a second implementation to trust on its own. A
// [Decoder] either stores exactly the value internal/strictjson's Unmarshal
// would store, from a document the jsonschema validator accepts, or it
// reports that it cannot, and the caller takes the general path (the
// validator, which decides and explains, then strictjson). It reads JSON
// as strictjson does: member names matched exactly, a name twice, invalid
// UTF-8 and lone surrogates refused. An [Encoder] either
// writes exactly the bytes encoding/json's Marshal would write, for a value
// the validator accepts, or reports that it cannot. Schemas are checked
// through the nodes of internal/jsonvalid, whose verdicts are Valid only
// when the jsonschema validator's would be; what jsonvalid leaves to
// jsonschema, typedjson leaves to the general path.
//
// # What the fast path covers
//
// Booleans, integers, floats, strings, structs (fields named by their json
// tags, omitempty, omitzero), pointers, slices, maps with string keys,
// time.Time (decoded by the general path's decoder, which reads it its own
// way), and types with UnmarshalJSON or UnmarshalText methods (called
// with the bytes encoding/json would give them) or a MarshalText method.
// Values of other types, and of types with a MarshalJSON method, are
// handed to encoding/json for their part of the document, which is then
// checked whole: interfaces, arrays, []byte, json.Number, structs with
// embedded fields, a string option or a name that needs escaping. A
// struct type the decoder refuses whole (a tag it cannot read) is
// refused alike.
//
// # When it gives up
//
// The decoder gives up on a member name that comes twice, an escaped
// member name, invalid UTF-8 or a lone surrogate (which the general path
// then refuses, naming where), a number that does not fit its Go type, a
// value of the wrong JSON type, and nesting deeper than 200. The encoder gives up on invalid UTF-8, NaN and infinities,
// times outside RFC 3339, failing methods and cycles. Both give up
// wherever the schema refuses the value or jsonvalid cannot decide.
//
// Built with GOEXPERIMENT=jsonv2, whose encoding/json differs in details,
// the encoder is off: every call reports that it cannot.
package typedjson
