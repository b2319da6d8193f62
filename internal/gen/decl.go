package gen

import (
	"github.com/klue-go/klue-client-server/klue"
)

// kind says what the zero value of a Go type is, which decides how an
// optional value is written: types that can be nil (slices, maps,
// interfaces) are used as they are, the others behind a pointer.
type kind uint8

const (
	kScalar kind = iota
	kStruct
	kSlice
	kMap
	kAny
)

// goType is a Go type expression with what the generator knows of it.
type goType struct {
	expr string
	kind kind
	decl *decl // the declaration expr names, if any
}

func (t goType) nilable() bool { return t.kind == kSlice || t.kind == kMap || t.kind == kAny }

var (
	anyType   = goType{expr: "any", kind: kAny}
	bytesType = goType{expr: "[]byte", kind: kSlice}
)

// declKind is how a named type is declared.
type declKind uint8

const (
	dStruct  declKind = iota // type X struct{...}
	dUnion                   // type X struct{ A *A; B *B } with JSON methods
	dEnum                    // type X string, and constants
	dDefined                 // type X []Y, type X string
	dAlias                   // type X = Y
)

// decl is one named type of the output.
type decl struct {
	name   string
	schema *klue.Schema
	kind   declKind
	// doc is the comment, one line per element, without "// ".
	doc []string
	// file is the output file the declaration goes to.
	file int
	// children are the declarations made while this one was built
	// (its inline types), written after it.
	children []*decl

	under    goType     // dDefined, dAlias, dEnum
	fields   []*field   // dStruct, dUnion (one per variant)
	extra    *goType    // dStruct: the type of additional properties, or nil
	consts   []enumItem // dEnum
	union    *unionInfo // dUnion
	built    bool
	building bool
}

// field is a field of a generated struct.
type field struct {
	name string
	typ  goType
	ptr  bool
	// nullable wraps the type in klue.Nullable: an optional property
	// that may be null.
	nullable bool
	tag      string // the struct tag, without quotes
	doc      []string
	// json is the JSON property name, for struct fields from properties.
	json string
}

func (f *field) expr() string {
	t := f.typ.expr
	if f.ptr {
		t = "*" + t
	}
	if f.nullable {
		t = "klue.Nullable[" + t + "]"
	}
	return t
}

// enumItem is one constant of an enum type.
type enumItem struct {
	name  string
	value string // the Go literal
}

// unionInfo says how a union's JSON is decoded.
type unionInfo struct {
	what string // "oneOf", "anyOf", or "discriminator"
	// prop is the discriminator's property, or "".
	prop string
	// cases maps each variant (by field index) to its discriminator
	// values, in order.
	cases [][]string
	// fallback is the index of the variant that takes values whose
	// discriminator names no variant, or -1.
	fallback int
}

// file indexes.
const (
	fileTypes = iota
	fileOperations
	fileCount
)

var fileNames = [fileCount]string{"types.go", "operations.go"}
