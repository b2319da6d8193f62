// Package persisttest is the conformance suite of persist backends, in the
// manner of testing/slogtest: a backend's tests call [Run] with a function
// that makes a fresh backend, and the suite checks everything persist
// relies on, through the typed persist.Store and the Backend methods.
//
// # What it checks
//
//   - create, load, save, delete, and the versions they report;
//   - not found and conflicts (a stale version never overwrites a newer one);
//   - validation before writing and after reading (a corrupt document is
//     reported with its ID);
//   - 50 goroutines saving the same record (no lost update) and different
//     records (no corruption), and racing to create one;
//   - context cancellation and deadlines;
//   - a 1 MiB document and unicode IDs and values;
//   - numbers that JSON and the schema allow but database number types
//     may not hold (1e1000000, 1e-16384, 131073 digits), and documents
//     nested thousands deep, in untyped properties beside an indexed one:
//     saved, loaded back with the same JSON value, and out of the way of
//     queries;
//   - paging in ID order, stable while records are added;
//   - queries on indexed properties of every kind (equality on several,
//     ordering both ways, paging by cursor, stable while records are
//     added), byte order for strings, value order for numbers, random
//     queries compared with the same query worked out in Go, and the
//     errors for properties that are not indexed;
//   - unique properties refused on create and on change, also by 50
//     goroutines at once, and freed by delete;
//   - generated IDs: UUIDs version 7 in creation order, integers from
//     the backend that never collide, in numeric order;
//   - migrations of documents that no longer fit the model.
//
// # Shared databases and benchmarks
//
// [RunShared] checks that two instances of a backend on one database
// (two processes) keep unique properties and generated IDs unique.
// [Benchmark] measures saves, loads and queries per second the same way
// for every backend.
//
// Each subtest uses its own store, named persisttest_<case>_<random>, so
// that backends sharing one database across subtests (or runs) do not see
// each other's records.
package persisttest
