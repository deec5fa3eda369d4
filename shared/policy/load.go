package policy

import (
	"bytes"
	_ "embed"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"slices"
	"strings"

	"github.com/suixian-psb/credit/shared/platform"
)

//go:embed default.json
var defaultDoc []byte

// DefaultDocument returns a copy of the embedded policy document.
func DefaultDocument() []byte { return bytes.Clone(defaultDoc) }

// Default parses the embedded policy. Each call returns a fresh value, so a
// caller (a test) may change it without affecting others.
func Default() (*Policy, error) {
	p, err := Parse(defaultDoc)
	if err != nil {
		return nil, fmt.Errorf("embedded policy: %w", err)
	}
	return p, nil
}

// MustDefault is Default for tests and fixtures; it panics on a broken
// embedded document, which the package's own tests rule out.
func MustDefault() *Policy {
	p, err := Default()
	if err != nil {
		panic(err)
	}
	return p
}

// LoadFile reads and validates a policy document from a file.
func LoadFile(path string) (*Policy, error) {
	return platform.DocumentFile(path, "policy", Parse)
}

// FromEnv loads the file named by POLICY_FILE when it is set, else the
// embedded default. A set but unreadable or invalid file is an error: a
// deployment that asked for its own policy never silently gets the default.
func FromEnv() (*Policy, error) {
	return platform.DocumentFromEnv(platform.EnvPolicyFile, "policy", Parse, Default)
}

// presence catches switches left out of a document: a missing bool would
// decode as false and silently change the rules, so each must be explicit.
type presence struct {
	Escalation *bool `json:"escalation"`
	Disclosure *struct {
		HonourRoll     *bool `json:"honour_roll"`
		NaturalPersons *bool `json:"natural_persons"`
	} `json:"disclosure"`
}

// Parse decodes and validates a policy document. Unknown fields, trailing
// data, missing switches and invalid values are errors naming the field.
func Parse(b []byte) (*Policy, error) {
	dec := json.NewDecoder(bytes.NewReader(b))
	dec.DisallowUnknownFields()
	var p Policy
	if err := dec.Decode(&p); err != nil {
		return nil, fmt.Errorf("decode policy: %w", err)
	}
	if _, err := dec.Token(); !errors.Is(err, io.EOF) {
		return nil, errors.New("decode policy: unexpected data after the document")
	}
	var pr presence
	if err := json.Unmarshal(b, &pr); err != nil {
		return nil, fmt.Errorf("decode policy: %w", err)
	}
	var missing []error
	if pr.Escalation == nil {
		missing = append(missing, errors.New("escalation: required (true or false)"))
	}
	if pr.Disclosure == nil || pr.Disclosure.HonourRoll == nil {
		missing = append(missing, errors.New("disclosure.honour_roll: required (true or false)"))
	}
	if pr.Disclosure == nil || pr.Disclosure.NaturalPersons == nil {
		missing = append(missing, errors.New("disclosure.natural_persons: required (true or false)"))
	}
	errs := append(missing, p.validate()...)
	if len(errs) > 0 {
		// Maps are walked in random order; sort so the message is stable.
		slices.SortFunc(errs, func(a, b error) int { return strings.Compare(a.Error(), b.Error()) })
		return nil, fmt.Errorf("invalid policy %q: %w", p.Version, errors.Join(errs...))
	}
	return &p, nil
}
