package klue

import (
	"github.com/santhosh-tekuri/jsonschema/v6"

	"github.com/klue-go/klue-client-server/internal/private"
)

// klue's own packages reach the per-pool state and the compiled schemas
// through package private, so that neither is part of klue's API.
func init() {
	private.Register(private.Access{
		PoolState: func(pool any) *private.State { return &pool.(*Pool).state },
		Validator: func(schema any, d uint8) *jsonschema.Schema {
			s := schema.(*Schema)
			if s == nil || int(d) >= len(s.validators) {
				return nil
			}
			return s.validators[d]
		},
	})
}

// Security returns the requirements the spec declares at its top level,
// which apply to every operation that declares none of its own. Nil means
// none are declared.
func (a *API) Security() []SecurityRequirement { return a.globalSec }
