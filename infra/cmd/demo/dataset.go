package main

import (
	"fmt"

	"github.com/suixian-psb/credit/shared/domain"
	"github.com/suixian-psb/credit/shared/identity"
)

// Units of the synthetic sample (睢县公安局). The office keeps the lists.
const (
	unitChengguan = "411422-PCS-01" // 城关派出所
	unitXiyi      = "411422-PCS-02" // 西陵寺派出所
	unitOffice    = "411422-OFFICE" // 局信用办公室
)

// poster is who posts: a clerk of a unit, or the office.
type poster struct{ Unit, Role string }

var (
	clerk1 = poster{unitChengguan, "clerk"}
	clerk2 = poster{unitXiyi, "clerk"}
	office = poster{unitOffice, "office"}
)

// post is one API call of the sample.
type post struct {
	By   poster
	Path string
	Body map[string]any
}

// subject is one synthetic subject with the grade its records should give
// (rules.md "Levels") and the calls that create them.
type subject struct {
	Label  string // printed; never an ID number
	Expect string // A | B | C | unrated
	Ref    map[string]any
	Posts  []post
}

func firm(name, org8 string) map[string]any {
	return map[string]any{"type": "legal_person", "name": name, "credit_code": identity.MakeCreditCode("91411422" + org8)}
}

func association(name, org8 string) map[string]any {
	return map[string]any{"type": "organization", "name": name, "credit_code": identity.MakeCreditCode("51411422" + org8)}
}

// person: a resident of 睢县 (division 411422) born on birth (YYYYMMDD).
func person(name, birth, seq string) map[string]any {
	return map[string]any{"type": "natural_person", "name": name, "id_number": identity.MakeResidentID("411422" + birth + seq)}
}

func sanction(kind string, yuan int64) map[string]any {
	s := map[string]any{"kind": kind}
	if yuan > 0 {
		s["amount_fen"] = yuan * 100 // money is integer fen
	}
	return s
}

func act(facts, basis string, sanctions ...map[string]any) map[string]any {
	list := make([]any, 0, len(sanctions))
	for _, s := range sanctions {
		list = append(list, s)
	}
	return map[string]any{"facts": facts, "legal_basis": basis, "sanctions": list}
}

func decision(by poster, ref map[string]any, docNo string, date domain.Date, acts ...map[string]any) post {
	list := make([]any, 0, len(acts))
	for _, a := range acts {
		list = append(list, a)
	}
	return post{By: by, Path: "/v1/decisions", Body: map[string]any{
		"subject": ref, "document_no": docNo, "decision_date": date.String(), "acts": list,
	}}
}

func listEntry(ref map[string]any, list, docNo, authority string, from, until domain.Date) post {
	body := map[string]any{"subject": ref, "list": list, "document_no": docNo, "authority": authority, "valid_from": from.String()}
	if !until.IsZero() {
		body["valid_until"] = until.String()
	}
	return post{By: office, Path: "/v1/list-entries", Body: body}
}

func observation(by poster, ref map[string]any, kind, docNo string, date domain.Date, result string) post {
	return post{By: by, Path: "/v1/observations", Body: map[string]any{
		"subject": ref, "kind": kind, "document_no": docNo, "date": date.String(), "result": result,
	}}
}

const (
	basisHotel    = "《旅馆业治安管理办法》第六条、第十五条"
	basisSecurity = "《保安服务管理条例》第四十三条"
	basisScrap    = "《废旧金属收购业治安管理办法》第八条、第十三条"
	basisPawn     = "《典当管理办法》第五十二条、第六十六条"
	basisPublic   = "《中华人民共和国治安管理处罚法》第二十六条"
	basisPrint    = "《印刷业管理条例》第三十九条"
)

// dataset is the synthetic sample dated relative to the stack's today, so
// every record is in the one-year window whatever -now says.
func dataset(today domain.Date) []subject {
	d := func(daysAgo int) domain.Date { return today.AddDays(-daysAgo) }
	y := today.Year
	doc := func(unitShort, kind string, n int) string {
		return fmt.Sprintf("睢公（%s）%s〔%d〕%04d号", unitShort, kind, y, n)
	}

	hotel := firm("睢县悦来宾馆有限公司", "MA44XQ0U")
	locksmith := firm("睢县平安开锁服务有限公司", "MA45B7K2")
	pawn := firm("睢县鑫源典当有限责任公司", "MA46C8L3")
	logistics := firm("睢县顺达物流有限公司", "MA47D9M4")
	guard := firm("睢县金盾保安服务有限公司", "MA48E1N5")
	scrap := firm("睢县宏图废旧金属回收有限公司", "MA49F2P6")
	ktv := firm("睢县夜色娱乐有限公司", "MA4AG3Q7")
	printer := firm("睢县阳光印刷有限公司", "MA4BH4R8")
	redButWarned := firm("睢县速安二手车交易市场有限公司", "MA4CJ5T9")
	assoc := association("睢县民间文化艺术协会", "MJY12345")
	zhang := person("张某某", "19850312", "123")
	li := person("李某某", "19900725", "231")
	wang := person("王某某", "19781103", "342")
	zhao := person("赵某某", "19950218", "451")

	return []subject{
		{Label: "睢县悦来宾馆有限公司 (红名单)", Expect: "A", Ref: hotel, Posts: []post{
			listEntry(hotel, "red", fmt.Sprintf("睢公信红〔%d〕1号", y), "睢县公安局", d(30), d(30).AddYears(1).AddDays(-1)),
		}},
		{Label: "睢县平安开锁服务有限公司 (红名单)", Expect: "A", Ref: locksmith, Posts: []post{
			listEntry(locksmith, "red", fmt.Sprintf("睢公信红〔%d〕2号", y), "睢县公安局", d(60), domain.Date{}),
		}},
		{Label: "睢县鑫源典当有限责任公司 (1 次警告)", Expect: "B", Ref: pawn, Posts: []post{
			decision(clerk1, pawn, doc("城关", "行罚决字", 101), d(45),
				act("未按规定查验当户有效身份证件并登记。", basisPawn, sanction("warning", 0))),
		}},
		{Label: "睢县顺达物流有限公司 (2 次罚款，共 3 万元)", Expect: "B", Ref: logistics, Posts: []post{
			decision(clerk1, logistics, doc("城关", "行罚决字", 102), d(120),
				act("收寄物品未执行实名登记制度。", basisPublic, sanction("fine", 10000))),
			decision(clerk1, logistics, doc("城关", "行罚决字", 103), d(20),
				act("再次收寄物品未执行实名登记制度。", basisPublic, sanction("warning", 0), sanction("fine", 20000))),
		}},
		{Label: "睢县金盾保安服务有限公司 (3 次警告)", Expect: "C", Ref: guard, Posts: []post{
			decision(clerk2, guard, doc("西陵", "行罚决字", 201), d(200),
				act("保安员未持证上岗。", basisSecurity, sanction("warning", 0))),
			decision(clerk2, guard, doc("西陵", "行罚决字", 202), d(90),
				act("未按规定留存保安服务中形成的监控影像资料。", basisSecurity, sanction("correction_order", 0), sanction("warning", 0))),
			decision(clerk2, guard, doc("西陵", "行罚决字", 203), d(10),
				act("未按规定向公安机关备案。", basisSecurity, sanction("warning", 0))),
		}},
		{Label: "睢县宏图废旧金属回收有限公司 (罚没 60 万元)", Expect: "C", Ref: scrap, Posts: []post{
			decision(clerk2, scrap, doc("西陵", "行罚决字", 204), d(50),
				act("收购国家禁止收购的金属物品。", basisScrap, sanction("fine", 500000), sanction("confiscation", 100000))),
		}},
		{Label: "睢县夜色娱乐有限公司 (黑名单)", Expect: "C", Ref: ktv, Posts: []post{
			listEntry(ktv, "black", fmt.Sprintf("商公信黑〔%d〕7号", y), "商丘市公安局", d(15), d(15).AddYears(1).AddDays(-1)),
		}},
		{Label: "睢县阳光印刷有限公司 (仅日常检查)", Expect: "unrated", Ref: printer, Posts: []post{
			observation(clerk1, printer, "inspection", doc("城关", "检查记字", 301), d(25), "未发现问题"),
		}},
		{Label: "睢县速安二手车交易市场有限公司 (红名单但有警告)", Expect: "B", Ref: redButWarned, Posts: []post{
			listEntry(redButWarned, "red", fmt.Sprintf("睢公信红〔%d〕3号", y), "睢县公安局", d(100), domain.Date{}),
			decision(clerk1, redButWarned, doc("城关", "行罚决字", 104), d(5),
				act("未按规定登记交易车辆及交易人信息。", basisPublic, sanction("warning", 0))),
		}},
		{Label: "睢县民间文化艺术协会 (公众评价)", Expect: "unrated", Ref: assoc, Posts: []post{
			observation(clerk1, assoc, "public_evaluation", doc("城关", "评价字", 302), d(12), "满意"),
		}},
		{Label: "自然人 张某某 (1 次警告)", Expect: "B", Ref: zhang, Posts: []post{
			decision(clerk1, zhang, doc("城关", "行罚决字", 105), d(33),
				act("在公共场所故意损毁他人财物，情节较轻。", basisPublic, sanction("warning", 0))),
		}},
		{Label: "自然人 李某某 (一份决定 3 个警告行为)", Expect: "C", Ref: li, Posts: []post{
			decision(clerk2, li, doc("西陵", "行罚决字", 205), d(8),
				act("扰乱单位秩序，情节较轻。", basisPublic, sanction("warning", 0)),
				act("在公共场所起哄闹事，情节较轻。", basisPublic, sanction("warning", 0)),
				act("故意损毁少量公私财物，已赔偿。", basisPublic, sanction("warning", 0))),
		}},
		{Label: "自然人 王某某 (投诉记录)", Expect: "unrated", Ref: wang, Posts: []post{
			observation(clerk2, wang, "complaint", doc("西陵", "投诉字", 303), d(40), "经核查不属实"),
		}},
		{Label: "自然人 赵某某 (罚款 1000 元)", Expect: "B", Ref: zhao, Posts: []post{
			decision(clerk1, zhao, doc("城关", "行罚决字", 106), d(70),
				act("违反旅馆业管理规定，冒用他人身份证件登记住宿。", basisHotel, sanction("fine", 1000))),
		}},
		{Label: "睢县悦来印务 (印刷业违规罚款)", Expect: "B", Ref: firm("睢县悦来印务有限公司", "MA4DK6U1"), Posts: []post{
			decision(clerk1, firm("睢县悦来印务有限公司", "MA4DK6U1"), doc("城关", "行罚决字", 107), d(3),
				act("承印证件未验证并核查委托印刷证明。", basisPrint, sanction("fine", 5000))),
		}},
	}
}
