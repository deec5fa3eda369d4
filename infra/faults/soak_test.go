package faults

import (
	"context"
	"encoding/json"
	"fmt"
	"math/rand/v2"
	"net/http"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/suixian-psb/credit/infra/bench"
	"github.com/suixian-psb/credit/infra/localstack"
	"github.com/suixian-psb/credit/infra/localstack/stackrun"
	"github.com/suixian-psb/credit/shared/api"
	"github.com/suixian-psb/credit/shared/domain"
	"github.com/suixian-psb/credit/shared/storage"
)

// The soak tests (SOAK=1, make soak) run through a local stack each starts
// on free ports: the real bootstraps under the emulator, the HTTP front
// with its authorizer, the stream pollers. Killing DynamoDB Local is not
// among them: the stack ends itself when a child dies (a crashed database
// is not something `make run` hides), so TestDynamoDBKilledDuringLoad
// kills a database of its own instead.

func startStack(t *testing.T) *stackrun.Stack {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Minute)
	defer cancel()
	s, err := stackrun.Start(ctx, stackrun.Options{Now: "2027-03-01T12:00:00+08:00", PollInterval: 100 * time.Millisecond})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		if t.Failed() {
			t.Logf("stack output (tail):\n%.20000s", s.Output())
		}
		if err := s.Stop(); err != nil {
			t.Error(err)
		}
	})
	return s
}

func token(t *testing.T, s *stackrun.Stack, unit, role string) string {
	t.Helper()
	tok, err := s.Token(unit, role)
	if err != nil {
		t.Fatal(err)
	}
	return tok
}

// TestSoakConcurrentPostsThroughStack: the 1,000 concurrent posts of 100
// documents through the HTTP front of a running stack.
func TestSoakConcurrentPostsThroughStack(t *testing.T) {
	requireSoak(t)
	s := startStack(t)
	tok := token(t, s, bench.Unit, "clerk")
	post := func(ctx context.Context, body []byte) (int, bench.Posted, error) {
		st, b, err := s.Do(ctx, "POST", "/v1/decisions", tok, body)
		var p bench.Posted
		if err == nil && st < 300 {
			err = json.Unmarshal(b, &p)
		}
		return st, p, err
	}
	start := time.Now()
	acks := postDuplicates(t, post, 100, 10, 16, 71)
	t.Logf("1,000 posts through the front in %s", time.Since(start).Round(time.Millisecond))
	client := bench.Client(s.Dynamo)
	checkDuplicates(t, acks, 100, countEntity(t, client, localstack.LocalTableName, storage.EntityRecord), func(subject, id string) error {
		st, b, err := s.Do(context.Background(), "GET", "/v1/records/"+id+"?subject="+subject, tok, nil)
		if err == nil && st != 200 {
			err = fmt.Errorf("GET record: %d %s", st, b)
		}
		return err
	})
}

// TestSoakMalformedThroughFront: 1,000 generated malformed requests
// through the HTTP front, with real tokens (missing, forged, expired,
// wrong role): no 5xx, every refusal in the platform's format, nothing
// stored.
func TestSoakMalformedThroughFront(t *testing.T) {
	requireSoak(t)
	s := startStack(t)
	expired, err := localstack.MintToken(s.Keys.Signing, localstack.Identity{Unit: bench.Unit, Role: "clerk"}, time.Now().Add(-3*time.Hour), time.Hour)
	if err != nil {
		t.Fatal(err)
	}
	badRole, err := localstack.MintToken(s.Keys.Signing, localstack.Identity{Unit: bench.Unit, Role: "admin"}, time.Now(), time.Hour)
	if err != nil {
		t.Fatal(err)
	}
	tokens := map[string]string{
		"clerk": token(t, s, bench.Unit, "clerk"), "office": token(t, s, "411422-OFFICE", "office"),
		"auditor": token(t, s, "411422-AUDIT", "auditor"), "none": "", "forged": "eyJhbGciOiJSUzI1NiJ9.e30.c2ln",
		"expired": expired, "nounit": badRole,
	}
	r := rand.New(rand.NewPCG(10, 2027))
	for i := range 1000 {
		c := generate(r, i)
		method, path := pathFor(c.route, c.params)
		var body []byte
		if method == http.MethodPost {
			body = c.body
			if body == nil {
				body = []byte{}
			}
		}
		st, b, err := s.Do(context.Background(), method, path, tokens[c.auth], body)
		if err != nil {
			t.Fatalf("case %d (%s): %v", i, c.kind, err)
		}
		if err := checkRefusal(c, st, b, c.auth != "none" && c.auth != "forged" && c.auth != "expired"); err != nil {
			t.Fatalf("case %d: %v", i, err)
		}
	}
	if n := countEntity(t, bench.Client(s.Dynamo), localstack.LocalTableName, storage.EntityRecord); n != 0 {
		t.Fatalf("%d records stored after malformed requests only", n)
	}
}

// TestSoakPoisonRecordOnStack: a record that makes RegradeFunction fail,
// put straight into the running stack's table, is retried within the
// template's bound and lands in <state>/dlq/RegradeFunction/; a subject
// posted meanwhile through the API is graded.
func TestSoakPoisonRecordOnStack(t *testing.T) {
	requireSoak(t)
	s := startStack(t)
	tok := token(t, s, bench.Unit, "clerk")
	putPoison(t, bench.Client(s.Dynamo), localstack.LocalTableName, bench.SubjectID(72, 1))
	st, b, err := s.Do(context.Background(), "POST", "/v1/decisions", tok,
		bench.DecisionBody(bench.CreditCode(72, 2), bench.DocNo("毒", 1), "2027-02-10", bench.Warning))
	if err != nil || st != 201 {
		t.Fatalf("POST: %d %s %v", st, b, err)
	}
	var p bench.Posted
	if err := json.Unmarshal(b, &p); err != nil {
		t.Fatal(err)
	}
	deadline := time.Now().Add(90 * time.Second)
	var files []string
	graded := false
	for {
		files, _ = filepath.Glob(filepath.Join(s.StateDir, "dlq", "RegradeFunction", "*.json"))
		if !graded {
			st, b, err := s.Do(context.Background(), "GET", "/v1/subjects/"+p.SubjectID, tok, nil)
			var v struct {
				Grade *struct {
					Level string `json:"level"`
				} `json:"grade"`
			}
			graded = err == nil && st == 200 && json.Unmarshal(b, &v) == nil && v.Grade != nil && v.Grade.Level == string(domain.LevelB)
		}
		if len(files) > 0 && graded {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("after 90 s: %d dead-letter files, other subject graded: %v", len(files), graded)
		}
		time.Sleep(200 * time.Millisecond)
	}
	if !strings.Contains(files[0], "RegradeFunction") {
		t.Fatalf("dead letter in %s", files[0])
	}
}

// TestSoakDeepNestingIsCheap: a body of nested arrays (about 20 KB, far
// under the size limit) must be refused quickly; the API's cost grows with
// the square of the depth, so a small request can burn most of a second of
// CPU.
func TestSoakDeepNestingIsCheap(t *testing.T) {
	requireSoak(t)
	st := &countingStore{Store: storage.NewMemory()}
	h, err := bench.NewHandler(st, clock, quiet)
	if err != nil {
		t.Fatal(err)
	}
	const depth = 9_999 // encoding/json refuses 10,000 and deeper at once
	body := []byte(strings.Repeat("[", depth) + strings.Repeat("]", depth))
	start := time.Now()
	resp, err := h.Handle(context.Background(), bench.Request(api.RoutePostDecision, clerk, body, nil, "deep"))
	el := time.Since(start)
	if err != nil || resp.StatusCode != 400 {
		t.Fatalf("%d %v", resp.StatusCode, err)
	}
	if el > 250*time.Millisecond {
		t.Fatalf("a %d-byte nested body took %s to refuse (want < 250 ms)", len(body), el.Round(time.Millisecond))
	}
}
