package dynantic

import (
	"context"
	"errors"
	"fmt"
	"unsafe"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb/types"

	"github.com/dynantic/dynantic/internal/expr"
)

// WriteOption configures a Save, Create, Delete or DeleteItem (an Update
// has builder methods of the same names): If,
// ReturnItemOnConditionFailure, WithCapacity.
type WriteOption interface{ applyWrite(*writeOptions) }

type writeOptions struct {
	cond          Condition
	returnCurrent bool
}

// The WriteOptions other than WithCapacity. None is a closure: writeOpts
// applies them in a type switch, so neither the options nor the struct they
// fill escape, and If of a built condition allocates nothing (ifOption is
// pointer-shaped: an interface holds it without a box).
type (
	// ifOption is If of a condition without an error (c is nil for the
	// empty condition).
	ifOption struct{ c *expr.Cond }
	// condErrOption is If of a condition that failed to build.
	condErrOption struct{ err error }
	// returnCurrentOption is ReturnItemOnConditionFailure.
	returnCurrentOption struct{}
)

func (f ifOption) applyWrite(o *writeOptions) { o.cond = And(o.cond, Condition{c: f.c}) }

func (f condErrOption) applyWrite(o *writeOptions) { o.cond = And(o.cond, Condition{err: f.err}) }

func (returnCurrentOption) applyWrite(o *writeOptions) { o.returnCurrent = true }

// If makes the write conditional: it happens only when c is true for the
// item as stored, and otherwise fails with an error matching
// ErrConditionFailed (a *ConditionFailedError). Several If options are
// combined with AND.
func If(c Condition) WriteOption {
	if c.err != nil {
		return condErrOption{c.err}
	}
	return ifOption{c.c}
}

// ReturnItemOnConditionFailure asks DynamoDB to return the item as stored
// when the condition fails (ReturnValuesOnConditionCheckFailure=ALL_OLD), in
// ConditionFailedError.Item and .Current, at no extra read cost.
func ReturnItemOnConditionFailure() WriteOption { return returnCurrentOption{} }

// Save writes the whole item, replacing any item with the same key
// (https://docs.aws.amazon.com/amazondynamodb/latest/APIReference/API_PutItem.html).
// The item is validated first; an invalid item is a *ValidationError and
// nothing is sent. Other errors: *CodecError for an unencodable value (NaN),
// ErrInvalidKey for an empty key, ErrUnknownAttribute for a condition on an
// undeclared attribute, *ConditionFailedError, *OpError.
//
// Special fields: empty auto fields get a UUIDv7 before validation (kept in
// the struct even if the write fails, so a retry writes the same item);
// updated is set to now and created to now unless already set; a version
// field makes the write optimistic: it succeeds only if the stored item
// still has the struct's version (0: the stored item has no version yet),
// stores version+1, and otherwise fails with an error matching
// ErrVersionConflict and ErrConditionFailed. After a successful write the
// struct holds the stored version, created and updated values.
//
// When the SDK retried the request because an attempt went unanswered (a
// 5xx, a lost connection) and the retry then fails its condition, Save
// looks at the stored item: if it is exactly the item sent, the unanswered
// attempt wrote it, and Save succeeds (the same for Create).
func (t *Table[T]) Save(ctx context.Context, item *T, opts ...WriteOption) error {
	return t.put(ctx, "Save", item, false, opts)
}

// Create writes the item only if no item with its key exists; otherwise it
// fails with an error matching ErrAlreadyExists (and ErrConditionFailed).
// Further conditions given with If must hold too. Special fields are filled
// as by Save (the version is not compared, only incremented). Errors are
// otherwise as for Save.
func (t *Table[T]) Create(ctx context.Context, item *T, opts ...WriteOption) error {
	return t.put(ctx, "Create", item, true, opts)
}

func (t *Table[T]) put(ctx context.Context, op string, item *T, create bool, opts []WriteOption) error {
	if ctx == nil {
		return ErrNilContext
	}
	if item == nil {
		return errNilItem(fmt.Sprintf("dynantic: %s: %s of a nil item", t.model.Name, op))
	}
	o, capacity := writeOpts(opts)
	p := unsafe.Pointer(item)
	av, err := t.encodeWrite(item)
	if err != nil {
		return err
	}
	if err := t.checkItemKey(av); err != nil {
		return err
	}
	check, writes, err := t.stampPut(p, av, create)
	if err != nil {
		return err
	}
	in := &dynamodb.PutItemInput{TableName: &t.name, Item: av}
	var watch *attemptWatch // conditional puts only
	cond := o.cond
	if create {
		cond = And(Condition{c: &expr.Cond{Op: expr.OpNotExists, Args: []expr.Operand{{Path: expr.NamePath(t.pk.Name)}}}}, cond)
	}
	cond = And(cond, t.versionCond(check))
	if !cond.IsZero() {
		b := t.builder()
		text, err := t.cond(b, cond)
		if err != nil {
			return err
		}
		in.ConditionExpression = aws.String(text)
		in.ExpressionAttributeNames = b.SharedNames() // read-only, see SharedNames
		in.ExpressionAttributeValues = b.Values()
		// The stored item tells a conflict apart from an own write (and a
		// version conflict from the caller's condition, or "exists").
		in.ReturnValuesOnConditionCheckFailure = types.ReturnValuesOnConditionCheckFailureAllOld
		watch = newAttemptWatch()
	}
	in.ReturnConsumedCapacity = capacity.rcc()
	err = t.call(ctx, "PutItem", t.logKey(ctx, av), av, func() error {
		out, err := t.db.client.PutItem(ctx, in, watch.options()...)
		if err == nil {
			capacity.answered(out.ConsumedCapacity)
		}
		return err
	})
	if err != nil && !watch.ownPut(err, av) {
		return t.failed(op, "PutItem", err, create, check, create || o.returnCurrent)
	}
	t.writeBack(p, writes)
	return nil
}

// writeErr turns a failed write's SDK error into the library's errors.
func (t *Table[T]) writeErr(op, apiOp string, err error, create bool) error {
	var ccf *types.ConditionalCheckFailedException
	if !errors.As(err, &ccf) {
		return &OpError{Op: apiOp, Table: t.name, Err: err}
	}
	e := &ConditionFailedError{Op: op, Table: t.name, Err: err}
	if len(ccf.Item) > 0 {
		e.Item = ccf.Item
		cur := new(T)
		if t.decodeItem(ccf.Item, unsafe.Pointer(cur)) == nil {
			e.Current = cur
		}
		e.alreadyExists = create
	}
	return e
}
