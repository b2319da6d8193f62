package sqlitestore

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"net/url"
	"path/filepath"
	"regexp"
	"strings"
	"sync"
	"time"

	"github.com/klue-go/klue-client-server/klue/persist"
	"github.com/klue-go/klue-client-server/klue/persist/internal/table"
	"modernc.org/sqlite" // registers the "sqlite" driver
	sqlite3 "modernc.org/sqlite/lib"
)

// Backend is a [persist.Backend] that keeps documents in one SQLite file.
// Open one with [Open] and Close it when done.
//
// A Backend is safe for concurrent use, and several processes may use the
// same file. Its zero value is not usable.
type Backend struct {
	writer *sql.DB // one connection: SQLite has one writer at a time
	reader *sql.DB

	mu     sync.RWMutex
	tables map[string]*statements
	// retired are the statements of tables defined again, which calls
	// under way may still use; Close closes them.
	retired []*statements
}

// statements are the prepared statements of one store, with what Define
// told of it.
type statements struct {
	load, insert, update, deleteAny, deleteVersion, exists, nextID *sql.Stmt
	name                                                           string // the quoted table name
	layout                                                         persist.Layout
	integer                                                        bool              // the id column holds integers
	indexes                                                        map[string]string // index name → property, for duplicate errors

	findMu sync.Mutex
	finds  map[string]*sql.Stmt // Find's statements, by their SQL
}

var _ persist.Backend = (*Backend)(nil)

// Open opens the SQLite database at path, creating the file if needed (but
// not its directory), and puts it in WAL mode.
func Open(path string, opts ...Option) (*Backend, error) {
	cfg := defaultConfig()
	for _, o := range opts {
		o.applyToSQLite(&cfg)
	}
	if path == "" || path == ":memory:" || strings.HasPrefix(path, "file:") {
		return nil, fmt.Errorf("sqlitestore: %q: give the path of a file", path)
	}
	abs, err := filepath.Abs(path)
	if err != nil {
		return nil, fmt.Errorf("sqlitestore: %w", err)
	}
	syncMode := "NORMAL"
	if cfg.fullSync {
		syncMode = "FULL"
	}
	base := "file:" + (&url.URL{Path: abs}).EscapedPath() + "?" + url.Values{"_pragma": {
		fmt.Sprintf("busy_timeout(%d)", cfg.busyTimeout.Milliseconds()),
		"synchronous(" + syncMode + ")",
	}}.Encode()

	writer, err := sql.Open("sqlite", base+"&_pragma=journal_mode(WAL)")
	if err != nil {
		return nil, fmt.Errorf("sqlitestore: %w", err)
	}
	writer.SetMaxOpenConns(1)
	writer.SetMaxIdleConns(1)
	mode, err := journalMode(writer, cfg.busyTimeout)
	if err != nil {
		writer.Close()
		return nil, fmt.Errorf("sqlitestore: open %s: %w", path, err)
	}
	if !strings.EqualFold(mode, "wal") {
		writer.Close()
		return nil, fmt.Errorf("sqlitestore: open %s: journal mode is %q, not WAL", path, mode)
	}
	reader, err := sql.Open("sqlite", base+"&_pragma=query_only(1)")
	if err != nil {
		writer.Close()
		return nil, fmt.Errorf("sqlitestore: %w", err)
	}
	reader.SetMaxOpenConns(cfg.readers)
	reader.SetMaxIdleConns(cfg.readers)
	return &Backend{writer: writer, reader: reader, tables: map[string]*statements{}}, nil
}

// journalMode opens the writer's connection, which switches the file to
// WAL, and returns the journal mode then in force. Switching needs the file
// to itself for a moment, and SQLite answers SQLITE_BUSY at once, without
// its busy handler, while another instance is opening the same file: the
// switch is tried again for up to the busy timeout.
func journalMode(writer *sql.DB, busyTimeout time.Duration) (string, error) {
	deadline := time.Now().Add(busyTimeout)
	for wait := time.Millisecond; ; wait = min(2*wait, 50*time.Millisecond) {
		var mode string
		err := writer.QueryRow("PRAGMA journal_mode").Scan(&mode)
		var se *sqlite.Error
		if err == nil || !errors.As(err, &se) || se.Code()&0xff != sqlite3.SQLITE_BUSY || time.Now().After(deadline) {
			return mode, err
		}
		time.Sleep(wait)
	}
}

// Ping checks that the database file can be read, for readiness checks.
func (b *Backend) Ping(ctx context.Context) error { return b.reader.PingContext(ctx) }

// Close closes the database. Calls made after Close fail.
func (b *Backend) Close() error {
	b.mu.Lock()
	defer b.mu.Unlock()
	for _, st := range b.tables {
		st.close()
	}
	for _, st := range b.retired {
		st.close()
	}
	b.tables, b.retired = map[string]*statements{}, nil
	return errors.Join(b.reader.Close(), b.writer.Close())
}

// Define implements [persist.Backend]. The table has an INTEGER PRIMARY
// KEY for integer IDs, TEXT otherwise (a table created before keeps its
// column); each indexed property gets an expression index on
// json_extract(data, '$."property"'), with the ID after it unless unique.
func (b *Backend) Define(ctx context.Context, layout persist.Layout) error {
	name, err := table.Quote(layout.Name)
	if err != nil {
		return fmt.Errorf("sqlitestore: %w", err)
	}
	b.mu.Lock()
	defer b.mu.Unlock()
	if known, ok := b.tables[layout.Name]; ok && known.layout.Equal(layout) {
		return nil
	}
	idType := "TEXT"
	if layout.IDKind == persist.Integer {
		idType = "INTEGER"
	}
	stmts := []string{
		`CREATE TABLE IF NOT EXISTS ` + name + ` (
			id ` + idType + ` PRIMARY KEY NOT NULL,
			version INTEGER NOT NULL,
			data TEXT NOT NULL,
			exact TEXT
		)`,
	}
	indexes := map[string]string{}
	for _, ix := range layout.Indexes {
		if err := table.CheckProperty(ix.Property); err != nil {
			return fmt.Errorf("sqlitestore: store %s: %w", layout.Name, err)
		}
		ixName := table.IndexName(layout.Name, ix.Property, ix.Unique)
		indexes[strings.Trim(ixName, `"`)] = ix.Property
		cols, unique := extract(ix.Property)+", id", ""
		if ix.Unique {
			cols, unique = extract(ix.Property), "UNIQUE "
		}
		stmts = append(stmts, `CREATE `+unique+`INDEX IF NOT EXISTS `+ixName+` ON `+name+` (`+cols+`)`)
	}
	for _, stmt := range stmts {
		if _, err := b.writer.ExecContext(ctx, stmt); err != nil {
			if dup := b.duplicate(err, indexes); dup != nil {
				return fmt.Errorf("sqlitestore: store %s: cannot index %s as unique: %w", layout.Name, dup.Property, dup)
			}
			return fail(ctx, fmt.Errorf("define %s: %w", name, err))
		}
	}
	st, err := b.prepare(ctx, layout.Name, name)
	if err != nil {
		return err
	}
	st.layout = layout
	st.indexes = indexes
	if old := b.tables[layout.Name]; old != nil {
		b.retired = append(b.retired, old)
	}
	b.tables[layout.Name] = st
	return nil
}

// extract is the SQL expression of a property of the documents, the same
// in the indexes and the queries so that the queries use the indexes. The
// property names x-persist accepts hold no quote.
func extract(property string) string {
	return `json_extract(data, '$."` + property + `"')`
}

// Load implements [persist.Backend].
func (b *Backend) Load(ctx context.Context, store, id string) (persist.Document, error) {
	st, err := b.table(ctx, store)
	if err != nil {
		return persist.Document{}, err
	}
	key, ok := st.key(id)
	if !ok {
		return persist.Document{}, persist.ErrNotFound
	}
	doc := persist.Document{ID: id}
	var data string
	err = st.load.QueryRowContext(ctx, key).Scan(&doc.Version, &data)
	if errors.Is(err, sql.ErrNoRows) {
		return persist.Document{}, persist.ErrNotFound
	}
	if err != nil {
		return persist.Document{}, fail(ctx, err)
	}
	doc.Data = []byte(data)
	return doc, nil
}

// Save implements [persist.Backend].
func (b *Backend) Save(ctx context.Context, store string, doc persist.Document) error {
	st, err := b.table(ctx, store)
	if err != nil {
		return err
	}
	key, ok := st.key(doc.ID)
	if !ok {
		return fmt.Errorf("sqlitestore: save %s: the ID %q is not an integer", store, doc.ID)
	}
	res, err := st.write(ctx, key, doc.Version, string(doc.Data), nil)
	if err != nil && beyondJSON(err) {
		// Valid JSON that SQLite's JSON functions, which the indexes call,
		// cannot read: found out by SQLite, so that other documents cost
		// nothing more.
		if data, cerr := (table.Copy{MaxDepth: jsonMaxDepth}).Of(doc.Data); cerr == nil {
			res, err = st.write(ctx, key, doc.Version, string(data), string(doc.Data))
		}
	}
	if err != nil {
		if dup := b.duplicate(err, st.indexes); dup != nil {
			return dup
		}
		return fail(ctx, err)
	}
	if n, err := res.RowsAffected(); err != nil {
		return fail(ctx, err)
	} else if n == 0 {
		return persist.ErrConflict
	}
	return nil
}

// write inserts (version 0) or updates a document, given as its data and
// exact columns.
func (st *statements) write(ctx context.Context, key any, version int64, data string, exact any) (sql.Result, error) {
	if version == 0 {
		return st.insert.ExecContext(ctx, key, data, exact)
	}
	return st.update.ExecContext(ctx, data, exact, key, version)
}

// jsonMaxDepth is the nesting the copy of a document too deep for SQLite's
// JSON functions keeps: deeper values are null there. Indexes read the top
// level only.
const jsonMaxDepth = 100

// beyondJSON reports whether err is SQLite's JSON functions refusing a
// document: the documents are valid JSON, so one nested deeper than they
// read (1000 levels).
func beyondJSON(err error) bool {
	var se *sqlite.Error
	return errors.As(err, &se) && se.Code() == sqlite3.SQLITE_ERROR && strings.Contains(se.Error(), "malformed JSON")
}

// Delete implements [persist.Backend].
func (b *Backend) Delete(ctx context.Context, store, id string, version int64) error {
	st, err := b.table(ctx, store)
	if err != nil {
		return err
	}
	key, ok := st.key(id)
	if !ok {
		return persist.ErrNotFound
	}
	var res sql.Result
	if version == 0 {
		res, err = st.deleteAny.ExecContext(ctx, key)
	} else {
		res, err = st.deleteVersion.ExecContext(ctx, key, version)
	}
	if err != nil {
		return fail(ctx, err)
	}
	n, err := res.RowsAffected()
	if err != nil {
		return fail(ctx, err)
	}
	if n > 0 {
		return nil
	}
	if version == 0 {
		return persist.ErrNotFound
	}
	// Nothing deleted at that version: tell a missing record from a newer one.
	var one int
	switch err := st.exists.QueryRowContext(ctx, key).Scan(&one); {
	case errors.Is(err, sql.ErrNoRows):
		return persist.ErrNotFound
	case err != nil:
		return fail(ctx, err)
	}
	return persist.ErrConflict
}

// Find implements [persist.Backend].
func (b *Backend) Find(ctx context.Context, store string, q persist.Selection) ([]persist.Document, error) {
	st, err := b.table(ctx, store)
	if err != nil {
		return nil, err
	}
	query, args, err := st.findSQL(q)
	if err != nil {
		return nil, fmt.Errorf("sqlitestore: find %s: %w", store, err)
	}
	stmt, err := b.findStmt(ctx, st, query)
	if err != nil {
		return nil, err
	}
	rows, err := stmt.QueryContext(ctx, args...)
	if err != nil {
		return nil, fail(ctx, err)
	}
	defer rows.Close()
	var out []persist.Document
	for rows.Next() {
		var doc persist.Document
		var data string
		if err := rows.Scan(&doc.ID, &doc.Version, &data); err != nil {
			return nil, fail(ctx, err)
		}
		doc.Data = []byte(data)
		out = append(out, doc)
	}
	if err := rows.Err(); err != nil {
		return nil, fail(ctx, err)
	}
	return out, nil
}

// NextID implements [persist.Backend]: a row per store in the table
// klue_sequences, moved on in the same statement that reads it, and never
// behind the largest ID stored.
func (b *Backend) NextID(ctx context.Context, store string) (int64, error) {
	st, err := b.table(ctx, store)
	if err != nil {
		return 0, err
	}
	var id int64
	if err := st.nextID.QueryRowContext(ctx, store).Scan(&id); err != nil {
		return 0, fail(ctx, err)
	}
	return id, nil
}

// findSQL builds the statement of a Find, and its arguments.
func (st *statements) findSQL(q persist.Selection) (string, []any, error) {
	var where []string
	var args []any
	var afterKey any
	if q.After != nil {
		k, err := table.AfterKey(q.After.ID, st.integer)
		if err != nil {
			return "", nil, err
		}
		afterKey = k
	}
	for _, m := range q.Where {
		if _, ok := st.layout.Index(m.Property); !ok {
			return "", nil, fmt.Errorf("no index on %q", m.Property)
		}
		where = append(where, extract(m.Property)+` = ?`)
		args = append(args, sqlValue(m.Value))
	}
	op, dir := ">", ""
	if q.Desc {
		op, dir = "<", " DESC"
	}
	order := "id" + dir
	if q.OrderBy != "" {
		ix, ok := st.layout.Index(q.OrderBy)
		if !ok {
			return "", nil, fmt.Errorf("no index on %q", q.OrderBy)
		}
		e := extract(q.OrderBy)
		where = append(where, e+` IS NOT NULL`)
		switch {
		case ix.Unique:
			// Values are unique: the ID never breaks a tie.
			order = e + dir
			if q.After != nil {
				where = append(where, e+` `+op+` ?`)
				args = append(args, sqlValue(q.After.Value))
			}
		default:
			order = e + dir + `, id` + dir
			if q.After != nil {
				// The first term bounds the index range; a row value
				// alone would not.
				v := sqlValue(q.After.Value)
				where = append(where, e+` `+op+`= ? AND (`+e+` `+op+` ? OR `+e+` = ? AND id `+op+` ?)`)
				args = append(args, v, v, v, afterKey)
			}
		}
	} else if q.After != nil {
		where = append(where, `id `+op+` ?`)
		args = append(args, afterKey)
	}
	query := `SELECT id, version, ` + documentColumn + ` FROM ` + st.name
	if len(where) > 0 {
		query += ` WHERE ` + strings.Join(where, ` AND `)
	}
	query += ` ORDER BY ` + order + ` LIMIT ?`
	return query, append(args, q.Limit), nil
}

// sqlValue is a value as json_extract gives it: booleans are 1 and 0.
func sqlValue(v any) any {
	if b, ok := v.(bool); ok {
		if b {
			return 1
		}
		return 0
	}
	return v
}

// findStmt returns the prepared statement of query, preparing it once.
func (b *Backend) findStmt(ctx context.Context, st *statements, query string) (*sql.Stmt, error) {
	st.findMu.Lock()
	defer st.findMu.Unlock()
	if stmt, ok := st.finds[query]; ok {
		return stmt, nil
	}
	stmt, err := b.reader.PrepareContext(ctx, query)
	if err != nil {
		return nil, fail(ctx, fmt.Errorf("prepare %s: %w", query, err))
	}
	if st.finds == nil {
		st.finds = map[string]*sql.Stmt{}
	}
	st.finds[query] = stmt
	return stmt, nil
}

// key is an ID as the id column holds it.
func (st *statements) key(id string) (any, bool) { return table.Key(id, st.integer) }

var uniqueIndex = regexp.MustCompile(`UNIQUE constraint failed: index '([^']*)'`)

// duplicate returns the DuplicateError that err stands for, or nil.
func (b *Backend) duplicate(err error, indexes map[string]string) *persist.DuplicateError {
	var se *sqlite.Error
	if !errors.As(err, &se) || se.Code() != sqlite3.SQLITE_CONSTRAINT_UNIQUE {
		return nil
	}
	dup := &persist.DuplicateError{}
	if m := uniqueIndex.FindStringSubmatch(se.Error()); m != nil {
		dup.Property = indexes[m[1]]
	}
	return dup
}

// table returns the statements of store, creating its table and preparing
// them on first use when the store was not defined.
func (b *Backend) table(ctx context.Context, store string) (*statements, error) {
	b.mu.RLock()
	st, ok := b.tables[store]
	b.mu.RUnlock()
	if ok {
		return st, nil
	}
	name, err := table.Quote(store)
	if err != nil {
		return nil, fmt.Errorf("sqlitestore: %w", err)
	}
	b.mu.Lock()
	defer b.mu.Unlock()
	if st, ok := b.tables[store]; ok {
		return st, nil
	}
	create := `CREATE TABLE IF NOT EXISTS ` + name + ` (
		id TEXT PRIMARY KEY NOT NULL,
		version INTEGER NOT NULL,
		data TEXT NOT NULL,
		exact TEXT
	)`
	if _, err := b.writer.ExecContext(ctx, create); err != nil {
		return nil, fail(ctx, fmt.Errorf("create table %s: %w", name, err))
	}
	if st, err = b.prepare(ctx, store, name); err != nil {
		return nil, err
	}
	st.layout = persist.Layout{Name: store, IDKind: persist.String}
	b.tables[store] = st
	return st, nil
}

// createSequences creates the table of the stores' last integer IDs.
const createSequences = `CREATE TABLE IF NOT EXISTS klue_sequences (store TEXT PRIMARY KEY NOT NULL, last INTEGER NOT NULL)`

// prepare prepares the statements of the table of store, quoted as name,
// and finds out whether its IDs are integers.
func (b *Backend) prepare(ctx context.Context, store, name string) (*statements, error) {
	st := &statements{name: name}
	var colType string
	if err := b.writer.QueryRowContext(ctx, `SELECT type FROM pragma_table_info(?) WHERE name = 'id'`, store).Scan(&colType); err != nil {
		return nil, fail(ctx, fmt.Errorf("table %s: %w", name, err))
	}
	st.integer = strings.EqualFold(colType, "INTEGER")
	if err := b.addExact(ctx, store, name); err != nil {
		return nil, err
	}
	prepare := []struct {
		db   *sql.DB
		dst  **sql.Stmt
		stmt string
	}{
		{b.reader, &st.load, `SELECT version, ` + documentColumn + ` FROM ` + name + ` WHERE id = ?`},
		{b.writer, &st.insert, `INSERT INTO ` + name + ` (id, version, data, exact) VALUES (?, 1, ?, ?) ON CONFLICT (id) DO NOTHING`},
		{b.writer, &st.update, `UPDATE ` + name + ` SET version = version + 1, data = ?, exact = ? WHERE id = ? AND version = ?`},
		{b.writer, &st.deleteAny, `DELETE FROM ` + name + ` WHERE id = ?`},
		{b.writer, &st.deleteVersion, `DELETE FROM ` + name + ` WHERE id = ? AND version = ?`},
		{b.reader, &st.exists, `SELECT 1 FROM ` + name + ` WHERE id = ?`},
	}
	if _, err := b.writer.ExecContext(ctx, createSequences); err != nil {
		return nil, fail(ctx, err)
	}
	// The largest ID is the last of the primary key: no scan.
	prepare = append(prepare, struct {
		db   *sql.DB
		dst  **sql.Stmt
		stmt string
	}{b.writer, &st.nextID, `INSERT INTO klue_sequences (store, last) VALUES (?1, (SELECT coalesce(max(id), 0) FROM ` + name + `) + 1)
		ON CONFLICT (store) DO UPDATE SET last = max(last + 1, (SELECT coalesce(max(id), 0) FROM ` + name + `) + 1)
		RETURNING last`})
	for _, p := range prepare {
		var err error
		if *p.dst, err = p.db.PrepareContext(ctx, p.stmt); err != nil {
			st.close()
			return nil, fail(ctx, fmt.Errorf("prepare %s: %w", p.stmt, err))
		}
	}
	return st, nil
}

// documentColumn reads a stored document: the exact one when SQLite's JSON
// functions could not read it.
const documentColumn = `coalesce(exact, data)`

// addExact adds the column exact to a table made before it existed. Another
// process may add it at the same moment: the column is then there.
func (b *Backend) addExact(ctx context.Context, store, name string) error {
	has := func() (bool, error) {
		var n int
		err := b.writer.QueryRowContext(ctx, `SELECT count(*) FROM pragma_table_info(?) WHERE name = 'exact'`, store).Scan(&n)
		return n > 0, err
	}
	ok, err := has()
	if err == nil && !ok {
		if _, err = b.writer.ExecContext(ctx, `ALTER TABLE `+name+` ADD COLUMN exact TEXT`); err != nil {
			if ok, _ = has(); ok {
				err = nil
			}
		}
	}
	if err != nil {
		return fail(ctx, fmt.Errorf("table %s: add column exact: %w", name, err))
	}
	return nil
}

func (st *statements) close() {
	for _, s := range []*sql.Stmt{st.load, st.insert, st.update, st.deleteAny, st.deleteVersion, st.exists, st.nextID} {
		if s != nil {
			s.Close()
		}
	}
	st.findMu.Lock()
	defer st.findMu.Unlock()
	for _, s := range st.finds {
		s.Close()
	}
	st.finds = nil
}

// fail wraps a driver error as [table.Fail] does.
func fail(ctx context.Context, err error) error { return table.Fail(ctx, "sqlitestore", err) }
