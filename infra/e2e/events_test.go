package e2e

import (
	"encoding/json"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"testing"
)

// TestEventSamplesThroughTheEmulator invokes every events/*.json against
// its function's real bootstrap under the emulator and checks that the
// function does not fail. A sample's function is named by the file name's
// first word (intake-post-decision.json → functions/intake).
func TestEventSamplesThroughTheEmulator(t *testing.T) {
	requireStack(t)
	root, tpl := template(t)
	byName := map[string]string{}
	for _, f := range tpl.Functions() {
		byName[f.Name] = f.LogicalID
	}
	files, _ := filepath.Glob(filepath.Join(root, "events", "*.json"))
	if len(files) == 0 {
		t.Fatal("no events/*.json: every function has sample events")
	}
	// Writes first, so the reads and stream samples find data.
	sort.SliceStable(files, func(i, j int) bool {
		return strings.Contains(files[i], "-post-") && !strings.Contains(files[j], "-post-")
	})
	for _, file := range files {
		name := filepath.Base(file)
		t.Run(name, func(t *testing.T) {
			prefix, _, _ := strings.Cut(strings.TrimSuffix(name, ".json"), "-")
			fn, ok := byName[prefix]
			if !ok {
				t.Fatalf("no function named %q in template.yaml for %s", prefix, name)
			}
			requireRunning(t, fn)
			event, err := os.ReadFile(file)
			if err != nil {
				t.Fatal(err)
			}
			status, out := call(t, "POST", "/_local/invoke/"+fn, "", event)
			if status != 200 {
				t.Fatalf("%s failed on %s: %d %s", fn, name, status, out)
			}
			var resp map[string]any
			if err := json.Unmarshal(out, &resp); err != nil {
				// A non-object answer (e.g. null) is not an error.
				return
			}
			if _, isErr := resp["errorMessage"]; isErr {
				t.Fatalf("%s returned an error: %s", fn, out)
			}
			if code, ok := resp["statusCode"].(float64); ok && code >= 500 {
				t.Fatalf("%s answered %v: %s", fn, code, out)
			}
			if fails, ok := resp["batchItemFailures"].([]any); ok && len(fails) > 0 {
				t.Fatalf("%s reported failed records: %s", fn, out)
			}
		})
	}
}
