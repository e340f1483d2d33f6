package dynantic

import (
	"context"
	"iter"
	"strconv"
	"sync"
	"sync/atomic"

	"github.com/aws/aws-sdk-go-v2/service/dynamodb/types"
)

// Scan reads every item of a table
// (https://docs.aws.amazon.com/amazondynamodb/latest/APIReference/API_Scan.html),
// optionally filtered, optionally in parallel segments. Make one with
// Table.Scan and run it with a terminal: All, First, Iter, Page or Count.
// Scans read the whole table and cost accordingly; prefer a Query.
//
// Chain methods never fail: the first problem is kept and returned by the
// terminal, before any request. Like a Query, a built Scan may be run
// several times and by several goroutines.
type Scan[T any] struct {
	r read
}

// Scan starts a scan of the table
// (https://docs.aws.amazon.com/amazondynamodb/latest/APIReference/API_Scan.html;
// parallel scans: https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/Scan.html#Scan.ParallelScan).
// Input errors of the chain are returned by the terminal, before any
// request.
func (t *Table[T]) Scan() *Scan[T] {
	return &Scan[T]{r: read{t: t.table, scan: true}}
}

// MaxSegments is the largest Segments value: DynamoDB's limit on
// TotalSegments
// (https://docs.aws.amazon.com/amazondynamodb/latest/APIReference/API_Scan.html#DDB-Scan-request-TotalSegments).
const MaxSegments = 1000000

// maxScanWorkers bounds the goroutines (and requests in flight) of one
// parallel scan, and the TotalSegments it sends, whatever Segments asked.
const maxScanWorkers = 64

// Filter keeps only the items for which c holds (applied by DynamoDB after
// reading; filtered-out items still cost read capacity). Several Filters
// are ANDed.
func (s *Scan[T]) Filter(c Condition) *Scan[T] { s.r.setFilter(c); return s }

// Limit returns at most n items (n >= 1), however many a filter discards.
func (s *Scan[T]) Limit(n int) *Scan[T] { s.r.setLimit(n); return s }

// PageSize sets DynamoDB's Limit for each request: how many items a request
// evaluates, before the filter (see Query.PageSize).
func (s *Scan[T]) PageSize(n int) *Scan[T] { s.r.setPageSize(n); return s }

// Consistent asks for strongly consistent reads.
func (s *Scan[T]) Consistent() *Scan[T] { s.r.consistent = true; return s }

// Project reads only the named attributes (or nested paths), plus the
// table's key attributes, which are always read. A name the model lacks is
// ErrUnknownAttribute.
func (s *Scan[T]) Project(attrs ...string) *Scan[T] { s.r.setProject(attrs); return s }

// Hydrate reads the full items of an index scan from the table (see
// Query.Hydrate); on a scan of the table itself it is ErrInvalidQuery.
func (s *Scan[T]) Hydrate() *Scan[T] { s.r.hydrate = true; return s }

// WithCapacity adds the cost of each terminal call to *c (see
// Query.WithCapacity).
func (s *Scan[T]) WithCapacity(c *Capacity) *Scan[T] { s.r.capacity = c; return s }

// Segments scans in parallel: the table is split into min(n, 64) segments
// (DynamoDB's TotalSegments) read concurrently, one goroutine each, and
// their items are merged into All, Iter, First and Count in no particular
// order. More than 64 segments would only cost more requests (each segment
// takes at least one, even on an empty table), not add parallelism, so n
// above 64 reads as 64. n outside 1 to MaxSegments is ErrInvalidQuery from
// the terminal. The first failing segment cancels the others and its error
// is returned; breaking out of Iter stops them all. Page cannot read a
// parallel scan.
func (s *Scan[T]) Segments(n int) *Scan[T] { s.r.setSegments(n); return s }

func (r *read) setSegments(n int) {
	if n < 1 || n > MaxSegments {
		r.fail(r.errorf("Segments must be between 1 and " + strconv.Itoa(MaxSegments) + ", got " + strconv.Itoa(n)))
		return
	}
	r.segments = n
}

// All returns every matching item (up to Limit), as pointers (see
// Query.All). Errors: ErrUnknownAttribute, ErrInvalidCondition or
// ErrInvalidQuery before any request; *OpError for a failed request;
// a *CodecError for an item that does not decode; ctx's error when it ends.
func (s *Scan[T]) All(ctx context.Context) ([]*T, error) { return readAll[T](ctx, &s.r) }

// First returns the first matching item, or ErrNotFound; under a filter it
// reads whole pages until an item matches. Other errors are as for All.
func (s *Scan[T]) First(ctx context.Context) (*T, error) { return readFirst[T](ctx, &s.r) }

// Iter streams the matching items (up to Limit) page by page. Breaking out of
// the loop stops reading (and, for a parallel scan, every segment's
// goroutine before Iter returns); an error is yielded once, with a nil item,
// and ends the sequence. Errors are as for All.
func (s *Scan[T]) Iter(ctx context.Context) iter.Seq2[*T, error] { return readIter[T](ctx, &s.r) }

// Page returns one page of at most Limit items after cursor ("" for the
// first page), like Query.Page. It is an error on a parallel scan.
func (s *Scan[T]) Page(ctx context.Context, cursor string) (Page[T], error) {
	return readPage[T](ctx, &s.r, cursor)
}

// Count returns the number of matching items, capped at Limit when one is
// set, using Select=COUNT; segments are counted in parallel. Errors are as
// for All.
func (s *Scan[T]) Count(ctx context.Context) (int, error) { return readCount(ctx, &s.r) }

// segPage is what a segment's goroutine hands to the merging caller.
type segPage struct {
	items []map[string]types.AttributeValue
	count int
	err   error
}

// scatter runs the segments of a parallel scan on at most maxScanWorkers
// goroutines and returns a channel of their pages, and stop. A failing
// request sends its error and ends its goroutine. stop cancels the
// goroutines, drains the channel until every goroutine has returned, and
// adds their costs to the caller's Capacity; call it exactly once, deferred,
// so that even a panicking consumer leaves no goroutine behind.
func (rq *request) scatter(ctx context.Context) (pages <-chan segPage, stop func()) {
	ctx, cancel := context.WithCancel(ctx)
	workers := min(rq.segments, maxScanWorkers)
	out := make(chan segPage, workers)
	stats := make([]Capacity, workers)
	var next atomic.Int64
	var active sync.WaitGroup
	active.Add(workers)
	limit := rq.requestLimit(rq.want())
	for w := range workers {
		go func() {
			defer active.Done()
			for {
				seg := int(next.Add(1) - 1)
				if seg >= rq.segments {
					return
				}
				var start map[string]types.AttributeValue
				for {
					pg, err := rq.fetch(ctx, start, limit, seg, &stats[w])
					if err != nil {
						select {
						case out <- segPage{err: err}:
						case <-ctx.Done():
						}
						return
					}
					if len(pg.items) > 0 || pg.count > 0 {
						select {
						case out <- segPage{items: pg.items, count: pg.count}:
						case <-ctx.Done():
							return
						}
					}
					if pg.lek == nil {
						break
					}
					start = pg.lek
				}
			}
		}()
	}
	go func() {
		active.Wait()
		close(out)
	}()
	return out, func() {
		cancel()
		for range out {
		}
		var total Capacity
		for i := range stats {
			total.add(&stats[i])
		}
		rq.flush(&total)
	}
}

// parallel hands the items of a parallel scan to s, on the caller's
// goroutine, until the Limit is reached, s stops, or a segment fails.
func (rq *request) parallel(ctx context.Context, s sink) error {
	pages, stop := rq.scatter(ctx)
	defer stop()
	want := rq.want()
	for pg := range pages {
		if pg.err != nil {
			return pg.err
		}
		items := pg.items
		if want >= 0 && len(items) > want {
			items = items[:want]
		}
		s.grow(len(items))
		for _, it := range items {
			if err := s.put(it, nil); err != nil {
				return err
			}
		}
		if want >= 0 {
			if want -= len(items); want == 0 {
				return nil
			}
		}
	}
	// The channel closed: every segment ended, or ctx did.
	return ctx.Err()
}

// parallelCount sums the counts of a parallel scan's segments, up to the
// Limit.
func (rq *request) parallelCount(ctx context.Context) (int, error) {
	pages, stop := rq.scatter(ctx)
	defer stop()
	n := 0
	for pg := range pages {
		if pg.err != nil {
			return 0, pg.err
		}
		if n += pg.count; rq.limit > 0 && n >= rq.limit {
			return rq.limit, nil
		}
	}
	if err := ctx.Err(); err != nil {
		return 0, err
	}
	return n, nil
}
