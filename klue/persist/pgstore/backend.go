package pgstore

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"sync"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"
	"github.com/jackc/pgx/v5/pgxpool"

	"github.com/klue-go/klue-client-server/klue/persist"
	"github.com/klue-go/klue-client-server/klue/persist/internal/table"
)

// Backend is a [persist.Backend] that keeps documents in PostgreSQL. Get
// one with [Open], or with [New] on a pool of your own.
//
// A Backend is safe for concurrent use, and any number of processes may
// share a database through their own Backends. Its zero value is not usable.
type Backend struct {
	pool  *pgxpool.Pool
	owned bool

	mu     sync.RWMutex
	tables map[string]*queries
}

// queries are the statements of one store, its name quoted in, with what
// Define told of it.
type queries struct {
	load, insert, update, deleteAny, deleteVersion, nextID string
	name                                                   string // the quoted table name
	layout                                                 persist.Layout
	integer                                                bool              // the id column is a bigint
	indexes                                                map[string]string // index name → property, for duplicate errors
}

var _ persist.Backend = (*Backend)(nil)

// lockClass is the first key of the advisory locks taken while creating
// tables ("klue" in ASCII); the second is the hash of the table's name.
const lockClass = 0x6b6c7565

// Open connects to the database connString names (a postgres:// URL or a
// key=value string, as pgxpool.ParseConfig reads it) and checks that it
// answers.
func Open(ctx context.Context, connString string) (*Backend, error) {
	pool, err := pgxpool.New(ctx, connString)
	if err != nil {
		return nil, fmt.Errorf("pgstore: %w", err)
	}
	if err := pool.Ping(ctx); err != nil {
		pool.Close()
		return nil, fail(ctx, err)
	}
	b := New(pool)
	b.owned = true
	return b, nil
}

// New returns a backend that works through pool. Closing the backend does
// not close pool.
func New(pool *pgxpool.Pool) *Backend {
	return &Backend{pool: pool, tables: map[string]*queries{}}
}

// Ping checks that the database answers, for readiness checks.
func (b *Backend) Ping(ctx context.Context) error { return b.pool.Ping(ctx) }

// Close closes the connections if the backend opened them ([Open]).
func (b *Backend) Close() {
	if b.owned {
		b.pool.Close()
	}
}

// Define implements [persist.Backend]. The table's id is a bigint for
// integer IDs, text in the "C" collation otherwise (a table created before
// keeps its column); integer IDs come from a sequence; each indexed
// property gets an expression index (see [expr]), with the ID after it
// unless unique. All of it happens in one transaction under an advisory
// lock, so that instances starting together do not trip over each other.
func (b *Backend) Define(ctx context.Context, layout persist.Layout) error {
	name, err := table.Quote(layout.Name)
	if err != nil {
		return fmt.Errorf("pgstore: %w", err)
	}
	b.mu.Lock()
	defer b.mu.Unlock()
	if known, ok := b.tables[layout.Name]; ok && known.layout.Equal(layout) {
		return nil
	}
	idType := `text COLLATE "C"`
	if layout.IDKind == persist.Integer {
		idType = "bigint"
	}
	seq := table.SequenceName(layout.Name)
	stmts := []string{
		`CREATE TABLE IF NOT EXISTS ` + name + ` (
			id ` + idType + ` PRIMARY KEY,
			version bigint NOT NULL CHECK (version > 0),
			data jsonb NOT NULL,
			exact text
		)`,
		// Tables made before the column existed.
		`ALTER TABLE ` + name + ` ADD COLUMN IF NOT EXISTS exact text`,
	}
	indexes := map[string]string{}
	for _, ix := range layout.Indexes {
		if err := table.CheckProperty(ix.Property); err != nil {
			return fmt.Errorf("pgstore: store %s: %w", layout.Name, err)
		}
		ixName := table.IndexName(layout.Name, ix.Property, ix.Unique)
		indexes[strings.Trim(ixName, `"`)] = ix.Property
		cols, unique := expr(ix)+", id", ""
		if ix.Unique {
			cols, unique = expr(ix), "UNIQUE "
		}
		stmts = append(stmts, `CREATE `+unique+`INDEX IF NOT EXISTS `+ixName+` ON `+name+` (`+cols+`)`)
	}
	var integer bool
	err = pgx.BeginFunc(ctx, b.pool, func(tx pgx.Tx) error {
		if _, err := tx.Exec(ctx, `SELECT pg_advisory_xact_lock($1, hashtext($2))`, lockClass, layout.Name); err != nil {
			return err
		}
		for _, stmt := range stmts {
			if _, err := tx.Exec(ctx, stmt); err != nil {
				return err
			}
		}
		var colType string
		if err := tx.QueryRow(ctx, `SELECT format_type(atttypid, atttypmod) FROM pg_attribute WHERE attrelid = $1::regclass AND attname = 'id'`, name).Scan(&colType); err != nil {
			return err
		}
		integer = colType == "bigint"
		if !integer {
			return nil
		}
		// The sequence starts after the largest ID stored.
		if _, err := tx.Exec(ctx, `CREATE SEQUENCE IF NOT EXISTS `+seq); err != nil {
			return err
		}
		_, err := tx.Exec(ctx, `SELECT setval('`+seq+`', m) FROM (SELECT max(id) AS m FROM `+name+`) AS x
			WHERE m > (SELECT CASE WHEN is_called THEN last_value ELSE last_value - 1 END FROM `+seq+`)`)
		return err
	})
	if err != nil {
		if dup := duplicate(err, indexes); dup != nil {
			return fmt.Errorf("pgstore: store %s: cannot index %s as unique: %w", layout.Name, dup.Property, dup)
		}
		return fail(ctx, fmt.Errorf("define %s: %w", name, err))
	}
	q := newQueries(name)
	q.layout, q.integer, q.indexes = layout, integer, indexes
	// The sequence is moved past an ID stored by hand; two instances doing
	// that at once may hand out one ID twice, which the primary key
	// refuses and the typed store retries.
	q.nextID = `SELECT CASE WHEN v.n > coalesce(m.m, 0) THEN v.n ELSE setval('` + seq + `', m.m + 1) END
		FROM (SELECT nextval('` + seq + `') AS n) AS v, (SELECT max(id) AS m FROM ` + name + `) AS m`
	b.tables[layout.Name] = q
	return nil
}

// expr is the SQL expression of an indexed property, the same in the
// indexes and the queries so that the queries use the indexes: strings in
// the "C" collation (byte order, as the other backends), numbers as
// numeric and booleans as boolean, NULL when the document holds a value of
// another JSON type there. The property names x-persist accepts hold no
// quote.
func expr(ix persist.Index) string {
	p := `'` + ix.Property + `'`
	switch ix.Kind {
	case persist.Integer, persist.Number:
		return `(CASE WHEN jsonb_typeof(data->` + p + `) = 'number' THEN (data->>` + p + `)::numeric END)`
	case persist.Boolean:
		return `(CASE WHEN jsonb_typeof(data->` + p + `) = 'boolean' THEN (data->>` + p + `)::boolean END)`
	}
	return `((data->>` + p + `) COLLATE "C")`
}

// param is the placeholder of a value compared with expr(ix).
func param(ix persist.Index, n int) string {
	switch ix.Kind {
	case persist.Integer, persist.Number:
		return "$" + strconv.Itoa(n) + "::numeric"
	case persist.Boolean:
		return "$" + strconv.Itoa(n) + "::boolean"
	}
	return "$" + strconv.Itoa(n) + "::text"
}

// Load implements [persist.Backend].
func (b *Backend) Load(ctx context.Context, store, id string) (persist.Document, error) {
	q, err := b.table(ctx, store)
	if err != nil {
		return persist.Document{}, err
	}
	key, ok := q.key(id)
	if !ok {
		return persist.Document{}, persist.ErrNotFound
	}
	doc := persist.Document{ID: id}
	err = b.pool.QueryRow(ctx, q.load, key).Scan(&doc.Version, &doc.Data)
	if errors.Is(err, pgx.ErrNoRows) {
		return persist.Document{}, persist.ErrNotFound
	}
	if err != nil {
		return persist.Document{}, fail(ctx, err)
	}
	return doc, nil
}

// Save implements [persist.Backend].
func (b *Backend) Save(ctx context.Context, store string, doc persist.Document) error {
	q, err := b.table(ctx, store)
	if err != nil {
		return err
	}
	key, ok := q.key(doc.ID)
	if !ok {
		return fmt.Errorf("pgstore: save %s: the ID %q is not an integer", store, doc.ID)
	}
	data, exact := jsonbOf(doc.Data)
	tag, err := b.write(ctx, q, key, doc.Version, data, exact)
	if err != nil && beyondJSONB(err) {
		// Valid JSON that jsonb cannot hold: found out by the database, so
		// that other documents cost nothing more.
		if data, exact, cerr := jsonbCopy(doc.Data); cerr == nil {
			tag, err = b.write(ctx, q, key, doc.Version, data, exact)
		}
	}
	if err != nil {
		if dup := duplicate(err, q.indexes); dup != nil {
			return dup
		}
		return fail(ctx, err)
	}
	if tag.RowsAffected() == 0 {
		return persist.ErrConflict
	}
	return nil
}

// write inserts (version 0) or updates a document, given as its data and
// exact columns.
func (b *Backend) write(ctx context.Context, q *queries, key any, version int64, data []byte, exact any) (pgconn.CommandTag, error) {
	if version == 0 {
		return b.pool.Exec(ctx, q.insert, key, data, exact)
	}
	return b.pool.Exec(ctx, q.update, key, version, data, exact)
}

// Delete implements [persist.Backend].
func (b *Backend) Delete(ctx context.Context, store, id string, version int64) error {
	q, err := b.table(ctx, store)
	if err != nil {
		return err
	}
	key, ok := q.key(id)
	if !ok {
		return persist.ErrNotFound
	}
	if version == 0 {
		tag, err := b.pool.Exec(ctx, q.deleteAny, key)
		if err != nil {
			return fail(ctx, err)
		}
		if tag.RowsAffected() == 0 {
			return persist.ErrNotFound
		}
		return nil
	}
	var deleted, exists bool
	if err := b.pool.QueryRow(ctx, q.deleteVersion, key, version).Scan(&deleted, &exists); err != nil {
		return fail(ctx, err)
	}
	switch {
	case deleted:
		return nil
	case exists:
		return persist.ErrConflict
	}
	return persist.ErrNotFound
}

// Find implements [persist.Backend].
func (b *Backend) Find(ctx context.Context, store string, sel persist.Selection) ([]persist.Document, error) {
	q, err := b.table(ctx, store)
	if err != nil {
		return nil, err
	}
	query, args, err := q.findSQL(sel)
	if err != nil {
		return nil, fmt.Errorf("pgstore: find %s: %w", store, err)
	}
	rows, err := b.pool.Query(ctx, query, args...)
	if err != nil {
		return nil, fail(ctx, err)
	}
	docs, err := pgx.CollectRows(rows, func(row pgx.CollectableRow) (persist.Document, error) {
		var doc persist.Document
		err := row.Scan(&doc.ID, &doc.Version, &doc.Data)
		return doc, err
	})
	if err != nil {
		return nil, fail(ctx, err)
	}
	return docs, nil
}

// NextID implements [persist.Backend]: the next value of the store's
// sequence, which Define creates for integer IDs, or the largest ID stored
// plus one when that is larger.
func (b *Backend) NextID(ctx context.Context, store string) (int64, error) {
	q, err := b.table(ctx, store)
	if err != nil {
		return 0, err
	}
	if q.nextID == "" {
		return 0, fmt.Errorf("pgstore: store %s has no integer IDs", store)
	}
	var id int64
	if err := b.pool.QueryRow(ctx, q.nextID).Scan(&id); err != nil {
		return 0, fail(ctx, err)
	}
	return id, nil
}

// findSQL builds the statement of a Find, and its arguments.
func (q *queries) findSQL(sel persist.Selection) (string, []any, error) {
	var where []string
	var args []any
	arg := func(v any) int { args = append(args, v); return len(args) }
	for _, m := range sel.Where {
		ix, ok := q.layout.Index(m.Property)
		if !ok {
			return "", nil, fmt.Errorf("no index on %q", m.Property)
		}
		where = append(where, expr(ix)+` = `+param(ix, arg(jsonbValue(m.Value))))
	}
	op, dir := ">", ""
	if sel.Desc {
		op, dir = "<", " DESC"
	}
	// afterID is the parameter of the ID the page starts after.
	afterID := func() (string, error) {
		if !q.integer {
			return "$" + strconv.Itoa(arg(sel.After.ID)) + "::text", nil
		}
		k, err := table.AfterKey(sel.After.ID, true)
		return "$" + strconv.Itoa(arg(k)) + "::bigint", err
	}
	order := "id" + dir
	if sel.OrderBy != "" {
		ix, ok := q.layout.Index(sel.OrderBy)
		if !ok {
			return "", nil, fmt.Errorf("no index on %q", sel.OrderBy)
		}
		e := expr(ix)
		where = append(where, e+` IS NOT NULL`)
		switch {
		case ix.Unique:
			// Values are unique: the ID never breaks a tie.
			order = e + dir
			if sel.After != nil {
				where = append(where, e+` `+op+` `+param(ix, arg(jsonbValue(sel.After.Value))))
			}
		default:
			order = e + dir + `, id` + dir
			if sel.After != nil {
				v := param(ix, arg(jsonbValue(sel.After.Value)))
				id, err := afterID()
				if err != nil {
					return "", nil, err
				}
				where = append(where, `(`+e+`, id) `+op+` (`+v+`, `+id+`)`)
			}
		}
	} else if sel.After != nil {
		id, err := afterID()
		if err != nil {
			return "", nil, err
		}
		where = append(where, `id `+op+` `+id)
	}
	// The ID is renamed, so that ORDER BY id means the column, not the text.
	query := `SELECT id::text AS text_id, version, ` + documentColumn + ` FROM ` + q.name
	if len(where) > 0 {
		query += ` WHERE ` + strings.Join(where, ` AND `)
	}
	query += ` ORDER BY ` + order + ` LIMIT $` + strconv.Itoa(arg(sel.Limit))
	return query, args, nil
}

// key is an ID as the id column holds it.
func (q *queries) key(id string) (any, bool) { return table.Key(id, q.integer) }

// duplicate returns the DuplicateError that err stands for, or nil.
func duplicate(err error, indexes map[string]string) *persist.DuplicateError {
	pe, ok := errors.AsType[*pgconn.PgError](err)
	if !ok || pe.Code != "23505" {
		return nil
	}
	return &persist.DuplicateError{Property: indexes[pe.ConstraintName]}
}

// table returns the queries of store, creating its table on first use when
// the store was not defined.
func (b *Backend) table(ctx context.Context, store string) (*queries, error) {
	b.mu.RLock()
	q, ok := b.tables[store]
	b.mu.RUnlock()
	if ok {
		return q, nil
	}
	name, err := table.Quote(store)
	if err != nil {
		return nil, fmt.Errorf("pgstore: %w", err)
	}
	b.mu.Lock()
	defer b.mu.Unlock()
	if q, ok := b.tables[store]; ok {
		return q, nil
	}
	if err := b.create(ctx, store, name); err != nil {
		return nil, err
	}
	q = newQueries(name)
	q.layout = persist.Layout{Name: store, IDKind: persist.String}
	b.tables[store] = q
	return q, nil
}

func newQueries(name string) *queries {
	return &queries{
		name:      name,
		load:      `SELECT version, ` + documentColumn + ` FROM ` + name + ` WHERE id = $1`,
		insert:    `INSERT INTO ` + name + ` (id, version, data, exact) VALUES ($1, 1, $2, $3) ON CONFLICT (id) DO NOTHING`,
		update:    `UPDATE ` + name + ` SET version = version + 1, data = $3, exact = $4 WHERE id = $1 AND version = $2`,
		deleteAny: `DELETE FROM ` + name + ` WHERE id = $1`,
		// The outer query sees the table as it was before the delete, so
		// one round trip tells a stale version from a missing record.
		deleteVersion: `WITH d AS (DELETE FROM ` + name + ` WHERE id = $1 AND version = $2 RETURNING 1)
			SELECT EXISTS (SELECT 1 FROM d), EXISTS (SELECT 1 FROM ` + name + ` WHERE id = $1)`,
	}
}

// create creates the table of store under an advisory lock, so that
// instances starting together do not trip over each other's CREATE.
func (b *Backend) create(ctx context.Context, store, name string) error {
	err := pgx.BeginFunc(ctx, b.pool, func(tx pgx.Tx) error {
		if _, err := tx.Exec(ctx, `SELECT pg_advisory_xact_lock($1, hashtext($2))`, lockClass, store); err != nil {
			return err
		}
		_, err := tx.Exec(ctx, `CREATE TABLE IF NOT EXISTS `+name+` (
			id text COLLATE "C" PRIMARY KEY,
			version bigint NOT NULL CHECK (version > 0),
			data jsonb NOT NULL,
			exact text
		)`)
		if err != nil {
			return err
		}
		// Tables made before the column existed.
		_, err = tx.Exec(ctx, `ALTER TABLE `+name+` ADD COLUMN IF NOT EXISTS exact text`)
		return err
	})
	if err != nil {
		return fail(ctx, fmt.Errorf("create table %s: %w", name, err))
	}
	return nil
}

// documentColumn reads a stored document: the exact one when jsonb could
// not hold it.
const documentColumn = `COALESCE(exact, data::text)`

// nulEscape is how JSON writes U+0000, which jsonb cannot hold
// (SQLSTATE 22P05): PostgreSQL's text type has no NUL.
var nulEscape = []byte(`\u0000`)

// jsonbOf returns what to store of a document: the document itself for its
// jsonb column, and nil for its exact column; or, for a document holding
// U+0000, the document with U+FFFD in its place, which jsonb can hold and
// which indexes and queries see, and the document as it is (a string, of
// text with no NUL, since JSON escapes it), which loads read. A "\\u0000" is
// replaced too, in the jsonb copy only: exact is what loads read.
func jsonbOf(doc []byte) (data []byte, exact any) {
	if !bytes.Contains(doc, nulEscape) {
		return doc, nil
	}
	return bytes.ReplaceAll(doc, nulEscape, []byte(`\ufffd`)), string(doc)
}

// jsonbValue is a value of a query as the indexes see it: a string with
// U+0000 has U+FFFD in its place, as in the jsonb copy of its document.
func jsonbValue(v any) any {
	if s, ok := v.(string); ok {
		return strings.ReplaceAll(s, "\x00", "\ufffd")
	}
	return v
}

// fail wraps a driver error as [table.Fail] does.
func fail(ctx context.Context, err error) error { return table.Fail(ctx, "pgstore", err) }
