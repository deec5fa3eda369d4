package main

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"strings"
	"time"

	"github.com/suixian-psb/credit/shared/api"
)

// client posts decisions to the intake API.
type client struct {
	base    string
	token   string
	http    *http.Client
	retries int
	backoff time.Duration
}

// outcome of one post.
type outcome int

const (
	outcomeCreated  outcome = iota // 201
	outcomeExisting                // 200: the API's idempotency, nothing imported twice
	outcomeRefused                 // 4xx: the problems are returned
)

// post sends one decision. 4xx answers are final and come back as
// problems; 5xx, 429 and network errors are retried with backoff and then
// returned as an error.
func (c *client) post(ctx context.Context, req api.DecisionRequest) (outcome, []api.Problem, error) {
	body, err := json.Marshal(req)
	if err != nil {
		return 0, nil, err
	}
	var last error
	for attempt := 0; attempt <= c.retries; attempt++ {
		if attempt > 0 {
			select {
			case <-ctx.Done():
				return 0, nil, ctx.Err()
			case <-time.After(c.backoff * time.Duration(1<<(attempt-1))):
			}
		}
		hr, err := http.NewRequestWithContext(ctx, http.MethodPost, strings.TrimRight(c.base, "/")+"/v1/decisions", bytes.NewReader(body))
		if err != nil {
			return 0, nil, err
		}
		hr.Header.Set("Content-Type", "application/json")
		hr.Header.Set("Authorization", "Bearer "+c.token)
		resp, err := c.http.Do(hr)
		if err != nil {
			last = err
			continue
		}
		raw, _ := io.ReadAll(io.LimitReader(resp.Body, 1<<20))
		resp.Body.Close()
		switch {
		case resp.StatusCode == http.StatusCreated:
			return outcomeCreated, nil, nil
		case resp.StatusCode == http.StatusOK:
			return outcomeExisting, nil, nil
		case resp.StatusCode == http.StatusTooManyRequests || resp.StatusCode >= 500:
			last = fmt.Errorf("HTTP %d", resp.StatusCode)
			continue
		}
		var eb struct {
			Errors []api.Problem `json:"errors"`
			Error  *api.Problem  `json:"error"`
		}
		if json.Unmarshal(raw, &eb) != nil || (len(eb.Errors) == 0 && eb.Error == nil) {
			return outcomeRefused, []api.Problem{{Code: fmt.Sprintf("http_%d", resp.StatusCode), MessageZH: "接口拒绝了该文书", MessageEN: fmt.Sprintf("the API answered HTTP %d", resp.StatusCode)}}, nil
		}
		if len(eb.Errors) == 0 {
			eb.Errors = []api.Problem{*eb.Error}
		}
		return outcomeRefused, eb.Errors, nil
	}
	return 0, nil, fmt.Errorf("after %d attempts: %w", c.retries+1, last)
}
