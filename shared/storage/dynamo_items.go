package storage

import (
	"encoding/json"
	"fmt"
	"strconv"

	"github.com/aws/aws-sdk-go-v2/service/dynamodb/types"

	"github.com/suixian-psb/credit/shared/domain"
)

// Attribute names of the table's items.
const (
	attrPK          = "PK"
	attrSK          = "SK"
	attrGSI1PK      = "GSI1PK"
	attrGSI1SK      = "GSI1SK"
	attrGSI2PK      = "GSI2PK"
	attrGSI2SK      = "GSI2SK"
	attrEntity      = "entity"
	attrKind        = "kind"
	attrStatus      = "status"
	attrLevel       = "level"
	attrSubjectID   = "subject_id"
	attrDoc         = "doc"
	attrRev         = "rev"     // records: bumped on every write (optimistic lock)
	attrVersion     = "version" // grades and history
	attrRecordID    = "record_id"
	attrContentHash = "content_hash"
)

type item = map[string]types.AttributeValue

func avS(v string) types.AttributeValue { return &types.AttributeValueMemberS{Value: v} }
func avN(v int64) types.AttributeValue {
	return &types.AttributeValueMemberN{Value: strconv.FormatInt(v, 10)}
}

func getS(it item, name string) string {
	if v, ok := it[name].(*types.AttributeValueMemberS); ok {
		return v.Value
	}
	return ""
}

func getN(it item, name string) (int64, error) {
	v, ok := it[name].(*types.AttributeValueMemberN)
	if !ok {
		return 0, fmt.Errorf("attribute %s missing or not a number", name)
	}
	return strconv.ParseInt(v.Value, 10, 64)
}

func keyOf(pk, sk string) item { return item{attrPK: avS(pk), attrSK: avS(sk)} }

func withDoc(it item, v any) (item, error) {
	b, err := json.Marshal(v)
	if err != nil {
		return nil, fmt.Errorf("encode %T: %w", v, err)
	}
	it[attrDoc] = avS(string(b))
	return it, nil
}

// decodeDoc reads the domain value kept in the item's "doc" attribute.
func decodeDoc[T any](it item) (T, error) {
	var v T
	doc := getS(it, attrDoc)
	if doc == "" {
		return v, fmt.Errorf("item %s/%s has no doc", getS(it, attrPK), getS(it, attrSK))
	}
	if err := json.Unmarshal([]byte(doc), &v); err != nil {
		return v, fmt.Errorf("decode %T of %s/%s: %w", v, getS(it, attrPK), getS(it, attrSK), err)
	}
	return v, nil
}

// recordItem is a record's item; it carries DueIndex keys only while the
// record counts, so a record that stops counting leaves the index when its
// item is rewritten.
func recordItem(rec domain.Record, rev int64) (item, error) {
	it := keyOf(subjectPK(rec.SubjectID), recordSK(rec.ID))
	it[attrEntity] = avS(EntityRecord)
	it[attrKind] = avS(string(rec.Kind))
	it[attrStatus] = avS(string(rec.Status))
	it[attrSubjectID] = avS(string(rec.SubjectID))
	it[attrRev] = avN(rev)
	if sk, ok := expireSK(rec); ok {
		it[attrGSI1PK] = avS(gsiExpire)
		it[attrGSI1SK] = avS(sk)
	}
	return withDoc(it, rec)
}

func guardItem(rec domain.Record) item {
	it := keyOf(guardPK(rec.Unit, rec.Kind, rec.DocumentNo), skGuard)
	it[attrEntity] = avS(EntityDocGuard)
	it[attrKind] = avS(string(rec.Kind))
	it[attrSubjectID] = avS(string(rec.SubjectID))
	it[attrRecordID] = avS(rec.ID)
	it[attrContentHash] = avS(rec.ContentHash)
	return it
}

// gradeItem is the current grade: in ListIndex under its level, and in
// DueIndex while something pending will change it.
func gradeItem(g domain.Grade) (item, error) {
	it := keyOf(subjectPK(g.SubjectID), skGrade)
	it[attrEntity] = avS(EntityGrade)
	it[attrLevel] = avS(string(g.Level))
	it[attrSubjectID] = avS(string(g.SubjectID))
	it[attrVersion] = avN(g.Version)
	it[attrGSI2PK] = avS(levelPK(g.Level))
	it[attrGSI2SK] = avS(string(g.SubjectID))
	if sk, ok := regradeSK(g); ok {
		it[attrGSI1PK] = avS(gsiRegrade)
		it[attrGSI1SK] = avS(sk)
	}
	return withDoc(it, g)
}

func historyItem(g domain.Grade) (item, error) {
	it := keyOf(subjectPK(g.SubjectID), historySK(g.Version))
	it[attrEntity] = avS(EntityHistory)
	it[attrLevel] = avS(string(g.Level))
	it[attrSubjectID] = avS(string(g.SubjectID))
	it[attrVersion] = avN(g.Version)
	return withDoc(it, g)
}

func taskItem(t domain.Task) (item, error) {
	it := keyOf(subjectPK(t.SubjectID), taskSK(t.ID))
	it[attrEntity] = avS(EntityTask)
	it[attrStatus] = avS(t.Status)
	it[attrLevel] = avS(string(t.Level))
	it[attrSubjectID] = avS(string(t.SubjectID))
	if sk, ok := openTaskSK(t); ok {
		it[attrGSI2PK] = avS(gsiOpenTask)
		it[attrGSI2SK] = avS(sk)
	}
	return withDoc(it, t)
}
