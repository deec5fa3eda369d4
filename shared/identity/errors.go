package identity

// Error is a validation problem with a stable machine code, a message for
// people in Chinese and English, and (when it comes from ValidateRef) the
// request field it concerns. Messages are constants: they never contain the
// input value, because an ID number is personal data and errors are logged
// and returned to callers.
type Error struct {
	Code      string `json:"code"`
	Field     string `json:"field,omitempty"`
	MessageZH string `json:"message_zh"`
	MessageEN string `json:"message_en"`
}

func (e *Error) Error() string {
	if e.Field != "" {
		return e.Field + ": " + e.Code + ": " + e.MessageEN
	}
	return e.Code + ": " + e.MessageEN
}

// Is matches errors by Code, so errors.Is(err, identity.ErrCreditCodeCheck)
// works whatever the field.
func (e *Error) Is(target error) bool {
	t, ok := target.(*Error)
	return ok && t.Code == e.Code
}

// WithField returns a copy of e naming the field; the sentinels themselves
// are never modified.
func (e *Error) WithField(field string) *Error {
	c := *e
	c.Field = field
	return &c
}

func newError(code, zh, en string) *Error { return &Error{Code: code, MessageZH: zh, MessageEN: en} }

// Unified social credit code problems.
var (
	ErrCreditCodeMissing  = newError("missing_credit_code", "缺少统一社会信用代码", "the unified social credit code is required")
	ErrCreditCodeLength   = newError("invalid_credit_code_length", "统一社会信用代码应为18位", "a unified social credit code has 18 characters")
	ErrCreditCodeCharset  = newError("invalid_credit_code_charset", "统一社会信用代码含有不允许的字符（仅限数字和除I、O、S、V、Z以外的大写字母）", "a unified social credit code uses only digits and the capital letters other than I, O, S, V and Z")
	ErrCreditCodeDivision = newError("invalid_credit_code_division", "统一社会信用代码第3至8位（登记管理机关行政区划码）应为数字", "characters 3 to 8 of a unified social credit code (the administrative division) must be digits")
	ErrCreditCodeOrgCheck = newError("invalid_credit_code_org_check", "统一社会信用代码中的组织机构代码校验码错误", "the check character of the organisation code inside the unified social credit code is wrong")
	ErrCreditCodeCheck    = newError("invalid_credit_code_check", "统一社会信用代码校验码错误", "the check character of the unified social credit code is wrong")
)

// Resident ID number problems.
var (
	ErrIDNumberMissing   = newError("missing_id_number", "缺少居民身份证号码或其他身份证件", "a resident ID number or another identity document is required")
	ErrIDNumberLength    = newError("invalid_id_number_length", "居民身份证号码应为18位", "a resident ID number has 18 characters")
	ErrIDNumberCharset   = newError("invalid_id_number_charset", "居民身份证号码前17位应为数字，最后一位为数字或X", "a resident ID number has 17 digits followed by a digit or X")
	ErrIDNumberChecksum  = newError("invalid_id_number_checksum", "居民身份证号码校验码错误", "the check character of the resident ID number is wrong")
	ErrIDNumberBirthDate = newError("invalid_id_number_birth_date", "居民身份证号码中的出生日期无效", "the birth date inside the resident ID number is not a valid date between 1900-01-01 and today")
)

// Other identity document problems.
var (
	ErrDocumentKind   = newError("invalid_document_kind", "不支持的身份证件类型", "unsupported identity document kind")
	ErrDocumentNumber = newError("invalid_document_number", "身份证件号码格式错误（5至30位字母、数字或连字符）", "an identity document number has 5 to 30 letters, digits or hyphens")
)

// Subject reference problems.
var (
	ErrSubjectType          = newError("invalid_subject_type", "主体类型无效（legal_person、organization 或 natural_person）", "the subject type must be legal_person, organization or natural_person")
	ErrSubjectNameMissing   = newError("missing_subject_name", "缺少主体名称", "the subject name is required")
	ErrSubjectName          = newError("invalid_subject_name", "主体名称过长或含有控制字符", "the subject name is too long or contains control characters")
	ErrUnexpectedIdentifier = newError("unexpected_identifier", "该主体类型不使用此标识", "this identifier does not apply to the subject type")
	ErrConflictingIdentity  = newError("conflicting_identifiers", "居民身份证号码与其他身份证件只能填写一项", "give either a resident ID number or another identity document, not both")
)
