package supervision

import (
	"crypto/rand"
	"crypto/sha256"
	"encoding/binary"
	"encoding/hex"
	"fmt"
	"io"
	"math"
	randv2 "math/rand/v2"
)

// seedDomain separates this use of SHA-256 from any other, so the same seed
// string typed elsewhere gives unrelated numbers.
const seedDomain = "suixian-psb/credit supervision draw v1\x00"

// stream is the draw's deterministic source of numbers: math/rand/v2's PCG
// (128-bit LCG with DXSM output; its stream for a given seed is fixed by
// the algorithm, and pcg_test.go pins it) seeded from SHA-256 of the seed
// string. Only PCG.Uint64 is used; bounded numbers are made here rather than
// with rand.Rand's helpers so the whole mapping is ours and documented.
type stream struct{ pcg *randv2.PCG }

func newStream(seed string) stream {
	sum := sha256.Sum256([]byte(seedDomain + seed))
	return stream{randv2.NewPCG(binary.BigEndian.Uint64(sum[0:8]), binary.BigEndian.Uint64(sum[8:16]))}
}

// below returns a uniform integer in [0, n) by rejection: a 64-bit value v
// is accepted when v < n·⌊2^64/n⌋ and mapped to v mod n; otherwise the next
// value is taken. n must be positive.
func (s stream) below(n int) int {
	if n <= 0 {
		panic("supervision: below needs a positive bound")
	}
	u := uint64(n)
	limit := math.MaxUint64 - (math.MaxUint64%u+1)%u // largest multiple of u, minus one
	for {
		v := s.pcg.Uint64()
		if v <= limit {
			return int(v % u)
		}
	}
}

// NewSeed returns a fresh 128-bit seed as 32 hex digits, read from r
// (crypto/rand.Reader when r is nil). The seed is chosen before the draw
// and published with the plan, so nobody can pick a convenient one after
// seeing the result.
func NewSeed(r io.Reader) (string, error) {
	if r == nil {
		r = rand.Reader
	}
	var b [16]byte
	if _, err := io.ReadFull(r, b[:]); err != nil {
		return "", fmt.Errorf("new seed: %w", err)
	}
	return hex.EncodeToString(b[:]), nil
}
