package reports

import (
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"strconv"
	"time"
)

// RateWindow is the length of one counting window.
const RateWindow = time.Minute

// counterLifetime is how long after its window a counter item may be kept
// (TTL cleanup; the window start in its key makes old counters harmless).
const counterLifetime = time.Hour

// sourceHash is the keyed hash of a caller's IP address: HMAC-SHA256 with
// the platform's hash secret, domain-separated from subject ids, 128 bits in
// hex. The IP itself is never stored or logged.
func sourceHash(key []byte, ip string) string {
	m := hmac.New(sha256.New, key)
	m.Write([]byte("report-source-ip:"))
	m.Write([]byte(ip))
	return hex.EncodeToString(m.Sum(nil)[:16])
}

// window is the start of the window holding now, and the whole seconds
// until the next one (at least 1), for Retry-After.
func window(now time.Time) (start time.Time, retryAfter string) {
	start = now.UTC().Truncate(RateWindow)
	secs := int(start.Add(RateWindow).Sub(now).Seconds() + 0.999)
	return start, strconv.Itoa(max(secs, 1))
}
