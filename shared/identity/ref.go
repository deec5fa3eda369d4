package identity

import (
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/suixian-psb/credit/shared/domain"
)

// Field names reported by ValidateRef, as they appear in request bodies.
const (
	FieldType           = "subject.type"
	FieldName           = "subject.name"
	FieldCreditCode     = "subject.credit_code"
	FieldIDNumber       = "subject.id_number"
	FieldOtherDocument  = "subject.other_document"
	FieldDocumentKind   = "subject.other_document.kind"
	FieldDocumentNumber = "subject.other_document.number"
)

// MaxNameRunes bounds a subject's name; the longest registered enterprise
// names are well under 100 characters.
const MaxNameRunes = 200

// ValidateRef returns every problem of a subject reference, each an *Error
// with its Field set, or nil when the reference is valid. The identifier is
// validated by the subject type (a credit code for legal persons and
// organisations, an ID number or other document for natural persons); an
// identifier that does not belong to the type is itself a problem, so a
// request cannot smuggle an ID number into a legal person's profile.
// today is the current Asia/Shanghai date (for the birth date check).
func ValidateRef(ref domain.SubjectRef, today domain.Date, cc CreditCodeValidator) []*Error {
	var errs []*Error
	add := func(e *Error, field string) { errs = append(errs, e.WithField(field)) }

	if e := validateName(ref.Name); e != nil {
		add(e, FieldName)
	}
	switch {
	case ref.Type.UsesCreditCode():
		if e := cc.validate(normalizeCode(ref.CreditCode)); e != nil {
			add(e, FieldCreditCode)
		}
		if ref.IDNumber != "" {
			add(ErrUnexpectedIdentifier, FieldIDNumber)
		}
		if ref.OtherDocument != nil {
			add(ErrUnexpectedIdentifier, FieldOtherDocument)
		}
	case ref.Type == domain.NaturalPerson:
		if ref.CreditCode != "" {
			add(ErrUnexpectedIdentifier, FieldCreditCode)
		}
		switch {
		case ref.IDNumber != "" && ref.OtherDocument != nil:
			add(ErrConflictingIdentity, FieldOtherDocument)
		case ref.OtherDocument != nil:
			kindErr, numErr := validateDocument(NormalizeDocument(*ref.OtherDocument))
			if kindErr != nil {
				add(kindErr, FieldDocumentKind)
			}
			if numErr != nil {
				add(numErr, FieldDocumentNumber)
			}
		default:
			if e := validateResidentID(normalizeCode(ref.IDNumber), today); e != nil {
				add(e, FieldIDNumber)
			}
		}
	default:
		add(ErrSubjectType, FieldType)
	}
	return errs
}

// NormalizeRef returns the reference with its identifiers and name in
// canonical form (see NormalizeCreditCode, NormalizeResidentID,
// NormalizeDocument); the name is trimmed. Callers store what this returns.
func NormalizeRef(ref domain.SubjectRef) domain.SubjectRef {
	out := domain.SubjectRef{Type: ref.Type, Name: strings.TrimSpace(ref.Name)}
	if ref.CreditCode != "" {
		out.CreditCode = NormalizeCreditCode(ref.CreditCode)
	}
	if ref.IDNumber != "" {
		out.IDNumber = NormalizeResidentID(ref.IDNumber)
	}
	if ref.OtherDocument != nil {
		d := NormalizeDocument(*ref.OtherDocument)
		out.OtherDocument = &d
	}
	return out
}

func validateName(name string) *Error {
	name = strings.TrimSpace(name)
	if name == "" {
		return ErrSubjectNameMissing
	}
	if !utf8.ValidString(name) || utf8.RuneCountInString(name) > MaxNameRunes {
		return ErrSubjectName
	}
	for _, r := range name {
		if unicode.IsControl(r) {
			return ErrSubjectName
		}
	}
	return nil
}
