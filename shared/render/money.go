package render

import "github.com/suixian-psb/credit/shared/money"

// FormatYuan formats an amount in fen as yuan, exactly (integer arithmetic,
// thousands separators, two decimals): 12345 → "123.45 元".
func FormatYuan(fen int64) string { return money.Yuan(fen) + " 元" }
