package suggest_test

import (
	"slices"
	"strings"
	"testing"

	"github.com/klue-go/klue-client-server/internal/suggest"
)

func TestClosest(t *testing.T) {
	t.Parallel()
	cands := []string{"login", "logout", "get_user", "list_users", "version"}
	for _, tc := range []struct {
		name string
		want []string
	}{
		{"logn", []string{"login"}},
		{"logou", []string{"logout", "login"}},
		{"LOGIN", []string{"login"}},
		{"user", []string{"get_user", "list_users"}},
		{"zzzzzz", []string{}},
		{strings.Repeat("x", 100), []string{}},
	} {
		if got := suggest.Closest(tc.name, cands); !slices.Equal(got, tc.want) {
			t.Errorf("Closest(%q) = %q, want %q", tc.name, got, tc.want)
		}
	}
}

func TestDidYouMean(t *testing.T) {
	t.Parallel()
	if got, want := suggest.DidYouMean("logn", []string{"login"}), ` (did you mean "login"?)`; got != want {
		t.Errorf("got %q, want %q", got, want)
	}
	if got := suggest.DidYouMean("zzzzzz", []string{"login"}); got != "" {
		t.Errorf("no close candidate gives %q", got)
	}
}

func TestHint(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		names []string
		want  string
	}{
		{nil, ""},
		{[]string{"b", "a"}, ` (did you mean "b" or "a"?)`},
		{[]string{"say \"hi\"\n"}, ` (did you mean "say \"hi\"\n"?)`},
	} {
		if got := suggest.Hint(tc.names); got != tc.want {
			t.Errorf("Hint(%q) = %s, want %s", tc.names, got, tc.want)
		}
	}
}
