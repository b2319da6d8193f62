package persist

// Record is a stored value with its version. [Store.Load] returns one;
// [Store.Save] takes it back, so that the save fails with [ErrConflict] if
// the record changed in between. A Record with Version 0 (as its zero value
// has) is a value to create.
type Record[T any] struct {
	Value   T
	Version int64
}

// Page is one page of a listing or a query: the records, in the order
// asked for (by ID for [Store.List]), and the cursor of the next page, ""
// after the last one. Its zero value is an empty last page.
type Page[T any] struct {
	Records []Record[T]
	Next    string
}
