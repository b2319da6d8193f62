package pgstore

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"sync"

	"github.com/jackc/pgx/v5"
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

// queries are the statements of one store, its name quoted in.
type queries struct {
	load, insert, update, deleteAny, deleteVersion, list string
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

// Close closes the connections if the backend opened them ([Open]).
func (b *Backend) Close() {
	if b.owned {
		b.pool.Close()
	}
}

// Load implements [persist.Backend].
func (b *Backend) Load(ctx context.Context, store, id string) (persist.Document, error) {
	q, err := b.table(ctx, store)
	if err != nil {
		return persist.Document{}, err
	}
	doc := persist.Document{ID: id}
	err = b.pool.QueryRow(ctx, q.load, id).Scan(&doc.Version, &doc.Data)
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
	var n int64
	if doc.Version == 0 {
		data, exact := jsonbOf(doc.Data)
		tag, err := b.pool.Exec(ctx, q.insert, doc.ID, data, exact)
		if err != nil {
			return fail(ctx, err)
		}
		n = tag.RowsAffected()
	} else {
		data, exact := jsonbOf(doc.Data)
		tag, err := b.pool.Exec(ctx, q.update, doc.ID, doc.Version, data, exact)
		if err != nil {
			return fail(ctx, err)
		}
		n = tag.RowsAffected()
	}
	if n == 0 {
		return persist.ErrConflict
	}
	return nil
}

// Delete implements [persist.Backend].
func (b *Backend) Delete(ctx context.Context, store, id string, version int64) error {
	q, err := b.table(ctx, store)
	if err != nil {
		return err
	}
	if version == 0 {
		tag, err := b.pool.Exec(ctx, q.deleteAny, id)
		if err != nil {
			return fail(ctx, err)
		}
		if tag.RowsAffected() == 0 {
			return persist.ErrNotFound
		}
		return nil
	}
	var deleted, exists bool
	if err := b.pool.QueryRow(ctx, q.deleteVersion, id, version).Scan(&deleted, &exists); err != nil {
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

// List implements [persist.Backend].
func (b *Backend) List(ctx context.Context, store, after string, limit int) ([]persist.Document, error) {
	q, err := b.table(ctx, store)
	if err != nil {
		return nil, err
	}
	rows, err := b.pool.Query(ctx, q.list, after, limit)
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

// table returns the queries of store, creating its table on first use.
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
	q = &queries{
		load:      `SELECT version, ` + documentColumn + ` FROM ` + name + ` WHERE id = $1`,
		insert:    `INSERT INTO ` + name + ` (id, version, data, exact) VALUES ($1, 1, $2, $3) ON CONFLICT (id) DO NOTHING`,
		update:    `UPDATE ` + name + ` SET version = version + 1, data = $3, exact = $4 WHERE id = $1 AND version = $2`,
		deleteAny: `DELETE FROM ` + name + ` WHERE id = $1`,
		// The outer query sees the table as it was before the delete, so
		// one round trip tells a stale version from a missing record.
		deleteVersion: `WITH d AS (DELETE FROM ` + name + ` WHERE id = $1 AND version = $2 RETURNING 1)
			SELECT EXISTS (SELECT 1 FROM d), EXISTS (SELECT 1 FROM ` + name + ` WHERE id = $1)`,
		list: `SELECT id, version, ` + documentColumn + ` FROM ` + name + ` WHERE id > $1 ORDER BY id LIMIT $2`,
	}
	b.tables[store] = q
	return q, nil
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

// fail wraps a driver error, making sure that an error caused by the end of
// ctx wraps ctx.Err(), as persist.Backend requires.
func fail(ctx context.Context, err error) error {
	if cerr := ctx.Err(); cerr != nil && !errors.Is(err, cerr) {
		return fmt.Errorf("pgstore: %w (%v)", cerr, err)
	}
	return fmt.Errorf("pgstore: %w", err)
}
