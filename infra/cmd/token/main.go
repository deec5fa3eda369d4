// Command token prints a JWT the local HTTP front accepts, signed with the
// local stack's key (`make token UNIT=411422-PCS-01 ROLE=clerk`). Use it as
// "Authorization: Bearer <token>".
package main

import (
	"flag"
	"fmt"
	"os"
	"time"

	"github.com/suixian-psb/credit/infra/localstack"
)

func main() {
	unit := flag.String("unit", "", "unit code, e.g. 411422-PCS-01 (claim custom:unit)")
	role := flag.String("role", "", "clerk | office | auditor (claim custom:role)")
	user := flag.String("user", "", "user name (claim cognito:username; default <role>@<unit>)")
	ttl := flag.Duration("ttl", 12*time.Hour, "validity")
	stateDir := flag.String("state-dir", "", "the local stack's state dir (default <root>/.local)")
	flag.Parse()
	if err := run(*unit, *role, *user, *ttl, *stateDir); err != nil {
		fmt.Fprintln(os.Stderr, "token:", err)
		os.Exit(2)
	}
}

func run(unit, role, user string, ttl time.Duration, stateDir string) error {
	switch role {
	case "clerk", "office", "auditor":
	default:
		return fmt.Errorf("-role must be clerk, office or auditor (got %q)", role)
	}
	if unit == "" {
		return fmt.Errorf("-unit is required")
	}
	keys, err := localstack.LoadStateKeys(stateDir)
	if err != nil {
		return err
	}
	tok, err := localstack.MintToken(keys.Signing, localstack.Identity{Unit: unit, Role: role, User: user}, time.Now(), ttl)
	if err != nil {
		return err
	}
	fmt.Println(tok)
	return nil
}
