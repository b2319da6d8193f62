package client

import (
	"github.com/klue-go/klue-client-server/internal/schemacheck"
	"github.com/klue-go/klue-client-server/klue"
)

// checker validates the values of one schema in one direction, the fast
// way first (see internal/schemacheck); prepared when the client is built.
type checker = schemacheck.Checker

// newChecker returns the checker of s, or nil when s has no validator.
func newChecker(s *klue.Schema, d klue.Direction) *checker { return schemacheck.New(s, d) }
