package stackrun

import (
	"net"
	"strconv"
	"testing"
)

func TestTailBufferKeepsTheLastBytes(t *testing.T) {
	tests := []struct {
		name   string
		max    int
		writes []string
		want   string
	}{
		{"under the limit", 10, []string{"abc", "def"}, "abcdef"},
		{"over the limit", 4, []string{"abc", "def"}, "cdef"},
		{"a cut rune is dropped", 4, []string{"x", "日本"}, "本"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			b := NewTailBuffer(tc.max)
			for _, w := range tc.writes {
				if n, err := b.Write([]byte(w)); err != nil || n != len(w) {
					t.Fatalf("Write(%q) = %d, %v", w, n, err)
				}
			}
			if got := b.String(); got != tc.want {
				t.Errorf("String() = %q, want %q", got, tc.want)
			}
		})
	}
	var nilBuf *TailBuffer
	if nilBuf.String() != "" {
		t.Error("a nil buffer is not empty")
	}
}

func TestFreePortsAreFreeAndDistinct(t *testing.T) {
	ports, err := FreePorts(4)
	if err != nil {
		t.Fatal(err)
	}
	seen := map[int]bool{}
	for _, p := range ports {
		if seen[p] {
			t.Fatalf("port %d twice in %v", p, ports)
		}
		seen[p] = true
		l, err := net.Listen("tcp", net.JoinHostPort("127.0.0.1", strconv.Itoa(p)))
		if err != nil {
			t.Fatalf("port %d is not free: %v", p, err)
		}
		l.Close()
	}
	base, err := FreeRange(3)
	if err != nil {
		t.Fatal(err)
	}
	if base < 20000 || base+3 > 50000 {
		t.Errorf("FreeRange = %d, outside 20000-50000", base)
	}
}
