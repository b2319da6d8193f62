package persist

import (
	"errors"
	"fmt"
	"reflect"
	"slices"
	"strconv"
	"strings"

	bind "github.com/klue-go/klue-client-server/internal/binding"
	"github.com/klue-go/klue-client-server/internal/suggest"
	"github.com/klue-go/klue-client-server/klue"
)

// findModel returns the x-persist model called name: in the API cfg.api, or
// else the one model of that name marked x-persist across the pool.
func findModel(pool *klue.Pool, name, apiName string) (*klue.Model, klue.PersistSpec, error) {
	if apiName != "" {
		api, err := pool.API(apiName)
		if err != nil {
			return nil, klue.PersistSpec{}, fmt.Errorf("persist: %w", err)
		}
		m, err := api.Model(name)
		if err != nil {
			return nil, klue.PersistSpec{}, fmt.Errorf("persist: %w", err)
		}
		spec, ok := m.Persist()
		if !ok {
			return nil, klue.PersistSpec{}, notPersisted([]*klue.Model{m})
		}
		return m, spec, nil
	}
	var found, persisted []*klue.Model
	var hints []string
	for _, api := range pool.APIs() {
		m, err := api.Model(name)
		if err != nil {
			if uk, ok := errors.AsType[*klue.UnknownKeyError](err); ok {
				hints = append(hints, uk.Suggestions...)
			}
			continue
		}
		found = append(found, m)
		if _, ok := m.Persist(); ok {
			persisted = append(persisted, m)
		}
	}
	switch {
	case len(found) == 0:
		return nil, klue.PersistSpec{}, fmt.Errorf("persist: no API of the pool has a model %q%s", name, didYouMean(hints))
	case len(persisted) == 0:
		return nil, klue.PersistSpec{}, notPersisted(found)
	case len(persisted) > 1:
		apis := make([]string, len(persisted))
		for i, m := range persisted {
			apis[i] = strconv.Quote(m.API().Name())
		}
		return nil, klue.PersistSpec{}, fmt.Errorf("persist: model %q is persisted by APIs %s: choose one with persist.WithAPI", name, strings.Join(apis, " and "))
	}
	spec, _ := persisted[0].Persist()
	return persisted[0], spec, nil
}

// notPersisted explains why none of models has a store.
func notPersisted(models []*klue.Model) error {
	why := make([]string, len(models))
	for i, m := range models {
		if !m.API().Persistence() {
			why[i] = fmt.Sprintf("API %q was added WithoutPersistence", m.API().Name())
		} else {
			why[i] = fmt.Sprintf("it is not marked x-persist in API %q", m.API().Name())
		}
	}
	return fmt.Errorf("persist: model %q has no store: %s", models[0].Name, strings.Join(why, "; "))
}

// didYouMean formats the hints gathered from several APIs, sorted and
// each once.
func didYouMean(hints []string) string {
	slices.Sort(hints)
	return suggest.Hint(slices.Compact(hints))
}

// typeName is the name of T, looking through pointers, or "" for types
// without a name.
func typeName(t reflect.Type) string {
	for t != nil && t.Kind() == reflect.Pointer {
		t = t.Elem()
	}
	if t == nil {
		return ""
	}
	name := t.Name()
	if i := strings.IndexByte(name, '['); i >= 0 {
		name = name[:i]
	}
	return name
}

// checkIDField reports an error when values of type t can never carry the
// ID property: a struct with no field encoded under that name. Types that
// encode themselves, and maps, are trusted.
func checkIDField(t reflect.Type, idProp string) error {
	for t.Kind() == reflect.Pointer {
		t = t.Elem()
	}
	if t.Kind() != reflect.Struct || encodesItself(t) {
		return nil
	}
	if slices.ContainsFunc(bind.JSONFields(t), func(f bind.JSONField) bool { return f.Name == idProp }) {
		return nil
	}
	return fmt.Errorf("persist: type %s has no field encoded as %q, the model's ID property", t, idProp)
}

var marshalerType = reflect.TypeFor[interface{ MarshalJSON() ([]byte, error) }]()

func encodesItself(t reflect.Type) bool {
	return t.Implements(marshalerType) || reflect.PointerTo(t).Implements(marshalerType)
}
