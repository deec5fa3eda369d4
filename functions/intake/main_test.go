package main

import (
	"strings"
	"testing"

	"github.com/suixian-psb/credit/shared/platform"
)

func TestBuildNeedsTableAndHashKey(t *testing.T) {
	t.Setenv(platform.EnvTableName, "")
	if _, err := build(t.Context()); err == nil || !strings.Contains(err.Error(), platform.EnvTableName) {
		t.Fatalf("err %v", err)
	}
	t.Setenv(platform.EnvTableName, "t")
	t.Setenv(platform.EnvHashKey, "")
	if _, err := build(t.Context()); err == nil || !strings.Contains(err.Error(), platform.EnvHashKey) {
		t.Fatalf("err %v", err)
	}
}
