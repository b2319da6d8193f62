// Package excerpt shortens text that echoes what a peer sent (a value, a
// property name, a path), so that an error or a log line stays small
// whatever the input.
package excerpt
