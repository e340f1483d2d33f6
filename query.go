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
	return &Query[T]{r: read{t: t.table, pk: []any{pk}}}
}

// QueryIndex starts a query of the secondary index named index (a GSI or an
// LSI declared by the model's gsi_pk/gsi_sk/lsi_sk tags), for the items whose
// index partition key is pk
// (https://docs.aws.amazon.com/amazondynamodb/latest/APIReference/API_Query.html,
// https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/SecondaryIndexes.html). Sort key conditions then apply to the index's
// sort key.
//
// A GSI with a multi-attribute partition key (gsi_pk=Index:1,
// gsi_pk=Index:2, ...) takes one value per attribute, in declared order:
// QueryIndex("ByRegion", region, tier). On a multi-attribute sort key the
// conditions follow the declared order too: each Eq pins the next sort-key
// attribute, and one range condition (Lt, Lte, Gt, Gte, Between,
// BeginsWith) may end the chain, as DynamoDB requires
// (https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/GSI.html#GSI.MultiAttributeKeys):
//
//	byRegion.QueryIndex("ByRegion", "EU", 3).Eq("shoes").Gte(100)
//
// An index the model does not declare is ErrUnknownIndex; a wrong number of
// partition values, a value that does not fit its attribute, more sort-key
// conditions than attributes, or a condition after a range condition is
// ErrInvalidKey; all from the terminal, before any request.
func (t *Table[T]) QueryIndex(index string, pk ...any) *Query[T] {
	q := &Query[T]{r: read{t: t.table, pk: pk}}
	q.r.setIndex(index)
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
	c := skCond{op: op}
	copy(c.vals[:], vals)
	r.sk = append(r.sk, c)
}

// namedValue is one attribute of a key, encoded.
type namedValue struct {
	name  string
	value types.AttributeValue
}

// keyCondition compiles the partition key equalities and the sort key
// conditions, with values encoded by the key fields' own codecs: one value
// per partition-key attribute, and sort-key conditions on the leading
// sort-key attributes in order (equalities, then at most one range
// condition), DynamoDB's rules for multi-attribute keys.
func (r *read) keyCondition(b *expr.Builder, pkFs, skFs []*codec.FieldCodec, rq *request) (string, error) {
	t := r.t
	if len(r.pk) != len(pkFs) {
		return "", t.keyErr(r.readsWhat() + " has " + strconv.Itoa(len(pkFs)) + " partition-key attribute(s) (" + fieldNames(pkFs) +
			"), and the query gives " + strconv.Itoa(len(r.pk)) + " value(s)")
	}
	var text strings.Builder
	for i, f := range pkFs {
		av, err := t.keyPart(f, r.pk[i])
		if err != nil {
			return "", err
		}
		rq.pkParts = append(rq.pkParts, namedValue{f.Name, av})
		if i > 0 {
			text.WriteString(" AND ")
		}
		text.WriteString(b.Name(expr.NamePath(f.Name)) + " = " + b.Value(av))
	}
	if len(r.sk) == 0 {
		return text.String(), nil
	}
	if len(skFs) == 0 {
		return "", t.keyErr(skOpNames[r.sk[0].op] + " needs a sort key, and " + r.readsWhat() + " has none")
	}
	if len(skFs) == 1 && len(r.sk) > 1 {
		return "", t.keyErr("a query takes one sort key condition, got " + skOpNames[r.sk[0].op] + " and " + skOpNames[r.sk[1].op])
	}
	for i, c := range r.sk {
		if i >= len(skFs) {
			return "", t.keyErr(r.readsWhat() + " has " + strconv.Itoa(len(skFs)) + " sort-key attributes (" + fieldNames(skFs) +
				"), and the query gives " + strconv.Itoa(len(r.sk)) + " sort key conditions")
		}
		if prev := r.sk[max(i-1, 0)]; i > 0 && prev.op != skEq {
			return "", t.keyErr(r.readsWhat() + ": " + skOpNames[c.op] + " on sort-key attribute " + skFs[i].Name + " follows " + skOpNames[prev.op] +
				" on " + skFs[i-1].Name + ": DynamoDB allows a range condition only on the last sort-key attribute a query uses (Eq on the ones before it)")
		}
		cond, err := r.skText(b, skFs[i], c)
		if err != nil {
			return "", err
		}
		text.WriteString(" AND " + cond)
	}
	return text.String(), nil
}

func fieldNames(fs []*codec.FieldCodec) string {
	names := make([]string, len(fs))
	for i, f := range fs {
		names[i] = f.Name
	}
	return strings.Join(names, ", ")
}

// skText compiles one sort key condition on attribute skF.
func (r *read) skText(b *expr.Builder, skF *codec.FieldCodec, c skCond) (string, error) {
	t, op := r.t, c.op
	if kt := t.template(skF.Name); kt != nil {
		return t.templateSKCond(b, kt, op, c.vals)
	}
	n := 1
	if op == skBetween {
		n = 2
	}
	var vals [2]types.AttributeValue
	for i := range n {
		var err error
		if vals[i], err = t.boundValue(skF, op, c.vals[i]); err != nil {
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
		return name + " BETWEEN " + b.Value(vals[0]) + " AND " + b.Value(vals[1]), nil
	case skBeginsWith:
		return "begins_with(" + name + ", " + b.Value(vals[0]) + ")", nil
	}
	return name + skOpText[op] + b.Value(vals[0]), nil
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

// Eq keeps the items whose sort key equals v. On a multi-attribute sort
// key, each Eq pins the next sort-key attribute in declared order.
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

// Hydrate reads the full items of an index read from the table: each page
// of index items is followed by BatchGetItem requests for their table keys
// (100 keys a request), and the items are handed over in the index's order.
// Use it on an index that projects KEYS_ONLY or INCLUDE when the whole item
// is wanted; it costs the index read plus a read of each item (measured in
// docs/design.md). Project then applies to the items read from the table,
// and the index read itself asks only for the keys. An item deleted
// between the two reads is left out, so a page may hold fewer than Limit
// items. Count ignores Hydrate. On a read of the table itself it is
// ErrInvalidQuery. A key BatchGetItem could not read is a *BatchError.
func (q *Query[T]) Hydrate() *Query[T] { q.r.hydrate = true; return q }

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
