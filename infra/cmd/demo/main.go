// Command demo posts a realistic synthetic sample through the running
// local stack's API (`make demo`): fifteen firms, associations and persons
// spread over A, B, C and unrated, posted by clerks of two units and by
// the credit office, with tokens it mints itself with the local key. It
// then waits for the stream to grade them and prints each grade next to
// the one the rules give.
package main

import (
	"bytes"
	"encoding/json"
	"flag"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"os"
	"time"

	"github.com/suixian-psb/credit/infra/localstack"
	"github.com/suixian-psb/credit/shared/domain"
)

func main() {
	api := flag.String("api", "http://127.0.0.1:3000", "the local stack's API")
	stateDir := flag.String("state-dir", "", "the local stack's state dir (default <root>/.local)")
	wait := flag.Duration("wait", 30*time.Second, "how long to wait for the grades")
	flag.Parse()
	if err := run(*api, *stateDir, *wait, os.Stdout); err != nil {
		fmt.Fprintln(os.Stderr, "demo:", err)
		os.Exit(1)
	}
}

type client struct {
	api    string
	tokens map[poster]string
	http   *http.Client
}

func (c *client) do(method, path string, by poster, body any) (int, []byte, error) {
	var r io.Reader
	if body != nil {
		b, err := json.Marshal(body)
		if err != nil {
			return 0, nil, err
		}
		r = bytes.NewReader(b)
	}
	req, err := http.NewRequest(method, c.api+path, r)
	if err != nil {
		return 0, nil, err
	}
	if tok := c.tokens[by]; tok != "" {
		req.Header.Set("Authorization", "Bearer "+tok)
	}
	req.Header.Set("Content-Type", "application/json")
	resp, err := c.http.Do(req)
	if err != nil {
		return 0, nil, fmt.Errorf("%s %s: %w (is the local stack running? make run)", method, path, err)
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	return resp.StatusCode, b, err
}

func run(api, stateDir string, wait time.Duration, out io.Writer) error {
	keys, err := localstack.LoadStateKeys(stateDir)
	if err != nil {
		return err
	}
	c := &client{api: api, tokens: map[poster]string{}, http: &http.Client{Timeout: 60 * time.Second}}
	for _, p := range []poster{clerk1, clerk2, office} {
		tok, err := localstack.MintToken(keys.Signing, localstack.Identity{Unit: p.Unit, Role: p.Role}, time.Now(), time.Hour)
		if err != nil {
			return err
		}
		c.tokens[p] = tok
	}

	// Date the sample by the stack's clock (it may run with -now).
	status, b, err := c.do("GET", "/_local/clock", poster{}, nil)
	if err != nil {
		return err
	}
	var clock struct{ Today string }
	if status != 200 || json.Unmarshal(b, &clock) != nil {
		return fmt.Errorf("/_local/clock: %d %s", status, b)
	}
	today, err := domain.ParseDate(clock.Today)
	if err != nil {
		return err
	}
	fmt.Fprintf(out, "Posting the synthetic sample to %s (the stack's today: %s)\n", api, today)

	subjects := dataset(today)
	ids := make([]string, len(subjects))
	for i, s := range subjects {
		for _, p := range s.Posts {
			status, b, err := c.do("POST", p.Path, p.By, p.Body)
			if err != nil {
				return err
			}
			switch status {
			case http.StatusCreated, http.StatusOK:
			case http.StatusConflict:
				fmt.Fprintf(out, "  %s: %s already posted with other content (409), kept as it is\n", s.Label, p.Path)
			default:
				return fmt.Errorf("%s: POST %s: %d %s", s.Label, p.Path, status, b)
			}
			var res struct {
				SubjectID string `json:"subject_id"`
			}
			if json.Unmarshal(b, &res) == nil && res.SubjectID != "" {
				ids[i] = res.SubjectID
			}
		}
	}

	// The grades come from the table's stream: wait for them, bounded.
	fmt.Fprintf(out, "\n%-44s %-8s %-8s\n", "subject", "expected", "graded")
	deadline := time.Now().Add(wait)
	mismatches := 0
	for i, s := range subjects {
		level := ""
		for {
			level = gradeOf(c, ids[i])
			if level == s.Expect || time.Now().After(deadline) {
				break
			}
			time.Sleep(200 * time.Millisecond)
		}
		mark := ""
		if level != s.Expect {
			mark = "  ← differs"
			mismatches++
		}
		fmt.Fprintf(out, "%-44s %-8s %-8s%s\n", s.Label, s.Expect, orDash(level), mark)
	}
	fmt.Fprintf(out, "\nBrowse: GET %s/v1/subjects?level=C (token: make token ROLE=office UNIT=%s); public pages: the site URL printed by make run.\n", api, unitOffice)
	if mismatches > 0 {
		return fmt.Errorf("%d subjects are not graded as expected", mismatches)
	}
	return nil
}

// gradeOf reads a subject's level ("" while not graded yet).
func gradeOf(c *client, id string) string {
	if id == "" {
		return ""
	}
	status, b, err := c.do("GET", "/v1/subjects/"+url.PathEscape(id), office, nil)
	if err != nil || status != http.StatusOK {
		return ""
	}
	var v struct {
		Grade *struct {
			Level string `json:"level"`
		} `json:"grade"`
	}
	if json.Unmarshal(b, &v) != nil || v.Grade == nil {
		return ""
	}
	return v.Grade.Level
}

func orDash(s string) string {
	if s == "" {
		return "—"
	}
	return s
}
