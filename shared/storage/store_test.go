package storage

import (
	"testing"

	"github.com/suixian-psb/credit/shared/testenv"
)

func TestMain(m *testing.M) { testenv.Main(m) }

func TestMemoryContract(t *testing.T) {
	t.Parallel()
	runStoreContract(t, func(*testing.T) Store { return NewMemory() })
}

func TestDynamoContract(t *testing.T) {
	t.Parallel()
	runStoreContract(t, func(t *testing.T) Store {
		client, table := testenv.NewTable(t)
		return NewDynamo(client, table)
	})
}
