// Package wire holds what klue's server, client, loader and code generator
// agree on about values as HTTP carries them: JSON documents, media types,
// array delimiters and status names.
package wire
