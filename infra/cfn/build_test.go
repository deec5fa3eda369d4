package cfn

import (
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
)

// Every function of the template can be built by `sam build`: the Makefile
// has its build-<LogicalId> target, which cross-compiles the function's own
// folder for provided.al2023 on arm64 into $(ARTIFACTS_DIR)/bootstrap.
func TestMakefileBuildsEveryFunction(t *testing.T) {
	tpl := mustDefault(t)
	root, err := FindRoot()
	if err != nil {
		t.Fatal(err)
	}
	artifacts := filepath.Join(t.TempDir(), "artifacts")
	for _, f := range tpl.Functions() {
		t.Run(f.LogicalID, func(t *testing.T) {
			cmd := exec.Command("make", "-n", "--no-print-directory", "build-"+f.LogicalID, "ARTIFACTS_DIR="+artifacts)
			cmd.Dir = root
			cmd.Env = makeEnv()
			out, err := cmd.CombinedOutput()
			if err != nil {
				t.Fatalf("make -n build-%s: %v\n%s", f.LogicalID, err, out)
			}
			recipe := string(out)
			for _, want := range []string{
				"CGO_ENABLED=0", "GOOS=linux", "GOARCH=arm64", "-tags lambda.norpc", "-trimpath",
				"-o " + artifacts + "/bootstrap", "./" + f.Dir(),
			} {
				if !strings.Contains(recipe, want) {
					t.Errorf("recipe lacks %q:\n%s", want, recipe)
				}
			}
		})
	}
}

// The sam targets refuse to run without ARTIFACTS_DIR rather than writing
// /bootstrap.
func TestMakefileSamTargetNeedsArtifactsDir(t *testing.T) {
	root, err := FindRoot()
	if err != nil {
		t.Fatal(err)
	}
	cmd := exec.Command("make", "-n", "build-IntakeFunction")
	cmd.Dir = root
	cmd.Env = append(makeEnv(), "ARTIFACTS_DIR=")
	out, err := cmd.CombinedOutput()
	if err == nil || !strings.Contains(string(out), "ARTIFACTS_DIR is not set") {
		t.Errorf("want a refusal, got err=%v:\n%s", err, out)
	}
}

// Each function's folder holds its main package.
func TestFunctionFoldersExist(t *testing.T) {
	tpl := mustDefault(t)
	root, err := FindRoot()
	if err != nil {
		t.Fatal(err)
	}
	for _, f := range tpl.Functions() {
		b, err := os.ReadFile(filepath.Join(root, f.Dir(), "main.go"))
		if err != nil {
			t.Errorf("%s: %v", f.LogicalID, err)
			continue
		}
		if !strings.Contains(string(b), "package main") || !strings.Contains(string(b), "lambda.Start") {
			t.Errorf("%s/main.go is not a Lambda main package", f.Dir())
		}
	}
}

// makeEnv is the environment without the settings of an enclosing make
// (make test runs these tests), so the child make reads only the Makefile.
func makeEnv() []string {
	var env []string
	for _, kv := range os.Environ() {
		if strings.HasPrefix(kv, "MAKEFLAGS=") || strings.HasPrefix(kv, "MFLAGS=") || strings.HasPrefix(kv, "MAKELEVEL=") || strings.HasPrefix(kv, "ARTIFACTS_DIR=") {
			continue
		}
		env = append(env, kv)
	}
	return env
}
