// Package specdoc parses JSON and YAML documents into one tree of nodes that
// remembers where each value came from (line and column), so that every
// problem found later can be reported at its place in the file.
package specdoc
