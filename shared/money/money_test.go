package money

import (
	"math"
	"testing"
)

func TestFormats(t *testing.T) {
	tests := []struct {
		name            string
		fen             int64
		yuan, plain, wn string
	}{
		{"zero", 0, "0.00", "0.00", "0"},
		{"one fen", 1, "0.01", "0.01", "0.000001"},
		{"five fen", 5, "0.05", "0.05", "0.000005"},
		{"one yuan", 100, "1.00", "1.00", "0.0001"},
		{"thousands", 123456, "1,234.56", "1234.56", "0.123456"},
		{"just under one wan", 999999, "9,999.99", "9999.99", "0.999999"},
		{"one wan", 1000000, "10,000.00", "10000.00", "1"},
		{"mixed", 12345678, "123,456.78", "123456.78", "12.345678"},
		{"fifty wan", 50_000_000, "500,000.00", "500000.00", "50"},
		{"fifty wan and a fen", 50_000_001, "500,000.01", "500000.01", "50.000001"},
		{"trailing zeros dropped", 1234500000, "12,345,000.00", "12345000.00", "1234.5"},
		{"billion", 100_000_000_000, "1,000,000,000.00", "1000000000.00", "100000"},
		{"negative", -1234, "-12.34", "-12.34", "-0.001234"},
		{"most negative", math.MinInt64, "-92,233,720,368,547,758.08", "-92233720368547758.08", "-9223372036854.775808"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			if got := Yuan(tc.fen); got != tc.yuan {
				t.Errorf("Yuan(%d) = %q, want %q", tc.fen, got, tc.yuan)
			}
			if got := PlainYuan(tc.fen); got != tc.plain {
				t.Errorf("PlainYuan(%d) = %q, want %q", tc.fen, got, tc.plain)
			}
			if got := Wan(tc.fen); got != tc.wn {
				t.Errorf("Wan(%d) = %q, want %q", tc.fen, got, tc.wn)
			}
		})
	}
}
