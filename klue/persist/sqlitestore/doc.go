// Package sqlitestore is a persist backend that keeps every store of a pool
// in one SQLite file, through the pure-Go driver modernc.org/sqlite (no cgo).
// It is the embedded default: nothing to install or run beside the service.
//
//	db, err := sqlitestore.Open("data/klue.db")
//	if err != nil { ... }
//	defer db.Close()
//	if err := persist.Use(pool, db); err != nil { ... }
//
// # Storage
//
// Each store is a table named after it (quoted, after checking that the
// name is an identifier), created on first use with CREATE TABLE IF NOT
// EXISTS, which SQLite runs under its write lock, so that several processes
// may start at once:
//
//	"users" (id TEXT PRIMARY KEY NOT NULL, version INTEGER NOT NULL, data TEXT NOT NULL)
//
// data holds the JSON document, so SQLite's JSON functions can query it.
// IDs sort in byte order (SQLite's BINARY collation), like every persist
// backend's.
//
// # Durability and concurrency
//
// The file is in WAL mode: readers never wait for the writer. Writes go
// through one connection, since SQLite has one writer at a time; each save
// is a single conditional statement (INSERT ... ON CONFLICT DO NOTHING, or
// UPDATE ... WHERE version = ?), so the version check and the write are
// atomic. By default synchronous is NORMAL, SQLite's advice for WAL: a
// committed save survives a crash of the process, and the last ones may be
// lost if the machine loses power. [WithFullSync] makes every commit wait
// for the disk, at a cost in saves per second.
package sqlitestore
