package klue

import (
	"fmt"
	"regexp"
	"slices"
	"strings"

	"github.com/klue-go/klue-client-server/internal/specdoc"
)

// indexName is what an indexed property may be called: the backends write
// it into SQL string literals and JSON paths, so quotes, backslashes and
// control characters are kept out.
var indexName = regexp.MustCompile(`^[A-Za-z0-9_$@.-]{1,63}$`)

// persistSpec reads x-persist: true, a store name, or an object
//
//	{store: users, id: user_id, indexes: [created], unique: [email]}
//
// whose indexes and unique properties must be scalar properties of the
// model s.
func (l *loader) persistSpec(at loc, name string, s *Schema) *PersistSpec {
	xp := at.n.Get("x-persist")
	if xp == nil {
		return nil
	}
	ptr := at.ptr + "/x-persist"
	ps := &PersistSpec{Store: snakeCase(name), IDProperty: "id"}
	switch xp.Kind {
	case specdoc.Bool:
		if xp.Text != "true" {
			return nil
		}
	case specdoc.String:
		if identifier.MatchString(xp.Text) {
			ps.Store = xp.Text
		}
	case specdoc.Object:
		for i, key := range xp.Keys {
			switch key {
			case "store", "id", "indexes", "unique":
			default:
				l.errorf(at.f, xp.Values[i], ptr+"/"+key, "x-persist has no setting %q%s (it has store, id, indexes and unique)", key, didYouMean(key, []string{"store", "id", "indexes", "unique"}))
			}
		}
		if s, ok := xp.Get("store").Str(); ok {
			if !identifier.MatchString(s) {
				l.errorf(at.f, xp.Get("store"), ptr+"/store", "store name %q must be an identifier (letters, digits, _)", s)
			}
			ps.Store = s
		}
		if id, ok := xp.Get("id").Str(); ok {
			ps.IDProperty = id
		}
		l.persistIndexes(at.f, xp, ptr, name, s, ps)
	default:
		l.errorf(at.f, xp, ptr, "x-persist must be true, a store name or {store, id, indexes, unique}, got %s", xp.Kind)
		return nil
	}
	if idSchema := propertySchema(s, ps.IDProperty); idSchema != nil {
		switch t := idSchema.Type(); t {
		case "string", "integer":
			ps.IDType = t
		default:
			l.warnf(at.f, xp, ptr, "model %s: the ID property %q should be a string or an integer", name, ps.IDProperty)
		}
	} else if props := at.n.Get("properties"); props != nil && !props.Has(ps.IDProperty) {
		l.warnf(at.f, xp, ptr, "model %s has no property %q to use as its ID", name, ps.IDProperty)
	}
	return ps
}

// persistIndexes reads x-persist's indexes and unique: lists of property
// names, each a scalar property of the model. A property listed in unique
// need not be listed in indexes too.
func (l *loader) persistIndexes(f *docFile, xp *specdoc.Node, ptr, model string, s *Schema, ps *PersistSpec) {
	for _, key := range []string{"indexes", "unique"} {
		list := xp.Get(key)
		if list == nil {
			continue
		}
		if list.Kind != specdoc.Array {
			l.errorf(f, list, ptr+"/"+key, "x-persist %s must be a list of property names, got %s", key, list.Kind)
			continue
		}
		for i, n := range list.Elems() {
			at := fmt.Sprintf("%s/%s/%d", ptr, key, i)
			prop, ok := n.Str()
			if !ok {
				l.errorf(f, n, at, "x-persist %s: want a property name, got %s", key, n.Kind)
				continue
			}
			if msg := l.indexProblem(model, s, ps, prop); msg != "" {
				l.errorf(f, n, at, "x-persist %s: %s", key, msg)
				continue
			}
			unique := key == "unique"
			if j := slices.IndexFunc(ps.Indexes, func(ix PersistIndex) bool { return ix.Property == prop }); j >= 0 {
				if ps.Indexes[j].Unique == unique {
					l.errorf(f, n, at, "x-persist %s: %q is listed twice", key, prop)
				}
				ps.Indexes[j].Unique = ps.Indexes[j].Unique || unique
				continue
			}
			ps.Indexes = append(ps.Indexes, PersistIndex{Property: prop, Type: propertySchema(s, prop).Type(), Unique: unique})
		}
	}
}

// indexProblem says why prop cannot be indexed, or "".
func (l *loader) indexProblem(model string, s *Schema, ps *PersistSpec, prop string) string {
	if prop == ps.IDProperty {
		return fmt.Sprintf("%q is the ID property, which is always indexed and unique", prop)
	}
	propSchema := propertySchema(s, prop)
	if propSchema == nil {
		return fmt.Sprintf("model %s has no property %q%s", model, prop, didYouMean(prop, propertyNames(s)))
	}
	if !indexName.MatchString(prop) {
		return fmt.Sprintf("property %q cannot be indexed: an indexed property's name is made of letters, digits and _ $ @ . -", prop)
	}
	switch t := propSchema.Type(); t {
	case "string", "integer", "number", "boolean":
	case "":
		return fmt.Sprintf("property %q has no single type: an indexed property must be a string, an integer, a number or a boolean", prop)
	default:
		return fmt.Sprintf("property %q is %s %s: an indexed property must be a string, an integer, a number or a boolean", prop, article(t), t)
	}
	return ""
}

func article(t string) string {
	if strings.IndexByte("aeiou", t[0]) >= 0 {
		return "an"
	}
	return "a"
}

// propertySchema is the schema of the property name of s (see
// [Schema.Property]), nil when s has no such property.
func propertySchema(s *Schema, name string) *Schema {
	if p := s.Property(name); p != nil {
		return p.Schema
	}
	return nil
}

// propertyNames lists the names of the properties of s, allOf included.
func propertyNames(s *Schema) []string {
	var names []string
	for r := range s.Merged() {
		for _, p := range r.Properties {
			names = append(names, p.Name)
		}
	}
	return names
}
