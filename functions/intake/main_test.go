package main

import (
	"strings"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"

	"github.com/suixian-psb/credit/shared/identity"
	"github.com/suixian-psb/credit/shared/platform"
)

func TestChooseSealer(t *testing.T) {
	cases := []struct {
		name, kmsKey, localKey string
		want                   string // type name, or "error"
	}{
		{"neither is a startup error", "", "", "error"},
		{"local key", "", strings.Repeat("ab", 32), "local"},
		{"KMS wins over the local key", "arn:aws:kms:cn-north-1:111122223333:key/k", strings.Repeat("ab", 32), "kms"},
		{"malformed local key", "", "zz", "error"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			t.Setenv(platform.EnvIdentityKeyID, tc.kmsKey)
			t.Setenv(platform.EnvLocalIdentityKey, tc.localKey)
			s, err := chooseSealer(aws.Config{Region: "cn-north-1"})
			got := "error"
			switch s.(type) {
			case *identity.LocalSealer:
				got = "local"
			case *identity.KMSSealer:
				got = "kms"
			}
			if err != nil {
				got = "error"
			}
			if got != tc.want {
				t.Fatalf("got %s (err %v), want %s", got, err, tc.want)
			}
		})
	}
}

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
