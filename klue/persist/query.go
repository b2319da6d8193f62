package persist

import (
	"context"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"reflect"
	"sort"
	"strings"

	"github.com/klue-go/klue-client-server/internal/suggest"
	"github.com/klue-go/klue-client-server/internal/wire"
)

// Query selects records of a [Store] by their indexed properties. Its zero
// value lists every record by ID, DefaultPageSize at a time.
type Query struct {
	// Where maps properties to values: a record matches when each property
	// holds its value. Each property must be indexed (x-persist's indexes
	// or unique). Values are Go values whose JSON fits the property: a
	// time.Time for a date-time string, an int for an integer, and so on.
	Where map[string]any
	// OrderBy is an indexed property: records come in increasing order of
	// it, then of their IDs; "-created" orders by decreasing "created" then
	// decreasing ID. Records that lack the property are left out. "" (or
	// the ID property) orders by ID alone.
	OrderBy string
	// Limit is the largest number of records in a page: DefaultPageSize
	// when 0 or less, at most MaxPageSize.
	Limit int
	// Cursor is "" for the first page, then the Next of the page before,
	// from a Query with the same OrderBy.
	Cursor string
}

// Find returns the page of records that match q.Where, in q.OrderBy's
// order, that follows q.Cursor. Paging goes by position in that order: a
// record added or removed between two pages does not make another one
// appear twice or not at all (a record whose ordering property changes may
// move from a page already read to one not yet read). A property that is
// not indexed is an error, with the indexed properties that are close; a
// cursor that no Find of the same order returned is an error wrapping
// [ErrInvalidCursor].
//
// The backend's indexes serve the query: its cost grows with the size of
// the page and the logarithm of the store's size, not with the store's
// size (except on [Memory], which looks at every record). Matching one
// property and ordering by another sorts the records that match.
func (s *Store[T, K]) Find(ctx context.Context, q Query) (Page[T], error) {
	bq, err := s.backendQuery(q)
	if err != nil {
		return Page[T]{}, err
	}
	if err := s.define(ctx); err != nil {
		return Page[T]{}, err
	}
	limit := bq.Limit
	bq.Limit++
	docs, err := s.backend.Find(ctx, s.store(), bq)
	if err != nil {
		return Page[T]{}, fmt.Errorf("persist: find %s: %w", s.store(), err)
	}
	var page Page[T]
	more := len(docs) > limit
	docs = docs[:min(len(docs), limit)]
	page.Records = make([]Record[T], 0, len(docs))
	prev := bq.After
	for _, doc := range docs {
		r, pos, err := s.decodeAt(doc, bq.OrderBy)
		if err != nil {
			return Page[T]{}, err
		}
		if prev != nil && s.comparePositions(bq, pos, *prev) <= 0 {
			return Page[T]{}, fmt.Errorf("persist: find %s: the backend returned %q after %q, out of order", s.store(), doc.ID, prev.ID)
		}
		prev = &pos
		page.Records = append(page.Records, r)
	}
	if more && prev != nil {
		page.Next = encodeCursor(bq, *prev)
	}
	return page, nil
}

// FindOne returns the record whose unique property holds value, or an
// error wrapping [ErrNotFound]. property must be listed in x-persist's
// unique (or be the ID property).
func (s *Store[T, K]) FindOne(ctx context.Context, property string, value any) (Record[T], error) {
	if property == s.idProp {
		v, err := s.convert(Index{Property: property, Kind: s.layout.IDKind}, value)
		if err != nil {
			return Record[T]{}, fmt.Errorf("persist: find %s: %w", s.store(), err)
		}
		return s.Load(ctx, idFrom[K](v))
	}
	if ix, ok := s.layout.Index(property); ok && !ix.Unique {
		return Record[T]{}, fmt.Errorf("persist: find %s: property %q is indexed but not unique: use Find", s.store(), property)
	}
	page, err := s.Find(ctx, Query{Where: map[string]any{property: value}, Limit: 2})
	if err != nil {
		return Record[T]{}, err
	}
	switch len(page.Records) {
	case 0:
		return Record[T]{}, fmt.Errorf("%w: find %s %s", ErrNotFound, s.store(), property)
	case 1:
		return page.Records[0], nil
	}
	return Record[T]{}, fmt.Errorf("persist: find %s: two records hold the same %s", s.store(), property)
}

// idFrom converts the Go form of an ID (a string or an int64) to K.
func idFrom[K ID](v any) K {
	var k K
	switch x := v.(type) {
	case string:
		reflect.ValueOf(&k).Elem().SetString(x)
	case int64:
		reflect.ValueOf(&k).Elem().SetInt(x)
	}
	return k
}

// backendQuery checks q against the store's indexes and converts it.
func (s *Store[T, K]) backendQuery(q Query) (Selection, error) {
	bq := Selection{Limit: q.Limit}
	if bq.Limit <= 0 {
		bq.Limit = DefaultPageSize
	}
	bq.Limit = min(bq.Limit, MaxPageSize)
	var problems []string
	props := make([]string, 0, len(q.Where))
	for p := range q.Where {
		props = append(props, p)
	}
	sort.Strings(props)
	for _, p := range props {
		ix, err := s.index(p)
		if err != nil {
			problems = append(problems, err.Error())
			continue
		}
		v, err := s.convert(ix, q.Where[p])
		if err != nil {
			problems = append(problems, err.Error())
			continue
		}
		bq.Where = append(bq.Where, Match{Property: p, Value: v})
	}
	order, desc := strings.CutPrefix(q.OrderBy, "-")
	bq.Desc = desc
	if order != "" && order != s.idProp {
		if _, err := s.index(order); err != nil {
			problems = append(problems, "OrderBy: "+err.Error())
		} else {
			bq.OrderBy = order
		}
	}
	if len(problems) > 0 {
		return bq, fmt.Errorf("persist: find %s: %s", s.store(), strings.Join(problems, "; "))
	}
	after, err := decodeCursor(q.Cursor, bq, s.layout)
	if err != nil {
		return bq, err
	}
	bq.After = after
	return bq, nil
}

// index returns the index of property, or an error naming the close ones.
func (s *Store[T, K]) index(property string) (Index, error) {
	if ix, ok := s.layout.Index(property); ok {
		return ix, nil
	}
	names := make([]string, len(s.layout.Indexes))
	for i, ix := range s.layout.Indexes {
		names[i] = ix.Property
	}
	msg := fmt.Sprintf("property %q is not indexed", property)
	if hints := suggest.Closest(property, names); len(hints) > 0 {
		msg += didYouMean(hints)
	} else if len(names) > 0 {
		msg += fmt.Sprintf(" (indexed: %s)", strings.Join(names, ", "))
	} else {
		msg += " (the model's x-persist lists no indexes)"
	}
	return Index{}, fmt.Errorf("%s", msg)
}

// convert turns a Go value given for an indexed property into the Go type
// of its kind, through its JSON form.
func (s *Store[T, K]) convert(ix Index, v any) (any, error) {
	data, err := json.Marshal(v)
	if err != nil {
		return nil, fmt.Errorf("property %q: %w", ix.Property, err)
	}
	decoded, err := wire.DecodeJSON(data)
	if err != nil {
		return nil, fmt.Errorf("property %q: %w", ix.Property, err)
	}
	if x, ok := jsonValue(ix.Kind, decoded); ok {
		return x, nil
	}
	return nil, fmt.Errorf("property %q is %s %s, got %s", ix.Property, article(ix.Kind), ix.Kind, data)
}

func article(k Kind) string {
	if k == Integer {
		return "an"
	}
	return "a"
}

// decodeAt decodes a document found by a query, and returns its position
// in the query's order.
func (s *Store[T, K]) decodeAt(doc Document, order string) (Record[T], Position, error) {
	r, decoded, err := s.decodeFull(doc, order != "")
	if err != nil {
		return r, Position{}, err
	}
	pos := Position{ID: doc.ID}
	if order != "" {
		obj, _ := decoded.(map[string]any)
		ix, _ := s.layout.Index(order)
		v, ok := jsonValue(ix.Kind, obj[order])
		if !ok {
			return r, pos, s.corrupt(doc.ID, fmt.Errorf("found when ordering by %q, which it lacks", order))
		}
		pos.Value = v
	}
	return r, pos, nil
}

func (s *Store[T, K]) comparePositions(q Selection, a, b Position) int {
	c := 0
	if q.OrderBy != "" {
		c = compareValues(a.Value, b.Value)
	}
	if c == 0 {
		c = compareIDs(s.layout.IDKind, a.ID, b.ID)
	}
	if q.Desc {
		return -c
	}
	return c
}

// A cursor is the position of the last record of a page, so that the next
// page starts after it whatever was added or removed meanwhile, with the
// order it belongs to. It is encoded so that callers treat it as opaque
// and it travels safely in URLs.
type cursor struct {
	Order string `json:"o,omitempty"`
	Desc  bool   `json:"d,omitempty"`
	Value any    `json:"v,omitempty"`
	ID    string `json:"i"`
}

func encodeCursor(q Selection, last Position) string {
	data, _ := json.Marshal(cursor{Order: q.OrderBy, Desc: q.Desc, Value: last.Value, ID: last.ID})
	return base64.RawURLEncoding.EncodeToString(data)
}

func decodeCursor(text string, q Selection, l Layout) (*Position, error) {
	if text == "" {
		return nil, nil
	}
	data, err := base64.RawURLEncoding.DecodeString(text)
	if err != nil {
		return nil, ErrInvalidCursor
	}
	var c cursor
	dec := json.NewDecoder(strings.NewReader(string(data)))
	dec.UseNumber()
	if dec.Decode(&c) != nil || c.Order != q.OrderBy || c.Desc != q.Desc || checkID(c.ID) != nil {
		return nil, ErrInvalidCursor
	}
	if l.IDKind == Integer {
		if _, ok := parseInt(c.ID); !ok {
			return nil, ErrInvalidCursor
		}
	}
	pos := &Position{ID: c.ID}
	if q.OrderBy != "" {
		ix, _ := l.Index(q.OrderBy)
		v, ok := jsonValue(ix.Kind, c.Value)
		if !ok {
			return nil, ErrInvalidCursor
		}
		pos.Value = v
	}
	return pos, nil
}
