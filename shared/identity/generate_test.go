package identity

import (
	"math/rand/v2"
	"testing"

	"github.com/suixian-psb/credit/shared/domain"
)

// randomFirst16 draws positions 1-16 of a credit code: digits at 3-8, the
// GB 32100 alphabet elsewhere.
func randomFirst16(r *rand.Rand) string {
	b := make([]byte, 16)
	for i := range b {
		if i >= 2 && i < 8 {
			b[i] = byte('0' + r.IntN(10))
		} else {
			b[i] = creditAlphabet[r.IntN(len(creditAlphabet))]
		}
	}
	return string(b)
}

func TestMakeCreditCodeValidatesAndMutationsFail(t *testing.T) {
	r := rand.New(rand.NewPCG(1, 2))
	v := CreditCodeValidator{}
	for n := 0; n < 100; n++ {
		code := MakeCreditCode(randomFirst16(r))
		if err := v.Validate(code); err != nil {
			t.Fatalf("generated code %s: %v", code, err)
		}
		for i := 0; i < len(code); i++ {
			for _, c := range []byte(creditAlphabet) {
				if c == code[i] {
					continue
				}
				m := code[:i] + string(c) + code[i+1:]
				if v.Validate(m) == nil {
					t.Fatalf("mutation of %s at position %d to %c validates", code, i+1, c)
				}
			}
		}
	}
}

func TestMakeCreditCodeReproducesRealCodes(t *testing.T) {
	for _, c := range realCreditCodes {
		if got := MakeCreditCode(c[:16]); got != c {
			t.Errorf("MakeCreditCode(%s) = %s, want %s", c[:16], got, c)
		}
	}
}

func TestMakeResidentIDValidatesAndMutationsFail(t *testing.T) {
	r := rand.New(rand.NewPCG(3, 4))
	today := domain.MustDate("2026-12-04")
	for n := 0; n < 100; n++ {
		birth := domain.MustDate("1900-01-01").AddDays(r.IntN(45000))
		first17 := "411523" + birth.Time().Format("20060102") + string([]byte{byte('0' + r.IntN(10)), byte('0' + r.IntN(10)), byte('0' + r.IntN(10))})
		id := MakeResidentID(first17)
		if err := ValidateResidentID(id, today); err != nil {
			t.Fatalf("generated ID: %v", err)
		}
		for i := 0; i < len(id); i++ {
			for _, c := range []byte("0123456789X") {
				if c == id[i] {
					continue
				}
				m := id[:i] + string(c) + id[i+1:]
				if ValidateResidentID(m, today) == nil {
					t.Fatalf("mutation at position %d to %c validates", i+1, c)
				}
			}
		}
	}
	if got := MakeResidentID("11010519491231002"); got != "11010519491231002X" {
		t.Errorf("MakeResidentID(GB 11643 example) = %s, want 11010519491231002X", got)
	}
}

func TestGeneratorsPanicOnBadInput(t *testing.T) {
	tests := []struct {
		name string
		f    func()
	}{
		{"credit code too short", func() { MakeCreditCode("91350100M000100") }},
		{"credit code letter I", func() { MakeCreditCode("91350100M00010I0") }},
		{"credit code letter in division", func() { MakeCreditCode("913501A0M0001000") }},
		{"resident ID too long", func() { MakeResidentID("110105194912310021") }},
		{"resident ID letter", func() { MakeResidentID("1101051949123100A") }},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			defer func() {
				if recover() == nil {
					t.Fatal("no panic")
				}
			}()
			tc.f()
		})
	}
}

func TestMakeCreditCodeAcceptsLowerCase(t *testing.T) {
	got := MakeCreditCode("91350100m000100y")
	if got != "91350100M000100Y43" {
		t.Fatalf("MakeCreditCode(lower) = %s", got)
	}
	if err := (CreditCodeValidator{}).Validate(got); err != nil {
		t.Fatal(err)
	}
}
