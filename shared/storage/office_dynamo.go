package storage

import (
	"context"
	"fmt"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb/types"

	"github.com/suixian-psb/credit/shared/domain"
	"github.com/suixian-psb/credit/shared/office/model"
)

// officeItem is d's table item.
func officeItem(d officeDoc) (item, error) {
	it := keyOf(subjectPK(d.subject), d.sk)
	it[attrEntity] = avS(d.entity)
	it[attrSubjectID] = avS(string(d.subject))
	if d.kind != "" {
		it[attrKind] = avS(d.kind)
	}
	if d.status != "" {
		it[attrStatus] = avS(d.status)
	}
	if d.hash != "" {
		it[attrContentHash] = avS(d.hash)
	}
	if d.gsiPK != "" {
		it[attrGSI2PK] = avS(d.gsiPK)
		it[attrGSI2SK] = avS(d.gsiSK)
	}
	return withDoc(it, d.value)
}

// applyOffice runs w as one transaction: [office item, record?, task?].
// It re-reads and retries when the transaction lost a race to another one
// (TransactionConflict), like PutRecord.
func (d *Dynamo) applyOffice(ctx context.Context, w officeWrite) (item, domain.Record, bool, error) {
	for attempt := 0; ; attempt++ {
		it, rec, created, retry, err := d.tryOffice(ctx, w)
		if !retry {
			return it, rec, created, err
		}
		if attempt >= maxConflictRetries {
			return nil, domain.Record{}, false, fmt.Errorf("%s: %w: %w", w.doc.entity, ErrUnavailable, err)
		}
		if werr := d.wait(ctx, attempt); werr != nil {
			return nil, domain.Record{}, false, dbErr("office write", werr)
		}
	}
}

func (d *Dynamo) tryOffice(ctx context.Context, w officeWrite) (stored item, rec domain.Record, created, retry bool, err error) {
	docIt, err := officeItem(w.doc)
	if err != nil {
		return nil, domain.Record{}, false, false, err
	}
	put := &types.Put{TableName: aws.String(d.table), Item: docIt}
	if w.create {
		put.ConditionExpression = aws.String("attribute_not_exists(PK)")
		put.ReturnValuesOnConditionCheckFailure = types.ReturnValuesOnConditionCheckFailureAllOld
	} else {
		put.ConditionExpression = aws.String("#st = :expect")
		put.ExpressionAttributeNames = map[string]string{"#st": attrStatus}
		put.ExpressionAttributeValues = item{":expect": avS(w.expectStatus)}
	}
	tx := []types.TransactWriteItem{{Put: put}}
	var next domain.Record
	if rc := w.record; rc != nil {
		recPut, n, err := d.recordChangePut(ctx, *rc)
		if err != nil {
			if isStale(err) {
				return d.staleRecord(ctx, w, err)
			}
			return nil, domain.Record{}, false, false, err
		}
		next = n
		tx = append(tx, types.TransactWriteItem{Put: recPut})
	}
	if w.closeTask != "" {
		taskPut, err := d.closeTaskPut(ctx, w.doc.subject, w.closeTask, w.closedBy)
		if err != nil {
			if w.create && isStale(err) {
				return d.resolveOffice(ctx, w, nil, err)
			}
			return nil, domain.Record{}, false, false, err
		}
		tx = append(tx, types.TransactWriteItem{Put: taskPut})
	}
	_, err = d.db.TransactWriteItems(ctx, &dynamodb.TransactWriteItemsInput{TransactItems: tx})
	if err == nil {
		return docIt, next, true, false, nil
	}
	reasons, cancelled := cancelReasons(err)
	switch {
	case cancelled && reasonCode(reasons, 0) == reasonCondition && w.create:
		return d.resolveOffice(ctx, w, reasons[0].Item, nil)
	case cancelled && reasonCode(reasons, 0) == reasonCondition:
		return nil, domain.Record{}, false, false, fmt.Errorf("%s %s is not %s: %w", w.doc.entity, w.doc.sk, w.expectStatus, ErrStale)
	case cancelled && anyReason(reasons, reasonCondition):
		return nil, domain.Record{}, false, false, fmt.Errorf("%s %s: record or task changed meanwhile: %w", w.doc.entity, w.doc.sk, ErrStale)
	case cancelled && anyReason(reasons, reasonConflict):
		return nil, domain.Record{}, false, true, err
	}
	return nil, domain.Record{}, false, false, dbErr("office write "+w.doc.entity, err)
}

// staleRecord answers a write whose record is not in the expected status,
// the way Memory does: the office item's own state comes first. For a
// create, the record may have moved on because this very write already
// happened (an idempotent repeat); for a decision, a missing item is
// ErrNotFound rather than the record's staleness.
func (d *Dynamo) staleRecord(ctx context.Context, w officeWrite, cause error) (item, domain.Record, bool, bool, error) {
	if w.create {
		return d.resolveOffice(ctx, w, nil, cause)
	}
	_, err := d.getItem(ctx, "read "+w.doc.entity, subjectPK(w.doc.subject), w.doc.sk)
	if err != nil {
		return nil, domain.Record{}, false, false, err
	}
	return nil, domain.Record{}, false, false, cause
}

// resolveOffice answers a create whose item may already exist: the stored
// item when its content hash is the same (created=false), ErrConflict when
// it differs, and otherwise (the item is absent) cause.
func (d *Dynamo) resolveOffice(ctx context.Context, w officeWrite, existing item, cause error) (item, domain.Record, bool, bool, error) {
	if len(existing) == 0 {
		var err error
		existing, err = d.getItem(ctx, "read "+w.doc.entity, subjectPK(w.doc.subject), w.doc.sk)
		if isNotFound(err) && cause != nil {
			return nil, domain.Record{}, false, false, cause
		}
		if err != nil {
			return nil, domain.Record{}, false, false, err
		}
	}
	if getS(existing, attrContentHash) != w.doc.hash {
		return nil, domain.Record{}, false, false, fmt.Errorf("%s %s exists with other content: %w", w.doc.entity, w.doc.sk, ErrConflict)
	}
	return existing, domain.Record{}, false, false, nil
}

// recordChangePut reads the record, applies rc.Mutate and returns the
// conditional put of the result (status and revision unchanged since read).
func (d *Dynamo) recordChangePut(ctx context.Context, rc RecordChange) (*types.Put, domain.Record, error) {
	it, err := d.getItem(ctx, "get record "+rc.RecordID, subjectPK(rc.SubjectID), recordSK(rc.RecordID))
	if err != nil {
		return nil, domain.Record{}, err
	}
	cur, err := decodeDoc[domain.Record](it)
	if err != nil {
		return nil, domain.Record{}, err
	}
	rev, err := getN(it, attrRev)
	if err != nil {
		return nil, domain.Record{}, fmt.Errorf("record %s: %w", rc.RecordID, err)
	}
	if cur.Status != rc.Expect {
		return nil, domain.Record{}, fmt.Errorf("record %s is %s, not %s: %w", rc.RecordID, cur.Status, rc.Expect, ErrStale)
	}
	next := clone(cur)
	if err := rc.Mutate(&next); err != nil {
		return nil, domain.Record{}, err
	}
	if err := checkIdentity(cur, next); err != nil {
		return nil, domain.Record{}, err
	}
	newIt, err := recordItem(next, rev+1)
	if err != nil {
		return nil, domain.Record{}, err
	}
	return &types.Put{
		TableName:                 aws.String(d.table),
		Item:                      newIt,
		ConditionExpression:       aws.String("#st = :expect AND #rev = :rev"),
		ExpressionAttributeNames:  map[string]string{"#st": attrStatus, "#rev": attrRev},
		ExpressionAttributeValues: item{":expect": avS(string(rc.Expect)), ":rev": avN(rev)},
	}, clone(next), nil
}

// closeTaskPut is the conditional put that closes an open task.
func (d *Dynamo) closeTaskPut(ctx context.Context, subject domain.SubjectID, taskID, closedBy string) (*types.Put, error) {
	it, err := d.getItem(ctx, "get task "+taskID, subjectPK(subject), taskSK(taskID))
	if err != nil {
		return nil, err
	}
	t, err := decodeDoc[domain.Task](it)
	if err != nil {
		return nil, err
	}
	if t.Status != TaskOpen {
		return nil, fmt.Errorf("task %s is already %s: %w", taskID, t.Status, ErrStale)
	}
	t.Status, t.ClosedBy = TaskClosed, closedBy
	newIt, err := taskItem(t) // without ListIndex keys: it leaves the open list
	if err != nil {
		return nil, err
	}
	return &types.Put{
		TableName: aws.String(d.table), Item: newIt,
		ConditionExpression:       aws.String("#st = :open"),
		ExpressionAttributeNames:  map[string]string{"#st": attrStatus},
		ExpressionAttributeValues: item{":open": avS(TaskOpen)},
	}, nil
}

// listIndexQuery is a ListIndex query of partition pk, with the sort key
// below hi when hi is set.
func listIndexQuery(pk, hi string) *dynamodb.QueryInput {
	in := &dynamodb.QueryInput{
		IndexName:                 aws.String(IndexList),
		KeyConditionExpression:    aws.String("#pk = :pk"),
		ExpressionAttributeNames:  map[string]string{"#pk": attrGSI2PK},
		ExpressionAttributeValues: item{":pk": avS(pk)},
	}
	if hi != "" {
		in.KeyConditionExpression = aws.String("#pk = :pk AND #sk < :hi")
		in.ExpressionAttributeNames["#sk"] = attrGSI2SK
		in.ExpressionAttributeValues[":hi"] = avS(hi)
	}
	return in
}

func (d *Dynamo) RegisterReminder(ctx context.Context, r model.Reminder) (model.Reminder, bool, error) {
	doc, err := reminderDoc(r)
	if err != nil {
		return model.Reminder{}, false, err
	}
	it, _, created, err := d.applyOffice(ctx, officeWrite{doc: doc, create: true, closeTask: r.TaskID, closedBy: r.ID})
	if err != nil {
		return model.Reminder{}, false, err
	}
	stored, err := decodeDoc[model.Reminder](it)
	return stored, created, err
}

func (d *Dynamo) ListReminders(ctx context.Context, subject domain.SubjectID) ([]model.Reminder, error) {
	items, err := d.querySubject(ctx, "list reminders", subjectPK(subject), prefixRemind)
	if err != nil {
		return nil, err
	}
	return decodeAll[model.Reminder](items)
}

func (d *Dynamo) RemindersBetween(ctx context.Context, from, to time.Time) ([]model.Reminder, error) {
	var out []model.Reminder
	for _, month := range monthPKs(from, to) {
		// Keys are "<time>#<subject>#<id>": every key of an instant at
		// or after from sorts at or above "<from>", every key before to
		// below "<to>" (a key never equals a bare time).
		items, err := d.queryAll(ctx, "reminders between", &dynamodb.QueryInput{
			IndexName:                 aws.String(IndexList),
			KeyConditionExpression:    aws.String("#pk = :pk AND #sk BETWEEN :lo AND :hi"),
			ExpressionAttributeNames:  map[string]string{"#pk": attrGSI2PK, "#sk": attrGSI2SK},
			ExpressionAttributeValues: item{":pk": avS(month), ":lo": avS(ReminderTime(from)), ":hi": avS(ReminderTime(to))},
		})
		if err != nil {
			return nil, err
		}
		rs, err := decodeAll[model.Reminder](items)
		if err != nil {
			return nil, err
		}
		out = append(out, rs...)
	}
	return out, nil
}

func (d *Dynamo) ListOverdueTasks(ctx context.Context, before domain.Date, p Page) ([]domain.Task, string, error) {
	items, cursor, err := d.queryPage(ctx, "list overdue tasks", listIndexQuery(gsiOpenTask, overdueBound(before)), p, listIndexKeys)
	if err != nil {
		return nil, "", err
	}
	tasks, err := decodeAll[domain.Task](items)
	return tasks, cursor, err
}

func (d *Dynamo) OpenObjection(ctx context.Context, o model.Objection, rc RecordChange) (model.Objection, domain.Record, bool, error) {
	doc, err := objectionDoc(o)
	if err != nil {
		return model.Objection{}, domain.Record{}, false, err
	}
	it, rec, created, err := d.applyOffice(ctx, officeWrite{doc: doc, create: true, record: &rc})
	if err != nil {
		return model.Objection{}, domain.Record{}, false, err
	}
	stored, err := decodeDoc[model.Objection](it)
	return stored, rec, created, err
}

func (d *Dynamo) DecideObjection(ctx context.Context, o model.Objection, rc RecordChange) (domain.Record, error) {
	doc, err := objectionDoc(o)
	if err != nil {
		return domain.Record{}, err
	}
	_, rec, _, err := d.applyOffice(ctx, officeWrite{doc: doc, expectStatus: model.ObjectionOpen, record: &rc})
	return rec, err
}

func (d *Dynamo) GetObjection(ctx context.Context, subject domain.SubjectID, id string) (model.Objection, error) {
	it, err := d.getItem(ctx, "get objection "+id, subjectPK(subject), prefixObjection+id)
	if err != nil {
		return model.Objection{}, err
	}
	return decodeDoc[model.Objection](it)
}

func (d *Dynamo) ListObjections(ctx context.Context, subject domain.SubjectID) ([]model.Objection, error) {
	items, err := d.querySubject(ctx, "list objections", subjectPK(subject), prefixObjection)
	if err != nil {
		return nil, err
	}
	return decodeAll[model.Objection](items)
}

func (d *Dynamo) ListOpenObjections(ctx context.Context, deadlineBefore domain.Date, p Page) ([]model.Objection, string, error) {
	hi := ""
	if !deadlineBefore.IsZero() {
		hi = overdueBound(deadlineBefore)
	}
	items, cursor, err := d.queryPage(ctx, "list open objections", listIndexQuery(gsiOpenObjection, hi), p, listIndexKeys)
	if err != nil {
		return nil, "", err
	}
	os, err := decodeAll[model.Objection](items)
	return os, cursor, err
}

func (d *Dynamo) PutRepair(ctx context.Context, r model.Repair) (model.Repair, bool, error) {
	doc, err := repairDoc(r)
	if err != nil {
		return model.Repair{}, false, err
	}
	it, _, created, err := d.applyOffice(ctx, officeWrite{doc: doc, create: true})
	if err != nil {
		return model.Repair{}, false, err
	}
	stored, err := decodeDoc[model.Repair](it)
	return stored, created, err
}

func (d *Dynamo) DecideRepair(ctx context.Context, r model.Repair, rc *RecordChange) (domain.Record, error) {
	doc, err := repairDoc(r)
	if err != nil {
		return domain.Record{}, err
	}
	_, rec, _, err := d.applyOffice(ctx, officeWrite{doc: doc, expectStatus: model.RepairPending, record: rc})
	return rec, err
}

func (d *Dynamo) GetRepair(ctx context.Context, subject domain.SubjectID, id string) (model.Repair, error) {
	it, err := d.getItem(ctx, "get repair "+id, subjectPK(subject), prefixRepair+id)
	if err != nil {
		return model.Repair{}, err
	}
	return decodeDoc[model.Repair](it)
}

func (d *Dynamo) ListRepairs(ctx context.Context, subject domain.SubjectID) ([]model.Repair, error) {
	items, err := d.querySubject(ctx, "list repairs", subjectPK(subject), prefixRepair)
	if err != nil {
		return nil, err
	}
	return decodeAll[model.Repair](items)
}

func (d *Dynamo) ListPendingRepairs(ctx context.Context, p Page) ([]model.Repair, string, error) {
	items, cursor, err := d.queryPage(ctx, "list pending repairs", listIndexQuery(gsiPendingRepair, ""), p, listIndexKeys)
	if err != nil {
		return nil, "", err
	}
	rs, err := decodeAll[model.Repair](items)
	return rs, cursor, err
}
