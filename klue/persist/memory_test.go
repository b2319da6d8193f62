package persist_test

import (
	"testing"

	"github.com/klue-go/klue-client-server/klue/persist"
	"github.com/klue-go/klue-client-server/klue/persist/persisttest"
)

func TestMemoryConformance(t *testing.T) {
	t.Parallel()
	persisttest.Run(t, func(*testing.T) persist.Backend { return persist.NewMemory() })
}

func TestMemoryZeroValue(t *testing.T) {
	t.Parallel()
	var shared persist.Memory
	persisttest.Run(t, func(*testing.T) persist.Backend { return &shared })
}

// One Memory shared by the stores of two pools stands for two instances.
func TestMemoryShared(t *testing.T) {
	t.Parallel()
	mem := persist.NewMemory()
	persisttest.RunShared(t, mem, mem)
}
