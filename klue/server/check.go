package server

import (
	"errors"

	"github.com/klue-go/klue-client-server/internal/binding"
	"github.com/klue-go/klue-client-server/internal/schemacheck"
	"github.com/klue-go/klue-client-server/klue"
)

// checker validates the values of one schema in one direction, the fast
// way first (see internal/schemacheck).
type checker = schemacheck.Checker

// newChecker returns the checker of s, or nil when s has no validator (an
// absent schema accepts anything). It is called at Bind and Spawn time.
func newChecker(s *klue.Schema, d klue.Direction) *checker { return schemacheck.New(s, d) }

func violations(err error) []klue.Violation {
	if err == nil {
		return nil
	}
	var ve *klue.ValidationError
	if errors.As(err, &ve) {
		return ve.Violations
	}
	return []klue.Violation{{Message: err.Error()}}
}

// prefixed puts the location of the value in front of each violation:
// "body", "query.limit".
func prefixed(where string, vs []klue.Violation) []klue.Violation {
	out := make([]klue.Violation, len(vs))
	for i, v := range vs {
		v.Location = binding.JoinLoc(where, v.Location)
		out[i] = v
	}
	return out
}
