// Package strictjson decodes JSON with the one semantics klue validates and
// decodes by: member names matched exactly (never by case or Unicode
// folding), a member name that comes twice refused, invalid UTF-8 and lone
// surrogate escapes refused (RFC 8259 §8.1 and §8.2), one value per
// document. It is github.com/go-json-experiment/json (the reference
// implementation of encoding/json/v2), whose defaults are exactly these,
// with encoding/json's Number kept exact.
//
// Every decode in klue goes through it, or through a fast path
// (internal/typedjson) that agrees with it, so that the value the schema
// validator judged is the value a handler, a client or a store receives.
package strictjson
