package dynantic

import (
	"unsafe"

	"context"
	"iter"
	"slices"

	"github.com/aws/aws-sdk-go-v2/service/dynamodb/types"
)

// PolyQuery is a Query over a polymorphic table: the same chain methods as
// Query[T], and terminals that return each item as a pointer to its variant
// in an any. Make one with Poly.Query or Poly.QueryIndex.
type PolyQuery struct {
	r  read
	pc *polyCore
}

// PolyScan is a Scan over a polymorphic table, returning each item as a
// pointer to its variant. Make one with Poly.Scan.
type PolyScan struct {
	r  read
	pc *polyCore
}

// Query starts a query of the items whose partition key is pk
// (https://docs.aws.amazon.com/amazondynamodb/latest/APIReference/API_Query.html):
// an item collection of several variants, each decoded into its own type.
// pk and sort key bounds are the stored values ("CUSTOMER#42",
// BeginsWith("ORDER#")); key templates apply on the variants' own tables.
// Input errors come from the terminal, before any request, as for Query[T].
func (p *Poly[B]) Query(pk any) *PolyQuery {
	return &PolyQuery{r: read{t: p.t, pk: []any{pk}}, pc: p.polyCore}
}

// QueryIndex starts a query of a secondary index declared by the base or by
// any variant
// (https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/SecondaryIndexes.html).
// A multi-attribute partition key takes one value per attribute, and sort
// key conditions follow the declared order, as for Table.QueryIndex. An
// undeclared index is ErrUnknownIndex from the terminal.
func (p *Poly[B]) QueryIndex(index string, pk ...any) *PolyQuery {
	q := &PolyQuery{r: read{t: p.t, pk: pk}, pc: p.polyCore}
	q.r.setIndex(index)
	return q
}

// ScanIndex starts a scan of a secondary index declared by the base or by
// any variant, every item decoded into its variant (see Table.ScanIndex).
// An undeclared index is ErrUnknownIndex from the terminal.
func (p *Poly[B]) ScanIndex(index string) *PolyScan {
	s := p.Scan()
	s.r.setIndex(index)
	return s
}

// Scan starts a scan of the whole table
// (https://docs.aws.amazon.com/amazondynamodb/latest/APIReference/API_Scan.html),
// every item decoded into its variant.
func (p *Poly[B]) Scan() *PolyScan {
	return &PolyScan{r: read{t: p.t, scan: true}, pc: p.polyCore}
}

// Eq keeps the items whose sort key equals v.
func (q *PolyQuery) Eq(v any) *PolyQuery { q.r.setSK(skEq, v); return q }

// Lt keeps the items whose sort key is less than v.
func (q *PolyQuery) Lt(v any) *PolyQuery { q.r.setSK(skLt, v); return q }

// Lte keeps the items whose sort key is less than or equal to v.
func (q *PolyQuery) Lte(v any) *PolyQuery { q.r.setSK(skLte, v); return q }

// Gt keeps the items whose sort key is greater than v.
func (q *PolyQuery) Gt(v any) *PolyQuery { q.r.setSK(skGt, v); return q }

// Gte keeps the items whose sort key is greater than or equal to v.
func (q *PolyQuery) Gte(v any) *PolyQuery { q.r.setSK(skGte, v); return q }

// Between keeps the items whose sort key is between lo and hi, both
// included.
func (q *PolyQuery) Between(lo, hi any) *PolyQuery { q.r.setSK(skBetween, lo, hi); return q }

// BeginsWith keeps the items whose sort key starts with prefix
// (BeginsWith("ORDER#") for the orders of an item collection).
func (q *PolyQuery) BeginsWith(prefix any) *PolyQuery { q.r.setSK(skBeginsWith, prefix); return q }

// Filter keeps only the items for which c holds; c may name the attributes
// of any variant. Several Filters are ANDed.
func (q *PolyQuery) Filter(c Condition) *PolyQuery { q.r.setFilter(c); return q }

// Limit returns at most n items (n >= 1), however many a filter discards.
func (q *PolyQuery) Limit(n int) *PolyQuery { q.r.setLimit(n); return q }

// PageSize sets DynamoDB's Limit for each request (see Query.PageSize).
func (q *PolyQuery) PageSize(n int) *PolyQuery { q.r.setPageSize(n); return q }

// Reverse returns items in descending sort key order.
func (q *PolyQuery) Reverse() *PolyQuery { q.r.reverse = true; return q }

// Consistent asks for strongly consistent reads (not on a GSI).
func (q *PolyQuery) Consistent() *PolyQuery { q.r.consistent = true; return q }

// Project reads only the named attributes, plus the keys and the
// discriminator, which are always read.
func (q *PolyQuery) Project(attrs ...string) *PolyQuery { q.r.setProject(attrs); return q }

// Hydrate reads the full items of an index query from the table (see
// Query.Hydrate).
func (q *PolyQuery) Hydrate() *PolyQuery { q.r.hydrate = true; return q }

// WithCapacity adds the cost of each terminal call to *c.
func (q *PolyQuery) WithCapacity(c *Capacity) *PolyQuery { q.r.capacity = c; return q }

// All returns every matching item (up to Limit) as a pointer to its
// variant. Errors: *UnknownVariantError (ErrUnknownVariant) for an item of
// an unknown variant, unless SkipUnknown or KeepUnknown; otherwise as
// Query.All.
func (q *PolyQuery) All(ctx context.Context) ([]any, error) { return polyAll(ctx, &q.r, q.pc) }

// First returns the first matching item, or ErrNotFound. Errors are as for
// All.
func (q *PolyQuery) First(ctx context.Context) (any, error) { return polyFirst(ctx, &q.r, q.pc) }

// Iter streams the matching items page by page; an error is yielded once,
// with a nil item, and ends the sequence. Errors are as for All.
func (q *PolyQuery) Iter(ctx context.Context) iter.Seq2[any, error] { return polyIter(ctx, &q.r, q.pc) }

// Page returns one page of at most Limit items after cursor ("" for the
// first page); see Query.Page. Errors are as for All, and ErrInvalidCursor.
func (q *PolyQuery) Page(ctx context.Context, cursor string) (PolyPage, error) {
	return polyPage(ctx, &q.r, q.pc, cursor)
}

// Count returns the number of matching items with Select=COUNT (items of
// unknown variants included, unless SkipUnknown). Errors are as for
// Query.Count.
func (q *PolyQuery) Count(ctx context.Context) (int, error) { return readCount(ctx, &q.r) }

// Filter keeps only the items for which c holds; c may name the attributes
// of any variant.
func (s *PolyScan) Filter(c Condition) *PolyScan { s.r.setFilter(c); return s }

// Limit returns at most n items (n >= 1).
func (s *PolyScan) Limit(n int) *PolyScan { s.r.setLimit(n); return s }

// PageSize sets DynamoDB's Limit for each request.
func (s *PolyScan) PageSize(n int) *PolyScan { s.r.setPageSize(n); return s }

// Consistent asks for strongly consistent reads.
func (s *PolyScan) Consistent() *PolyScan { s.r.consistent = true; return s }

// Project reads only the named attributes, plus the keys and the
// discriminator.
func (s *PolyScan) Project(attrs ...string) *PolyScan { s.r.setProject(attrs); return s }

// Hydrate reads the full items of an index scan from the table (see
// Query.Hydrate).
func (s *PolyScan) Hydrate() *PolyScan { s.r.hydrate = true; return s }

// WithCapacity adds the cost of each terminal call to *c.
func (s *PolyScan) WithCapacity(c *Capacity) *PolyScan { s.r.capacity = c; return s }

// Segments scans in parallel (see Scan.Segments).
func (s *PolyScan) Segments(n int) *PolyScan { s.r.setSegments(n); return s }

// All returns every matching item as a pointer to its variant. Errors are as
// for PolyQuery.All.
func (s *PolyScan) All(ctx context.Context) ([]any, error) { return polyAll(ctx, &s.r, s.pc) }

// First returns the first matching item, or ErrNotFound.
func (s *PolyScan) First(ctx context.Context) (any, error) { return polyFirst(ctx, &s.r, s.pc) }

// Iter streams the matching items page by page.
func (s *PolyScan) Iter(ctx context.Context) iter.Seq2[any, error] { return polyIter(ctx, &s.r, s.pc) }

// Page returns one page of at most Limit items after cursor.
func (s *PolyScan) Page(ctx context.Context, cursor string) (PolyPage, error) {
	return polyPage(ctx, &s.r, s.pc, cursor)
}

// Count returns the number of matching items with Select=COUNT.
func (s *PolyScan) Count(ctx context.Context) (int, error) { return readCount(ctx, &s.r) }

// PolyPage is one page of a PolyQuery or PolyScan: Page's fields, with
// each item a pointer to its variant (or a *RawItem) in an any.
type PolyPage struct {
	// Items holds at most Limit items (never nil).
	Items []any
	// HasMore reports whether more items may follow (see Page.HasMore).
	HasMore bool
	// Cursor resumes right after the last item in Items; "" when HasMore
	// is false (see Page.Cursor).
	Cursor string
	// LastEvaluatedKey is DynamoDB's, as returned (see
	// Page.LastEvaluatedKey).
	LastEvaluatedKey map[string]types.AttributeValue
}

// anySink decodes each item into its variant, and collects or yields it.
type anySink struct {
	pc    *polyCore
	items []any
	yield func(any, error) bool // Iter
}

func (s *anySink) grow(n int) {
	if s.yield == nil {
		s.items = slices.Grow(s.items, n)
	}
}

func (s *anySink) direct() bool { return false }

func (s *anySink) put(item map[string]types.AttributeValue, _ unsafe.Pointer) error {
	v, keep, err := s.pc.decode(item)
	if err != nil || !keep {
		return err
	}
	if s.yield != nil {
		if !s.yield(v, nil) {
			return errStop
		}
		return nil
	}
	s.items = append(s.items, v)
	return nil
}

func polyAll(ctx context.Context, r *read, pc *polyCore) ([]any, error) {
	s := &anySink{pc: pc, items: []any{}}
	if err := runAll(ctx, r, s, false); err != nil {
		return nil, err
	}
	return s.items, nil
}

func polyFirst(ctx context.Context, r *read, pc *polyCore) (any, error) {
	s := &anySink{pc: pc}
	if err := runAll(ctx, r, s, true); err != nil {
		return nil, err
	}
	if len(s.items) == 0 {
		return nil, ErrNotFound
	}
	return s.items[0], nil
}

func polyIter(ctx context.Context, r *read, pc *polyCore) iter.Seq2[any, error] {
	return func(yield func(any, error) bool) {
		runIter(ctx, r, &anySink{pc: pc, yield: yield}, func(err error) { yield(nil, err) })
	}
}

func polyPage(ctx context.Context, r *read, pc *polyCore, cursor string) (PolyPage, error) {
	s := &anySink{pc: pc, items: []any{}}
	m, err := runPage(ctx, r, cursor, s)
	if err != nil {
		return PolyPage{}, err
	}
	return PolyPage{Items: s.items, HasMore: m.more, Cursor: m.cursor, LastEvaluatedKey: m.lek}, nil
}
