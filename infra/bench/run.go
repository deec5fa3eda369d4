// Package bench measures the platform on a local stack it starts itself
// (`make bench`, infra/cmd/bench): intake latency against a bare PutItem,
// the lag from a POST to the grade and to the public page, the grading
// engine, a bulk regrade after a policy change against a bare Scan, the
// expiry job's reads, cold starts and package sizes, and the requests,
// units and money per posted record. The fault suite (infra/faults) uses
// its stack and fixtures too.
package bench

import (
	"context"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"time"

	"github.com/suixian-psb/credit/infra/cfn"
)

// Options size the run.
type Options struct {
	Posts, Warmup    int    // intake
	LagSubjects      int    // lag
	RegradeSubjects  int    // bulk regrade
	ExpiryRecords    int    // expiry (of which ExpiryDue leave the window)
	ExpiryDue        int    //
	ReplayRecords    int    // cost replay
	GradingBenchtime string // go test -benchtime
	Log              io.Writer
}

// Defaults are the sizes `make bench` uses.
func Defaults() Options {
	return Options{Posts: 300, Warmup: 20, LagSubjects: 20, RegradeSubjects: 2000, ExpiryRecords: 100_000, ExpiryDue: 100,
		ReplayRecords: 1000, GradingBenchtime: "1s", Log: os.Stderr}
}

// Machine says where the figures were taken.
type Machine struct {
	CPUs     int    `json:"cpus"`
	CPUModel string `json:"cpu_model"`
	OS       string `json:"os"`
	Go       string `json:"go"`
}

// Results is everything one run measured.
type Results struct {
	Date       string          `json:"date"`
	Machine    Machine         `json:"machine"`
	StackStart float64         `json:"stack_start_seconds"`
	Intake     IntakeResult    `json:"intake"`
	Lag        LagResult       `json:"lag"`
	Grading    []GradingResult `json:"grading"`
	Regrade    RegradeResult   `json:"bulk_regrade"`
	Expiry     ExpiryResult    `json:"expiry"`
	ColdStarts []ColdStart     `json:"cold_starts"`
	Lambda     []LambdaUse     `json:"lambda"`
	Replay     Replay          `json:"replay"`
	Costs      []MonthlyCost   `json:"monthly_costs"`
	Prices     any             `json:"prices"`
	Seconds    float64         `json:"seconds"`
}

// Run measures everything on one stack and stops it.
func Run(ctx context.Context, o Options) (*Results, error) {
	began := time.Now()
	logf := func(format string, a ...any) {
		if o.Log != nil {
			fmt.Fprintf(o.Log, "bench: "+format+"\n", a...)
		}
	}
	res := &Results{Date: time.Now().Format("2006-01-02"), Machine: ThisMachine(), Prices: Prices}
	root, err := cfn.FindRoot()
	if err != nil {
		return nil, err
	}
	tpl, err := cfn.Load(filepath.Join(root, "template.yaml"))
	if err != nil {
		return nil, err
	}
	fns := tpl.Functions()
	memory := map[string]int{}
	for _, f := range fns {
		memory[f.LogicalID] = f.MemorySize
	}

	logf("grading engine (go test -bench BenchmarkGrade) …")
	if res.Grading, err = MeasureGrading(ctx, root, o.GradingBenchtime); err != nil {
		return res, err
	}

	logf("starting the local stack (builds the bootstraps first) …")
	t := time.Now()
	s, err := StartStack(ctx, StackOptions{Now: "2027-03-01T10:00:00+08:00"})
	if err != nil {
		return res, err
	}
	defer s.Stop()
	res.StackStart = round(time.Since(t).Seconds(), 1)

	mark := s.Reports.Len()
	logf("intake: %d posts after %d warm-up …", o.Posts, o.Warmup)
	if res.Intake, err = MeasureIntake(ctx, s, o.Posts, o.Warmup, 50); err != nil {
		return res, fmt.Errorf("intake: %w\n%s", err, s.Output())
	}
	logf("lag: %d subjects …", o.LagSubjects)
	if res.Lag, err = MeasureLag(ctx, s, o.LagSubjects, 20*time.Millisecond); err != nil {
		return res, fmt.Errorf("lag: %w\n%s", err, s.Output())
	}
	// Let the stream functions finish what the posts started.
	time.Sleep(3 * s.Poll)
	posted := o.Posts + o.Warmup + 3*o.LagSubjects
	res.Lambda = LambdaUsage(s.Reports.Since(mark), posted, memory)

	logf("cold starts: each function under a fresh emulator, and arm64 builds …")
	fresh, err := MeasureFreshStarts(ctx, s, tpl, fns)
	if err != nil {
		return res, fmt.Errorf("cold starts: %w", err)
	}
	armDir, err := os.MkdirTemp("", "credit-bench-arm64-")
	if err != nil {
		return res, err
	}
	defer os.RemoveAll(armDir)
	arm, err := BuildArm64(ctx, root, armDir, fns)
	if err != nil {
		return res, err
	}
	res.ColdStarts = ColdStarts(fns, arm, s.BinDir, fresh, s.Reports.Since(mark))

	logf("bulk regrade: %d subjects …", o.RegradeSubjects)
	if res.Regrade, err = MeasureRegradeAll(ctx, s.Dynamo, o.RegradeSubjects); err != nil {
		return res, fmt.Errorf("bulk regrade: %w", err)
	}
	logf("cost replay: %d records …", o.ReplayRecords)
	if res.Replay, err = MeasureReplay(ctx, s.Dynamo, o.ReplayRecords, max(1, o.ReplayRecords*2/5)); err != nil {
		return res, fmt.Errorf("cost replay: %w", err)
	}
	logf("expiry: %d records, %d due (loading takes a while) …", o.ExpiryRecords, o.ExpiryDue)
	if res.Expiry, err = MeasureExpiry(ctx, s.Dynamo, o.ExpiryRecords, o.ExpiryDue); err != nil {
		return res, fmt.Errorf("expiry: %w", err)
	}
	for _, sc := range Scales {
		res.Costs = append(res.Costs, Monthly(sc, res.Replay, res.Expiry, res.Lambda, memory["ExpireFunction"]))
	}
	if err := s.Stop(); err != nil {
		return res, fmt.Errorf("stopping the stack: %w", err)
	}
	res.Seconds = round(time.Since(began).Seconds(), 0)
	return res, nil
}

// ThisMachine reads the CPU count and model.
func ThisMachine() Machine {
	m := Machine{CPUs: runtime.NumCPU(), OS: runtime.GOOS + "/" + runtime.GOARCH, Go: runtime.Version()}
	if b, err := os.ReadFile("/proc/cpuinfo"); err == nil {
		for _, line := range strings.Split(string(b), "\n") {
			if k, v, ok := strings.Cut(line, ":"); ok && strings.TrimSpace(k) == "model name" {
				m.CPUModel = strings.TrimSpace(v)
				break
			}
		}
	}
	return m
}
