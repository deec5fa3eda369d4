package reports

import (
	"testing"

	"github.com/suixian-psb/credit/shared/testenv"
)

func TestMain(m *testing.M) { testenv.Main(m) }
