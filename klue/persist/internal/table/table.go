// Package table checks store names and turns them into SQL table names.
package table

import (
	"fmt"
	"regexp"
)

// MaxLength is the longest store name: PostgreSQL's limit on identifiers.
const MaxLength = 63

var identifier = regexp.MustCompile(`^[A-Za-z_][A-Za-z0-9_]*$`)

// Check reports why store cannot name a table, or nil.
func Check(store string) error {
	if len(store) > MaxLength || !identifier.MatchString(store) {
		return fmt.Errorf("store name %q is not an identifier of at most %d letters, digits and '_', not starting with a digit", store, MaxLength)
	}
	return nil
}

// Quote returns store as a quoted SQL identifier, after checking it: the
// check keeps any quote out of the name, and the quotes keep reserved words
// ("order", "user") usable.
func Quote(store string) (string, error) {
	if err := Check(store); err != nil {
		return "", err
	}
	return `"` + store + `"`, nil
}
