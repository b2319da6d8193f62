package table

import (
	"context"
	"errors"
	"fmt"
	"hash/fnv"
	"regexp"
	"strconv"
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

// IndexName returns the quoted name of the index of store on property,
// unique or not: ix_<store>_<property> (ux_ for unique ones), shortened
// as [Derived] does.
func IndexName(store, property string, unique bool) string {
	prefix := "ix_"
	if unique {
		prefix = "ux_"
	}
	return Derived(prefix+store+"_"+property, store+"\x00"+property)
}

// SequenceName returns the quoted name of the sequence of store's integer
// IDs: sq_<store>, shortened as [Derived] does.
func SequenceName(store string) string {
	return Derived("sq_"+store, store)
}

// Derived quotes name, shortened when longer than MaxLength to a prefix
// and a hash of key, so that distinct keys keep distinct names.
func Derived(name, key string) string {
	if len(name) > MaxLength {
		h := fnv.New32a()
		h.Write([]byte(key))
		suffix := fmt.Sprintf("_%08x", h.Sum32())
		name = name[:MaxLength-len(suffix)] + suffix
	}
	return `"` + name + `"`
}

var property = regexp.MustCompile(`^[A-Za-z0-9_$@.-]{1,63}$`)

// CheckProperty reports why an indexed property's name cannot go into the
// SQL of an index (quoted in a string literal and a JSON path), or nil:
// the loader accepts only such names, and backends check again, since
// Backend.Define is open to any caller.
func CheckProperty(name string) error {
	if !property.MatchString(name) {
		return fmt.Errorf("property %q cannot be indexed: an indexed property's name is 1 to 63 letters, digits and _ $ @ . -", name)
	}
	return nil
}

// Key returns id as a table's id column holds it: id itself for text IDs,
// its int64 for integer IDs. It reports false when an integer ID does not
// parse.
func Key(id string, integer bool) (any, bool) {
	if !integer {
		return id, true
	}
	n, err := strconv.ParseInt(id, 10, 64)
	return n, err == nil
}

// AfterKey is [Key] for the ID of the record a page starts after. persist
// lets only IDs of the store's kind through its cursors, so one that does
// not parse is an error rather than a key to compare.
func AfterKey(id string, integer bool) (any, error) {
	k, ok := Key(id, integer)
	if !ok {
		return nil, fmt.Errorf("the page starts after %q, which is not an integer ID", id)
	}
	return k, nil
}

// Fail wraps a driver error of the backend named pkg, making sure that an
// error caused by the end of ctx wraps ctx.Err(), as persist.Backend
// requires.
func Fail(ctx context.Context, pkg string, err error) error {
	if cerr := ctx.Err(); cerr != nil && !errors.Is(err, cerr) {
		return fmt.Errorf("%s: %w (%v)", pkg, cerr, err)
	}
	return fmt.Errorf("%s: %w", pkg, err)
}
