package persist

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"iter"
	"reflect"

	"github.com/klue-go/klue-client-server/internal/strictjson"
	"github.com/klue-go/klue-client-server/internal/wire"
	"github.com/klue-go/klue-client-server/klue"
	"github.com/klue-go/klue-client-server/klue/persist/internal/table"
)

// Page sizes of [Store.List].
const (
	DefaultPageSize = 100
	MaxPageSize     = 1000
)

// Store keeps the values of one x-persist model, as Go values of type T, in
// a [Backend]. Get one with [For]. Each method validates what it writes and
// what it reads against the model: besides the backend's own work, that
// costs about 10 µs per small document (BenchmarkMemory).
//
// A Store is safe for concurrent use. Its zero value is not usable.
type Store[T any] struct {
	backend Backend
	model   *klue.Model
	store   string
	idProp  string
}

// For returns the store of the x-persist model whose name is the name of
// the Go type T (or the one given with [WithModel]), looked up across the
// pool's APIs (or in the one given with [WithAPI]), kept in the backend bound
// to the pool with [Use] (or the one given with [WithBackend]).
//
// It is an error when no backend is bound, when no API has the model (the
// error suggests close names), when the model is not marked x-persist, when
// several APIs persist a model of that name, and when T is a struct with no
// field for the model's ID property. Call For once, at start-up, and keep
// the store: it does all its checks then, and none per call.
func For[T any](pool *klue.Pool, opts ...Option) (*Store[T], error) {
	if pool == nil {
		return nil, errors.New("persist: For needs a pool")
	}
	var cfg storeConfig
	for _, o := range opts {
		o.applyToStore(&cfg)
	}
	backend := cfg.backend
	if backend == nil {
		backend = bound(pool)
	}
	if backend == nil {
		return nil, errors.New("persist: the pool has no backend: bind one with persist.Use")
	}
	t := reflect.TypeFor[T]()
	name := cfg.model
	if name == "" {
		name = typeName(t)
	}
	if name == "" {
		return nil, fmt.Errorf("persist: type %s has no name: name the model with persist.WithModel", t)
	}
	model, spec, err := findModel(pool, name, cfg.api)
	if err != nil {
		return nil, err
	}
	if err := table.Check(spec.Store); err != nil {
		return nil, fmt.Errorf("persist: model %q: %w", model.Name, err)
	}
	if err := checkIDField(t, spec.IDProperty); err != nil {
		return nil, err
	}
	return &Store[T]{backend: backend, model: model, store: spec.Store, idProp: spec.IDProperty}, nil
}

// Name returns the name of the store, as x-persist gives it.
func (s *Store[T]) Name() string { return s.store }

// Model returns the model the store keeps values of.
func (s *Store[T]) Model() *klue.Model { return s.model }

// IDProperty returns the name of the property that holds each value's ID.
func (s *Store[T]) IDProperty() string { return s.idProp }

// Load returns the record stored under id, or an error wrapping
// [ErrNotFound]. A stored document that does not fit the model gives an
// error wrapping [ErrCorrupt] that names the ID.
func (s *Store[T]) Load(ctx context.Context, id string) (Record[T], error) {
	if checkID(id) != nil {
		return Record[T]{}, s.fail("load", id, ErrNotFound)
	}
	doc, err := s.backend.Load(ctx, s.store, id)
	if err != nil {
		return Record[T]{}, s.fail("load", id, err)
	}
	if doc.ID != id {
		return Record[T]{}, s.corrupt(doc.ID, fmt.Errorf("the backend returned it for ID %q", id))
	}
	return s.decode(doc)
}

// Create stores v as a new record, with version 1. It fails with an error
// wrapping [ErrConflict] if a record has v's ID.
func (s *Store[T]) Create(ctx context.Context, v T) (Record[T], error) {
	return s.Save(ctx, Record[T]{Value: v})
}

// Save stores r.Value over the record of the same ID if that record's
// version is still r.Version (0: if there is no such record), and returns
// the record with its new version. Otherwise it returns an error wrapping
// [ErrConflict] and writes nothing. A value that does not fit the model is
// an error (a *klue.ModelError) and nothing is written.
func (s *Store[T]) Save(ctx context.Context, r Record[T]) (Record[T], error) {
	if r.Version < 0 {
		return r, fmt.Errorf("persist: save %s: negative version %d", s.store, r.Version)
	}
	data, id, err := s.encode(r.Value)
	if err != nil {
		return r, fmt.Errorf("persist: save %s: %w", s.store, err)
	}
	if err := s.backend.Save(ctx, s.store, Document{ID: id, Version: r.Version, Data: data}); err != nil {
		return r, s.fail("save", id, err)
	}
	r.Version++
	return r, nil
}

// Update loads the record id, lets change modify its value, and saves it;
// when another writer saved the record in between, it starts again from a
// fresh load, as long as ctx allows. An error from change stops it and is
// returned as is. change may not alter the ID.
func (s *Store[T]) Update(ctx context.Context, id string, change func(*T) error) (Record[T], error) {
	for {
		r, err := s.Load(ctx, id)
		if err != nil {
			return r, err
		}
		if err := change(&r.Value); err != nil {
			return r, err
		}
		saved, err := s.saveSameID(ctx, id, r)
		if errors.Is(err, ErrConflict) && ctx.Err() == nil {
			continue
		}
		return saved, err
	}
}

func (s *Store[T]) saveSameID(ctx context.Context, id string, r Record[T]) (Record[T], error) {
	data, newID, err := s.encode(r.Value)
	if err != nil {
		return r, fmt.Errorf("persist: update %s %q: %w", s.store, id, err)
	}
	if newID != id {
		return r, fmt.Errorf("persist: update %s %q: the change set the ID to %q", s.store, id, newID)
	}
	if err := s.backend.Save(ctx, s.store, Document{ID: id, Version: r.Version, Data: data}); err != nil {
		return r, s.fail("update", id, err)
	}
	r.Version++
	return r, nil
}

// Delete removes the record id if its version is version, or whatever its
// version when version is 0. It returns an error wrapping [ErrNotFound] when
// there is no such record, and one wrapping [ErrConflict] when the version
// differs.
func (s *Store[T]) Delete(ctx context.Context, id string, version int64) error {
	if checkID(id) != nil {
		return s.fail("delete", id, ErrNotFound)
	}
	if err := s.backend.Delete(ctx, s.store, id, version); err != nil {
		return s.fail("delete", id, err)
	}
	return nil
}

// List returns the page of at most limit records (DefaultPageSize when
// limit <= 0, at most MaxPageSize) that follows cursor: "" for the first
// page, then the Next of the page before. Records come in increasing byte
// order of their IDs, and paging is stable: every record that exists from
// the first page to the last appears exactly once, whatever is added or
// removed meanwhile. A cursor that no List returned gives an error wrapping
// [ErrInvalidCursor].
func (s *Store[T]) List(ctx context.Context, cursor string, limit int) (Page[T], error) {
	after, err := decodeCursor(cursor)
	if err != nil {
		return Page[T]{}, err
	}
	if limit <= 0 {
		limit = DefaultPageSize
	}
	limit = min(limit, MaxPageSize)
	docs, err := s.backend.List(ctx, s.store, after, limit+1)
	if err != nil {
		return Page[T]{}, fmt.Errorf("persist: list %s: %w", s.store, err)
	}
	var page Page[T]
	if len(docs) > limit {
		docs = docs[:limit]
		page.Next = encodeCursor(docs[limit-1].ID)
	}
	page.Records = make([]Record[T], 0, len(docs))
	prev := after
	for _, doc := range docs {
		if doc.ID <= prev {
			return Page[T]{}, fmt.Errorf("persist: list %s: the backend returned %q after %q, out of order", s.store, doc.ID, prev)
		}
		prev = doc.ID
		r, err := s.decode(doc)
		if err != nil {
			return Page[T]{}, err
		}
		page.Records = append(page.Records, r)
	}
	return page, nil
}

// All returns every record, in increasing order of their IDs, reading them
// a page at a time. It stops at the first error, which it yields with a
// zero record.
func (s *Store[T]) All(ctx context.Context) iter.Seq2[Record[T], error] {
	return func(yield func(Record[T], error) bool) {
		cursor := ""
		for {
			page, err := s.List(ctx, cursor, DefaultPageSize)
			if err != nil {
				yield(Record[T]{}, err)
				return
			}
			for _, r := range page.Records {
				if !yield(r, nil) {
					return
				}
			}
			if page.Next == "" {
				return
			}
			cursor = page.Next
		}
	}
}

// encode turns v into the JSON the backend stores, checked against the
// model, and returns its ID.
func (s *Store[T]) encode(v T) ([]byte, string, error) {
	data, err := json.Marshal(v)
	if err != nil {
		return nil, "", err
	}
	decoded, err := wire.DecodeJSON(data)
	if err != nil {
		return nil, "", err
	}
	if err := s.model.Schema.Validate(decoded); err != nil {
		return nil, "", &klue.ModelError{Model: s.model.Name, Err: err}
	}
	id, err := idOf(decoded, s.idProp)
	if err != nil {
		return nil, "", err
	}
	return data, id, nil
}

// decode turns a stored document into a record, after checking it against
// the model and its ID against the one it is stored under.
func (s *Store[T]) decode(doc Document) (Record[T], error) {
	decoded, err := wire.DecodeJSON(doc.Data)
	if err != nil {
		return Record[T]{}, s.corrupt(doc.ID, err)
	}
	if err := s.model.Schema.Validate(decoded); err != nil {
		return Record[T]{}, s.corrupt(doc.ID, &klue.ModelError{Model: s.model.Name, Err: err})
	}
	id, err := idOf(decoded, s.idProp)
	if err != nil {
		return Record[T]{}, s.corrupt(doc.ID, err)
	}
	if id != doc.ID {
		return Record[T]{}, s.corrupt(doc.ID, fmt.Errorf("it holds the ID %q", id))
	}
	var v T
	// Decoded as it was validated: names exact (a member "EMAIL" is not
	// the email), which DecodeJSON made sure come once.
	if err := strictjson.Unmarshal(doc.Data, &v); err != nil {
		return Record[T]{}, s.corrupt(doc.ID, err)
	}
	return Record[T]{Value: v, Version: doc.Version}, nil
}

func (s *Store[T]) corrupt(id string, err error) error {
	return fmt.Errorf("%w: %s %q: %w", ErrCorrupt, s.store, id, err)
}

// fail adds the operation, the store and the ID to an error of the backend.
// The sentinels read "persist: not found: users \"42\"".
func (s *Store[T]) fail(op, id string, err error) error {
	for _, sentinel := range []error{ErrNotFound, ErrConflict} {
		if errors.Is(err, sentinel) {
			return fmt.Errorf("%w: %s %s %q", err, op, s.store, id)
		}
	}
	return fmt.Errorf("persist: %s %s %q: %w", op, s.store, id, err)
}
