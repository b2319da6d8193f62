// Package pgstore is a persist backend that keeps every store of a pool in
// PostgreSQL, through jackc/pgx/v5, for many service instances sharing one
// database.
//
//	db, err := pgstore.Open(ctx, "postgres://klue@db.internal/klue")
//	if err != nil { ... }
//	defer db.Close()
//	if err := persist.Use(pool, db); err != nil { ... }
//
// # Storage
//
// Each store is a table named after it (quoted, after checking that the
// name is an identifier), in the connection's search_path:
//
//	"users" (id text COLLATE "C" PRIMARY KEY, version bigint NOT NULL, data jsonb NOT NULL, exact text)
//
// The C collation makes IDs sort in byte order, like every persist
// backend's, whatever the database's locale. data is JSONB, so documents can
// be queried and indexed in SQL; JSONB keeps the meaning of a document, not
// its spacing or key order.
//
// Some valid JSON is beyond JSONB: the character U+0000; numbers that
// numeric cannot hold (more than 131072 digits before the point, or more
// than 16383 after it, exponent included: 1e1000000, 1e-16384, 1.0e-16383);
// nesting deeper than the server's stack allows (about 10000 levels with
// the default max_stack_depth). Such a document is kept as it is in exact,
// which loads read, and in data as a copy JSONB holds, for queries and
// indexes: U+0000 is U+FFFD there, such a number is its float64 value (as
// every persist backend's indexes see it: 1.000…0 with 16384 zeros is 1)
// or, without one, null, and a value nested deeper than 100 levels is
// null. exact is NULL for every other
// document. A document with U+0000 is recognised before it is sent;
// numbers and nesting when the server refuses the document (SQLSTATE 22003
// or 54001), which costs that document a second statement and every other
// document nothing. (A table made before exact existed gets the column on
// first use.)
//
// A store with integer IDs has a bigint id, and its new IDs come from a
// sequence, sq_<store>, so that instances never hand out one twice.
//
// # Indexes
//
// Each property x-persist indexes gets an expression index: strings as
// (data->>'property') COLLATE "C", so that they sort in byte order; numbers
// as numeric and booleans as boolean (NULL for a document holding another
// JSON type there); followed by the ID so that ordered pages come straight
// from the index. Unique properties get a UNIQUE index on the expression
// alone: the database refuses a duplicate in the statement that writes it,
// whichever instance sent it (persist.ErrDuplicate). Find's statements use
// the same expressions, so the planner uses the indexes (the tests check
// the plans with EXPLAIN). Indexes are created inside the same transaction
// and advisory lock as the table; on a large table created before, CREATE
// INDEX holds off writes while it builds. Indexes read data, so a string
// holding U+0000 is indexed, and matched by Find, with U+FFFD in its place:
// for a unique property, two values that differ only there are one.
// (persist refuses indexed numbers that a float64 does not hold.)
//
// # Many instances
//
// A table is created on the first use of its store, inside a transaction
// holding a transaction-level advisory lock on the table's name, because
// CREATE TABLE IF NOT EXISTS alone can fail when two sessions run it at the
// same moment. Every save is one conditional statement (INSERT ... ON
// CONFLICT DO NOTHING, or UPDATE ... WHERE version = $2), so the version
// check holds across instances: a writer holding a stale version gets
// persist.ErrConflict. A save acknowledged by the server is committed; a
// save that returns an error may or may not have been, as with any
// database, when the connection broke after the commit was sent.
package pgstore
