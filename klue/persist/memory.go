package persist

import (
	"bytes"
	"context"
	"slices"
	"sync"
)

// Memory is a [Backend] that keeps documents in memory, for tests and
// throwaway programs. Every call copies the bytes it is given and returns,
// so callers never share memory with it.
//
// A Memory is safe for concurrent use. Its zero value is an empty backend
// ready to use; it must not be copied after first use.
type Memory struct {
	mu     sync.RWMutex
	stores map[string]*memoryStore
}

// memoryStore is one store: the documents by ID, and their IDs in order for
// List.
type memoryStore struct {
	docs map[string]Document
	ids  []string
}

// NewMemory returns an empty in-memory backend.
func NewMemory() *Memory { return &Memory{} }

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
	switch {
	case !ok && doc.Version != 0, ok && old.Version != doc.Version:
		return ErrConflict
	case !ok:
		i, _ := slices.BinarySearch(s.ids, doc.ID)
		s.ids = slices.Insert(s.ids, i, doc.ID)
	}
	s.docs[doc.ID] = Document{ID: doc.ID, Version: doc.Version + 1, Data: bytes.Clone(doc.Data)}
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
	delete(s.docs, id)
	i, _ := slices.BinarySearch(s.ids, id)
	s.ids = slices.Delete(s.ids, i, i+1)
	return nil
}

// List implements [Backend].
func (m *Memory) List(ctx context.Context, store, after string, limit int) ([]Document, error) {
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	m.mu.RLock()
	defer m.mu.RUnlock()
	s := m.stores[store]
	if s == nil {
		return nil, nil
	}
	i, found := slices.BinarySearch(s.ids, after)
	if found {
		i++
	}
	end := min(len(s.ids), i+max(limit, 0))
	out := make([]Document, 0, end-i)
	for _, id := range s.ids[i:end] {
		doc := s.docs[id]
		doc.Data = bytes.Clone(doc.Data)
		out = append(out, doc)
	}
	return out, nil
}

// store returns the store called name, creating it. m.mu must be held for
// writing.
func (m *Memory) store(name string) *memoryStore {
	if m.stores == nil {
		m.stores = map[string]*memoryStore{}
	}
	s := m.stores[name]
	if s == nil {
		s = &memoryStore{docs: map[string]Document{}}
		m.stores[name] = s
	}
	return s
}

func (s *memoryStore) doc(id string) (Document, bool) {
	if s == nil {
		return Document{}, false
	}
	d, ok := s.docs[id]
	return d, ok
}
