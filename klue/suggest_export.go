package klue

// Suggest returns the candidates closest to name, best first and at most
// three, for the "did you mean" hints of packages built on klue (unknown
// decorator names, for instance). Only reasonably close candidates are
// returned; none is an empty slice.
func Suggest(name string, candidates []string) []string {
	return suggest(name, candidates)
}

// DidYouMean formats Suggest's answer as the end of a message,
// ` (did you mean "a" or "b"?)`, or "" when no candidate is close.
func DidYouMean(name string, candidates []string) string {
	return didYouMean(name, candidates)
}
