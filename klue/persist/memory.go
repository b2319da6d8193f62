package persist

import (
	"bytes"
	"context"
	"fmt"
	"reflect"
	"slices"
	"sync"

	"github.com/klue-go/klue-client-server/internal/wire"
)

// Memory is a [Backend] that keeps documents in memory, for tests and
// throwaway programs. Every call copies the bytes it is given and returns,
// so callers never share memory with it. Find looks at every document of
// the store: a query costs time in proportion to the store's size.
//
// A Memory is safe for concurrent use. Its zero value is an empty backend
// ready to use; it must not be copied after first use.
type Memory struct {
	mu     sync.RWMutex
	stores map[string]*memoryStore
}

// memoryStore is one store: the documents by ID, their IDs in order, the
// values of the indexed properties of each, and the owner of each value of
// each unique property.
type memoryStore struct {
	layout Layout
	docs   map[string]memoryDoc
	ids    []string
	owners map[string]map[any]string // unique property → value → ID
	lastID int64
}

type memoryDoc struct {
	Document
	values map[string]any // indexed property → value
}

// NewMemory returns an empty in-memory backend.
func NewMemory() *Memory { return &Memory{} }

// Define implements [Backend].
func (m *Memory) Define(ctx context.Context, layout Layout) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	m.mu.Lock()
	defer m.mu.Unlock()
	s := m.store(layout.Name)
	if len(s.docs) > 0 && layout.IDKind != s.layout.IDKind && s.layout.IDKind != 0 {
		return fmt.Errorf("persist: store %s holds %s IDs, not %s", layout.Name, s.layout.IDKind, layout.IDKind)
	}
	next := &memoryStore{layout: layout, docs: make(map[string]memoryDoc, len(s.docs)), owners: map[string]map[any]string{}, lastID: s.lastID}
	for _, ix := range layout.Indexes {
		if ix.Unique {
			next.owners[ix.Property] = map[any]string{}
		}
	}
	for _, id := range s.ids {
		doc := s.docs[id].Document
		values := next.values(doc.Data)
		if p := next.duplicate(id, values); p != "" {
			return fmt.Errorf("persist: store %s: cannot make %s unique: %w", layout.Name, p, &DuplicateError{Property: p})
		}
		next.own(id, values)
		next.docs[id] = memoryDoc{Document: doc, values: values}
	}
	next.ids = slices.Clone(s.ids)
	slices.SortFunc(next.ids, func(a, b string) int { return compareIDs(layout.IDKind, a, b) })
	if n := len(next.ids); n > 0 && layout.IDKind == Integer {
		if last, ok := parseInt(next.ids[n-1]); ok {
			next.lastID = max(next.lastID, last)
		}
	}
	m.stores[layout.Name] = next
	return nil
}

// Load implements [Backend].
func (m *Memory) Load(ctx context.Context, store, id string) (Document, error) {
	if err := ctx.Err(); err != nil {
		return Document{}, err
	}
	m.mu.RLock()
	defer m.mu.RUnlock()
	doc, ok := m.stores[store].doc(id)
	if !ok {
		return Document{}, ErrNotFound
	}
	doc.Data = bytes.Clone(doc.Data)
	return doc, nil
}

// Save implements [Backend].
func (m *Memory) Save(ctx context.Context, store string, doc Document) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	m.mu.Lock()
	defer m.mu.Unlock()
	s := m.store(store)
	old, ok := s.docs[doc.ID]
	if !ok && doc.Version != 0 || ok && old.Version != doc.Version {
		return ErrConflict
	}
	values := s.values(doc.Data)
	if p := s.duplicate(doc.ID, values); p != "" {
		return &DuplicateError{Property: p}
	}
	if ok {
		s.disown(old.values)
	} else {
		i, _ := slices.BinarySearchFunc(s.ids, doc.ID, s.compareIDs)
		s.ids = slices.Insert(s.ids, i, doc.ID)
	}
	s.own(doc.ID, values)
	s.docs[doc.ID] = memoryDoc{Document: Document{ID: doc.ID, Version: doc.Version + 1, Data: bytes.Clone(doc.Data)}, values: values}
	return nil
}

// Delete implements [Backend].
func (m *Memory) Delete(ctx context.Context, store, id string, version int64) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	m.mu.Lock()
	defer m.mu.Unlock()
	s := m.store(store)
	old, ok := s.docs[id]
	switch {
	case !ok:
		return ErrNotFound
	case version != 0 && old.Version != version:
		return ErrConflict
	}
	s.disown(old.values)
	delete(s.docs, id)
	i, _ := slices.BinarySearchFunc(s.ids, id, s.compareIDs)
	s.ids = slices.Delete(s.ids, i, i+1)
	return nil
}

// Find implements [Backend].
func (m *Memory) Find(ctx context.Context, store string, q Selection) ([]Document, error) {
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	m.mu.RLock()
	defer m.mu.RUnlock()
	s := m.stores[store]
	if s == nil {
		return nil, nil
	}
	for _, w := range q.Where {
		if _, ok := s.layout.Index(w.Property); !ok {
			return nil, fmt.Errorf("persist: store %s has no index on %q", store, w.Property)
		}
	}
	if _, ok := s.layout.Index(q.OrderBy); q.OrderBy != "" && !ok {
		return nil, fmt.Errorf("persist: store %s has no index on %q", store, q.OrderBy)
	}
	if q.After != nil && s.layout.IDKind == Integer {
		if _, ok := parseInt(q.After.ID); !ok {
			return nil, fmt.Errorf("persist: store %s: the page starts after %q, which is not an integer ID", store, q.After.ID)
		}
	}
	var found []memoryDoc
	for _, id := range s.candidates(q) {
		d := s.docs[id]
		if d.matches(q) && (q.After == nil || s.compare(q, d, *q.After) > 0) {
			found = append(found, d)
		}
	}
	if q.OrderBy != "" || q.Desc {
		slices.SortFunc(found, func(a, b memoryDoc) int {
			return s.compare(q, a, Position{Value: b.values[q.OrderBy], ID: b.ID})
		})
	}
	found = found[:min(len(found), max(q.Limit, 0))]
	out := make([]Document, len(found))
	for i, d := range found {
		out[i] = d.Document
		out[i].Data = bytes.Clone(d.Data)
	}
	return out, nil
}

// NextID implements [Backend].
func (m *Memory) NextID(ctx context.Context, store string) (int64, error) {
	if err := ctx.Err(); err != nil {
		return 0, err
	}
	m.mu.Lock()
	defer m.mu.Unlock()
	s := m.store(store)
	if n := len(s.ids); n > 0 {
		if last, ok := parseInt(s.ids[n-1]); ok && s.layout.IDKind == Integer {
			s.lastID = max(s.lastID, last)
		}
	}
	s.lastID++
	return s.lastID, nil
}

// store returns the store called name, creating it. m.mu must be held for
// writing.
func (m *Memory) store(name string) *memoryStore {
	if m.stores == nil {
		m.stores = map[string]*memoryStore{}
	}
	s := m.stores[name]
	if s == nil {
		s = &memoryStore{layout: Layout{Name: name}, docs: map[string]memoryDoc{}, owners: map[string]map[any]string{}}
		m.stores[name] = s
	}
	return s
}

func (s *memoryStore) doc(id string) (Document, bool) {
	if s == nil {
		return Document{}, false
	}
	d, ok := s.docs[id]
	return d.Document, ok
}

// candidates returns the IDs of the documents that may match q: the one
// owning the value a condition gives a unique property, else every ID.
// Each is still matched against q whole.
func (s *memoryStore) candidates(q Selection) []string {
	for _, w := range q.Where {
		owners, ok := s.owners[w.Property]
		if !ok || !sameKind(w.Value, owners) {
			continue
		}
		if id, ok := owners[w.Value]; ok {
			return []string{id}
		}
		return nil
	}
	return s.ids
}

// sameKind reports whether v has the Go type of the keys of owners (the
// values of one index are all of one type), so that looking v up there
// finds what comparing it would.
func sameKind(v any, owners map[any]string) bool {
	for k := range owners {
		return reflect.TypeOf(k) == reflect.TypeOf(v)
	}
	return false
}

func (s *memoryStore) compareIDs(a, b string) int { return compareIDs(s.layout.IDKind, a, b) }

// compare orders d against p in q's order.
func (s *memoryStore) compare(q Selection, d memoryDoc, p Position) int {
	c := 0
	if q.OrderBy != "" {
		c = compareValues(d.values[q.OrderBy], p.Value)
	}
	if c == 0 {
		c = s.compareIDs(d.ID, p.ID)
	}
	if q.Desc {
		return -c
	}
	return c
}

func (d memoryDoc) matches(q Selection) bool {
	for _, w := range q.Where {
		v, ok := d.values[w.Property]
		if !ok || compareValues(v, w.Value) != 0 {
			return false
		}
	}
	if q.OrderBy != "" {
		if _, ok := d.values[q.OrderBy]; !ok {
			return false
		}
	}
	return true
}

// values returns the indexed properties of a document; those missing or
// of another kind than their index's are left out.
func (s *memoryStore) values(data []byte) map[string]any {
	if len(s.layout.Indexes) == 0 {
		return nil
	}
	decoded, err := wire.DecodeJSON(data)
	obj, ok := decoded.(map[string]any)
	if err != nil || !ok {
		return nil
	}
	values := map[string]any{}
	for _, ix := range s.layout.Indexes {
		if v, ok := jsonValue(ix.Kind, obj[ix.Property]); ok {
			values[ix.Property] = v
		}
	}
	return values
}

// duplicate returns the unique property whose value another record than id
// holds, or "".
func (s *memoryStore) duplicate(id string, values map[string]any) string {
	for p, owners := range s.owners {
		if v, ok := values[p]; ok {
			if owner, taken := owners[v]; taken && owner != id {
				return p
			}
		}
	}
	return ""
}

func (s *memoryStore) own(id string, values map[string]any) {
	for p, owners := range s.owners {
		if v, ok := values[p]; ok {
			owners[v] = id
		}
	}
}

func (s *memoryStore) disown(values map[string]any) {
	for p, owners := range s.owners {
		if v, ok := values[p]; ok {
			delete(owners, v)
		}
	}
}
