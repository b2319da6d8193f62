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
//	"users" (id TEXT PRIMARY KEY NOT NULL, version INTEGER NOT NULL, data TEXT NOT NULL, exact TEXT)
//
// data holds the JSON document, so SQLite's JSON functions can query it.
// Those functions read 1000 levels of nesting, and the indexes call them:
// a document nested deeper is kept as it is in exact, which loads read, and
// in data as a copy with null for the values nested deeper than 100 levels,
// for queries and indexes. exact is NULL for every other document. Such a
// document is recognised when SQLite refuses it, which costs it a second
// statement and every other document nothing. (A table made before exact
// existed gets the column on first use.)
// String IDs sort in byte order (SQLite's BINARY collation), like every
// persist backend's; a store with integer IDs has an INTEGER PRIMARY KEY
// instead, and its new IDs come from a row of the table klue_sequences,
// moved on by one statement under the write lock (never behind the largest
// ID stored), so that processes sharing the file never hand out one twice.
//
// # Indexes
//
// Each property x-persist indexes gets an expression index on
// json_extract(data, '$."property"'), followed by the ID so that ordered
// pages come straight from the index, and unique properties a UNIQUE index
// on the expression alone, which makes SQLite refuse a duplicate in the
// statement that writes it (persist.ErrDuplicate). Find's statements use
// the same expressions, so SQLite searches the indexes (its tests check the
// query plans). Indexes are created with the table, or on the first use of
// a store whose x-persist gained them.
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
