package persist_test

import (
	"errors"
	"testing"

	"github.com/klue-go/klue-client-server/klue/persist"
)

// TestLoadDecodesAsValidated: a stored document is decoded with the
// semantics it is validated with.
func TestLoadDecodesAsValidated(t *testing.T) {
	t.Parallel()
	users, mem := newUsers(t)
	ctx := t.Context()
	for _, tc := range []struct {
		id, data string
		want     *User
	}{
		{"folded", `{"id":"folded","email":"a@b.c","EMAIL":"nope","Name":"x"}`, &User{ID: "folded", Email: "a@b.c"}},
		{"folded-first", `{"Email":"nope","id":"folded-first","email":"a@b.c"}`, &User{ID: "folded-first", Email: "a@b.c"}},
		{"twice", `{"id":"twice","email":"a@b.c","email":"c@d.e"}`, nil},
		{"utf8", "{\"id\":\"utf8\",\"email\":\"a@b.c\",\"name\":\"\xff\"}", nil},
		{"surrogate", `{"id":"surrogate","email":"a@b.c","name":"\ud800"}`, nil},
	} {
		if err := mem.Save(ctx, "users", persist.Document{ID: tc.id, Data: []byte(tc.data)}); err != nil {
			t.Fatal(err)
		}
		rec, err := users.Load(ctx, tc.id)
		if tc.want == nil {
			if !errors.Is(err, persist.ErrCorrupt) {
				t.Errorf("%s: Load = %+v, %v; want ErrCorrupt", tc.id, rec, err)
			}
			continue
		}
		if err != nil || rec.Value != *tc.want {
			t.Errorf("%s: Load = %+v, %v; want %+v", tc.id, rec.Value, err, *tc.want)
		}
	}
}
