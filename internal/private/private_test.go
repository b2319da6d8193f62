package private_test

import (
	"sync"
	"testing"

	"github.com/klue-go/klue-client-server/internal/private"
	"github.com/klue-go/klue-client-server/klue"
)

func TestLoadMakesOneValue(t *testing.T) {
	t.Parallel()
	var s private.Slot
	made := 0
	var wg sync.WaitGroup
	got := make([]*int, 8)
	for i := range got {
		wg.Go(func() {
			got[i] = private.Load(&s, func() *int { made++; return new(int) })
		})
	}
	wg.Wait()
	for _, p := range got {
		if p != got[0] {
			t.Fatal("callers got different values")
		}
	}
	if made != 1 {
		t.Errorf("init ran %d times", made)
	}
}

func TestPoolStateIsPerPool(t *testing.T) {
	t.Parallel()
	a, b := klue.NewPool(), klue.NewPool()
	if private.PoolState(a) == private.PoolState(b) {
		t.Error("two pools share their state")
	}
	if first, again := private.PoolState(a), private.PoolState(a); first != again {
		t.Error("a pool's state changes between calls")
	}
}

func TestRegisterTwicePanics(t *testing.T) {
	t.Parallel()
	defer func() {
		if recover() == nil {
			t.Error("a second Register (package klue made the first) did not panic")
		}
	}()
	private.Register(private.Access{})
}
