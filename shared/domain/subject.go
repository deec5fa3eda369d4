package domain

// SubjectType is the kind of party graded (rules.md "Who is graded").
type SubjectType string

const (
	LegalPerson   SubjectType = "legal_person"   // 法人
	Organization  SubjectType = "organization"   // 社会组织 / 非法人组织
	NaturalPerson SubjectType = "natural_person" // 自然人
)

// SubjectTypes lists the closed set, in display order.
var SubjectTypes = []SubjectType{LegalPerson, Organization, NaturalPerson}

func (t SubjectType) Valid() bool {
	return t == LegalPerson || t == Organization || t == NaturalPerson
}

// UsesCreditCode reports whether subjects of this type are identified by a
// unified social credit code (and so may be disclosed by it).
func (t SubjectType) UsesCreditCode() bool { return t == LegalPerson || t == Organization }

// SubjectID is the platform's key for a subject. For legal persons and
// organisations it is the unified social credit code itself; for natural
// persons it is an opaque id ("NP" + keyed hash of the ID number) that does not
// reveal the ID number.
type SubjectID string

// OtherDocument identifies a natural person by a document other than the
// resident ID card (passport, Hong Kong/Macao/Taiwan permits); no checksum.
type OtherDocument struct {
	Kind   string `json:"kind"`
	Number string `json:"number"`
}

// SubjectRef is how a request names a subject. Exactly one identifier is set,
// chosen by Type: CreditCode for legal persons and organisations, IDNumber or
// OtherDocument for natural persons.
type SubjectRef struct {
	Type          SubjectType    `json:"type"`
	Name          string         `json:"name"`
	CreditCode    string         `json:"credit_code,omitempty"`
	IDNumber      string         `json:"id_number,omitempty"`
	OtherDocument *OtherDocument `json:"other_document,omitempty"`
}

// Subject is the stored profile of a graded party. The natural person's ID
// number is never kept in clear: SealedIdentity holds it encrypted.
type Subject struct {
	ID             SubjectID   `json:"id"`
	Type           SubjectType `json:"type"`
	Name           string      `json:"name"`
	CreditCode     string      `json:"credit_code,omitempty"`
	SealedIdentity []byte      `json:"sealed_identity,omitempty"`
}

// MaskedName shows a natural person's surname only (张三 → 张*), the only
// form in which a natural person may appear in public.
func MaskedName(name string) string {
	r := []rune(name)
	if len(r) == 0 {
		return ""
	}
	return string(r[0]) + "*"
}

// DisplayName is the name as it may be published for this subject type.
func (s Subject) DisplayName() string {
	if s.Type == NaturalPerson {
		return MaskedName(s.Name)
	}
	return s.Name
}
