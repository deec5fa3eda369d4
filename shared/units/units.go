package units

import (
	"bytes"
	_ "embed"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"strings"

	"github.com/suixian-psb/credit/shared/platform"
)

//go:embed units.json
var defaultDoc []byte

// Unit is one entry of the registry document.
type Unit struct {
	Code   string `json:"code"`
	NameZH string `json:"name_zh"`
}

// Registry maps unit codes to names. The zero value and a nil *Registry
// know no unit (every name falls back to the code).
type Registry struct {
	version string
	units   []Unit
	byCode  map[string]string
}

type document struct {
	Version string `json:"version"`
	Units   []Unit `json:"units"`
}

// Parse decodes and validates a registry document: a version, at least one
// unit, every code and name non-empty (after trimming) and codes unique.
// Unknown fields and trailing data are errors, so a misspelt key is caught
// at startup rather than showing codes on the pages.
func Parse(b []byte) (*Registry, error) {
	dec := json.NewDecoder(bytes.NewReader(b))
	dec.DisallowUnknownFields()
	var doc document
	if err := dec.Decode(&doc); err != nil {
		return nil, fmt.Errorf("decode units: %w", err)
	}
	if _, err := dec.Token(); !errors.Is(err, io.EOF) {
		return nil, errors.New("decode units: unexpected data after the document")
	}
	if strings.TrimSpace(doc.Version) == "" {
		return nil, errors.New("units: version is required")
	}
	if len(doc.Units) == 0 {
		return nil, errors.New("units: the document lists no unit")
	}
	r := &Registry{version: doc.Version, byCode: make(map[string]string, len(doc.Units))}
	for i, u := range doc.Units {
		u.Code, u.NameZH = strings.TrimSpace(u.Code), strings.TrimSpace(u.NameZH)
		switch {
		case u.Code == "":
			return nil, fmt.Errorf("units[%d]: code is required", i)
		case u.NameZH == "":
			return nil, fmt.Errorf("units[%d] %s: name_zh is required", i, u.Code)
		}
		if _, dup := r.byCode[u.Code]; dup {
			return nil, fmt.Errorf("units[%d]: duplicate code %s", i, u.Code)
		}
		r.byCode[u.Code] = u.NameZH
		r.units = append(r.units, u)
	}
	return r, nil
}

// Default is the embedded registry.
func Default() (*Registry, error) { return Parse(defaultDoc) }

// LoadFile reads and validates a registry document from a file.
func LoadFile(path string) (*Registry, error) {
	return platform.DocumentFile(path, "units", Parse)
}

// FromEnv is the registry named by UNITS_FILE, or the embedded one when the
// variable is unset. A file that cannot be read or does not validate is an
// error: a function should fail at cold start, not publish codes.
func FromEnv() (*Registry, error) {
	return platform.DocumentFromEnv(platform.EnvUnitsFile, "units", Parse, Default)
}

// NameZH is the unit's Chinese name, or the code itself when the registry
// does not know it (or is nil): a missing unit never stops a page or a feed
// line from being written.
func (r *Registry) NameZH(code string) string {
	if r != nil {
		if n, ok := r.byCode[strings.TrimSpace(code)]; ok {
			return n
		}
	}
	return code
}

// Known reports whether the registry lists the code.
func (r *Registry) Known(code string) bool {
	if r == nil {
		return false
	}
	_, ok := r.byCode[strings.TrimSpace(code)]
	return ok
}

// Version is the document's version string.
func (r *Registry) Version() string {
	if r == nil {
		return ""
	}
	return r.version
}

// Units lists the registry's units in document order.
func (r *Registry) Units() []Unit {
	if r == nil {
		return nil
	}
	return append([]Unit(nil), r.units...)
}
