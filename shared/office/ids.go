package office

import (
	"crypto/sha256"
	"encoding/base32"
	"fmt"
	"strings"
)

// deterministicID is prefix + unpadded base32 of the first 12 bytes of
// sha256 of the parts joined by "|": a retry computes the same id and meets
// the stored item.
func deterministicID(prefix string, parts ...string) string {
	sum := sha256.Sum256([]byte(strings.Join(parts, "|")))
	return prefix + base32.StdEncoding.WithPadding(base32.NoPadding).EncodeToString(sum[:12])
}

// ReminderID names one meeting: subject, time (whole seconds, UTC), method
// and the person met.
func ReminderID(subject, at, method, role, name string) string {
	return deterministicID("M", subject, at, method, role, name)
}

// ObjectionID names the seq-th objection (from 0) to a record.
func ObjectionID(subject, recordID string, seq int) string {
	return deterministicID("O", subject, recordID, fmt.Sprint(seq))
}

// RepairID names the seq-th repair application (from 0) for a record.
func RepairID(subject, recordID string, seq int) string {
	return deterministicID("P", subject, recordID, fmt.Sprint(seq))
}
