// Package binding is what klue's server, client and code generator agree on
// about how Go values meet an operation: the struct tags that place a field
// in a request or a response (path, query, header, cookie, form, status,
// the Body field), how parameters and form fields are serialised (the typed
// [Style], with explode and Swagger 2.0's collectionFormat mapped onto it),
// and whether a Go type can carry the values of a schema ([Fits]).
//
// The server decodes with the same code the client encodes with, so that
// what one sends, the other reads back unchanged.
package binding
