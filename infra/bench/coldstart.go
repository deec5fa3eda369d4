package bench

import (
	"context"
	"fmt"
	"io"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"sort"
	"time"

	"github.com/suixian-psb/credit/infra/cfn"
	"github.com/suixian-psb/credit/infra/localstack"
	"github.com/suixian-psb/credit/infra/localstack/stackrun"
)

// ColdStart is one function's package size and start-up under the Lambda
// Runtime Interface Emulator.
type ColdStart struct {
	Function    string  `json:"function"`
	MemoryMB    int     `json:"memory_mb"`
	ArmBytes    int64   `json:"arm64_bootstrap_bytes"`  // as sam build makes it (-s -w)
	NativeBytes int64   `json:"native_bootstrap_bytes"` // what the local stack runs
	ColdMS      float64 `json:"cold_start_ms"`          // fresh emulator start → first answer
	FirstMS     float64 `json:"first_invoke_ms"`        // REPORT Duration of that first invocation
	WarmMS      float64 `json:"warm_invoke_ms"`         // REPORT Duration of the second
	StackP50MS  float64 `json:"stack_p50_ms"`           // median REPORT Duration during the stack phases
	Invocations int     `json:"stack_invocations"`
}

// BuildArm64 builds every function as `sam build` does (Makefile
// build-<LogicalId>) into dir and returns the sizes by logical id.
func BuildArm64(ctx context.Context, root, dir string, fns []cfn.Function) (map[string]int64, error) {
	sizes := map[string]int64{}
	for _, f := range fns {
		out := filepath.Join(dir, f.Name, "bootstrap")
		cmd := exec.CommandContext(ctx, "go", "build", "-tags", "lambda.norpc", "-trimpath", "-ldflags=-s -w", "-o", out, "./functions/"+f.Name)
		cmd.Dir = root
		cmd.Env = append(os.Environ(), "CGO_ENABLED=0", "GOOS=linux", "GOARCH=arm64")
		if b, err := cmd.CombinedOutput(); err != nil {
			return sizes, fmt.Errorf("arm64 build of %s: %v\n%s", f.Name, err, b)
		}
		st, err := os.Stat(out)
		if err != nil {
			return sizes, err
		}
		sizes[f.LogicalID] = st.Size()
	}
	return sizes, nil
}

// FreshStart is one function started cold under its own emulator.
type FreshStart struct {
	ColdMS    float64 // emulator process start → first answer (process, Go runtime, main's set-up, first invoke)
	FirstMS   float64 // the first invocation's own Duration (REPORT)
	WarmMS    float64 // the second invocation's Duration (REPORT)
	Answered  bool
	ReportErr string
}

// MeasureFreshStarts starts each function's native bootstrap under a new
// Runtime Interface Emulator with the environment the stack gives it (the
// stack's database and S3 server), invokes it twice with an empty event
// and reads the emulator's REPORT lines. The emulator starts the bootstrap
// at its own start, so its "Init Duration" is ~0 and the cold figure is
// taken from the outside instead: from starting the emulator process to
// the first answer.
func MeasureFreshStarts(ctx context.Context, s *Stack, tpl *cfn.Template, fns []cfn.Function) (map[string]FreshStart, error) {
	rie, err := localstack.EnsureRIE(ctx, s.Root, s.BinDir)
	if err != nil {
		return nil, err
	}
	dep := localstack.Deployment{Region: StackRegion, DynamoEndpoint: s.Dynamo, S3Endpoint: s.S3, PublicBaseURL: s.Site,
		Keys: s.Keys, ClockOffset: s.ClockOffset}
	resolver, err := dep.Resolver(tpl)
	if err != nil {
		return nil, err
	}
	out := map[string]FreshStart{}
	for _, f := range fns {
		bin := filepath.Join(s.BinDir, f.Name, "bootstrap")
		if _, err := os.Stat(bin); err != nil {
			continue
		}
		env, _ := dep.FunctionEnv(f, resolver)
		fs, err := freshStart(ctx, rie, bin, env)
		if err != nil {
			return out, fmt.Errorf("%s: %w", f.LogicalID, err)
		}
		out[f.LogicalID] = fs
	}
	return out, nil
}

func freshStart(ctx context.Context, rie, bin string, env map[string]string) (FreshStart, error) {
	var fs FreshStart
	ports, err := stackrun.FreePorts(2)
	if err != nil {
		return fs, err
	}
	addr, apiAddr := fmt.Sprintf("127.0.0.1:%d", ports[0]), fmt.Sprintf("127.0.0.1:%d", ports[1])
	cmd := exec.Command(rie, "--runtime-interface-emulator-address", addr, "--runtime-api-address", apiAddr, bin)
	cmd.Dir = filepath.Dir(bin)
	for k, v := range env {
		cmd.Env = append(cmd.Env, k+"="+v)
	}
	reports := &Reports{}
	cmd.Stdout = reports
	cmd.Stderr = io.Discard
	start := time.Now()
	child, err := localstack.StartChild("bench-fresh", cmd, "", nil)
	if err != nil {
		return fs, err
	}
	defer child.Stop(2 * time.Second)
	url := "http://" + addr + "/2015-03-31/functions/function/invocations"
	c := &http.Client{Timeout: 60 * time.Second}
	for {
		st, _, err := stackrun.DoHTTP(ctx, c, "POST", url, "", []byte(`{}`))
		if err == nil && st == 200 {
			break
		}
		if time.Since(start) > 30*time.Second {
			return fs, fmt.Errorf("no answer 30 s after start: %d %v", st, err)
		}
		time.Sleep(2 * time.Millisecond)
	}
	fs.ColdMS = ms(time.Since(start))
	fs.Answered = true
	if _, _, err := stackrun.DoHTTP(ctx, c, "POST", url, "", []byte(`{}`)); err != nil {
		return fs, err
	}
	// The REPORT line follows the answer.
	for i := 0; i < 100 && reports.Len() < 2; i++ {
		time.Sleep(10 * time.Millisecond)
	}
	invs := reports.All()
	if len(invs) >= 2 {
		fs.FirstMS, fs.WarmMS = invs[0].DurationMS, invs[1].DurationMS
	}
	return fs, nil
}

// ColdStarts puts the sizes, the fresh starts and the stack's REPORT
// lines together.
func ColdStarts(fns []cfn.Function, arm map[string]int64, binDir string, fresh map[string]FreshStart, invs []Invocation) []ColdStart {
	by := map[string][]Invocation{}
	for _, inv := range invs {
		by[inv.Function] = append(by[inv.Function], inv)
	}
	var out []ColdStart
	for _, f := range fns {
		c := ColdStart{Function: f.LogicalID, MemoryMB: f.MemorySize, ArmBytes: arm[f.LogicalID]}
		if st, err := os.Stat(filepath.Join(binDir, f.Name, "bootstrap")); err == nil {
			c.NativeBytes = st.Size()
		}
		fs := fresh[f.LogicalID]
		c.ColdMS, c.FirstMS, c.WarmMS = fs.ColdMS, fs.FirstMS, fs.WarmMS
		list := by[f.LogicalID]
		c.Invocations = len(list)
		var d []time.Duration
		for _, inv := range list {
			d = append(d, time.Duration(inv.DurationMS*float64(time.Millisecond)))
		}
		c.StackP50MS = Percentile(d, 50)
		out = append(out, c)
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Function < out[j].Function })
	return out
}
