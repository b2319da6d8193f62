package jsonvalid

import (
	"unicode/utf8"

	"github.com/klue-go/klue-client-server/internal/jsonlex"
)

// Node is one schema of a compiled Validator, for a caller that reads a
// document itself and checks each value as it reads it: a decoder that
// stores the values into Go variables, or an encoder that writes them. The
// verdicts mean what they mean for a Validator: Valid only when the
// jsonschema validator would accept the value.
//
// The zero Node accepts every value. A Node is safe for concurrent use,
// and comparable: the same schema gives equal Nodes.
type Node struct {
	n *node
	v *Validator // whose scanners Document borrows
}

// Root returns the validator's schema.
func (v *Validator) Root() Node { return v.wrap(v.root) }

// wrap returns the Node of n, following the aliases of ref-only schemas,
// and the zero Node for schemas that accept everything.
func (v *Validator) wrap(n *node) Node {
	if n == nil {
		return Node{}
	}
	n = n.target()
	if n.always > 0 {
		return Node{}
	}
	return Node{n, v}
}

// AcceptsAll reports whether the node accepts every value, so that
// checking it is not needed.
func (n Node) AcceptsAll() bool { return n.n == nil }

// String checks a string.
func (n Node) String(s string) Verdict {
	if n.n == nil {
		return Valid
	}
	return n.n.string(s)
}

// Number checks a number given as a JSON number literal.
func (n Node) Number(text string) Verdict {
	if n.n == nil {
		return Valid
	}
	return n.n.numberText(text)
}

// Bool checks a boolean.
func (n Node) Bool(b bool) Verdict {
	if n.n == nil {
		return Valid
	}
	return n.n.scalar(scalar{kind: 'b', b: b}, 0)
}

// Null checks null.
func (n Node) Null() Verdict {
	if n.n == nil {
		return Valid
	}
	return n.n.scalar(scalar{kind: 'n'}, 0)
}

// Document checks a JSON document: one value, with nothing but
// whitespace around it.
func (n Node) Document(data []byte) Verdict {
	if n.n == nil {
		// Still a document: what is not JSON is not valid.
		sc := scanner{jsonlex.Lexer{Data: data}}
		if !sc.skip(0) {
			return Invalid
		}
		sc.SkipSpace()
		if sc.Pos != len(data) {
			return Unknown
		}
		return Valid
	}
	return n.v.document(data, n.n)
}

// members reports whether n checks a container only through its members
// and its own type, size and required keywords: no combinator, enum,
// format, nor any keyword this package leaves to jsonschema.
func (n *node) members(t int) bool {
	return n.always == 0 && !n.opaque && (n.types == 0 || n.types&t != 0) && n.enum == nil &&
		n.format == nil && n.ref == nil && !n.hasCombinators()
}

// Object is what an object schema says of each member, for a caller that
// checks the members one at a time.
type Object struct {
	n *node
	v *Validator
}

// Object returns the rules of n for an object, and false when n checks
// objects otherwise than member by member (through combinators, enum,
// keywords this package leaves to jsonschema) or refuses them: the caller
// then reads the object without checking it, and checks it whole with
// Document.
func (n Node) Object() (Object, bool) {
	if n.n == nil {
		return Object{}, true
	}
	if !n.n.members(tObject) {
		return Object{}, false
	}
	return Object(n), true
}

// Member returns the node that checks the value of the member called
// name, and the name's index among the required names (-1 when it is not
// required). A name that is not valid UTF-8 gets a node that refuses
// everything: jsonschema would see another name.
func (o Object) Member(name string) (Node, int) {
	if o.n == nil {
		return Node{}, -1
	}
	if !utf8.ValidString(name) {
		return Node{&node{always: -1}, o.v}, -1
	}
	k, known := o.n.keys[name]
	bit := -1
	if known {
		bit = k.bit
	}
	switch {
	case known && k.n != nil:
		return o.v.wrap(k.n), bit
	case o.n.hasAdditional:
		return o.v.wrap(o.n.additional), bit
	}
	return Node{}, bit
}

// Uniform returns the node of every member when the object schema names
// no property (a map's schema: additionalProperties alone).
func (o Object) Uniform() (Node, bool) {
	if o.n == nil {
		return Node{}, true
	}
	if len(o.n.keys) > 0 {
		return Node{}, false
	}
	if o.n.hasAdditional {
		return o.v.wrap(o.n.additional), true
	}
	return Node{}, true
}

// Required returns the mask of the required names' bits: an object is
// valid only when it has all of them.
func (o Object) Required() uint64 {
	if o.n == nil || o.n.required == 0 {
		return 0
	}
	return uint64(1)<<o.n.required - 1
}

// Count checks the number of members; distinct says that no name came
// twice, which jsonschema would count once.
func (o Object) Count(members int, distinct bool) Verdict {
	switch {
	case o.n == nil:
		return Valid
	case o.n.minProps > 0 && members < o.n.minProps:
		return Invalid
	case o.n.maxProps >= 0 && members > o.n.maxProps:
		if distinct {
			return Invalid
		}
		return Unknown
	case o.n.minProps > 0 && !distinct:
		return Unknown
	}
	return Valid
}

// Array is what an array schema says of its items.
type Array struct {
	n *node
	v *Validator
}

// Array returns the rules of n for an array, and false when n checks
// arrays otherwise than item by item: the caller then checks the array
// whole with Document.
func (n Node) Array() (Array, bool) {
	if n.n == nil {
		return Array{}, true
	}
	if !n.n.members(tArray) {
		return Array{}, false
	}
	return Array(n), true
}

// Items returns the node that checks every item.
func (a Array) Items() Node {
	if a.n == nil {
		return Node{}
	}
	return a.v.wrap(a.n.items)
}

// Count checks the number of items.
func (a Array) Count(items int) Verdict {
	if a.n == nil {
		return Valid
	}
	if (a.n.minItems >= 0 && items < a.n.minItems) || (a.n.maxItems >= 0 && items > a.n.maxItems) {
		return Invalid
	}
	return Valid
}
