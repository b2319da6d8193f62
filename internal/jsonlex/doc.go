// Package jsonlex reads the tokens of a JSON document in place, without
// copying or decoding them: the lexer internal/jsonvalid checks documents
// with and internal/typedjson decodes them with.
//
// It reads JSON as internal/strictjson decodes it, and refuses what that
// refuses: a string holding invalid UTF-8 or a lone surrogate escape is
// malformed, and Skip refuses an object with a member name that comes
// twice. Where the fast paths read a document themselves, they refuse the
// same documents the general path does.
package jsonlex
