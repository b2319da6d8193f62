package sqlitestore

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"net/url"
	"path/filepath"
	"strings"
	"sync"

	"github.com/klue-go/klue-client-server/klue/persist"
	"github.com/klue-go/klue-client-server/klue/persist/internal/table"
	_ "modernc.org/sqlite" // registers the "sqlite" driver
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
}

// statements are the prepared statements of one store.
type statements struct {
	load, insert, update, deleteAny, deleteVersion, exists, list *sql.Stmt
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
	var mode string
	if err := writer.QueryRow("PRAGMA journal_mode").Scan(&mode); err != nil {
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

// Close closes the database. Calls made after Close fail.
func (b *Backend) Close() error {
	b.mu.Lock()
	defer b.mu.Unlock()
	for _, st := range b.tables {
		st.close()
	}
	b.tables = map[string]*statements{}
	return errors.Join(b.reader.Close(), b.writer.Close())
}

// Load implements [persist.Backend].
func (b *Backend) Load(ctx context.Context, store, id string) (persist.Document, error) {
	st, err := b.table(ctx, store)
	if err != nil {
		return persist.Document{}, err
	}
	doc := persist.Document{ID: id}
	var data string
	err = st.load.QueryRowContext(ctx, id).Scan(&doc.Version, &data)
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
	var res sql.Result
	if doc.Version == 0 {
		res, err = st.insert.ExecContext(ctx, doc.ID, string(doc.Data))
	} else {
		res, err = st.update.ExecContext(ctx, string(doc.Data), doc.ID, doc.Version)
	}
	if err != nil {
		return fail(ctx, err)
	}
	if n, err := res.RowsAffected(); err != nil {
		return fail(ctx, err)
	} else if n == 0 {
		return persist.ErrConflict
	}
	return nil
}

// Delete implements [persist.Backend].
func (b *Backend) Delete(ctx context.Context, store, id string, version int64) error {
	st, err := b.table(ctx, store)
	if err != nil {
		return err
	}
	var res sql.Result
	if version == 0 {
		res, err = st.deleteAny.ExecContext(ctx, id)
	} else {
		res, err = st.deleteVersion.ExecContext(ctx, id, version)
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
	switch err := st.exists.QueryRowContext(ctx, id).Scan(&one); {
	case errors.Is(err, sql.ErrNoRows):
		return persist.ErrNotFound
	case err != nil:
		return fail(ctx, err)
	}
	return persist.ErrConflict
}

// List implements [persist.Backend].
func (b *Backend) List(ctx context.Context, store, after string, limit int) ([]persist.Document, error) {
	st, err := b.table(ctx, store)
	if err != nil {
		return nil, err
	}
	rows, err := st.list.QueryContext(ctx, after, limit)
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

// table returns the statements of store, creating its table and preparing
// them on first use.
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
		data TEXT NOT NULL
	)`
	if _, err := b.writer.ExecContext(ctx, create); err != nil {
		return nil, fail(ctx, fmt.Errorf("create table %s: %w", name, err))
	}
	st = &statements{}
	prepare := []struct {
		db   *sql.DB
		dst  **sql.Stmt
		stmt string
	}{
		{b.reader, &st.load, `SELECT version, data FROM ` + name + ` WHERE id = ?`},
		{b.writer, &st.insert, `INSERT INTO ` + name + ` (id, version, data) VALUES (?, 1, ?) ON CONFLICT (id) DO NOTHING`},
		{b.writer, &st.update, `UPDATE ` + name + ` SET version = version + 1, data = ? WHERE id = ? AND version = ?`},
		{b.writer, &st.deleteAny, `DELETE FROM ` + name + ` WHERE id = ?`},
		{b.writer, &st.deleteVersion, `DELETE FROM ` + name + ` WHERE id = ? AND version = ?`},
		{b.reader, &st.exists, `SELECT 1 FROM ` + name + ` WHERE id = ?`},
		{b.reader, &st.list, `SELECT id, version, data FROM ` + name + ` WHERE id > ? ORDER BY id LIMIT ?`},
	}
	for _, p := range prepare {
		if *p.dst, err = p.db.PrepareContext(ctx, p.stmt); err != nil {
			st.close()
			return nil, fail(ctx, fmt.Errorf("prepare %s: %w", p.stmt, err))
		}
	}
	b.tables[store] = st
	return st, nil
}

func (st *statements) close() {
	for _, s := range []*sql.Stmt{st.load, st.insert, st.update, st.deleteAny, st.deleteVersion, st.exists, st.list} {
		if s != nil {
			s.Close()
		}
	}
}

// fail wraps a driver error, making sure that an error caused by the end of
// ctx wraps ctx.Err(), as persist.Backend requires.
func fail(ctx context.Context, err error) error {
	if cerr := ctx.Err(); cerr != nil && !errors.Is(err, cerr) {
		return fmt.Errorf("sqlitestore: %w (%v)", cerr, err)
	}
	return fmt.Errorf("sqlitestore: %w", err)
}
