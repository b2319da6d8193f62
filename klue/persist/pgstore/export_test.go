package pgstore

// Internals under test.
var (
	NumericHolds = numericHolds
	JSONBCopy    = jsonbCopy
)
