package main

import (
	"context"
	"fmt"
	"net/url"
	"os"
	"path/filepath"
	"strings"

	"github.com/klue-go/klue-client-server/klue/persist"
	"github.com/klue-go/klue-client-server/klue/persist/pgstore"
	"github.com/klue-go/klue-client-server/klue/persist/sqlitestore"
)

// backend is the database the services keep their x-persist models in.
type backend struct {
	persist.Backend
	// ping checks that the database answers.
	ping  func(context.Context) error
	close func()
	// where says where the data is, for people: a file, or a database
	// without its password.
	where string
}

// openBackend opens PostgreSQL when cfg.db names it, else the SQLite file
// example.db under cfg.dataDir.
func openBackend(ctx context.Context, cfg config) (*backend, error) {
	if cfg.db != "" {
		if !strings.HasPrefix(cfg.db, "postgres://") && !strings.HasPrefix(cfg.db, "postgresql://") {
			return nil, fmt.Errorf("-db %q: want a postgres:// URL", cfg.db)
		}
		db, err := pgstore.Open(ctx, cfg.db)
		if err != nil {
			return nil, fmt.Errorf("-db: %w", err)
		}
		where := cfg.db
		if u, err := url.Parse(cfg.db); err == nil {
			where = u.Redacted()
		}
		return &backend{Backend: db, ping: db.Ping, close: db.Close, where: where}, nil
	}
	if err := os.MkdirAll(cfg.dataDir, 0o750); err != nil {
		return nil, fmt.Errorf("-data: %w", err)
	}
	path := filepath.Join(cfg.dataDir, "example.db")
	db, err := sqlitestore.Open(path)
	if err != nil {
		return nil, fmt.Errorf("-data: %w", err)
	}
	return &backend{Backend: db, ping: db.Ping, close: func() { _ = db.Close() }, where: path}, nil
}
