// Package jsonvalid validates JSON documents and scalar values against
// schemas compiled by santhosh-tekuri/jsonschema/v6, fast: it reads the
// document's bytes once, without decoding it into maps and slices, and
// allocates nothing for the common keywords.
//
// It is a pre-check, not a second implementation to trust on its own: it
// answers Valid only when it is sure the jsonschema validator would accept
// the value, and Invalid or Unknown otherwise, for the caller to ask the
// jsonschema validator, which then decides and explains. Keywords it does
// not handle (uniqueItems, patternProperties, unevaluated*, dynamic refs,
// vocabularies, ...) make it answer Unknown. It knows the fields of
// jsonschema.Schema by an allow-list: a field it does not list (a keyword
// a newer jsonschema adds) leaves every schema setting it to jsonschema.
//
// It reads documents as internal/strictjson decodes them: a member name
// twice, invalid UTF-8 or a lone surrogate makes a document Invalid, as it
// makes the decoder refuse it.
//
// A caller that reads a document itself (internal/typedjson, which decodes
// into Go values as it reads) checks it value by value through a
// [Validator]'s [Node]s: scalars as it meets them, objects and arrays
// member by member where the schema allows it ([Node.Object],
// [Node.Array]), and whole otherwise ([Node.Document]).
package jsonvalid
