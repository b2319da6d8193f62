// Package gen writes Go types from a spec loaded by klue: the code behind
// "klue gen".
//
// # What is generated
//
// A package of two files, gofmt'ed and marked "Code generated ... DO NOT
// EDIT.":
//
//   - types.go: a type per model (Swagger 2.0 definition, OpenAPI 3
//     component schema), and per schema of another file that a $ref reaches;
//   - operations.go: per operation a typed key, klue.Key[Req, Res], whose
//     doc comment is the operation's summary, with the Req and Res types
//     that server.Bind and the client expect.
//
// # How schemas become types
//
//   - An object with properties is a struct with json tags; allOf members are
//     merged into it, and so is the single option of a oneOf beside
//     properties. A property several members define takes the properties
//     of all its definitions; definitions of different JSON types accept no
//     value together, and Generate refuses them, naming both places.
//   - A required property is a value, a pointer when it is nullable (nil
//     is sent as null). An optional one is a pointer with omitempty (nil:
//     absent), or a slice or map with omitzero (nil: absent; empty: sent
//     empty); when its schema admits null (nullable, or no type), it is a
//     klue.Nullable with omitzero, which tells absent, null and a value
//     apart. readOnly and writeOnly properties are optional, since one
//     direction never carries them, unless they are required and nullable.
//   - An object without properties is a map[string]T (T from
//     additionalProperties, else any). A struct whose schema also declares
//     additionalProperties gets an AdditionalProperties map and JSON methods
//     that merge it into the object; so does one with a property no struct
//     tag can name ("-", or one with a character such as a comma or a
//     quote), which travels in that map.
//   - The JSON methods of generated types decode by the rules klue
//     validates by (github.com/go-json-experiment/json: member names
//     matched exactly, a name twice in an object, invalid UTF-8 or a lone
//     surrogate refused), whichever decoder calls them, and encode as
//     encoding/json does.
//   - string, integer, number, boolean: string, int (int32, int64 by
//     format), float64 (float32), bool; date-time is time.Time, date is
//     klue.Date, byte is []byte. An enum is a defined type with a constant
//     per value.
//   - oneOf / anyOf of several types is a union: a struct with a pointer per
//     type, exactly one of them set, whose JSON is the JSON of that one.
//     Properties beside the oneOf belong to each option's type.
//     Decoding picks the type the discriminator names when there is one;
//     otherwise (no discriminator, or a value it does not map) the first type
//     that takes the value without leaving a property aside, else the first
//     that takes it at all. A Swagger 2.0 base type with a discriminator is a
//     union of its subtypes, plus a Base struct for the values naming none of
//     them.
//   - Named types are used by name, so recursive schemas give recursive
//     types; a struct that would contain itself holds a pointer instead.
//
// Inline schemas that need a name (objects, enums, unions) are named after
// where they sit: PetCategory for the property "category" of Pet,
// ListPetsStatus for the parameter "status" of listPets.
//
// # Operations
//
// Req is struct{} for an operation without input; the body model itself
// for one whose only input is a JSON body; else a struct with a field per
// parameter tagged with its location (path:"id", query:"limit",
// header:"X-Token", cookie:"session"), and a Body field, or for a form
// body a field per form field tagged form:"name" (*server.File for files).
// Optional parameters are pointers, unless they have a default, which the
// server fills in: those are plain values. Header parameters OpenAPI 3 says
// to ignore (Accept, Content-Type, Authorization) get no field. A body
// whose JSON and form media types have different schemas takes one type
// that fits them all: their properties merged, required when every media
// type requires them. Res is the type of the success
// response's schema, struct{} when it has no body, []byte when it is not
// JSON.
//
// The key's value finds the operation on both sides: its operationId when
// that is unique, else "METHOD /path".
//
// # Names
//
// Go names come from the spec's names ([Identifier]): "pet_id" is PetID,
// "io.k8s.api.core.v1.Pod" is IoK8sAPICoreV1Pod, "DateCreated<" is
// DateCreatedLt. Names are handed out models first (sorted), then
// operations (in the spec's order), then inline types; a name already taken
// gets a suffix ("Pet2" for "pet" beside "Pet", "ListPetsOp"). Within a
// struct, plain property names ("type") choose first, and the others spell
// their symbols when they collide ("@type" is AtType). Path parameters
// choose before query, header and cookie ones ("id" in the path is ID, in
// the query IDQuery). The same spec always gives the same output, and a
// spec that grows keeps the names it had.
//
// # Files
//
// [Result.Write] writes the files into a directory, leaving alone those
// whose content is unchanged, and refuses to overwrite a file that klue gen
// did not write.
package gen
