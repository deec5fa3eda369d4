package identity

import "github.com/suixian-psb/credit/shared/domain"

// Kinds of identity document other than the resident ID card accepted for
// natural persons (rules.md: accepted as {kind, number} without a checksum).
const (
	DocPassport         = "passport"          // 护照
	DocHKMacaoPermit    = "hk_macao_permit"   // 港澳居民来往内地通行证
	DocTaiwanPermit     = "taiwan_permit"     // 台湾居民来往大陆通行证
	DocResidencePermit  = "residence_permit"  // 港澳台居民居住证
	DocForeignPermanent = "foreign_permanent" // 外国人永久居留身份证
)

// DocumentKinds is the closed set of other document kinds.
var DocumentKinds = []string{DocPassport, DocHKMacaoPermit, DocTaiwanPermit, DocResidencePermit, DocForeignPermanent}

// NormalizeDocument is the canonical form of another identity document:
// kind trimmed and lower case, number trimmed, folded and upper case. The
// subject id is derived from this form.
func NormalizeDocument(d domain.OtherDocument) domain.OtherDocument {
	kind := normalizeCode(d.Kind)
	lower := []byte(kind)
	for i, c := range lower {
		if c >= 'A' && c <= 'Z' {
			lower[i] = c + ('a' - 'A')
		}
	}
	return domain.OtherDocument{Kind: string(lower), Number: normalizeCode(d.Number)}
}

// validateDocument checks a normalised document; it returns the problems
// with the field suffix each concerns ("kind" or "number").
func validateDocument(d domain.OtherDocument) (kindErr, numberErr *Error) {
	known := false
	for _, k := range DocumentKinds {
		known = known || d.Kind == k
	}
	if !known {
		kindErr = ErrDocumentKind
	}
	if !validDocumentNumber(d.Number) {
		numberErr = ErrDocumentNumber
	}
	return kindErr, numberErr
}

// validDocumentNumber accepts 5 to 30 ASCII letters, digits and inner
// hyphens: enough for passports and permits of every issuing country
// without accepting free text.
func validDocumentNumber(n string) bool {
	if len(n) < 5 || len(n) > 30 || n[0] == '-' || n[len(n)-1] == '-' {
		return false
	}
	for i := 0; i < len(n); i++ {
		c := n[i]
		if !isDigit(c) && !(c >= 'A' && c <= 'Z') && c != '-' {
			return false
		}
	}
	return true
}
