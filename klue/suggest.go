package klue

import suggestpkg "github.com/klue-go/klue-client-server/internal/suggest"

// suggest, didYouMean and hint are the loader's and the lookups' names for the
// hints of package suggest.
func suggest(name string, candidates []string) []string {
	return suggestpkg.Closest(name, candidates)
}

func didYouMean(name string, candidates []string) string {
	return suggestpkg.DidYouMean(name, candidates)
}

func hint(names []string) string {
	return suggestpkg.Hint(names)
}
