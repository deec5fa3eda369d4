package localstack

import (
	"path/filepath"

	"github.com/suixian-psb/credit/infra/cfn"
)

// LoadStateKeys loads the keys of a stack's state dir, "" being the
// stack's default (<module root>/.local): the tools that mint tokens for a
// running stack (make token, make demo) find its signing key this way.
func LoadStateKeys(stateDir string) (*Keys, error) {
	if stateDir == "" {
		root, err := cfn.FindRoot()
		if err != nil {
			return nil, err
		}
		stateDir = filepath.Join(root, ".local")
	}
	return LoadKeys(filepath.Join(stateDir, "keys"))
}
