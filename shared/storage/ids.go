package storage

import (
	"bytes"
	"crypto/sha256"
	"encoding/base32"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"time"

	"github.com/suixian-psb/credit/shared/domain"
)

// RecordID is the deterministic id of a unit's document: concurrent retries
// of the same post compute the same id, so they meet on the same item.
// "R" + unpadded base32 of the first 12 bytes of sha256(unit|kind|documentNo).
func RecordID(unit string, kind domain.RecordKind, documentNo string) string {
	sum := sha256.Sum256([]byte(unit + "|" + string(kind) + "|" + documentNo))
	return "R" + base32.StdEncoding.WithPadding(base32.NoPadding).EncodeToString(sum[:12])
}

// ContentHash is the hex sha256 of v's canonical JSON (object keys sorted,
// no insignificant whitespace), so equal content hashes equally whatever the
// field order of the Go type or map iteration.
func ContentHash(v any) string {
	b, err := canonicalJSON(v)
	if err != nil {
		// Domain values always marshal; a value that does not is a bug, and
		// hashing its error text would silently equate different inputs.
		panic(fmt.Sprintf("storage.ContentHash: %v", err))
	}
	sum := sha256.Sum256(b)
	return hex.EncodeToString(sum[:])
}

// RecordContentHash hashes what a poster sent for a record: everything but
// the fields the platform sets itself (id, status, timestamps, request id,
// history, the hash). PutRecord uses it when rec.ContentHash is empty.
func RecordContentHash(rec domain.Record) string {
	rec.ID = ""
	rec.Status = ""
	rec.CreatedAt = time.Time{}
	rec.CreatedBy.User = ""
	rec.RequestID = ""
	rec.History = nil
	rec.ContentHash = ""
	return ContentHash(rec)
}

func canonicalJSON(v any) ([]byte, error) {
	raw, err := json.Marshal(v)
	if err != nil {
		return nil, err
	}
	dec := json.NewDecoder(bytes.NewReader(raw))
	dec.UseNumber() // keep int64 fen exact
	var generic any
	if err := dec.Decode(&generic); err != nil {
		return nil, err
	}
	// encoding/json writes map keys sorted, which makes the output canonical.
	return json.Marshal(generic)
}
