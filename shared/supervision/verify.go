package supervision

import (
	"fmt"
	"reflect"
	"slices"
)

// DifferenceError says where a stored plan and its re-draw first differ.
type DifferenceError struct {
	Field  string // e.g. "result[3].inspectors[1]"
	Stored string
	Redraw string
}

func (e *DifferenceError) Error() string {
	return fmt.Sprintf("plan does not match its re-draw at %s: stored %s, re-drawn %s / 计划与重新抽取结果不一致：%s",
		e.Field, e.Stored, e.Redraw, e.Field)
}

// Verify re-runs the draw from the inputs stored in the plan and compares.
// It returns nil when the stored plan is exactly what the inputs give, a
// *DifferenceError naming the first difference otherwise, or another error
// when the stored inputs cannot be drawn at all.
func Verify(p Plan) error {
	if p.Format != FormatVersion {
		return fmt.Errorf("verify plan: format %d, this tool reads format %d", p.Format, FormatVersion)
	}
	if p.Algorithm != Algorithm {
		return fmt.Errorf("verify plan: algorithm %q, this tool implements %q", p.Algorithm, Algorithm)
	}
	again, err := Draw(p.Input())
	if err != nil {
		return fmt.Errorf("verify plan: re-draw: %w", err)
	}
	// Snapshots a tamperer reordered or edited are caught here too: Draw
	// returns them in canonical order.
	checks := []struct {
		field  string
		stored any
		redraw any
	}{
		{"inspectors_per_subject", p.InspectorsPerSubject, again.InspectorsPerSubject},
		{"subjects", p.Subjects, again.Subjects},
		{"roster", p.Roster, again.Roster},
		{"counts", p.Counts, again.Counts},
	}
	for _, c := range checks {
		if !reflect.DeepEqual(c.stored, c.redraw) {
			return &DifferenceError{Field: c.field, Stored: fmt.Sprintf("%+v", c.stored), Redraw: fmt.Sprintf("%+v", c.redraw)}
		}
	}
	if d := diffResult(p.Result, again.Result); d != nil {
		return d
	}
	if p.Digest != again.Digest {
		return &DifferenceError{Field: "digest", Stored: p.Digest, Redraw: again.Digest}
	}
	return nil
}

func diffResult(stored, redraw []Assignment) *DifferenceError {
	for i := range max(len(stored), len(redraw)) {
		if i >= len(stored) {
			return &DifferenceError{Field: fmt.Sprintf("result[%d]", i), Stored: "(missing)", Redraw: string(redraw[i].SubjectID)}
		}
		if i >= len(redraw) {
			return &DifferenceError{Field: fmt.Sprintf("result[%d]", i), Stored: string(stored[i].SubjectID), Redraw: "(missing)"}
		}
		a, b := stored[i], redraw[i]
		f := fmt.Sprintf("result[%d]", i)
		if a.SubjectID != b.SubjectID {
			return &DifferenceError{Field: f + ".subject_id", Stored: string(a.SubjectID), Redraw: string(b.SubjectID)}
		}
		if a.Level != b.Level {
			return &DifferenceError{Field: f + ".level", Stored: string(a.Level), Redraw: string(b.Level)}
		}
		if !slices.Equal(a.Inspectors, b.Inspectors) {
			for j := range max(len(a.Inspectors), len(b.Inspectors)) {
				sa, sb := "(missing)", "(missing)"
				if j < len(a.Inspectors) {
					sa = a.Inspectors[j]
				}
				if j < len(b.Inspectors) {
					sb = b.Inspectors[j]
				}
				if sa != sb {
					return &DifferenceError{Field: fmt.Sprintf("%s.inspectors[%d]", f, j), Stored: sa, Redraw: sb}
				}
			}
		}
		if !reflect.DeepEqual(a.Conflicts, b.Conflicts) {
			return &DifferenceError{Field: f + ".conflicts", Stored: fmt.Sprintf("%+v", a.Conflicts), Redraw: fmt.Sprintf("%+v", b.Conflicts)}
		}
	}
	return nil
}
