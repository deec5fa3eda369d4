package bench

import (
	"bufio"
	"bytes"
	"context"
	"fmt"
	"os/exec"
	"regexp"
	"strconv"
)

// GradingResult is shared/grading's BenchmarkGrade for one history size.
type GradingResult struct {
	Records        int     `json:"records"`
	SubjectsPerSec float64 `json:"subjects_per_second"`
	NsPerOp        float64 `json:"ns_per_op"`
	AllocsPerOp    float64 `json:"allocs_per_op"`
}

var reBench = regexp.MustCompile(`^BenchmarkGrade/records=(\d+)\S*\s+\d+\s+([0-9.]+) ns/op(.*)$`)
var reMetric = regexp.MustCompile(`([0-9.]+) (subjects/s|allocs/op)`)

// MeasureGrading runs the package's own benchmark (go test -bench) in root
// and reads its lines.
func MeasureGrading(ctx context.Context, root, benchtime string) ([]GradingResult, error) {
	cmd := exec.CommandContext(ctx, "go", "test", "-count=1", "-run", "^$", "-bench", "^BenchmarkGrade$",
		"-benchmem", "-benchtime", benchtime, "./shared/grading")
	cmd.Dir = root
	out, err := cmd.CombinedOutput()
	if err != nil {
		return nil, fmt.Errorf("go test -bench BenchmarkGrade: %v\n%s", err, out)
	}
	return ParseGradingBench(out)
}

// ParseGradingBench reads BenchmarkGrade's output lines.
func ParseGradingBench(out []byte) ([]GradingResult, error) {
	var res []GradingResult
	sc := bufio.NewScanner(bytes.NewReader(out))
	for sc.Scan() {
		m := reBench.FindStringSubmatch(sc.Text())
		if m == nil {
			continue
		}
		r := GradingResult{}
		r.Records, _ = strconv.Atoi(m[1])
		r.NsPerOp, _ = strconv.ParseFloat(m[2], 64)
		for _, mm := range reMetric.FindAllStringSubmatch(m[3], -1) {
			v, _ := strconv.ParseFloat(mm[1], 64)
			switch mm[2] {
			case "subjects/s":
				r.SubjectsPerSec = round(v, 0)
			case "allocs/op":
				r.AllocsPerOp = v
			}
		}
		if r.SubjectsPerSec == 0 && r.NsPerOp > 0 {
			r.SubjectsPerSec = round(1e9/r.NsPerOp, 0)
		}
		res = append(res, r)
	}
	if len(res) == 0 {
		return nil, fmt.Errorf("no BenchmarkGrade lines in:\n%s", out)
	}
	return res, nil
}
