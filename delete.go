package dynantic

import (
	"context"
	"fmt"
	"unsafe"

	"github.com/aws/aws-sdk-go-v2/service/dynamodb"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb/types"
)

// Delete deletes the item with the given key
// (https://docs.aws.amazon.com/amazondynamodb/latest/APIReference/API_DeleteItem.html).
// Deleting an item that does not exist succeeds, as in DynamoDB; use
// If(Attr(pk).Exists()) to require it. On the handle of one variant of a
// Poly (VariantTable), an item of another variant is left alone, as if it
// were missing. Errors: ErrInvalidKey before any request,
// *ConditionFailedError, *OpError.
func (t *Table[T]) Delete(ctx context.Context, key ItemKey, opts ...WriteOption) error {
	r := new(deleteRequest) // the input and the key's string values in one allocation
	k, err := t.keyIn(key, &r.slots)
	if err != nil {
		return err
	}
	return t.delete(ctx, "Delete", k, r, opts)
}

// DeleteItem deletes the stored item with item's key. Errors are as for
// Delete.
func (t *Table[T]) DeleteItem(ctx context.Context, item *T, opts ...WriteOption) error {
	if item == nil {
		return errNilItem(fmt.Sprintf("dynantic: %s: DeleteItem of a nil item", t.model.Name))
	}
	k, err := t.keyOf(unsafe.Pointer(item))
	if err != nil {
		return err
	}
	return t.delete(ctx, "DeleteItem", k, new(deleteRequest), opts)
}

// delete sends the DeleteItem request, filling r (allocated by the caller
// with the key's values).
func (t *Table[T]) delete(ctx context.Context, op string, key map[string]types.AttributeValue, r *deleteRequest, opts []WriteOption) error {
	if ctx == nil {
		return ErrNilContext
	}
	o, capacity := writeOpts(opts)
	// The input and its condition text in one allocation. r is new: its
	// fields are set one by one, not by copying a whole DeleteItemInput,
	// which during a garbage collection costs a write barrier on each of
	// its pointer words.
	in := &r.in
	in.TableName, in.Key = &t.name, key
	// The handle of one variant deletes only items of that variant.
	guard := t.variant.deleteGuard(t.pk.Name)
	if cond := And(o.cond, guard); !cond.IsZero() {
		b := t.builder()
		text, err := t.cond(b, cond)
		if err != nil {
			return err
		}
		r.cond = text
		in.ConditionExpression = &r.cond
		in.ExpressionAttributeNames = b.SharedNames() // read-only, see SharedNames
		in.ExpressionAttributeValues = b.Values()
		if o.returnCurrent || !guard.IsZero() {
			in.ReturnValuesOnConditionCheckFailure = types.ReturnValuesOnConditionCheckFailureAllOld
		}
	}
	in.ReturnConsumedCapacity = capacity.rcc()
	err := t.call(ctx, "DeleteItem", key, nil, func() error {
		out, err := t.db.client.DeleteItem(ctx, in)
		if err == nil {
			capacity.answered(out.ConsumedCapacity)
		}
		return err
	})
	if err != nil {
		err = t.writeErr(op, "DeleteItem", err, false)
		if !guard.IsZero() {
			return t.variant.guardedDeleteErr(err, o.returnCurrent)
		}
		return err
	}
	return nil
}

// deleteRequest is a DeleteItem input allocated together with its
// condition text and its key's string values.
type deleteRequest struct {
	in    dynamodb.DeleteItemInput
	cond  string
	slots keySlots
}
