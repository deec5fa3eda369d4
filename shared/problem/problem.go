// Package problem is the platform's refusal format, shared by the HTTP
// functions (shared/api, shared/reports) and the workflows behind them
// (shared/office), which cannot import shared/api: a Problem is one thing
// wrong with a request, an Error a refusal with its HTTP status and every
// problem found. shared/api renders them ({"error": first, "errors": all}).
package problem

import (
	"net/http"
	"strings"
)

// Problem is one thing wrong with a request: a stable code, a message in
// Chinese and English, and the request field it concerns ("" for the
// request as a whole). Messages are constants (or carry only values the
// platform computed), never the input value.
type Problem struct {
	Code      string `json:"code"`
	MessageZH string `json:"message_zh"`
	MessageEN string `json:"message_en"`
	Field     string `json:"field,omitempty"`
}

// At returns a copy of p naming field.
func (p Problem) At(field string) Problem {
	p.Field = field
	return p
}

func (p Problem) Error() string {
	if p.Field != "" {
		return p.Field + ": " + p.Code
	}
	return p.Code
}

// Error is a refusal with its HTTP status and every problem found.
type Error struct {
	Status     int
	Problems   []Problem
	RetryAfter string // seconds, for 503
}

func (e *Error) Error() string {
	parts := make([]string, len(e.Problems))
	for i, p := range e.Problems {
		parts[i] = p.Error()
	}
	return http.StatusText(e.Status) + ": " + strings.Join(parts, "; ")
}

// Refuse is a refusal with status and the problems found.
func Refuse(status int, ps ...Problem) *Error { return &Error{Status: status, Problems: ps} }
