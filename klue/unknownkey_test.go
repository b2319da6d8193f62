package klue_test

import (
	"errors"
	"testing"

	"github.com/klue-go/klue-client-server/klue"
)

func TestUnknownAPIMessage(t *testing.T) {
	t.Parallel()
	pool := klue.NewPool()
	if err := pool.Add("public", klue.Bytes("public.yaml", []byte("swagger: '2.0'\ninfo: {title: t, version: '1'}\npaths: {}\n"))); err != nil {
		t.Fatal(err)
	}
	_, err := pool.API("publik")
	want := `klue: the pool has no API "publik" (did you mean "public"?)`
	if err == nil || err.Error() != want || !errors.Is(err, klue.ErrUnknownKey) {
		t.Errorf("error %v, want %s", err, want)
	}
}
