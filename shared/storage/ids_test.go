package storage

import (
	"regexp"
	"testing"
	"time"

	"github.com/suixian-psb/credit/shared/domain"
)

func TestRecordID(t *testing.T) {
	id := RecordID("U1", domain.KindDecision, "D-1")
	if !regexp.MustCompile(`^R[A-Z2-7]{20}$`).MatchString(id) {
		t.Errorf("id %q: want R + 20 base32 characters", id)
	}
	if again := RecordID("U1", domain.KindDecision, "D-1"); again != id {
		t.Errorf("not deterministic: %s, %s", id, again)
	}
	others := []struct {
		name            string
		unit, kind, doc string
	}{
		{"other unit", "U2", "decision", "D-1"},
		{"other kind", "U1", "commitment_violation", "D-1"},
		{"other number", "U1", "decision", "D-2"},
		{"separator shifted", "U1|decision", "", "D-1"},
	}
	for _, o := range others {
		if got := RecordID(o.unit, domain.RecordKind(o.kind), o.doc); got == id {
			t.Errorf("%s: same id %s", o.name, got)
		}
	}
}

func TestContentHash(t *testing.T) {
	type ab struct {
		A int    `json:"a"`
		B string `json:"b"`
	}
	type ba struct {
		B string `json:"b"`
		A int    `json:"a"`
	}
	if ContentHash(ab{1, "x"}) != ContentHash(ba{"x", 1}) {
		t.Error("field order changes the hash")
	}
	if ContentHash(ab{1, "x"}) != ContentHash(map[string]any{"b": "x", "a": 1}) {
		t.Error("struct and map of the same content differ")
	}
	if ContentHash(ab{1, "x"}) == ContentHash(ab{2, "x"}) {
		t.Error("different content, same hash")
	}
	big := map[string]int64{"fen": 9007199254740993} // beyond float64 precision
	if ContentHash(big) == ContentHash(map[string]int64{"fen": 9007199254740992}) {
		t.Error("int64 amounts lost precision")
	}
}

func TestRecordContentHashIgnoresPlatformFields(t *testing.T) {
	base := decision("S1", "U1", "D-1", domain.MustDate("2027-05-01"))
	h := RecordContentHash(base)
	same := base
	same.ID, same.Status, same.RequestID, same.ContentHash = "RX", domain.StatusRevoked, "req-9", "x"
	same.CreatedAt = base.CreatedAt.Add(time.Hour)
	same.CreatedBy.User = "other officer"
	same.History = []domain.StatusChange{{To: domain.StatusRevoked}}
	if RecordContentHash(same) != h {
		t.Error("platform-set fields change the content hash")
	}
	diff := base
	diff.CreatedBy.Unit = "U9"
	if RecordContentHash(diff) == h {
		t.Error("the posting unit does not change the content hash")
	}
}
