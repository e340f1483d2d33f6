package dynantic

import (
	"context"
	"iter"
	"strconv"
	"strings"

	"github.com/aws/aws-sdk-go-v2/service/dynamodb/types"

	"github.com/dynantic/dynantic/internal/codec"
	"github.com/dynantic/dynantic/internal/expr"
	"github.com/dynantic/dynantic/internal/schema"
)

// Query reads the items of one partition of a table or index, in sort key
// order (https://docs.aws.amazon.com/amazondynamodb/latest/APIReference/API_Query.html).
// Make one with Table.Query or Table.QueryIndex, narrow it with chain
// methods, and run it with a terminal: All, First, Iter, Page or Count.
//
// Chain methods never fail: the first problem (a wrongly typed sort key
// bound, an unknown attribute in a filter...) is kept and returned by the
// terminal, before any request. A Query is reusable: terminals do not change
// it, and several goroutines may run terminals of the same Query once it is
// built; building it is not safe for concurrent use.
type Query[T any] struct {
	r read
}

// Query starts a query of the items whose partition key is pk
// (https://docs.aws.amazon.com/amazondynamodb/latest/APIReference/API_Query.html).
// pk is converted to the partition key's type as Key does (an int for an
// int64 key); a wrongly typed or empty value is ErrInvalidKey from the
// terminal, before any request.
func (t *Table[T]) Query(pk any) *Query[T] {
	return &Query[T]{r: read{t: t.table, pk: pk}}
}

// QueryIndex starts a query of the secondary index named index (a GSI or an
// LSI declared by the model's gsi_pk/gsi_sk/lsi_sk tags), for the items whose
// index partition key is pk
// (https://docs.aws.amazon.com/amazondynamodb/latest/APIReference/API_Query.html,
// https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/SecondaryIndexes.html). Sort key conditions then apply to the index's
// sort key. An index the model does not declare is ErrUnknownIndex, and a
// pk that does not fit the index's partition key is ErrInvalidKey, both from
// the terminal before any request.
func (t *Table[T]) QueryIndex(index string, pk any) *Query[T] {
	q := &Query[T]{r: read{t: t.table, pk: pk}}
	if q.r.index = t.model.Index(index); q.r.index == nil {
		q.r.fail(t.unknownIndex(index))
	}
	return q
}

func (t *table) unknownIndex(name string) error {
	known := make([]string, len(t.model.Indexes))
	for i, ix := range t.model.Indexes {
		known[i] = ix.Name
	}
	msg := "dynantic: " + t.model.Name + " has no index " + strconv.Quote(name)
	if len(known) == 0 {
		msg += " (the model declares no index)"
	} else {
		msg += " (it declares " + strings.Join(known, ", ") + ")"
	}
	return &inputError{msg, ErrUnknownIndex}
}

// skOp is a sort key condition operator.
type skOp uint8

const (
	skNone skOp = iota
	skEq
	skLt
	skLte
	skGt
	skGte
	skBetween
	skBeginsWith
)

var skOpNames = [...]string{skEq: "Eq", skLt: "Lt", skLte: "Lte", skGt: "Gt", skGte: "Gte", skBetween: "Between", skBeginsWith: "BeginsWith"}

var skOpText = [...]string{skEq: " = ", skLt: " < ", skLte: " <= ", skGt: " > ", skGte: " >= "}

// skCond is a query's sort key condition.
type skCond struct {
	op   skOp
	vals [2]any
}

func (r *read) setSK(op skOp, vals ...any) {
	if r.sk.op != skNone {
		r.fail(r.t.keyErr("a query takes one sort key condition, got " + skOpNames[r.sk.op] + " and " + skOpNames[op]))
		return
	}
	r.sk.op = op
	copy(r.sk.vals[:], vals)
}

// keyCondition compiles the partition key equality and the sort key
// condition, with values encoded by the key fields' own codecs.
func (r *read) keyCondition(b *expr.Builder, pkF, skF *codec.FieldCodec, rq *request) (string, error) {
	t := r.t
	pkAV, err := t.keyPart(pkF, r.pk)
	if err != nil {
		return "", err
	}
	rq.pkAttr, rq.pkValue = pkF.Name, pkAV
	text := b.Name(expr.NamePath(pkF.Name)) + " = " + b.Value(pkAV)
	op := r.sk.op
	if op == skNone {
		return text, nil
	}
	if skF == nil {
		return "", t.keyErr(skOpNames[op] + " needs a sort key, and " + r.readsWhat() + " has none")
	}
	if kt := t.template(skF.Name); kt != nil {
		c, err := t.templateSKCond(b, kt, op, r.sk.vals)
		return text + " AND " + c, err
	}
	n := 1
	if op == skBetween {
		n = 2
	}
	var vals [2]types.AttributeValue
	for i := range n {
		if vals[i], err = t.boundValue(skF, op, r.sk.vals[i]); err != nil {
			return "", err
		}
	}
	if op == skBetween {
		if err := t.checkBounds(strconv.Quote(skF.Name), vals[0], vals[1], t.keyErr); err != nil {
			return "", err
		}
	}
	name := b.Name(expr.NamePath(skF.Name))
	switch op {
	case skBetween:
		return text + " AND " + name + " BETWEEN " + b.Value(vals[0]) + " AND " + b.Value(vals[1]), nil
	case skBeginsWith:
		return text + " AND begins_with(" + name + ", " + b.Value(vals[0]) + ")", nil
	}
	return text + " AND " + name + skOpText[op] + b.Value(vals[0]), nil
}

// boundValue encodes a sort key bound with the sort key field's codec
// (a time.Time against a time key, any integer against a number key). A
// BeginsWith prefix on a time key stored as a string may be a string such
// as "2024-05". Zero, "" and false are values, never "no bound": "" is
// rejected because DynamoDB rejects empty key values.
func (t *table) boundValue(f *codec.FieldCodec, op skOp, v any) (types.AttributeValue, error) {
	if op == skBeginsWith {
		switch schema.ScalarType(f.Type, f.Opts) {
		case "N":
			return nil, t.keyErr("BeginsWith needs a string or binary sort key, and " + f.Name + " is a number")
		case "S":
			if s, ok := v.(string); ok && schema.IsTime(f.Type) {
				if s == "" {
					return nil, t.keyErr("key " + f.Name + " is empty (DynamoDB keys cannot be empty)")
				}
				return &types.AttributeValueMemberS{Value: s}, nil
			}
		}
	}
	return t.keyValue(f, v)
}

// Eq keeps the items whose sort key equals v.
func (q *Query[T]) Eq(v any) *Query[T] { q.r.setSK(skEq, v); return q }

// Lt keeps the items whose sort key is less than v.
func (q *Query[T]) Lt(v any) *Query[T] { q.r.setSK(skLt, v); return q }

// Lte keeps the items whose sort key is less than or equal to v.
func (q *Query[T]) Lte(v any) *Query[T] { q.r.setSK(skLte, v); return q }

// Gt keeps the items whose sort key is greater than v.
func (q *Query[T]) Gt(v any) *Query[T] { q.r.setSK(skGt, v); return q }

// Gte keeps the items whose sort key is greater than or equal to v.
func (q *Query[T]) Gte(v any) *Query[T] { q.r.setSK(skGte, v); return q }

// Between keeps the items whose sort key is between lo and hi, both
// included.
func (q *Query[T]) Between(lo, hi any) *Query[T] { q.r.setSK(skBetween, lo, hi); return q }

// BeginsWith keeps the items whose sort key starts with prefix: a string for
// a string key ("2024-" for a time.Time key stored as text), a []byte for a
// binary key. On a number key it is ErrInvalidKey.
func (q *Query[T]) BeginsWith(prefix any) *Query[T] { q.r.setSK(skBeginsWith, prefix); return q }

// Filter keeps only the items for which c holds. DynamoDB applies it after
// reading, so filtered-out items still cost read capacity; Limit still
// counts returned items. Several Filters are ANDed. A filter naming a key
// attribute of the queried table or index (which DynamoDB rejects), or a
// value that does not fit its attribute, is ErrInvalidCondition from the
// terminal.
func (q *Query[T]) Filter(c Condition) *Query[T] { q.r.setFilter(c); return q }

// Limit returns at most n items (n >= 1; else ErrInvalidQuery), however
// many a filter discards: pages are read until n items are in hand or the
// data ends.
func (q *Query[T]) Limit(n int) *Query[T] { q.r.setLimit(n); return q }

// PageSize sets DynamoDB's Limit for each request: how many items a request
// evaluates, before the filter (1 to 2147483647). Without it, requests read
// up to 1 MB, or just the items still wanted when there is no filter. Use it
// to bound the read cost of one request under a selective filter.
func (q *Query[T]) PageSize(n int) *Query[T] { q.r.setPageSize(n); return q }

// Reverse returns items in descending sort key order.
func (q *Query[T]) Reverse() *Query[T] { q.r.reverse = true; return q }

// Consistent asks for strongly consistent reads. Global secondary indexes do
// not support them: Consistent on a QueryIndex of a GSI is ErrInvalidQuery
// from the terminal.
func (q *Query[T]) Consistent() *Query[T] { q.r.consistent = true; return q }

// Project reads only the named attributes (or nested paths), plus the key
// attributes of the table and of the queried index, which are always read
// (the cursor is built from them). Other fields keep their zero values. A
// name the model lacks is ErrUnknownAttribute.
func (q *Query[T]) Project(attrs ...string) *Query[T] { q.r.setProject(attrs); return q }

// WithCapacity adds the cost of each terminal call (requests, items
// evaluated, consumed capacity units per table and index) to *c; the
// requests then ask DynamoDB for their consumed capacity.
func (q *Query[T]) WithCapacity(c *Capacity) *Query[T] { q.r.capacity = c; return q }

// All returns every matching item (up to Limit), reading page after page.
// Items are pointers, as every read hands them over (the items of one page
// share one allocation). Errors: ErrInvalidKey, ErrUnknownIndex,
// ErrUnknownAttribute, ErrInvalidCondition or ErrInvalidQuery before any
// request; *OpError for a failed request; a *CodecError for an item that
// does not decode; ctx's error when it ends.
func (q *Query[T]) All(ctx context.Context) ([]*T, error) { return readAll[T](ctx, &q.r) }

// First returns the first matching item, or ErrNotFound. Under a filter it
// reads whole pages (not one item per request) until an item matches. Other
// errors are as for All.
func (q *Query[T]) First(ctx context.Context) (*T, error) { return readFirst[T](ctx, &q.r) }

// Iter streams the matching items (up to Limit) page by page, so memory
// stays flat. Breaking out of the loop stops reading; an error is yielded
// once, with a nil item, and ends the sequence (ctx's error when ctx ends).
// Errors are as for All.
func (q *Query[T]) Iter(ctx context.Context) iter.Seq2[*T, error] { return readIter[T](ctx, &q.r) }

// Page returns one page of at most Limit items, starting after cursor ("" for
// the first page); without Limit, the items of one DynamoDB request. Its
// Cursor resumes right after the last item returned, so paging through a
// filtered query yields each match exactly once. A malformed, tampered or
// foreign cursor is ErrInvalidCursor, before any request (see
// WithCursorSecret). Other errors are as for All.
func (q *Query[T]) Page(ctx context.Context, cursor string) (Page[T], error) {
	return readPage[T](ctx, &q.r, cursor)
}

// Count returns the number of matching items, capped at Limit when one is
// set, using Select=COUNT (no item is transferred or decoded). A filter is
// honoured; the read cost is that of reading the items. Errors are as for
// All.
func (q *Query[T]) Count(ctx context.Context) (int, error) { return readCount(ctx, &q.r) }
