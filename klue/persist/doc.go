// Package persist stores the models a spec marks x-persist, through a typed
// [Store] bound to the model and a [Backend] that keeps JSON documents.
//
// # The spec decides
//
// A definition (Swagger 2.0) or component schema (OpenAPI 3) marked with
// x-persist is a model with a store:
//
//	User:
//	  type: object
//	  x-persist: {store: users, indexes: [created], unique: [email]}
//	  required: [id, email]
//	  properties:
//	    id: {type: string}
//	    email: {type: string, format: email}
//	    created: {type: string, format: date-time}
//
// x-persist is true, a store name, or an object with any of store, id,
// indexes and unique. The store (a table in SQL backends) is named by
// x-persist, or after the model in snake_case. Each value's ID is its "id"
// property unless id names another. indexes and unique list the properties
// the store can be queried and ordered by; no two records hold the same
// value of a unique property. Indexed properties are top-level properties
// of the model, each a string, an integer, a number or a boolean; anything
// else fails the loading of the spec, at the line of the name. Indexes hold
// integers of 64 bits (3, 3.0 and 3e0 alike) and numbers a float64 holds:
// a save whose indexed property holds a number beyond them that the schema
// allows (2^64, 1e400, 1e-400) is refused with 422 Unprocessable Entity, by
// every backend; unindexed properties hold any JSON number, exactly. An API
// added with klue.WithoutPersistence has no stores.
//
// # Binding a backend and getting a store
//
// The application binds one backend to the pool, then asks for a typed
// store per Go type; the model is found by the type's name across the
// pool's APIs. [For] serves models with string IDs; [ForKey] also takes the
// Go type of the IDs, for models whose ID property is an integer:
//
//	db, err := sqlitestore.Open("data/klue.db")
//	...
//	if err := persist.Use(pool, db); err != nil { ... }
//	users, err := persist.For[User](pool)          // the model "User", marked x-persist
//	todos, err := persist.ForKey[Todo, int64](pool) // integer IDs
//
// Asking for a model that is not marked x-persist, that no API has, or that
// several APIs persist, or with an ID type that does not fit the model's ID
// property, is an error at that call, with "did you mean" hints.
// The store's table and indexes are created on its first use, or at once
// with [Store.Define], which a service calls at start-up to fail then
// rather than on its first request.
//
// # IDs
//
// The schema type of the ID property decides. String IDs are given by the
// application or, when a created value has none ("" or absent), generated:
// UUIDs version 7, which sort by creation time. Integer IDs absent (or 0)
// are taken from the backend (a sequence in PostgreSQL, a counter row in
// SQLite), unique across every instance sharing the database, and integer
// IDs sort as numbers in [Store.List]. [Store.Load], [Store.Update] and
// [Store.Delete] take the ID in its Go type: Store[User, string].Load(ctx,
// "u1"), Store[Todo, int64].Load(ctx, 42).
//
// # Queries
//
// [Store.Find] selects records by equality on indexed properties (several
// are ANDed), orders them by an indexed property (increasing, or decreasing
// with a "-"), and returns a page with a cursor to the next. Paging goes by
// position in the order (the last record's value and ID), not by offset,
// so records added or removed meanwhile never make another appear twice or
// not at all; [Store.FindAll] reads every page of a query in turn.
// [Store.FindOne] finds the one record holding a value of a unique
// property. A property that is not indexed is an error at the call,
// with the close indexed names, never a silent scan of the store:
//
//	page, err := users.Find(ctx, persist.Query{Where: map[string]any{"team": "blue"}, OrderBy: "-created", Limit: 20})
//	ada, err := users.FindOne(ctx, "email", "ada@example.com")
//
// SQL backends serve queries from expression indexes on the JSON
// properties: a query costs about the same with 100 or 100,000 records
// (docs/BENCHMARKS.md). Matching one property and ordering by another sorts
// the records that match.
//
// # Versions: no lost updates
//
// Every record carries a version, returned by [Store.Load] in a [Record]
// and given back to [Store.Save]. A save over a version other than the one
// read fails with [ErrConflict], so two writers never silently overwrite
// each other; [Store.Update] does the read-modify-write loop. Version 0
// means "create": it fails with ErrConflict when the ID is taken.
//
// # Unique properties
//
// A save that would give a unique property a value another record holds
// fails with [ErrDuplicate], checked by the backend in the same atomic step
// as the write (a unique index in SQL), so two instances sharing a database
// cannot both succeed. The error is also a *klue.Error with status 409
// Conflict: a handler may return it as is. Records without the property do
// not collide.
//
// # Validation and evolving models
//
// Values are checked against their model before they are written (an
// invalid value is an error and nothing is written) and after they are read
// (a stored document that does not fit the model is reported with
// [ErrCorrupt] and its ID, never returned as if it were valid).
//
// When a model becomes stricter, documents stored before may no longer fit.
// A [Migration] given with [WithMigration] turns such a document into one
// that fits: the store runs it on read (the record comes back migrated, and
// is written so on its next save), and [Store.Migrate] rewrites all of them
// at once. A document that fits neither as stored nor after migration is
// left untouched: reading it gives ErrCorrupt with its ID, Migrate lists
// it, Delete removes it; nothing is dropped silently. Queries look at the
// documents as stored, so migrate in bulk before relying on a new index.
//
// # Backends
//
// [Memory] keeps documents in memory, for tests. Package sqlitestore keeps
// them in one SQLite file (pure Go, WAL), the embedded default; package
// pgstore keeps them in PostgreSQL (JSONB), for many service instances
// sharing one database. Each sits in its own package so that a program links
// only the driver it uses. Package persisttest is the conformance suite
// every backend passes.
package persist
