package suggest

import (
	"sort"
	"strconv"
	"strings"
)

// Closest returns the candidates closest to name, best first and at most
// three. Only reasonably close candidates are returned: within an edit
// distance of a third of name's length (at least 2), or containing name or
// contained in it, compared without case. None is an empty slice.
func Closest(name string, candidates []string) []string {
	type scored struct {
		s string
		d int
	}
	lname := strings.ToLower(name)
	limit := max(2, len(name)/3)
	var out []scored
	for _, c := range candidates {
		lc := strings.ToLower(c)
		d := editDistance(lname, lc)
		if strings.Contains(lc, lname) || strings.Contains(lname, lc) {
			d = min(d, 1)
		}
		if d <= limit {
			out = append(out, scored{c, d})
		}
	}
	sort.SliceStable(out, func(i, j int) bool {
		if out[i].d != out[j].d {
			return out[i].d < out[j].d
		}
		return out[i].s < out[j].s
	})
	res := make([]string, 0, min(3, len(out)))
	for i := 0; i < len(out) && i < 3; i++ {
		res = append(res, out[i].s)
	}
	return res
}

// DidYouMean formats Closest's answer as the end of a message,
// ` (did you mean "a" or "b"?)`, or "" when no candidate is close.
func DidYouMean(name string, candidates []string) string {
	return Hint(Closest(name, candidates))
}

// Hint formats names already chosen as the end of a message,
// ` (did you mean "a" or "b"?)`, in their order, or "" when there are none.
func Hint(names []string) string {
	if len(names) == 0 {
		return ""
	}
	q := make([]string, len(names))
	for i, c := range names {
		q[i] = strconv.Quote(c)
	}
	return " (did you mean " + strings.Join(q, " or ") + "?)"
}

// editDistance is the Levenshtein distance between a and b. Names longer
// than 64 bytes are compared for equality only, so that a hostile name
// costs no more than a short one.
func editDistance(a, b string) int {
	if len(a) > 64 || len(b) > 64 {
		if a == b {
			return 0
		}
		return max(len(a), len(b))
	}
	prev := make([]int, len(b)+1)
	cur := make([]int, len(b)+1)
	for j := range prev {
		prev[j] = j
	}
	for i := 1; i <= len(a); i++ {
		cur[0] = i
		for j := 1; j <= len(b); j++ {
			cost := 1
			if a[i-1] == b[j-1] {
				cost = 0
			}
			cur[j] = min(prev[j]+1, cur[j-1]+1, prev[j-1]+cost)
		}
		prev, cur = cur, prev
	}
	return prev[len(b)]
}
