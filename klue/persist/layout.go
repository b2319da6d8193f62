package persist

import (
	"cmp"
	"encoding/json"
	"fmt"
	"slices"
	"strconv"
	"strings"
)

// Kind is the JSON type of an ID or an indexed property.
type Kind uint8

// The kinds of IDs and indexed properties. IDs are String or Integer.
const (
	String Kind = iota + 1
	Integer
	Number
	Boolean
)

// String returns the JSON Schema type of the kind ("string", "integer", ...).
func (k Kind) String() string {
	switch k {
	case String:
		return "string"
	case Integer:
		return "integer"
	case Number:
		return "number"
	case Boolean:
		return "boolean"
	}
	return "Kind(" + strconv.Itoa(int(k)) + ")"
}

// kindOf maps a JSON Schema type onto a Kind, 0 for the others.
func kindOf(jsonType string) Kind {
	switch jsonType {
	case "string":
		return String
	case "integer":
		return Integer
	case "number":
		return Number
	case "boolean":
		return Boolean
	}
	return 0
}

// Layout is what a backend knows of a store: its name, the kind of its IDs,
// and its indexes, as the model's x-persist declares them.
type Layout struct {
	Name    string
	IDKind  Kind
	Indexes []Index
}

// Index is one indexed property of a store, a top-level property of its
// documents.
type Index struct {
	Property string
	Kind     Kind
	Unique   bool
}

// Equal reports whether l and m ask for the same table: the same name, kind
// of ID and indexes, in the same order.
func (l *Layout) Equal(m Layout) bool {
	return l.Name == m.Name && l.IDKind == m.IDKind && slices.Equal(l.Indexes, m.Indexes)
}

// Index returns the index of property, and false when there is none.
func (l *Layout) Index(property string) (Index, bool) {
	for _, ix := range l.Indexes {
		if ix.Property == property {
			return ix, true
		}
	}
	return Index{}, false
}

// Selection selects and orders the documents [Backend.Find] returns. Values are
// given in the Go type of their property's [Kind]: string, int64, float64
// or bool.
//
// The documents returned are those whose properties equal the values of
// Where (all of them), ordered by the property OrderBy then by ID (only by
// ID when OrderBy is ""), in increasing order, or decreasing when Desc is
// set. A document without the property OrderBy is left out. When After is
// set, only the documents that come after it in that order are returned:
// paging by position, so that pages do not shift when documents are added
// before the position.
type Selection struct {
	Where   []Match
	OrderBy string
	Desc    bool
	After   *Position
	Limit   int
}

// Match is a property that must hold a value.
type Match struct {
	Property string
	Value    any
}

// Position is a place in an order: the value of the ordering property (nil
// when ordering by ID) and the ID.
type Position struct {
	Value any
	ID    string
}

// compareValues orders two values of one [Kind], as backends must: strings
// by their bytes, numbers by value, false before true. It panics when the
// values are not of one of the kinds' Go types.
func compareValues(a, b any) int {
	switch x := a.(type) {
	case string:
		return cmp.Compare(x, b.(string))
	case int64:
		switch y := b.(type) {
		case int64:
			return cmp.Compare(x, y)
		case float64:
			return cmp.Compare(float64(x), y)
		}
	case float64:
		switch y := b.(type) {
		case float64:
			return cmp.Compare(x, y)
		case int64:
			return cmp.Compare(x, float64(y))
		}
	case bool:
		y := b.(bool)
		switch {
		case x == y:
			return 0
		case !x:
			return -1
		}
		return 1
	}
	panic(fmt.Sprintf("persist: cannot compare %T with %T", a, b))
}

// compareIDs orders two IDs of a store whose IDs are of kind k: integers by
// value, strings by their bytes.
func compareIDs(k Kind, a, b string) int {
	if k == Integer {
		x, errA := strconv.ParseInt(a, 10, 64)
		y, errB := strconv.ParseInt(b, 10, 64)
		if errA == nil && errB == nil {
			return cmp.Compare(x, y)
		}
	}
	return cmp.Compare(a, b)
}

// jsonValue turns a property's value, as wire.DecodeJSON gives it, into the
// Go type of kind k; false when it is not of that kind.
func jsonValue(k Kind, v any) (any, bool) {
	switch k {
	case String:
		s, ok := v.(string)
		return s, ok
	case Boolean:
		b, ok := v.(bool)
		return b, ok
	case Integer, Number:
		n, ok := v.(json.Number)
		if !ok {
			return nil, false
		}
		if k == Integer {
			return integerOf(string(n))
		}
		return floatOf(string(n))
	}
	return nil, false
}

// integerOf returns the value of a JSON number that is an integer of 64
// bits, however it is spelled: 3, 3.0, 3e0 and 30e-1 are 3, as JSON Schema's
// integer has it.
func integerOf(n string) (int64, bool) {
	if i, err := strconv.ParseInt(n, 10, 64); err == nil {
		return i, true
	}
	sign := ""
	if strings.HasPrefix(n, "-") {
		sign, n = "-", n[1:]
	}
	mantissa, expText, _ := strings.Cut(strings.ToLower(n), "e")
	intPart, frac, _ := strings.Cut(mantissa, ".")
	digits := strings.TrimLeft(intPart+frac, "0")
	if strings.Trim(digits, "0") == "" {
		return 0, true
	}
	point := len(digits) - len(frac) // digits before the decimal point
	if expText != "" {
		exp, err := strconv.Atoi(expText)
		// Beyond ±10^40, a number that is not zero is no int64.
		if err != nil || exp > 40 || exp < -len(digits)-40 {
			return 0, false
		}
		point += exp
	}
	if point <= 0 || strings.Trim(digits[min(point, len(digits)):], "0") != "" {
		return 0, false // a fraction is left
	}
	if point > len(digits) {
		digits += strings.Repeat("0", point-len(digits))
	}
	i, err := strconv.ParseInt(sign+digits[:point], 10, 64)
	return i, err == nil
}

// floatOf returns the value of a JSON number as a float64, when a float64
// holds it: neither beyond its range nor, when not zero, below its
// smallest magnitude.
func floatOf(n string) (float64, bool) {
	f, err := strconv.ParseFloat(n, 64)
	if err != nil {
		return 0, false
	}
	if f == 0 {
		mantissa, _, _ := strings.Cut(strings.ToLower(n), "e")
		return 0, strings.Trim(mantissa, "-0.") == ""
	}
	return f, true
}

func parseInt(s string) (int64, bool) {
	i, err := strconv.ParseInt(s, 10, 64)
	return i, err == nil
}
