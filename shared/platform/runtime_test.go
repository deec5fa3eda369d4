package platform

import (
	"strings"
	"testing"
	"time"
)

func TestLoad(t *testing.T) {
	tests := []struct {
		name, table, offset string
		wantErr             string // substring; "" for success
	}{
		{name: "table required", table: "", wantErr: EnvTableName},
		{name: "bad clock offset", table: "t", offset: "soon", wantErr: EnvClockOffset},
		{name: "table and shifted clock", table: "t", offset: "86400"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Setenv(EnvTableName, tc.table)
			t.Setenv(EnvClockOffset, tc.offset)
			rt, err := Load(t.Context())
			if tc.wantErr != "" {
				if err == nil || !strings.Contains(err.Error(), tc.wantErr) {
					t.Fatalf("err %v, want one containing %q", err, tc.wantErr)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if rt.Table != tc.table || rt.Logger == nil {
				t.Fatalf("runtime %+v", rt)
			}
			if ahead := time.Until(rt.Clock.Now()); ahead < 23*time.Hour {
				t.Fatalf("clock is %v ahead, want a day", ahead)
			}
		})
	}
}
