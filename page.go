package dynantic

import (
	"context"
	"errors"
	"iter"
	"math"
	"slices"
	"strconv"
	"strings"
	"unsafe"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb/types"
	"github.com/aws/smithy-go"

	"github.com/dynantic/dynantic/internal/codec"
	"github.com/dynantic/dynantic/internal/expr"
	"github.com/dynantic/dynantic/internal/schema"
)

// Page is one page of a Query or Scan, returned by their Page method for
// stateless pagination (an HTTP API that hands the cursor to its client).
type Page[T any] struct {
	// Items holds at most Limit items (never nil, so it encodes as a JSON
	// array even when empty). Like every read, it hands items over as *T.
	Items []*T
	// HasMore reports whether more items may follow. It is false only when
	// DynamoDB said the data ended; a next page can still turn out empty.
	HasMore bool
	// Cursor resumes right after the last item in Items (or after the last
	// item DynamoDB evaluated, when every item of that request was
	// returned). It is "" when HasMore is false. Pass it to Page to read
	// the next page; it is opaque and URL-safe.
	Cursor string
	// LastEvaluatedKey is DynamoDB's LastEvaluatedKey of the last request
	// made for this page, as returned. It may lie beyond the last item
	// returned (when a filtered request matched more items than the page
	// had room for), so resume with Cursor, not with it.
	LastEvaluatedKey map[string]types.AttributeValue
}

// Capacity accumulates what calls cost, as DynamoDB reports it
// (ReturnConsumedCapacity INDEXES). Ask for it with the WithCapacity chain
// method of Query, Scan and Update (and Patch), or the WithCapacity option
// of Get, Save, Create, Delete, DeleteItem, the batches and the
// transactions (see WithCapacity). Each call adds its own requests to it
// when it returns, so one Capacity can sum several calls. It is not safe
// for concurrent use by several calls.
type Capacity struct {
	Requests int // requests answered (each retry of a batch's unprocessed items is one)
	Scanned  int // Query and Scan: items DynamoDB evaluated (ScannedCount), before any filter
	Matched  int // Query and Scan: items that passed the filter (Count), returned or not
	// Units is the total capacity consumed (ConsumedCapacity.CapacityUnits),
	// Table the part spent on the tables themselves and Indexes the part
	// spent on each secondary index.
	Units   float64
	Table   float64            // units spent on the table itself (on the tables, for a transaction over several)
	Indexes map[string]float64 // units spent on each secondary index, by name
	// Tables is Units by table name (prefix included): the only entry of a
	// call on one table, one per table of a transaction.
	Tables map[string]float64
	// Read and Write are the read and write capacity units, when DynamoDB
	// reports them apart (ConsumedCapacity.ReadCapacityUnits and
	// WriteCapacityUnits); DynamoDB Local and the engine report only Units.
	Read, Write float64
}

func (c *Capacity) add(o *Capacity) {
	c.Requests += o.Requests
	c.Scanned += o.Scanned
	c.Matched += o.Matched
	c.Units += o.Units
	c.Table += o.Table
	c.Read += o.Read
	c.Write += o.Write
	for name, u := range o.Indexes {
		if c.Indexes == nil {
			c.Indexes = make(map[string]float64, len(o.Indexes))
		}
		c.Indexes[name] += u
	}
	for name, u := range o.Tables {
		if c.Tables == nil {
			c.Tables = make(map[string]float64, len(o.Tables))
		}
		c.Tables[name] += u
	}
}

func (c *Capacity) addConsumed(cc *types.ConsumedCapacity) {
	if cc == nil {
		return
	}
	c.Units += aws.ToFloat64(cc.CapacityUnits)
	c.Read += aws.ToFloat64(cc.ReadCapacityUnits)
	c.Write += aws.ToFloat64(cc.WriteCapacityUnits)
	if cc.TableName != nil {
		if c.Tables == nil {
			c.Tables = make(map[string]float64, 1)
		}
		c.Tables[*cc.TableName] += aws.ToFloat64(cc.CapacityUnits)
	}
	if cc.Table != nil {
		c.Table += aws.ToFloat64(cc.Table.CapacityUnits)
	}
	for _, m := range [...]map[string]types.Capacity{cc.GlobalSecondaryIndexes, cc.LocalSecondaryIndexes} {
		for name, u := range m {
			if c.Indexes == nil {
				c.Indexes = make(map[string]float64, 1)
			}
			c.Indexes[name] += aws.ToFloat64(u.CapacityUnits)
		}
	}
}

// read is the non-generic state of a Query or Scan builder. Chain methods
// record into it and keep the first error; terminals compile it into a
// request.
type read struct {
	t          *table
	scan       bool
	index      *schema.Index // nil: the table itself
	pk         []any         // Query: one value per partition-key attribute
	sk         []skCond      // Query: sort key conditions, on the sort-key attributes in order
	filter     Condition
	limit      int // items returned; 0: all
	pageSize   int // DynamoDB's Limit per request; 0: DynamoDB's 1 MB pages
	reverse    bool
	consistent bool
	project    []string
	segments   int // parallel scan segments as asked (sent: at most maxScanWorkers); 0 or 1: sequential
	capacity   *Capacity
	hydrate    bool // index reads: read the full items from the table (index.go)
	err        error
}

// fail keeps the first error of a chain.
func (r *read) fail(err error) {
	if r.err == nil {
		r.err = err
	}
}

// errorf is a read built wrongly: it matches ErrInvalidQuery.
func (r *read) errorf(msg string) error {
	return &inputError{"dynantic: " + r.t.model.Name + ": " + r.op() + ": " + msg, ErrInvalidQuery}
}

// readsWhat names the table or index read, for messages.
func (r *read) readsWhat() string {
	if r.index != nil {
		return "index " + r.index.Name
	}
	return "the table"
}

func (r *read) op() string {
	if r.scan {
		return "Scan"
	}
	return "Query"
}

func (r *read) setFilter(c Condition) {
	if c.err != nil {
		r.fail(c.err)
		return
	}
	r.filter = And(r.filter, c)
}

func (r *read) setLimit(n int) {
	if n < 1 {
		r.fail(r.errorf("Limit must be at least 1, got " + strconv.Itoa(n)))
		return
	}
	r.limit = n
}

func (r *read) setPageSize(n int) {
	if n < 1 || n > math.MaxInt32 {
		r.fail(r.errorf("PageSize must be between 1 and 2147483647, got " + strconv.Itoa(n)))
		return
	}
	r.pageSize = n
}

func (r *read) setProject(attrs []string) {
	if len(attrs) == 0 {
		r.fail(r.errorf("Project needs at least one attribute"))
		return
	}
	r.project = append(r.project, attrs...)
}

// keyAttr is one attribute of a read's start key (ExclusiveStartKey): the
// table's keys, then the index's.
type keyAttr struct {
	name string
	typ  byte // 'S', 'N' or 'B'
}

// request is a compiled read: the request template and what paging needs.
type request struct {
	t        *table
	op       string // "Query" or "Scan", for logs and errors
	index    string // "" for the table
	qin      *dynamodb.QueryInput
	sin      *dynamodb.ScanInput
	keyAttrs []keyAttr
	pkParts  []namedValue // Query: the partition key values a cursor must match
	limit    int
	pageSize int
	filtered bool
	reverse  bool
	segments int
	capacity *Capacity
	bind     []byte // what a signed cursor is bound to, built on first use
	volatile string // a value placeholder left out of the binding (HideExpired's clock)
}

// compile checks the builder's state against the model and builds the
// request template. count builds a Select=COUNT request (no projection).
// Every input error is reported here, before any request.
func (r *read) compile(count bool) (*request, error) {
	if r.err != nil {
		return nil, r.err
	}
	t := r.t
	// HideExpired: expired items are filtered out by DynamoDB, so Limit
	// still counts returned items. The filter's clock value changes from page
	// to page, so a signed cursor leaves it out (volatile).
	userFilter := r.filter
	if t.variant != nil {
		// A variant handle's discriminator condition (or a Poly's
		// SkipUnknown filter), before the expiry so that its clock value
		// stays the last one compiled.
		var err error
		if userFilter, err = t.variant.readCond(t, r, userFilter); err != nil {
			return nil, err
		}
	}
	expiry := t.expiredFilter(t.db.now())
	filterCond := And(userFilter, expiry)
	if r.hydrate && r.index == nil {
		return nil, r.errorf("Hydrate reads the full items of an index read; a read of the table has them already")
	}
	if err := r.checkProjected(filterCond); err != nil {
		return nil, err
	}
	// More segments than goroutines would add requests (every segment costs
	// at least one), never parallelism: the table is split into as many
	// segments as are read at once.
	rq := &request{t: t, op: r.op(), limit: r.limit, pageSize: r.pageSize, reverse: r.reverse,
		segments: min(r.segments, maxScanWorkers), capacity: r.capacity, filtered: !filterCond.IsZero()}
	pkFs, skFs := []*codec.FieldCodec{t.pk}, []*codec.FieldCodec(nil)
	if t.sk != nil {
		skFs = append(skFs, t.sk)
	}
	if ix := r.index; ix != nil {
		rq.index = ix.Name
		pkFs, skFs = make([]*codec.FieldCodec, len(ix.PK)), make([]*codec.FieldCodec, len(ix.SK))
		for i, f := range ix.PK {
			pkFs[i] = t.field(f.Name)
		}
		for i, f := range ix.SK {
			skFs[i] = t.field(f.Name)
		}
		if r.consistent && !ix.Local {
			return nil, r.errorf("Consistent reads are not supported on global secondary index " + ix.Name + " (only on the table and its local secondary indexes)")
		}
	}
	rq.keyAttrs = t.keyAttrs(r.index)
	if !r.scan && r.filter.c != nil {
		// DynamoDB refuses a Query filter on a key attribute of the table or
		// index read (Scan filters may name any attribute).
		var keys []string
		for _, f := range append(slices.Clip(pkFs), skFs...) {
			keys = append(keys, f.Name)
		}
		if k := t.keyInFilter(r.filter.c, 0, keys...); k != "" {
			return nil, t.condErr("Query filter on key attribute " + strconv.Quote(k) + " of " + r.readsWhat() +
				": DynamoDB allows key attributes only in the key condition (use the sort key methods Eq, Between, ...)")
		}
	}

	b := t.builder()
	var keyCond, filter, proj string
	if !r.scan {
		var err error
		if keyCond, err = r.keyCondition(b, pkFs, skFs, rq); err != nil {
			return nil, err
		}
	}
	if rq.filtered {
		var err error
		if filter, err = t.cond(b, filterCond); err != nil {
			return nil, err
		}
		if !expiry.IsZero() {
			// The expiry's clock value is the last value compiled.
			rq.volatile = ":v" + strconv.Itoa(len(b.Values())-1)
		}
	}
	if r.hydrate && !count {
		proj = rq.keysProjection(b) // Project applies to the items read from the table
	} else if len(r.project) > 0 && !count {
		paths, err := t.attrPaths(r.project)
		if err != nil {
			return nil, err
		}
		// The key attributes are always read: the cursor is built from them.
		paths = slices.DeleteFunc(paths, func(p expr.Path) bool { return rq.isKeyAttr(p.Top()) })
		for _, ka := range rq.keyAttrs {
			paths = append(paths, expr.NamePath(ka.name))
		}
		if t.variant != nil {
			paths = t.variant.project(paths)
		}
		proj = b.Projection(paths)
	}

	var sel types.Select
	if count {
		sel = types.SelectCount
	}
	var rcc types.ReturnConsumedCapacity
	if r.capacity != nil {
		rcc = types.ReturnConsumedCapacityIndexes
	}
	var consistent *bool
	if r.consistent {
		consistent = aws.Bool(true)
	}
	if r.scan {
		rq.sin = &dynamodb.ScanInput{
			TableName: &t.name, IndexName: optString(rq.index),
			FilterExpression: optString(filter), ProjectionExpression: optString(proj),
			ExpressionAttributeNames: b.Names(), ExpressionAttributeValues: b.Values(),
			ConsistentRead: consistent, Select: sel, ReturnConsumedCapacity: rcc,
		}
		return rq, nil
	}
	rq.qin = &dynamodb.QueryInput{
		TableName: &t.name, IndexName: optString(rq.index),
		KeyConditionExpression: &keyCond,
		FilterExpression:       optString(filter), ProjectionExpression: optString(proj),
		ExpressionAttributeNames: b.Names(), ExpressionAttributeValues: b.Values(),
		ConsistentRead: consistent, Select: sel, ReturnConsumedCapacity: rcc,
	}
	if r.reverse {
		rq.qin.ScanIndexForward = aws.Bool(false)
	}
	return rq, nil
}

func optString(s string) *string {
	if s == "" {
		return nil
	}
	return &s
}

// keyAttrs lists the attributes of a start key for reads of the table
// (ix nil) or of one of its indexes: the table's keys, then the index's.
func (t *table) keyAttrs(ix *schema.Index) []keyAttr {
	out := make([]keyAttr, 0, 4)
	add := func(f *schema.Field) {
		if f == nil {
			return
		}
		for _, a := range out {
			if a.name == f.Name {
				return
			}
		}
		out = append(out, keyAttr{name: f.Name, typ: schema.ScalarType(f.Type, f.Opts)[0]})
	}
	add(t.model.PK)
	add(t.model.SK)
	if ix != nil {
		for _, f := range ix.PK {
			add(f)
		}
		for _, f := range ix.SK {
			add(f)
		}
	}
	return out
}

func (rq *request) isKeyAttr(name string) bool {
	for _, a := range rq.keyAttrs {
		if a.name == name {
			return true
		}
	}
	return false
}

// keyOf returns the start-key attributes of an item.
func (rq *request) keyOf(item map[string]types.AttributeValue) map[string]types.AttributeValue {
	k := make(map[string]types.AttributeValue, len(rq.keyAttrs))
	for _, a := range rq.keyAttrs {
		if v, ok := item[a.name]; ok {
			k[a.name] = v
		}
	}
	return k
}

// requestLimit is DynamoDB's Limit for the next request when want more
// items are wanted (want < 0: no limit). Without a filter every evaluated
// item is returned, so asking for exactly the items still wanted reads no
// more than needed. With a filter, DynamoDB's Limit counts items before the
// filter, so a small one would cost a request per evaluated item: full pages
// are read instead (or PageSize items), and the page is cut client-side.
func (rq *request) requestLimit(want int) int {
	lim := rq.pageSize
	if !rq.filtered && want > 0 && (lim == 0 || want < lim) {
		lim = want
	}
	return lim
}

// pageOut is what one request returned.
type pageOut struct {
	items []map[string]types.AttributeValue
	count int
	lek   map[string]types.AttributeValue
}

// fetch sends one Query or Scan request. segment >= 0 scans one segment of
// a parallel scan. The request's cost is added to stats.
func (rq *request) fetch(ctx context.Context, start map[string]types.AttributeValue, limit, segment int, stats *Capacity) (pageOut, error) {
	if err := ctx.Err(); err != nil {
		return pageOut{}, err
	}
	var lim *int32
	if limit > 0 {
		lim = aws.Int32(int32(limit))
	}
	var (
		out     pageOut
		scanned int32
		cc      *types.ConsumedCapacity
	)
	err := rq.t.call(ctx, rq.op, nil, nil, func() error {
		if rq.qin != nil {
			in := *rq.qin
			in.ExclusiveStartKey, in.Limit = start, lim
			o, err := rq.t.db.client.Query(ctx, &in, rq.t.db.wire.get...)
			if err != nil {
				return err
			}
			out, scanned, cc = pageOut{items: o.Items, count: int(o.Count), lek: o.LastEvaluatedKey}, o.ScannedCount, o.ConsumedCapacity
			return nil
		}
		in := *rq.sin
		in.ExclusiveStartKey, in.Limit = start, lim
		if segment >= 0 {
			in.Segment, in.TotalSegments = aws.Int32(int32(segment)), aws.Int32(int32(rq.segments))
		}
		o, err := rq.t.db.client.Scan(ctx, &in, rq.t.db.wire.get...)
		if err != nil {
			return err
		}
		out, scanned, cc = pageOut{items: o.Items, count: int(o.Count), lek: o.LastEvaluatedKey}, o.ScannedCount, o.ConsumedCapacity
		return nil
	})
	if err != nil {
		if ctxErr := ctx.Err(); ctxErr != nil {
			return pageOut{}, ctxErr
		}
		return pageOut{}, rq.opErr(err, start != nil)
	}
	if len(out.lek) == 0 {
		out.lek = nil
	}
	stats.Requests++
	stats.Scanned += int(scanned)
	stats.Matched += out.count
	stats.addConsumed(cc)
	return out, nil
}

// opErr wraps a failed request. DynamoDB's rejection of a start key (a
// cursor that passed the schema check but lies outside the query's range)
// also matches ErrInvalidCursor.
func (rq *request) opErr(err error, hadStart bool) error {
	var ae smithy.APIError
	if hadStart && errors.As(err, &ae) && ae.ErrorCode() == "ValidationException" &&
		(strings.Contains(ae.ErrorMessage(), "starting key") || strings.Contains(ae.ErrorMessage(), "ExclusiveStartKey")) {
		err = errors.Join(ErrInvalidCursor, err)
	}
	op := "Query"
	if rq.sin != nil {
		op = "Scan"
	}
	return &OpError{Op: op, Table: rq.t.name, Err: err}
}

// flush adds a call's cost to the caller's Capacity, if one was given.
func (rq *request) flush(stats *Capacity) {
	if rq.capacity != nil {
		rq.capacity.add(stats)
	}
}

// sink receives the items a read returns, in order, on the caller's
// goroutine. The generic terminals implement it to decode straight into
// their result.
type sink interface {
	grow(n int) // about n more items are coming
	// put takes the next item; v, when not nil, is the item already
	// decoded into a value of the table's type by the wire decoder, and
	// item then holds only the attributes keepNames lists (wiredirect.go).
	put(item map[string]types.AttributeValue, v unsafe.Pointer) error
	// direct reports whether the sink takes decoded values.
	direct() bool
}

// errStop is returned by a sink whose consumer wants no more items.
var errStop = errors.New("dynantic: stop")

// pager reads the pages of a sequential read one request after another.
type pager struct {
	rq    *request
	start map[string]types.AttributeValue // ExclusiveStartKey of the next request
	want  int                             // items still wanted; < 0: all
	stats Capacity

	// With a sink that takes decoded values, where the wire decoder puts
	// them, and the context that tells it so.
	dt   directTarget
	dctx *directCtx

	// After run: whether more items may follow, the key to resume after,
	// and the LastEvaluatedKey of the last request.
	more   bool
	resume map[string]types.AttributeValue
	lek    map[string]types.AttributeValue
}

// run reads pages and hands their items to s until want items were handed
// over, the data ends, s stops, or (onePage) one request was made. A page
// that holds more items than are still wanted is cut, and the read resumes
// after the last item handed over, so no item is skipped or repeated.
func (p *pager) run(ctx context.Context, s sink, onePage bool) error {
	callCtx := p.context(ctx, s)
	for {
		if p.dctx != nil {
			// A page cut after item want-1 resumes after its keys.
			p.dt.keepAt = p.want - 1
		}
		pg, err := p.rq.fetch(callCtx, p.start, p.rq.requestLimit(p.want), -1, &p.stats)
		if err != nil {
			return err
		}
		p.lek = pg.lek
		items, cut := pg.items, false
		if p.want >= 0 && len(items) > p.want {
			items, cut = items[:p.want], true
		}
		s.grow(len(items))
		for i, it := range items {
			if err := s.put(it, p.dt.at(i)); err != nil {
				return err
			}
		}
		if p.want >= 0 {
			p.want -= len(items)
		}
		if cut {
			p.resume, p.more = p.rq.keyOf(items[len(items)-1]), true
			return nil
		}
		p.resume, p.more = pg.lek, pg.lek != nil
		if !p.more || p.want == 0 || onePage {
			return nil
		}
		p.start = pg.lek
	}
}

// context is the context of the pager's requests: ctx, or ctx carrying
// p.dt when s takes values the wire decoder decodes.
func (p *pager) context(ctx context.Context, s sink) context.Context {
	if !s.direct() || !p.rq.t.direct(&p.dt) {
		return ctx
	}
	p.dt.keep = p.rq.t.keepNames(keepPage)
	p.dt.atKeep = p.dt.keep
	for _, a := range p.rq.keyAttrs {
		p.dt.atKeep = withName(p.dt.atKeep, a.name)
	}
	p.dctx = &directCtx{Context: ctx, dt: &p.dt}
	return p.dctx
}

func (rq *request) want() int {
	if rq.limit > 0 {
		return rq.limit
	}
	return -1
}

// each hands every item of the read (up to its Limit) to s.
func (rq *request) each(ctx context.Context, s sink) error {
	if rq.segments > 1 {
		return rq.parallel(ctx, s)
	}
	p := pager{rq: rq, want: rq.want()}
	err := p.run(ctx, s, false)
	rq.flush(&p.stats)
	return err
}

// count counts the matching items with Select=COUNT, up to the Limit.
func (rq *request) count(ctx context.Context) (int, error) {
	if rq.segments > 1 {
		return rq.parallelCount(ctx)
	}
	var stats Capacity
	defer rq.flush(&stats)
	n := 0
	var start map[string]types.AttributeValue
	for {
		want := -1
		if rq.limit > 0 {
			want = rq.limit - n
		}
		pg, err := rq.fetch(ctx, start, rq.requestLimit(want), -1, &stats)
		if err != nil {
			return 0, err
		}
		n += pg.count
		if rq.limit > 0 && n >= rq.limit {
			return rq.limit, nil
		}
		if pg.lek == nil {
			return n, nil
		}
		start = pg.lek
	}
}

// sliceSink decodes items into pointers. The items of one page share one
// []T allocated for the page (grow), so a page of n items costs one
// allocation for the values, not n; a pointer kept keeps its page's array.
type sliceSink[T any] struct {
	t     *table
	items []*T
	chunk []T // the current page's values; items point into it
	left  int // items of the page not yet put
}

func (s *sliceSink[T]) grow(n int) {
	s.items = slices.Grow(s.items, n)
	s.chunk, s.left = nil, n
}

func (s *sliceSink[T]) direct() bool { return true }

func (s *sliceSink[T]) put(item map[string]types.AttributeValue, v unsafe.Pointer) error {
	if v != nil { // decoded by the wire decoder, into an array of the page
		if err := s.t.finishItem(item, v); err != nil {
			return err
		}
	} else {
		if len(s.chunk) == cap(s.chunk) { // allocated at the page's first item
			s.chunk = make([]T, 0, max(s.left, 1))
		}
		s.chunk = s.chunk[:len(s.chunk)+1]
		v = unsafe.Pointer(&s.chunk[len(s.chunk)-1])
		if err := s.t.decodeItem(item, v); err != nil {
			return err
		}
	}
	s.left--
	s.items = append(s.items, (*T)(v))
	return nil
}

// yieldSink decodes each item into a new *T and yields it.
type yieldSink[T any] struct {
	t     *table
	yield func(*T, error) bool
}

func (s *yieldSink[T]) grow(int) {}

func (s *yieldSink[T]) direct() bool { return true }

func (s *yieldSink[T]) put(item map[string]types.AttributeValue, p unsafe.Pointer) error {
	if p != nil { // decoded by the wire decoder (its page's values share an array)
		if err := s.t.finishItem(item, p); err != nil {
			return err
		}
	} else {
		p = unsafe.Pointer(new(T))
		if err := s.t.decodeItem(item, p); err != nil {
			return err
		}
	}
	if !s.yield((*T)(p), nil) {
		return errStop
	}
	return nil
}

// The terminals, shared by Query[T] and Scan[T] (with the sinks above) and
// by the polymorphic reads (poly.go, with a sink that decodes each item by
// its discriminator): thin wrappers over the request core.

// runAll hands every item of the read (the first only, with first) to s.
func runAll(ctx context.Context, r *read, s sink, first bool) error {
	if ctx == nil {
		return ErrNilContext
	}
	rq, err := r.compile(false)
	if err != nil {
		return err
	}
	if first {
		rq.limit = 1
	}
	if s, err = r.hydrateSink(ctx, s); err != nil {
		return err
	}
	return rq.each(ctx, s)
}

// runIter hands the items to s, which yields them; an error is yielded once
// through fail.
func runIter(ctx context.Context, r *read, s sink, fail func(error)) {
	if ctx == nil {
		fail(ErrNilContext)
		return
	}
	rq, err := r.compile(false)
	if err == nil {
		s, err = r.hydrateSink(ctx, s)
	}
	if err != nil {
		fail(err)
		return
	}
	if err := rq.each(ctx, s); err != nil && err != errStop {
		fail(err)
	}
}

// pageMeta is what a Page holds besides its items.
type pageMeta struct {
	more   bool
	cursor string
	lek    map[string]types.AttributeValue
}

// runPage reads one page into s, starting after cursor.
func runPage(ctx context.Context, r *read, cursor string, s sink) (pageMeta, error) {
	if ctx == nil {
		return pageMeta{}, ErrNilContext
	}
	rq, err := r.compile(false)
	if err != nil {
		return pageMeta{}, err
	}
	if rq.segments > 1 {
		return pageMeta{}, r.errorf("Page cannot read a parallel scan (Segments); use Iter or All")
	}
	start, err := rq.decodeCursor(cursor)
	if err != nil {
		return pageMeta{}, err
	}
	if s, err = r.hydrateSink(ctx, s); err != nil {
		return pageMeta{}, err
	}
	p := pager{rq: rq, start: start, want: rq.want()}
	err = p.run(ctx, s, rq.limit == 0)
	rq.flush(&p.stats)
	if err != nil {
		return pageMeta{}, err
	}
	m := pageMeta{more: p.more, lek: p.lek}
	if p.more {
		if m.cursor, err = rq.encodeCursor(p.resume); err != nil {
			return pageMeta{}, err
		}
	}
	return m, nil
}

func readAll[T any](ctx context.Context, r *read) ([]*T, error) {
	s := &sliceSink[T]{t: r.t, items: []*T{}}
	if err := runAll(ctx, r, s, false); err != nil {
		return nil, err
	}
	return s.items, nil
}

func readFirst[T any](ctx context.Context, r *read) (*T, error) {
	s := &sliceSink[T]{t: r.t}
	if err := runAll(ctx, r, s, true); err != nil {
		return nil, err
	}
	if len(s.items) == 0 {
		return nil, ErrNotFound
	}
	return s.items[0], nil
}

func readIter[T any](ctx context.Context, r *read) iter.Seq2[*T, error] {
	return func(yield func(*T, error) bool) {
		runIter(ctx, r, &yieldSink[T]{t: r.t, yield: yield}, func(err error) { yield(nil, err) })
	}
}

func readPage[T any](ctx context.Context, r *read, cursor string) (Page[T], error) {
	s := &sliceSink[T]{t: r.t, items: []*T{}}
	m, err := runPage(ctx, r, cursor, s)
	if err != nil {
		return Page[T]{}, err
	}
	return Page[T]{Items: s.items, HasMore: m.more, Cursor: m.cursor, LastEvaluatedKey: m.lek}, nil
}

func readCount(ctx context.Context, r *read) (int, error) {
	if ctx == nil {
		return 0, ErrNilContext
	}
	rq, err := r.compile(true)
	if err != nil {
		return 0, err
	}
	return rq.count(ctx)
}
