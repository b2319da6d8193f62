package persist

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"iter"
	"net/http"
	"reflect"
	"slices"
	"strconv"
	"sync"
	"sync/atomic"

	"github.com/google/uuid"

	"github.com/klue-go/klue-client-server/internal/jsonvalid"
	"github.com/klue-go/klue-client-server/internal/schemacheck"
	"github.com/klue-go/klue-client-server/internal/strictjson"
	"github.com/klue-go/klue-client-server/internal/wire"
	"github.com/klue-go/klue-client-server/klue"
	"github.com/klue-go/klue-client-server/klue/persist/internal/table"
)

// Page sizes of [Store.List] and [Store.Find].
const (
	DefaultPageSize = 100
	MaxPageSize     = 1000
)

// ID is the Go type of a store's IDs: a string type for models whose ID
// property is a string, an integer type for those whose ID is an integer.
type ID interface {
	~string | ~int | ~int64
}

// Store keeps the values of one x-persist model, as Go values of type T
// with IDs of type K, in a [Backend]. Get one with [For]. Each method
// validates what it writes and what it reads against the model, reading the
// document's bytes and leaving to the JSON Schema validator only what that
// pre-check cannot decide: besides the backend's own work, a small document
// costs about 3 µs and 7 allocations to read (BenchmarkMemory).
//
// A Store is safe for concurrent use. Its zero value is not usable.
type Store[T any, K ID] struct {
	backend Backend
	model   *klue.Model
	layout  Layout
	idProp  string
	migrate Migration
	// check pre-checks documents' bytes against the model (nil when the
	// model's schema is not compiled): what it passes needs no decoding
	// to check.
	check *schemacheck.Checker
	// numberIndexed is set when an index holds numbers or integers, which
	// encode checks on the decoded document.
	numberIndexed bool

	defineMu sync.Mutex
	defined  atomic.Bool
}

// For returns the store of the x-persist model whose name is the name of
// the Go type T, for a model whose ID property is a string: the common case,
// and the one [ForKey] generalises to integer IDs. It is ForKey[T, string].
func For[T any](pool *klue.Pool, opts ...Option) (*Store[T, string], error) {
	return ForKey[T, string](pool, opts...)
}

// ForKey returns the store of the x-persist model whose name is the name of
// the Go type T (or the one given with [WithModel]), looked up across the
// pool's APIs (or in the one given with [WithAPI]), kept in the backend bound
// to the pool with [Use] (or the one given with [WithBackend]). K is the
// type of the IDs: a string type when the model's ID property is a string,
// an integer type when it is an integer.
//
// It is an error when no backend is bound, when no API has the model (the
// error suggests close names), when the model is not marked x-persist, when
// several APIs persist a model of that name, when K does not fit the ID
// property's type, and when T is a struct with no field for the model's ID
// property. Call For once, at start-up, and keep the store: it does all its
// checks then, and none per call. The store's table and indexes are created
// on its first use.
func ForKey[T any, K ID](pool *klue.Pool, opts ...Option) (*Store[T, K], error) {
	if pool == nil {
		return nil, errors.New("persist: For and ForKey need a pool")
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
	idKind := String
	if reflect.TypeFor[K]().Kind() != reflect.String {
		idKind = Integer
	}
	if k := kindOf(spec.IDType); k != 0 && k != idKind {
		use := fmt.Sprintf("persist.For[%s]", t)
		if k == Integer {
			use = fmt.Sprintf("persist.ForKey[%s, int64]", t)
		}
		return nil, fmt.Errorf("persist: model %q has %s IDs (its property %q), not %s: use %s", model.Name, k, spec.IDProperty, reflect.TypeFor[K](), use)
	}
	if err := checkIDField(t, spec.IDProperty); err != nil {
		return nil, err
	}
	layout := Layout{Name: spec.Store, IDKind: idKind}
	for _, ix := range spec.Indexes {
		layout.Indexes = append(layout.Indexes, Index{Property: ix.Property, Kind: kindOf(ix.Type), Unique: ix.Unique})
	}
	return &Store[T, K]{
		backend: backend,
		model:   model,
		layout:  layout,
		idProp:  spec.IDProperty,
		migrate: cfg.migrate,
		check:   schemacheck.New(model.Schema, klue.Neutral),

		numberIndexed: numberIndexed(layout),
	}, nil
}

// Name returns the name of the store, as x-persist gives it.
func (s *Store[T, K]) Name() string { return s.store() }

// Model returns the model the store keeps values of.
func (s *Store[T, K]) Model() *klue.Model { return s.model }

// IDProperty returns the name of the property that holds each value's ID.
func (s *Store[T, K]) IDProperty() string { return s.idProp }

func (s *Store[T, K]) store() string { return s.layout.Name }

// Define has the backend create the store's table and indexes now, rather
// than on the store's first use, so that a problem (a database that
// refuses, a unique index over records that share a value) stops a
// service at start-up. It does nothing once it has succeeded.
func (s *Store[T, K]) Define(ctx context.Context) error { return s.define(ctx) }

// define has the backend create the store and its indexes, once.
func (s *Store[T, K]) define(ctx context.Context) error {
	if s.defined.Load() {
		return nil
	}
	s.defineMu.Lock()
	defer s.defineMu.Unlock()
	if s.defined.Load() {
		return nil
	}
	if err := s.backend.Define(ctx, s.layout); err != nil {
		return fmt.Errorf("persist: define %s: %w", s.store(), err)
	}
	s.defined.Store(true)
	return nil
}

// Load returns the record stored under id, or an error wrapping
// [ErrNotFound]. A stored document that does not fit the model, and that
// the store's [Migration] (if any) does not make fit, gives an error
// wrapping [ErrCorrupt] that names the ID.
func (s *Store[T, K]) Load(ctx context.Context, id K) (Record[T], error) {
	key := idString(id)
	if checkID(key) != nil {
		return Record[T]{}, s.fail("load", key, ErrNotFound)
	}
	if err := s.define(ctx); err != nil {
		return Record[T]{}, err
	}
	doc, err := s.backend.Load(ctx, s.store(), key)
	if err != nil {
		return Record[T]{}, s.fail("load", key, err)
	}
	if doc.ID != key {
		return Record[T]{}, s.corrupt(doc.ID, fmt.Errorf("the backend returned it for ID %q", key))
	}
	return s.decode(doc)
}

// Create stores v as a new record, with version 1. It fails with an error
// wrapping [ErrConflict] if a record has v's ID. When v has no ID (its ID
// property is absent, "" or 0), the store gives it one: a UUID version 7
// for string IDs (so that they sort by creation time), the backend's next
// integer for integer IDs; the record returned holds it.
func (s *Store[T, K]) Create(ctx context.Context, v T) (Record[T], error) {
	return s.Save(ctx, Record[T]{Value: v})
}

// Save stores r.Value over the record of the same ID if that record's
// version is still r.Version (0: if there is no such record, and then the
// ID is generated when absent, as [Store.Create] does), and returns the
// record with its new version. Otherwise it returns an error wrapping
// [ErrConflict] and writes nothing. A value that does not fit the model is
// an error (a *klue.ModelError) and nothing is written. A value whose
// unique property holds a value another record holds is refused with an
// error wrapping [ErrDuplicate], which is also a *klue.Error with status
// 409 Conflict, so that a handler may return it as is.
func (s *Store[T, K]) Save(ctx context.Context, r Record[T]) (Record[T], error) {
	if r.Version < 0 {
		return r, fmt.Errorf("persist: save %s: negative version %d", s.store(), r.Version)
	}
	if err := s.define(ctx); err != nil {
		return r, err
	}
	for attempt := 0; ; attempt++ {
		enc, err := s.encode(ctx, r.Value, r.Version == 0)
		if err != nil {
			return r, fmt.Errorf("persist: save %s: %w", s.store(), err)
		}
		err = s.backend.Save(ctx, s.store(), Document{ID: enc.id, Version: r.Version, Data: enc.data})
		if err != nil && enc.generated && s.layout.IDKind == Integer && errors.Is(err, ErrConflict) && attempt < 3 {
			continue // an ID stored by hand was ahead of the sequence
		}
		if err != nil {
			return r, s.fail("save", enc.id, err)
		}
		if enc.generated {
			var v T
			if err := strictjson.Unmarshal(enc.data, &v); err != nil {
				return r, fmt.Errorf("persist: save %s %q: %w", s.store(), enc.id, err)
			}
			r.Value = v
		}
		r.Version++
		return r, nil
	}
}

// Update loads the record id, lets change modify its value, and saves it;
// when another writer saved the record in between, it starts again from a
// fresh load, as long as ctx allows. An error from change stops it and is
// returned as is. change may not alter the ID.
func (s *Store[T, K]) Update(ctx context.Context, id K, change func(*T) error) (Record[T], error) {
	key := idString(id)
	for {
		r, err := s.Load(ctx, id)
		if err != nil {
			return r, err
		}
		if err := change(&r.Value); err != nil {
			return r, err
		}
		saved, err := s.saveSameID(ctx, key, r)
		if errors.Is(err, ErrConflict) && ctx.Err() == nil {
			continue
		}
		return saved, err
	}
}

func (s *Store[T, K]) saveSameID(ctx context.Context, id string, r Record[T]) (Record[T], error) {
	enc, err := s.encode(ctx, r.Value, false)
	if err != nil {
		return r, fmt.Errorf("persist: update %s %q: %w", s.store(), id, err)
	}
	if enc.id != id {
		return r, fmt.Errorf("persist: update %s %q: the change set the ID to %q", s.store(), id, enc.id)
	}
	if err := s.backend.Save(ctx, s.store(), Document{ID: id, Version: r.Version, Data: enc.data}); err != nil {
		return r, s.fail("update", id, err)
	}
	r.Version++
	return r, nil
}

// Delete removes the record id if its version is version, or whatever its
// version when version is 0. It returns an error wrapping [ErrNotFound] when
// there is no such record, and one wrapping [ErrConflict] when the version
// differs.
func (s *Store[T, K]) Delete(ctx context.Context, id K, version int64) error {
	key := idString(id)
	if checkID(key) != nil {
		return s.fail("delete", key, ErrNotFound)
	}
	if err := s.define(ctx); err != nil {
		return err
	}
	if err := s.backend.Delete(ctx, s.store(), key, version); err != nil {
		return s.fail("delete", key, err)
	}
	return nil
}

// List returns the page of at most limit records (DefaultPageSize when
// limit <= 0, at most MaxPageSize) that follows cursor: "" for the first
// page, then the Next of the page before. Records come in increasing order
// of their IDs (numeric order for integer IDs, byte order for strings), and
// paging is stable: every record that exists from the first page to the
// last appears exactly once, whatever is added or removed meanwhile. A
// cursor that no List returned gives an error wrapping [ErrInvalidCursor].
func (s *Store[T, K]) List(ctx context.Context, cursor string, limit int) (Page[T], error) {
	return s.Find(ctx, Query{Cursor: cursor, Limit: limit})
}

// All returns every record, in increasing order of their IDs, reading them
// a page at a time. It stops at the first error, which it yields with a
// zero record.
func (s *Store[T, K]) All(ctx context.Context) iter.Seq2[Record[T], error] {
	return s.FindAll(ctx, Query{Limit: DefaultPageSize})
}

// FindAll returns every record q selects, in q's order, reading them a
// page of q.Limit at a time from q.Cursor on. It stops at the first error,
// which it yields with a zero record.
func (s *Store[T, K]) FindAll(ctx context.Context, q Query) iter.Seq2[Record[T], error] {
	return func(yield func(Record[T], error) bool) {
		for {
			page, err := s.Find(ctx, q)
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
			q.Cursor = page.Next
		}
	}
}

// encoded is a value as the backend stores it.
type encoded struct {
	data      []byte
	id        string
	generated bool
}

// encode turns v into the JSON the backend stores, checked against the
// model, giving it an ID first when create is set and it has none.
func (s *Store[T, K]) encode(ctx context.Context, v T, create bool) (encoded, error) {
	data, err := json.Marshal(v)
	if err != nil {
		return encoded{}, err
	}
	if !s.numberIndexed && s.fits(data) {
		// "0" may be an integer ID to generate: the general path decides.
		if id, ok := idFromJSON(data, s.idProp); ok && !(create && id == "0") {
			return encoded{data: data, id: id}, nil
		}
	}
	decoded, err := wire.DecodeJSON(data)
	if err != nil {
		return encoded{}, err
	}
	var enc encoded
	if obj, ok := decoded.(map[string]any); ok && create && s.idAbsent(obj[s.idProp]) {
		id, err := s.newID(ctx)
		if err != nil {
			return encoded{}, err
		}
		obj[s.idProp] = id
		if data, err = json.Marshal(obj); err != nil {
			return encoded{}, err
		}
		enc.generated = true
	}
	if err := s.model.Schema.Validate(decoded); err != nil {
		return encoded{}, &klue.ModelError{Model: s.model.Name, Err: err}
	}
	if err := s.indexable(decoded); err != nil {
		return encoded{}, err
	}
	if enc.id, err = idOf(decoded, s.idProp); err != nil {
		return encoded{}, err
	}
	enc.data = data
	return enc, nil
}

// numberIndexed reports whether layout has an index on a number or an
// integer, whose values indexable checks on the decoded document.
func numberIndexed(layout Layout) bool {
	return slices.ContainsFunc(layout.Indexes, func(ix Index) bool { return ix.Kind == Integer || ix.Kind == Number })
}

// indexable refuses, with 422 Unprocessable Entity, a document whose
// indexed number the indexes cannot hold although its schema allows it:
// every backend orders and pages by numbers as float64 and integers as
// int64, so 1e400, 1e-400 and 2^64 are beyond them.
func (s *Store[T, K]) indexable(decoded any) error {
	obj, ok := decoded.(map[string]any)
	if !ok {
		return nil
	}
	for _, ix := range s.layout.Indexes {
		n, ok := obj[ix.Property].(json.Number)
		if !ok || ix.Kind != Integer && ix.Kind != Number {
			continue
		}
		if _, ok := jsonValue(ix.Kind, n); ok {
			continue
		}
		text := string(n)
		if len(text) > 40 {
			text = fmt.Sprintf("%s… (%d characters)", text[:20], len(text))
		}
		if ix.Kind == Integer {
			return klue.Errorf(http.StatusUnprocessableEntity, "%s: property %q: %s is beyond the integers its index holds (64 bits)", s.model.Name, ix.Property, text)
		}
		return klue.Errorf(http.StatusUnprocessableEntity, "%s: property %q: %s is beyond the numbers its index holds (those of a float64: at most about 1.8e308, and 0 or at least about 4.9e-324 in magnitude)", s.model.Name, ix.Property, text)
	}
	return nil
}

// idAbsent reports whether an ID property's value stands for "no ID yet":
// absent, null, "" or 0.
func (s *Store[T, K]) idAbsent(v any) bool {
	switch x := v.(type) {
	case nil:
		return true
	case string:
		return x == ""
	case json.Number:
		return s.layout.IDKind == Integer && x.String() == "0"
	}
	return false
}

// newID returns a new ID in the form wire.DecodeJSON gives it.
func (s *Store[T, K]) newID(ctx context.Context) (any, error) {
	if s.layout.IDKind == Integer {
		n, err := s.backend.NextID(ctx, s.store())
		if err != nil {
			return nil, fmt.Errorf("next ID: %w", err)
		}
		return json.Number(strconv.FormatInt(n, 10)), nil
	}
	u, err := uuid.NewV7()
	if err != nil {
		return nil, fmt.Errorf("new ID: %w", err)
	}
	return u.String(), nil
}

// decode turns a stored document into a record, after checking it against
// the model (migrating it first when it does not fit and the store has a
// Migration) and its ID against the one it is stored under.
func (s *Store[T, K]) decode(doc Document) (Record[T], error) {
	r, _, err := s.decodeFull(doc, false)
	return r, err
}

// decodeFull is decode that also returns the document as wire.DecodeJSON
// gives it when full is set.
func (s *Store[T, K]) decodeFull(doc Document, full bool) (Record[T], any, error) {
	data, decoded, _, err := s.current(doc)
	if err == nil && full && decoded == nil {
		decoded, err = wire.DecodeJSON(data)
	}
	if err != nil {
		return Record[T]{}, nil, s.corrupt(doc.ID, err)
	}
	var v T
	// Decoded as it was validated: names exact (a member "EMAIL" is not
	// the email), which DecodeJSON made sure come once.
	if err := strictjson.Unmarshal(data, &v); err != nil {
		return Record[T]{}, nil, s.corrupt(doc.ID, err)
	}
	return Record[T]{Value: v, Version: doc.Version}, decoded, nil
}

// fits reports whether the pre-check is sure that data fits the model;
// false means "ask jsonschema", not "does not fit".
func (s *Store[T, K]) fits(data []byte) bool {
	return s.check != nil && s.check.Fast().Document(data) == jsonvalid.Valid
}

// current returns the document's data checked against the model, decoded
// (nil when the pre-check passed it, which needs no decoding) and not, and
// whether the store's Migration changed it.
func (s *Store[T, K]) current(doc Document) (data []byte, decoded any, migrated bool, err error) {
	if s.fits(doc.Data) {
		if id, ok := idFromJSON(doc.Data, s.idProp); ok {
			if id != doc.ID {
				return nil, nil, false, fmt.Errorf("it holds the ID %q", id)
			}
			return doc.Data, nil, false, nil
		}
	}
	decoded, err = wire.DecodeJSON(doc.Data)
	if err != nil {
		return nil, nil, false, err
	}
	data = doc.Data
	if err := s.model.Schema.Validate(decoded); err != nil {
		if s.migrate == nil {
			return nil, nil, false, &klue.ModelError{Model: s.model.Name, Err: err}
		}
		if decoded, data, err = s.migrateDoc(decoded, err); err != nil {
			return nil, nil, false, err
		}
		migrated = true
	}
	id, err := idOf(decoded, s.idProp)
	if err != nil {
		return nil, nil, false, err
	}
	if id != doc.ID {
		return nil, nil, false, fmt.Errorf("it holds the ID %q", id)
	}
	return data, decoded, migrated, nil
}

func (s *Store[T, K]) corrupt(id string, err error) error {
	return fmt.Errorf("%w: %s %q: %w", ErrCorrupt, s.store(), id, err)
}

// fail adds the operation, the store and the ID to an error of the backend.
// The sentinels read "persist: not found: users \"42\"". A duplicate
// becomes a 409 Conflict.
func (s *Store[T, K]) fail(op, id string, err error) error {
	if dup, ok := errors.AsType[*DuplicateError](err); ok {
		d := &DuplicateError{Store: s.store(), ID: id, Property: dup.Property}
		msg := "a record with this " + d.Property + " exists"
		if d.Property == "" {
			msg = "a record with these values exists"
		}
		return &klue.Error{Status: http.StatusConflict, Message: msg, Cause: d}
	}
	for _, sentinel := range []error{ErrNotFound, ErrConflict} {
		if errors.Is(err, sentinel) {
			return fmt.Errorf("%w: %s %s %q", err, op, s.store(), id)
		}
	}
	return fmt.Errorf("persist: %s %s %q: %w", op, s.store(), id, err)
}

// idString is an ID in the form backends keep it.
func idString[K ID](id K) string {
	switch v := reflect.ValueOf(id); v.Kind() {
	case reflect.String:
		return v.String()
	default:
		return strconv.FormatInt(v.Int(), 10)
	}
}
