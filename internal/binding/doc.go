// Package binding is what klue's server, client and code generator agree on
// about how Go values meet an operation: the struct tags that place a field
// in a request or a response (path, query, header, cookie, form, status,
// the Body field), how parameters and form fields are serialised (the typed
// [Style], with explode and Swagger 2.0's collectionFormat mapped onto it),
// whether a Go type can carry the values of a schema ([Fits]), and where a
// typed result keeps a response's status, headers and body ([PlanResult],
// with the header text both sides write and read).
//
// The server decodes with the same code the client encodes with, so that
// what one sends, the other reads back unchanged.
package binding
