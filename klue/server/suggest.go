package server

import (
	"sort"

	"github.com/klue-go/klue-client-server/klue"
)

// didYouMean returns " (did you mean "x"?)" naming the closest candidates
// to name, or "" when none is close.
func didYouMean(name string, candidates []string) string {
	return klue.DidYouMean(name, candidates)
}

// sortedKeys returns the keys of m, sorted.
func sortedKeys[V any](m map[string]V) []string {
	out := make([]string, 0, len(m))
	for k := range m {
		out = append(out, k)
	}
	sort.Strings(out)
	return out
}
