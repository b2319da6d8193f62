package binding

import "github.com/klue-go/klue-client-server/klue"

// Swagger2 reports whether api is a Swagger 2.0 document: its arrays in
// parameters and form fields default to csv rather than to OpenAPI 3's
// exploded form, and it is served as swagger.json.
func Swagger2(api *klue.API) bool { return api.SpecVersion() == "2.0" }

// Style is how a parameter or a form field is serialised: OpenAPI 3's
// styles, Swagger 2.0's collectionFormat mapped onto them by the loader
// (csv to form or simple, ssv to spaceDelimited, pipes to pipeDelimited,
// tsv to tabDelimited, multi to form exploded). The zero value is
// StyleForm.
type Style uint8

// The styles, as OpenAPI 3 names them ("tabDelimited" is Swagger 2.0's
// tsv, which OpenAPI 3 lacks).
const (
	StyleForm Style = iota
	StyleSimple
	StyleLabel
	StyleMatrix
	StyleSpaceDelimited
	StylePipeDelimited
	StyleTabDelimited
	StyleDeepObject
)

var styleNames = [...]string{"form", "simple", "label", "matrix", "spaceDelimited", "pipeDelimited", "tabDelimited", "deepObject"}

// ParseStyle returns the style named s as a spec writes it; ok is false for
// a name it does not know, which then reads as StyleForm.
func ParseStyle(s string) (st Style, ok bool) {
	for i, n := range styleNames {
		if n == s {
			return Style(i), true
		}
	}
	return StyleForm, false
}

// String returns the style's name as a spec writes it.
func (s Style) String() string {
	if int(s) < len(styleNames) {
		return styleNames[s]
	}
	return "form"
}

// Delimiter returns what separates the items of an array serialised on one
// line in style s: " ", "|", a tab, and "," for every other style.
func (s Style) Delimiter() string {
	switch s {
	case StyleSpaceDelimited:
		return " "
	case StylePipeDelimited:
		return "|"
	case StyleTabDelimited:
		return "\t"
	}
	return ","
}
