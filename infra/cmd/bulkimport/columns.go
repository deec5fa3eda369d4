package main

import (
	"fmt"
	"strings"
)

// Column names (the header row, in Chinese as the units' spreadsheets
// have them). One row is one sanction; rows with the same 文书号 form one
// handling decision, and within it rows with the same 行为序号 form one act.
const (
	colDocNo       = "文书号"
	colDate        = "决定日期"
	colUnit        = "单位"
	colSubjectType = "主体类型"
	colName        = "主体名称"
	colCreditCode  = "统一社会信用代码"
	colIDNumber    = "身份证号码"
	colDocKind     = "其他证件类型"
	colDocNumber   = "其他证件号码"
	colActNo       = "行为序号"
	colFacts       = "违法事实"
	colLegalBasis  = "法律依据"
	colSanction    = "处罚种类"
	colAmountYuan  = "金额（元）"
	colLicenceName = "许可证件名称"
	colLicenceNo   = "许可证件编号"
	colDetention   = "拘留天数"
)

// columns lists every column with whether it must be in the header and
// what it holds; the help text is generated from it.
var columns = []struct {
	name     string
	required bool
	help     string
}{
	{colDocNo, true, "必填。同一文书号的多行合并为一份处理决定"},
	{colDate, true, "必填。YYYY-MM-DD（或 Excel 日期单元格），不晚于今天"},
	{colUnit, false, "可选。办案单位代码；默认为令牌中的单位（仅局办公室可代其他单位导入）"},
	{colSubjectType, true, "必填。法人 / 社会组织 / 自然人（或 legal_person / organization / natural_person）"},
	{colName, true, "必填。主体名称或姓名"},
	{colCreditCode, false, "法人、社会组织必填（18位，校验码）"},
	{colIDNumber, false, "自然人填写居民身份证号码（18位，校验码），或填写其他证件两列"},
	{colDocKind, false, "护照 / 港澳居民来往内地通行证 / 台湾居民来往大陆通行证 / 港澳台居民居住证 / 外国人永久居留身份证"},
	{colDocNumber, false, "其他证件号码"},
	{colActNo, false, "可选。同一文书内区分多个违法行为，默认为 1"},
	{colFacts, true, "必填。违法事实"},
	{colLegalBasis, true, "必填。法律依据"},
	{colSanction, true, "必填。责令改正 / 警告 / 通报批评 / 罚款 / 没收 / 暂扣许可证件 / 限制生产经营 / 吊销许可证件 / 行政拘留"},
	{colAmountYuan, false, "罚款、没收必填，单位元，最多两位小数（换算为分，不经浮点数）"},
	{colLicenceName, false, "暂扣、吊销许可证件时必填"},
	{colLicenceNo, false, "暂扣、吊销许可证件时必填"},
	{colDetention, false, "可选。行政拘留天数（1-20），仅限自然人"},
}

// columnHelp is the column table for -help and the README.
func columnHelp() string {
	var b strings.Builder
	for _, c := range columns {
		fmt.Fprintf(&b, "  %-10s %s\n", c.name, c.help)
	}
	return b.String()
}

var subjectTypes = map[string]string{
	"法人": "legal_person", "legal_person": "legal_person",
	"社会组织": "organization", "非法人组织": "organization", "organization": "organization",
	"自然人": "natural_person", "natural_person": "natural_person",
}

var sanctionKinds = map[string]string{
	"责令改正": "correction_order", "责令限期改正": "correction_order", "责令（限期）改正": "correction_order",
	"警告":   "warning",
	"通报批评": "circulated_criticism",
	"罚款":   "fine",
	"没收":   "confiscation", "没收违法所得": "confiscation", "没收非法财物": "confiscation", "没收违法所得、非法财物": "confiscation",
	"暂扣许可证件": "licence_suspension", "暂扣许可证": "licence_suspension",
	"限制生产经营": "business_restriction", "限制开展生产经营活动": "business_restriction", "责令停产停业": "business_restriction", "责令关闭": "business_restriction",
	"吊销许可证件": "licence_revocation", "吊销许可证": "licence_revocation",
	"行政拘留": "detention", "拘留": "detention",
}

var documentKinds = map[string]string{
	"护照": "passport", "港澳居民来往内地通行证": "hk_macao_permit", "台湾居民来往大陆通行证": "taiwan_permit",
	"港澳台居民居住证": "residence_permit", "外国人永久居留身份证": "foreign_permanent",
}

// mapped translates a Chinese label to its key; an unknown value passes
// through unchanged, so the shared validation reports it as invalid_value
// (and English keys work as they are).
func mapped(m map[string]string, v string) string {
	if k, ok := m[strings.TrimSpace(v)]; ok {
		return k
	}
	return strings.TrimSpace(v)
}
