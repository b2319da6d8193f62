package persist

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"

	"github.com/klue-go/klue-client-server/internal/wire"
	"github.com/klue-go/klue-client-server/klue"
)

// Migration turns a stored document that no longer fits its model (the
// model became stricter, a property was renamed) into one that does. doc is
// the stored JSON object, decoded with numbers as json.Number; the function
// may change it in place and return it, or return another. It must not
// change the ID.
//
// A store runs its Migration, given with [WithMigration], on every
// document it reads that does not fit the model, before decoding it: the
// record is returned as migrated, and written in its new form on its next
// save. [Store.Migrate] rewrites them all at once. A document that still
// does not fit after its migration (or when the store has none) is never
// changed nor deleted: reading it gives an error wrapping [ErrCorrupt] that
// names its ID, Store.Migrate lists it, and Delete removes it.
//
// Queries ([Store.Find]) select documents by what is stored: a document
// not migrated yet is found by its old values.
type Migration func(doc map[string]any) (map[string]any, error)

// migrateDoc runs the store's migration on a document that does not fit the
// model (why says how), and returns the migrated document decoded and
// encoded.
func (s *Store[T, K]) migrateDoc(decoded any, why error) (any, []byte, error) {
	obj, ok := decoded.(map[string]any)
	if !ok {
		return nil, nil, &klue.ModelError{Model: s.model.Name, Err: why}
	}
	migrated, err := s.migrate(obj)
	if err != nil {
		return nil, nil, fmt.Errorf("migration: %w (the document does not fit the model: %v)", err, why)
	}
	data, err := json.Marshal(migrated)
	if err != nil {
		return nil, nil, fmt.Errorf("migration: %w", err)
	}
	// Decode again, so that the migration's own Go values (an int where
	// JSON has a number) are checked as they will be stored.
	if decoded, err = wire.DecodeJSON(data); err != nil {
		return nil, nil, fmt.Errorf("migration: %w", err)
	}
	if err := s.model.Schema.Validate(decoded); err != nil {
		return nil, nil, fmt.Errorf("after migration: %w", &klue.ModelError{Model: s.model.Name, Err: err})
	}
	return decoded, data, nil
}

// MigrateResult is what [Store.Migrate] did.
type MigrateResult struct {
	// Checked counts the records read, Migrated those rewritten.
	Checked, Migrated int
	// Unfit are the IDs of the records that do not fit the model even
	// after the migration, left as they are, with the reason of each.
	Unfit []UnfitRecord
}

// UnfitRecord is a stored document that does not fit its model.
type UnfitRecord struct {
	ID  string
	Err error
}

// Migrate reads every record of the store and rewrites, in its migrated
// form, each that does not fit the model (see [Migration]); each write
// checks the record's version, so a record saved meanwhile is read again.
// Records that do not fit even after migration are left as they are and
// listed in the result. It returns early with an error only when the
// backend fails or ctx ends.
func (s *Store[T, K]) Migrate(ctx context.Context) (MigrateResult, error) {
	var res MigrateResult
	if err := s.define(ctx); err != nil {
		return res, err
	}
	var after *Position
	for {
		docs, err := s.backend.Find(ctx, s.store(), Selection{After: after, Limit: DefaultPageSize})
		if err != nil {
			return res, fmt.Errorf("persist: migrate %s: %w", s.store(), err)
		}
		for _, doc := range docs {
			res.Checked++
			if err := s.migrateOne(ctx, doc, &res); err != nil {
				return res, err
			}
		}
		if len(docs) < DefaultPageSize {
			return res, nil
		}
		after = &Position{ID: docs[len(docs)-1].ID}
	}
}

func (s *Store[T, K]) migrateOne(ctx context.Context, doc Document, res *MigrateResult) error {
	for {
		data, _, migrated, err := s.current(doc)
		if err != nil {
			res.Unfit = append(res.Unfit, UnfitRecord{ID: doc.ID, Err: err})
			return nil
		}
		if !migrated {
			return nil
		}
		err = s.backend.Save(ctx, s.store(), Document{ID: doc.ID, Version: doc.Version, Data: data})
		switch {
		case err == nil:
			res.Migrated++
			return nil
		case errors.Is(err, ErrConflict) && ctx.Err() == nil:
			if doc, err = s.backend.Load(ctx, s.store(), doc.ID); errors.Is(err, ErrNotFound) {
				return nil
			}
			if err != nil {
				return fmt.Errorf("persist: migrate %s %q: %w", s.store(), doc.ID, err)
			}
		case errors.Is(err, ErrDuplicate):
			res.Unfit = append(res.Unfit, UnfitRecord{ID: doc.ID, Err: err})
			return nil
		default:
			return fmt.Errorf("persist: migrate %s %q: %w", s.store(), doc.ID, err)
		}
	}
}
