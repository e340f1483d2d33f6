package dynantic

import (
	"context"
	"unsafe"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb/types"
)

// ReadOption configures a Get, a BatchGet (every ReadOption is a
// BatchOption) or a TxGet: Consistent, Project, WithCapacity.
type ReadOption interface {
	BatchOption
	applyRead(*readOptions)
}

type readOptions struct {
	consistent bool
	project    []string
	capacity   *Capacity // WithCapacity
}

// readOption is a ReadOption other than WithCapacity.
type readOption func(*readOptions)

func (f readOption) applyRead(o *readOptions) { f(o) }

// Consistent asks for a strongly consistent read, which sees every write
// acknowledged before it (at twice the read cost).
func Consistent() ReadOption { return readOption(func(o *readOptions) { o.consistent = true }) }

// Project reads only the named attributes (or nested paths); the other
// fields of the result keep their zero values. A name the model lacks is
// ErrUnknownAttribute.
func Project(attrs ...string) ReadOption {
	return readOption(func(o *readOptions) { o.project = append(o.project, attrs...) })
}

// Get reads the item with the given key
// (https://docs.aws.amazon.com/amazondynamodb/latest/APIReference/API_GetItem.html).
// It returns ErrNotFound when there is none (or, on a table with
// HideExpired, when the item's ttl has passed; on the handle of one variant
// of a Poly, when the item is of another variant), ErrInvalidKey (before any
// request) for a key that does not fit the table, and *OpError for a failed
// request.
func (t *Table[T]) Get(ctx context.Context, key ItemKey, opts ...ReadOption) (*T, error) {
	av, p, err := t.getItem(ctx, key, opts, true)
	if err != nil {
		return nil, err
	}
	if p != nil { // decoded by the wire decoder
		if err := t.finishItem(av, p); err != nil {
			return nil, err
		}
		return (*T)(p), nil
	}
	item := new(T)
	if err := t.decodeItem(av, unsafe.Pointer(item)); err != nil {
		return nil, err
	}
	return item, nil
}

// getItem reads the item with the given key, undecoded. With direct, the
// item may come decoded (p, a value of the table's type; see wiredirect.go), and
// the map then holds only the attributes the caller needs besides.
func (t *table) getItem(ctx context.Context, key ItemKey, opts []ReadOption, direct bool) (item map[string]types.AttributeValue, p unsafe.Pointer, err error) {
	if ctx == nil {
		return nil, nil, ErrNilContext
	}
	o := readOpts(opts)
	r := new(getRequest) // the input and the key's string values in one allocation
	k, err := t.keyIn(key, &r.slots)
	if err != nil {
		return nil, nil, err
	}
	in := &r.in
	*in = dynamodb.GetItemInput{TableName: &t.name, Key: k}
	if o.consistent {
		in.ConsistentRead = aws.Bool(true)
	}
	if o.capacity != nil {
		in.ReturnConsumedCapacity = types.ReturnConsumedCapacityIndexes
	}
	addedTTL := false
	if len(o.project) > 0 {
		paths, err := t.attrPaths(o.project)
		if err != nil {
			return nil, nil, err
		}
		paths, addedTTL = t.projectTTL(paths)
		if t.variant != nil {
			paths = t.variant.project(paths)
		}
		b := t.builder()
		in.ProjectionExpression = aws.String(b.Projection(paths))
		in.ExpressionAttributeNames = b.Names()
	}
	var out *dynamodb.GetItemOutput
	callCtx := r.context(ctx, t, direct, addedTTL)
	err = t.call(ctx, "GetItem", k, nil, func() (err error) {
		out, err = t.db.client.GetItem(callCtx, in, t.db.wire.get...)
		return err
	})
	if err != nil {
		return nil, nil, &OpError{Op: "GetItem", Table: t.name, Err: err}
	}
	o.capacity.answered(out.ConsumedCapacity)
	if out.Item == nil || t.hideRead(out.Item, addedTTL) || !t.variant.owns(out.Item) {
		return nil, nil, ErrNotFound
	}
	return out.Item, r.dt.at(0), nil
}

// context is the context of the GetItem call: ctx, or ctx carrying r.dt
// when the item can be decoded directly (a ttl attribute added to the
// projection must not be, so such reads are not).
func (r *getRequest) context(ctx context.Context, t *table, direct, addedTTL bool) context.Context {
	if !direct || addedTTL || !t.direct(&r.dt) {
		return ctx
	}
	r.dctx = directCtx{Context: ctx, dt: &r.dt}
	return &r.dctx
}

// getRequest is a GetItem input allocated together with its key's string
// values and its direct decoding target.
type getRequest struct {
	in    dynamodb.GetItemInput
	slots keySlots
	dt    directTarget
	dctx  directCtx
}
