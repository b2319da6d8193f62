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
//	  x-persist: users                  # or true, or {store: users, id: user_id}
//	  required: [id, email]
//	  properties:
//	    id: {type: string}
//	    email: {type: string, format: email}
//
// The store (a table in SQL backends) is named by x-persist, or after the
// model in snake_case for x-persist: true. Each value's ID is its "id"
// property unless x-persist names another. An API added with
// klue.WithoutPersistence has no stores.
//
// # Binding a backend and getting a store
//
// The application binds one backend to the pool, then asks for a typed
// store per Go type; the model is found by the type's name across the
// pool's APIs:
//
//	db, err := sqlitestore.Open("data/klue.db")
//	...
//	if err := persist.Use(pool, db); err != nil { ... }
//	users, err := persist.For[User, string](pool) // the model "User", marked x-persist
//
// Asking for a model that is not marked x-persist, that no API has, or that
// several APIs persist, is an error at that call, with "did you mean" hints.
//
// # Versions: no lost updates
//
// Every record carries a version, returned by [Store.Load] in a [Record]
// and given back to [Store.Save]. A save over a version other than the one
// read fails with [ErrConflict], so two writers never silently overwrite
// each other; [Store.Update] does the read-modify-write loop. Version 0
// means "create": it fails with ErrConflict when the ID is taken.
//
// # Validation
//
// Values are checked against their model before they are written (an
// invalid value is an error and nothing is written) and after they are read
// (a stored document that does not fit its model is reported with
// [ErrCorrupt] and its ID, never returned as if it were valid).
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
