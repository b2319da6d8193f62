// Package sample makes JSON values that a compiled JSON Schema accepts:
// the valid instances that prove generated types lose nothing, and the
// answers and requests a mock or a probe sends.
//
// # What it makes
//
// A [Generator] draws values from a *jsonschema.Schema as the pool compiled
// it ([Generator.ValueFor] takes the klue.Schema), in the form encoding/json
// decodes JSON into with UseNumber: map[string]any, []any, string,
// json.Number, bool and nil. It follows
// $ref, picks a branch of each oneOf and anyOf, merges allOf members, and
// honours type, enum, const, the numeric bounds and multipleOf, the length
// bounds, pattern (any pattern Go's regexp/syntax parses: the value is made
// by walking the parse tree), the formats klue and JSON Schema know
// (date-time, date, time, duration, email, hostname, ipv4, ipv6, uri,
// uri-reference, uuid, byte, ...), required and optional properties,
// additionalProperties, item counts and uniqueItems, and nullable types.
// Recursive schemas are cut at [Config.MaxDepth]: past it only required
// properties and the fewest items are made.
//
// Every value is checked against the schema before it is returned; a draw
// that the schema refuses (a oneOf two branches match, a pattern and a
// length that disagree) is drawn again, up to [Config.Tries] times, and
// [Generator.Value] fails when none fits.
//
// Integers of a schema that allows numbers only are drawn from the int64
// range; other numbers (and integers of a schema that also allows other
// types, which decoders hold as a float64) from those a float64 holds
// exactly (a float32 for the format float), as I-JSON (RFC 7493) advises;
// objects get the members
// the schema names (plus some under additionalProperties when the schema
// declares it), not members it merely tolerates, unless [Config.Undeclared]
// asks for them.
//
// # Determinism
//
// The same seed, schema and sequence of calls give the same values. A
// Generator is not safe for concurrent use; make one per goroutine.
package sample
