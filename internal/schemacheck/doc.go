// Package schemacheck validates values against a klue schema the fast way
// first: internal/jsonvalid's pre-check, which reads a document's bytes
// without decoding them, and the schema's own validator only when the
// pre-check is not sure, which then decides and explains. The server and the
// client check their parameters, bodies and responses through it.
package schemacheck
