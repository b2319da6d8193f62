package persist_test

import (
	"errors"
	"strings"
	"testing"

	"github.com/klue-go/klue-client-server/klue"
	"github.com/klue-go/klue-client-server/klue/kluetest"
	"github.com/klue-go/klue-client-server/klue/persist"
)

type (
	User struct {
		ID    string `json:"id"`
		Email string `json:"email"`
		Name  string `json:"name,omitempty"`
	}
	Account struct {
		ID string `json:"id"`
	}
	Profile struct {
		ID string `json:"id"`
	}
	Secret struct {
		ID string `json:"id"`
	}
	Usr struct {
		ID string `json:"id"`
	}
	Thing struct {
		ThingID string `json:"thing_id"`
	}
	Counter struct {
		ID int `json:"id"`
		N  int `json:"n"`
	}
	// NoID has no field for the ID property.
	NoID struct {
		Key string `json:"key"`
	}
	// Embedded carries its ID in an embedded struct, as encoding/json
	// writes it.
	Embedded struct {
		Base
		Email string `json:"email"`
	}
	Base struct {
		ID string `json:"id"`
	}
)

// newShop returns a pool with the test specs: "shop" (Swagger 2.0) and
// "public" (OpenAPI 3, added WithoutPersistence when off is true).
func newShop(t *testing.T, off bool) *klue.Pool {
	t.Helper()
	pool := klue.NewPool()
	kluetest.Add(t, pool, "shop", klue.File("testdata/shop.yaml"))
	var opts []klue.Option
	if off {
		opts = append(opts, klue.WithoutPersistence())
	}
	if err := pool.Add("public", klue.File("testdata/public.yaml"), opts...); err != nil {
		t.Fatal(err)
	}
	return pool
}

func TestFor(t *testing.T) {
	t.Parallel()
	cases := []struct {
		name string
		off  bool
		get  func(*klue.Pool) (result, error)
		want result
	}{
		{"by type name", false, get[User](), result{store: "users", idProp: "id", api: "shop"}},
		{"only the x-persist one of two", false, get[User](), result{store: "users", idProp: "id", api: "shop"}},
		{"store and id from the spec", false, get[Thing](), result{store: "things", idProp: "thing_id", api: "shop"}},
		{"x-persist true names the store after the model", false, getK[Counter, int](), result{store: "counter", idProp: "id", api: "shop"}},
		{"integer IDs need an integer type", false, get[Counter](), result{err: `model "Counter" has integer IDs (its property "id"), not string: use persist.ForKey[persist_test.Counter, int64]`}},
		{"string IDs need a string type", false, getK[User, int64](), result{err: `model "User" has string IDs (its property "id"), not int64: use persist.For[persist_test.User]`}},
		{"pointer type", false, get[*User](), result{store: "users", idProp: "id", api: "shop"}},
		{"embedded ID field", false, get[Embedded](persist.WithModel("User")), result{store: "users", idProp: "id", api: "shop"}},
		{"map value", false, get[map[string]any](persist.WithModel("User")), result{store: "users", idProp: "id", api: "shop"}},
		{"WithAPI settles an ambiguity", false, get[Profile](persist.WithAPI("public")), result{store: "public_profiles", idProp: "id", api: "public"}},
		{"not x-persist", false, get[Account](), result{err: `model "Account" has no store: it is not marked x-persist in API "shop"`}},
		{"not x-persist in the API asked for", false, get[User](persist.WithAPI("public")), result{err: `not marked x-persist in API "public"`}},
		{"ambiguous", false, get[Profile](), result{err: `model "Profile" is persisted by APIs "shop" and "public": choose one with persist.WithAPI`}},
		{"WithoutPersistence", true, get[Secret](), result{err: `API "public" was added WithoutPersistence`}},
		{"WithoutPersistence removes an ambiguity", true, get[Profile](), result{store: "profiles", idProp: "id", api: "shop"}},
		{"unknown model", false, get[Usr](), result{err: `no API of the pool has a model "Usr" (did you mean "User"?)`}},
		{"unknown model in an API", false, get[User](persist.WithAPI("shop"), persist.WithModel("Acount")), result{err: `has no model "Acount" (did you mean "Account"?)`}},
		{"unknown API", false, get[User](persist.WithAPI("shpo")), result{err: `no API "shpo" (did you mean "shop"?)`}},
		{"no field for the ID", false, get[NoID](persist.WithModel("User")), result{err: `type persist_test.NoID has no field encoded as "id"`}},
		{"unnamed type", false, get[struct{ ID string }](), result{err: "has no name: name the model with persist.WithModel"}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			t.Parallel()
			pool := newShop(t, c.off)
			if err := persist.Use(pool, persist.NewMemory()); err != nil {
				t.Fatal(err)
			}
			got, err := c.get(pool)
			if c.want.err != "" {
				if err == nil || !strings.Contains(err.Error(), c.want.err) || !strings.HasPrefix(err.Error(), "persist: ") {
					t.Fatalf("error = %v, want one with %q", err, c.want.err)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if got != c.want {
				t.Fatalf("store = %+v, want %+v", got, c.want)
			}
		})
	}
}

// result is what TestFor checks of a store, or a part of the error For
// returned.
type result struct {
	store, idProp, api string
	err                string
}

func get[T any](opts ...persist.Option) func(*klue.Pool) (result, error) {
	return getK[T, string](opts...)
}

func getK[T any, K persist.ID](opts ...persist.Option) func(*klue.Pool) (result, error) {
	return func(pool *klue.Pool) (result, error) {
		s, err := persist.ForKey[T, K](pool, opts...)
		if err != nil {
			return result{}, err
		}
		return result{store: s.Name(), idProp: s.IDProperty(), api: s.Model().API().Name()}, nil
	}
}

func TestForWithoutBackend(t *testing.T) {
	t.Parallel()
	pool := newShop(t, false)
	if _, err := persist.For[User](pool); err == nil || !strings.Contains(err.Error(), "persist.Use") {
		t.Fatalf("For without a backend: %v, want an error naming persist.Use", err)
	}
	s, err := persist.For[User](pool, persist.WithBackend(persist.NewMemory()))
	if err != nil || s.Name() != "users" {
		t.Fatalf("For WithBackend: %v", err)
	}
	if _, err := persist.For[User](nil); err == nil {
		t.Fatal("For(nil): no error")
	}
}

func TestUse(t *testing.T) {
	t.Parallel()
	pool := newShop(t, false)
	a, b := persist.NewMemory(), persist.NewMemory()
	if err := persist.Use(pool, a); err != nil {
		t.Fatal(err)
	}
	if err := persist.Use(pool, a); err != nil {
		t.Fatalf("binding the same backend again: %v", err)
	}
	if err := persist.Use(pool, b); err == nil {
		t.Fatal("binding a second backend: no error")
	}
	if err := persist.Use(pool, nil); err == nil {
		t.Fatal("binding nil: no error")
	}
	// Each pool has its own binding.
	other := newShop(t, false)
	if err := persist.Use(other, b); err != nil {
		t.Fatalf("binding b to another pool: %v", err)
	}
	users, err := persist.For[User](pool)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := users.Create(t.Context(), User{ID: "u1", Email: "a@b.c"}); err != nil {
		t.Fatal(err)
	}
	if _, err := a.Load(t.Context(), "users", "u1"); err != nil {
		t.Fatalf("the record is not in the bound backend: %v", err)
	}
	if _, err := b.Load(t.Context(), "users", "u1"); !errors.Is(err, persist.ErrNotFound) {
		t.Fatalf("the record leaked into another pool's backend: %v", err)
	}
}
