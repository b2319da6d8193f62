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
