package bench

import (
	"bytes"
	"regexp"
	"strconv"
	"sync"
)

// Invocation is one REPORT line of the Lambda Runtime Interface Emulator:
// what Lambda itself would bill for an invocation.
type Invocation struct {
	Function   string
	InitMS     float64 // > 0 only on the first invocation of an environment
	DurationMS float64
	BilledMS   float64
	MemoryMB   int
}

// Reports collects the REPORT lines of the stack's output, which the stack
// prefixes with "[<LogicalId>] ".
type Reports struct {
	mu   sync.Mutex
	part []byte
	all  []Invocation
}

var (
	reReport = regexp.MustCompile(`^(?:\[([A-Za-z0-9]+)\] )?REPORT RequestId: `)
	reField  = regexp.MustCompile(`(Init Duration|Billed Duration|Duration|Memory Size): ([0-9.]+)`)
)

func (r *Reports) Write(p []byte) (int, error) {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.part = append(r.part, p...)
	for {
		i := bytes.IndexByte(r.part, '\n')
		if i < 0 {
			break
		}
		if inv, ok := ParseReport(string(r.part[:i])); ok {
			r.all = append(r.all, inv)
		}
		r.part = r.part[i+1:]
	}
	return len(p), nil
}

// ParseReport reads one REPORT line, prefixed with "[<LogicalId>] " by
// the stack or bare from an emulator run alone.
func ParseReport(line string) (Invocation, bool) {
	m := reReport.FindStringSubmatch(line)
	if m == nil {
		return Invocation{}, false
	}
	inv := Invocation{Function: m[1]}
	for _, f := range reField.FindAllStringSubmatch(line, -1) {
		v, err := strconv.ParseFloat(f[2], 64)
		if err != nil {
			return Invocation{}, false
		}
		switch f[1] {
		case "Init Duration":
			inv.InitMS = v
		case "Duration":
			inv.DurationMS = v
		case "Billed Duration":
			inv.BilledMS = v
		case "Memory Size":
			inv.MemoryMB = int(v)
		}
	}
	return inv, true
}

// Since returns the invocations recorded after the first n (a mark taken
// with Len), so a phase can be measured on its own.
func (r *Reports) Since(n int) []Invocation {
	r.mu.Lock()
	defer r.mu.Unlock()
	if n > len(r.all) {
		n = len(r.all)
	}
	return append([]Invocation(nil), r.all[n:]...)
}

// Len is the number of invocations recorded so far.
func (r *Reports) Len() int {
	r.mu.Lock()
	defer r.mu.Unlock()
	return len(r.all)
}

// All returns every invocation recorded.
func (r *Reports) All() []Invocation { return r.Since(0) }
