package identity

import (
	"slices"
	"strings"
	"testing"

	"github.com/suixian-psb/credit/shared/domain"
)

func TestValidateRef(t *testing.T) {
	today := domain.MustDate("2026-12-04")
	const goodID = "11010519491231002X"
	const goodCode = "91350100M000100Y43"
	passport := &domain.OtherDocument{Kind: "passport", Number: "E12345678"}
	type problem struct{ code, field string }
	tests := []struct {
		name string
		ref  domain.SubjectRef
		want []problem
	}{
		{"legal person", domain.SubjectRef{Type: domain.LegalPerson, Name: "某某有限公司", CreditCode: goodCode}, nil},
		{"organisation, lower-case code", domain.SubjectRef{Type: domain.Organization, Name: "某协会", CreditCode: strings.ToLower(goodCode)}, nil},
		{"natural person by ID", domain.SubjectRef{Type: domain.NaturalPerson, Name: "张三", IDNumber: goodID}, nil},
		{"natural person by passport", domain.SubjectRef{Type: domain.NaturalPerson, Name: "John Smith", OtherDocument: passport}, nil},
		{"natural person by permit, sloppy case", domain.SubjectRef{Type: domain.NaturalPerson, Name: "陈大文", OtherDocument: &domain.OtherDocument{Kind: " HK_Macao_Permit ", Number: "h1234567801"}}, nil},
		{"unknown type", domain.SubjectRef{Type: "company", Name: "x", CreditCode: goodCode},
			[]problem{{"invalid_subject_type", FieldType}}},
		{"empty type", domain.SubjectRef{Name: "x"},
			[]problem{{"invalid_subject_type", FieldType}}},
		{"legal person without name or code", domain.SubjectRef{Type: domain.LegalPerson},
			[]problem{{"missing_subject_name", FieldName}, {"missing_credit_code", FieldCreditCode}}},
		{"legal person with bad code", domain.SubjectRef{Type: domain.LegalPerson, Name: "某公司", CreditCode: "91350100M000100Y44"},
			[]problem{{"invalid_credit_code_check", FieldCreditCode}}},
		{"legal person carrying an ID number", domain.SubjectRef{Type: domain.LegalPerson, Name: "某公司", CreditCode: goodCode, IDNumber: goodID},
			[]problem{{"unexpected_identifier", FieldIDNumber}}},
		{"legal person carrying a document", domain.SubjectRef{Type: domain.LegalPerson, Name: "某公司", CreditCode: goodCode, OtherDocument: passport},
			[]problem{{"unexpected_identifier", FieldOtherDocument}}},
		{"natural person validated as a person, not as a code", domain.SubjectRef{Type: domain.NaturalPerson, Name: "张三", CreditCode: goodCode},
			[]problem{{"unexpected_identifier", FieldCreditCode}, {"missing_id_number", FieldIDNumber}}},
		{"natural person with bad checksum", domain.SubjectRef{Type: domain.NaturalPerson, Name: "张三", IDNumber: "110105194912310021"},
			[]problem{{"invalid_id_number_checksum", FieldIDNumber}}},
		{"natural person with two identifiers", domain.SubjectRef{Type: domain.NaturalPerson, Name: "张三", IDNumber: goodID, OtherDocument: passport},
			[]problem{{"conflicting_identifiers", FieldOtherDocument}}},
		{"unknown document kind and bad number", domain.SubjectRef{Type: domain.NaturalPerson, Name: "张三", OtherDocument: &domain.OtherDocument{Kind: "library_card", Number: "12 34"}},
			[]problem{{"invalid_document_kind", FieldDocumentKind}, {"invalid_document_number", FieldDocumentNumber}}},
		{"name with a control character", domain.SubjectRef{Type: domain.LegalPerson, Name: "某公司\x00", CreditCode: goodCode},
			[]problem{{"invalid_subject_name", FieldName}}},
		{"name too long", domain.SubjectRef{Type: domain.LegalPerson, Name: strings.Repeat("公", MaxNameRunes+1), CreditCode: goodCode},
			[]problem{{"invalid_subject_name", FieldName}}},
		{"blank name", domain.SubjectRef{Type: domain.NaturalPerson, Name: " \t", IDNumber: goodID},
			[]problem{{"missing_subject_name", FieldName}}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			errs := ValidateRef(tc.ref, today, CreditCodeValidator{})
			var got []problem
			for _, e := range errs {
				got = append(got, problem{e.Code, e.Field})
				if e.MessageZH == "" || e.MessageEN == "" {
					t.Errorf("%s: incomplete messages", e.Code)
				}
				if tc.ref.IDNumber != "" && strings.Contains(e.Error()+e.MessageZH, tc.ref.IDNumber) {
					t.Errorf("%s: message contains the ID number", e.Code)
				}
			}
			if !slices.Equal(got, tc.want) {
				t.Fatalf("ValidateRef = %v, want %v", got, tc.want)
			}
		})
	}
}

func TestValidateRefDoesNotChangeSentinels(t *testing.T) {
	_ = ValidateRef(domain.SubjectRef{Type: domain.LegalPerson}, domain.MustDate("2026-12-04"), CreditCodeValidator{})
	if ErrCreditCodeMissing.Field != "" || ErrSubjectNameMissing.Field != "" {
		t.Fatal("ValidateRef modified a sentinel error")
	}
}

func TestNormalizeRef(t *testing.T) {
	got := NormalizeRef(domain.SubjectRef{
		Type: domain.NaturalPerson, Name: " 张三 ", IDNumber: " 11010519491231002x",
	})
	if got.Name != "张三" || got.IDNumber != "11010519491231002X" {
		t.Fatalf("NormalizeRef = %+v", got)
	}
	got = NormalizeRef(domain.SubjectRef{
		Type: domain.NaturalPerson, Name: "A", OtherDocument: &domain.OtherDocument{Kind: "Passport", Number: "e123 "},
	})
	if got.OtherDocument.Kind != "passport" || got.OtherDocument.Number != "E123" {
		t.Fatalf("NormalizeRef document = %+v", got.OtherDocument)
	}
}
