package memdynamo

import (
	"encoding/binary"
	"math/bits"
	"strings"

	"github.com/google/btree"

	"github.com/dynantic/dynantic/memdynamo/internal/expression"
	"github.com/dynantic/dynantic/memdynamo/internal/value"
	"github.com/dynantic/dynantic/memdynamo/internal/wire"
)

func init() {
	operations["Scan"] = (*Engine).scan
	operations["Query"] = (*Engine).query
}

// maxPageBytes: a Query or Scan page stops after the item that takes the evaluated data past 1 MB
// (DynamoDB Local includes that item; verified at the exact boundary).
const maxPageBytes = 1 << 20

// readHook, when set by a test, is told how many tree entries each Query or Scan visited.
var readHook func(visited int)

// readIn holds the members of a Query or Scan request.
type readIn struct {
	itemIn
	index     string
	hasIndex  bool
	limit     int64
	hasLimit  bool
	sel       string
	esk       value.Item
	hasESK    bool
	forward   bool
	segment   int64
	hasSeg    bool
	total     int64
	hasTotal  bool
	filter    string
	hasFilter bool
	keyCond   string
	hasKC     bool

	keyConds       []legacyCond // KeyConditions
	hasKeyConds    bool
	filterConds    []legacyCond // QueryFilter or ScanFilter
	hasFilterConds bool
}

func decodeReadIn(body []byte) (*readIn, *wire.Error) {
	in := &readIn{forward: true}
	err := decodeRequest(body, func(r *wire.Reader, name string) {
		switch name {
		case "IndexName":
			in.index, in.hasIndex = r.String(), true
		case "Limit":
			in.limit, in.hasLimit = r.Int("Limit"), true
		case "Select":
			in.sel = r.String()
		case "ExclusiveStartKey":
			in.esk, in.hasESK = readItem(r, &in.fe), true
		case "ScanIndexForward":
			in.forward = r.Bool()
		case "Segment":
			in.segment, in.hasSeg = r.Int("Segment"), true
		case "TotalSegments":
			in.total, in.hasTotal = r.Int("TotalSegments"), true
		case "FilterExpression":
			in.filter, in.hasFilter = r.String(), true
		case "KeyConditionExpression":
			in.keyCond, in.hasKC = r.String(), true
		case "KeyConditions":
			in.legacy = append(in.legacy, name)
			in.keyConds, in.hasKeyConds = readLegacyConds(r, &in.fe), true
		case "QueryFilter", "ScanFilter":
			in.legacy = append(in.legacy, name)
			in.filterConds, in.hasFilterConds = readLegacyConds(r, &in.fe), true
		default:
			if !in.member(r, name) {
				r.Skip()
			}
		}
	})
	return in, err
}

// readPlan is a validated Query or Scan: where to read and what to return.
type readPlan struct {
	t       *table
	ix      *index // nil: the table
	tree    *btree.BTreeG[entry]
	filter  *expression.Condition
	proj    *projection
	count   bool // Select COUNT
	fetch   bool // an LSI read needing attributes it does not project: read the table item
	limit   int
	forward bool
	lo, hi  string // key range [lo, hi) (hi "" = unbounded)
	after   string // exclusive start position, "" for none
}

// validateRead checks what Query and Scan share: table, index, Limit, Select, ConsistentRead,
// ExclusiveStartKey. It returns the table and index.
func (e *Engine) validateRead(in *readIn, query bool) (*table, *index, *wire.Error) {
	if err := checkTableName(in.table, in.hasTable); err != nil {
		return nil, nil, err
	}
	if in.hasIndex && !validTableName(in.index) {
		return nil, nil, wire.Validation(msgInvalidName)
	}
	if in.hasLimit && in.limit < 1 {
		return nil, nil, wire.Validation("Limit must be greater than or equal to 1")
	}
	switch in.sel {
	case "", "ALL_ATTRIBUTES", "ALL_PROJECTED_ATTRIBUTES", "COUNT", "SPECIFIC_ATTRIBUTES":
	default:
		return nil, nil, wire.Validation("Select must be ALL_ATTRIBUTES, ALL_PROJECTED_ATTRIBUTES, COUNT, or SPECIFIC_ATTRIBUTES")
	}
	if err := checkRCC(in.rcc); err != nil {
		return nil, nil, err
	}
	if !query {
		if in.hasSeg && !in.hasTotal {
			return nil, nil, wire.Validation("If segment is specified, total segment must also be specified")
		}
		if in.hasTotal && !in.hasSeg {
			return nil, nil, wire.Validation("If total segments is specified, a particular segment must also be specified for this request")
		}
		if in.hasTotal {
			if in.segment < 0 || in.segment > in.total-1 {
				return nil, nil, wire.Validation("1 validation error detected: Value '" + itoa(in.segment) + "' at 'segment' failed to satisfy constraint: Member must have value less than or equal to " + itoa(in.total-1))
			}
			if in.total > 1000000 {
				return nil, nil, wire.Validation("1 validation error detected: Value '" + itoa(in.total) + "' at 'totalSegments' failed to satisfy constraint: Member must have value less than or equal to 1000000")
			}
		}
	}
	t, err := e.lookupTable(in.table, true)
	if err != nil {
		return nil, nil, err
	}
	if in.fe.err != nil {
		return nil, nil, in.fe.err
	}
	var ix *index
	if in.hasIndex {
		ix = t.index(in.index)
		if ix == nil {
			return nil, nil, wire.Validation("The table does not have the specified index: " + in.index)
		}
		if !ix.local && in.consistent {
			return nil, nil, wire.Validation("Consistent reads are not supported on global secondary indexes")
		}
	}
	hasProj := in.hasProj || in.hasATG
	switch in.sel {
	case "ALL_PROJECTED_ATTRIBUTES":
		if ix == nil {
			return nil, nil, wire.Validation("ALL_PROJECTED_ATTRIBUTES can be used only when Querying using an IndexName")
		}
		if hasProj {
			return nil, nil, wire.Validation("Cannot specify the ProjectionExpression when choosing to get ALL_PROJECTED_ATTRIBUTES")
		}
	case "SPECIFIC_ATTRIBUTES":
		if !hasProj {
			return nil, nil, wire.Validation("Must specify the AttributesToGet or ProjectionExpression when choosing to get SPECIFIC_ATTRIBUTES")
		}
	case "COUNT":
		if hasProj {
			return nil, nil, wire.Validation("Cannot specify the ProjectionExpression when choosing to get only the Count")
		}
	case "ALL_ATTRIBUTES":
		if hasProj {
			return nil, nil, wire.Validation("Cannot specify the ProjectionExpression when choosing to get ALL_ATTRIBUTES")
		}
		if ix != nil && !ix.local && ix.projType != "ALL" {
			return nil, nil, wire.Validation("One or more parameter values were invalid: Select type ALL_ATTRIBUTES is not supported for global secondary index " + ix.name + " because its projection type is not ALL")
		}
	}
	return t, ix, nil
}

func itoa(n int64) string { return string(wire.AppendInt(nil, n)) }

// startAfter validates ExclusiveStartKey and returns the tree position to start after.
func (t *table) startAfter(ix *index, esk value.Item) (string, *wire.Error) {
	want := len(t.keys.hash) + len(t.keys.rng)
	if ix != nil {
		for _, n := range ix.keys.names() {
			if !t.keys.has(n) {
				want++
			}
		}
	}
	if len(esk) == 0 {
		return "", wire.Validation("The provided starting key is invalid")
	}
	if ix != nil && !ix.local {
		for _, n := range append(t.keys.names(), ix.keys.names()...) {
			if _, ok := esk[n]; !ok {
				return "", wire.Validation("The provided starting key is invalid")
			}
		}
	}
	if len(esk) != want {
		return "", wire.Validation("Exclusive Start Key must have same size as table's key schema")
	}
	for _, d := range append(append([]keyDef(nil), t.keys.hash...), t.keys.rng...) {
		v, ok := esk[d.name]
		if !ok {
			return "", wire.Validation("The provided starting key is invalid")
		}
		if v.Kind() != d.kind {
			return "", wire.Validation("Type mismatch for attribute to update")
		}
	}
	key, err := t.tableKey(esk)
	if err != nil {
		return "", wire.Validation("The provided starting key is invalid: " + err.Message)
	}
	if ix == nil {
		return key, nil
	}
	for _, d := range append(append([]keyDef(nil), ix.keys.hash...), ix.keys.rng...) {
		v, ok := esk[d.name]
		if !ok {
			return "", wire.Validation("The provided starting key is invalid")
		}
		if v.Kind() != d.kind {
			return "", wire.Validation("Type mismatch for attribute to update")
		}
	}
	ik, _ := t.indexKey(ix, esk, key)
	return ik, nil
}

// segmentRange returns the tree key range of parallel-scan segment seg of total: the partitions
// whose 64-bit hash h has floor(h*total/2^64) == seg.
func segmentRange(seg, total int64) (lo, hi string) {
	start := func(s int64) (uint64, bool) {
		if s >= total {
			return 0, false
		}
		// ceil(s * 2^64 / total)
		q, r := bits.Div64(uint64(s), 0, uint64(total))
		if r != 0 {
			q++
		}
		return q, true
	}
	var b [8]byte
	a, _ := start(seg)
	binary.BigEndian.PutUint64(b[:], a)
	lo = string(b[:])
	if z, ok := start(seg + 1); ok {
		binary.BigEndian.PutUint64(b[:], z)
		hi = string(b[:])
	}
	if seg == 0 {
		lo = ""
	}
	return lo, hi
}

// run executes a read plan and renders the response.
func (p *readPlan) run(in *readIn) []byte {
	// Without a filter, a projection or an index fetch, items are answered as stored: transcoded
	// to JSON from their stored form after the walk, never decoded.
	raw := p.filter == nil && p.proj == nil && !p.fetch && !p.count
	var (
		items     []value.Item
		stored    []entry
		fetched   float64 // read units of table items an LSI read fetched
		pbytes    int     // bytes of the entries read (projected items for an index)
		count     int
		scanned   int
		bytes     int
		last      entry
		stopped   bool
		lastFound bool
	)
	visited := 0
	visit := func(x entry) bool {
		visited++
		if p.forward {
			if p.hi != "" && x.key >= p.hi {
				return false
			}
			if p.after != "" && x.key <= p.after {
				return true
			}
		} else {
			if x.key < p.lo {
				return false
			}
			if p.hi != "" && x.key >= p.hi || p.after != "" && x.key >= p.after {
				return true
			}
		}
		scanned++
		bytes += int(x.size)
		pbytes += int(x.psize)
		last, lastFound = x, true
		if raw {
			count++
			stored = append(stored, x)
		} else if p.count && p.filter == nil {
			count++
		} else if item := decode(x); p.filter == nil || p.filter.Eval(item) {
			count++
			if !p.count {
				if p.fetch {
					if te, ok := p.t.lookup(p.t.tableKeyOfIndexEntry(p.ix, item)); ok {
						item = decode(te)
						fetched += readUnits(int(te.size), in.consistent)
					}
				}
				items = append(items, p.proj.apply(item))
			}
		}
		if p.limit > 0 && scanned >= p.limit || bytes > maxPageBytes {
			stopped = true
			return false
		}
		return true
	}
	p.t.mu.RLock()
	if p.forward {
		start := p.lo
		if p.after > start {
			start = p.after
		}
		p.tree.AscendGreaterOrEqual(entry{key: start}, visit)
	} else {
		start := p.hi
		if p.after != "" && (start == "" || p.after < start) {
			start = p.after
		}
		if start != "" {
			p.tree.DescendLessOrEqual(entry{key: start}, visit)
		} else {
			p.tree.Descend(visit)
		}
	}
	if readHook != nil {
		readHook(visited)
	}
	var lek value.Item
	if stopped && lastFound {
		lek = p.lastKey(decode(last))
	}
	p.t.mu.RUnlock()

	out := make([]byte, 0, 64+bytes+bytes/4)
	out = append(out, '{')
	if !p.count {
		out = append(out, `"Items":[`...)
		for i, it := range items {
			if i > 0 {
				out = append(out, ',')
			}
			out = value.AppendItemJSON(out, it)
		}
		for i, x := range stored {
			if i > 0 {
				out = append(out, ',')
			}
			out = appendEntryJSON(out, x, nil)
		}
		out = append(out, "],"...)
	}
	out = append(out, `"Count":`...)
	out = wire.AppendInt(out, int64(count))
	out = append(out, `,"ScannedCount":`...)
	out = wire.AppendInt(out, int64(scanned))
	if lek != nil {
		out = append(out, `,"LastEvaluatedKey":`...)
		out = value.AppendItemJSON(out, lek)
	}
	if wantCapacity(in.rcc) {
		c := &capacity{}
		units := readUnits(pbytes, in.consistent)
		if p.ix != nil {
			c.addIndex(p.ix, units)
			c.table = fetched
		} else {
			c.table = units
		}
		out = append(out, ',')
		out = append(out, `"ConsumedCapacity":`...)
		out = appendConsumed(out, p.t.name, c, in.rcc)
	}
	return append(out, '}')
}

// lastKey returns the LastEvaluatedKey of an evaluated item: the table key, plus the index key
// for an index read.
func (p *readPlan) lastKey(item value.Item) value.Item {
	k := value.Item{}
	for _, n := range p.t.keys.names() {
		k[n] = item[n]
	}
	if p.ix != nil {
		for _, n := range p.ix.keys.names() {
			k[n] = item[n]
		}
	}
	return k
}

// tableKeyOfIndexEntry returns the table tree key of an item read from an index.
func (t *table) tableKeyOfIndexEntry(ix *index, item value.Item) string {
	k, _ := t.tableKey(item)
	return k
}

func (e *Engine) scan(body []byte) ([]byte, *wire.Error) {
	in, err := decodeReadIn(body)
	if err != nil {
		return nil, err
	}
	t, ix, err := e.validateRead(in, false)
	if err != nil {
		return nil, err
	}
	p, _, err := e.plan(in, t, ix, false)
	if err != nil {
		return nil, err
	}
	if err := p.checkGSIProjection(); err != nil {
		return nil, err
	}
	if err := p.start(in); err != nil {
		return nil, err
	}
	if in.hasTotal {
		p.lo, p.hi = segmentRange(in.segment, in.total)
	}
	return p.run(in), nil
}

// plan parses the read's expressions in DynamoDB's order (FilterExpression,
// ProjectionExpression, KeyConditionExpression, then the unused-placeholder check) and builds the
// parts of the plan Query and Scan share. For a Query it returns the parsed key condition.
func (e *Engine) plan(in *readIn, t *table, ix *index, query bool) (*readPlan, *expression.KeyCondition, *wire.Error) {
	p := &readPlan{t: t, ix: ix, tree: t.tree, forward: true, limit: int(in.limit)}
	if ix != nil {
		p.tree = ix.tree
	}
	var modern []string
	if query && in.hasKC {
		modern = append(modern, "KeyConditionExpression")
	}
	if in.hasFilter {
		modern = append(modern, "FilterExpression")
	}
	if in.hasProj {
		modern = append(modern, "ProjectionExpression")
	}
	legacy := append([]string(nil), in.legacy...)
	if in.hasATG {
		legacy = append(legacy, "AttributesToGet")
	}
	if err := checkMixed(legacy, modern); err != nil {
		return nil, nil, err
	}
	nulls := "FilterExpression is null"
	if query {
		nulls = "FilterExpression and KeyConditionExpression are null"
	}
	if err := checkPlaceholders(&in.itemIn, len(modern) > 0, in.hasFilter || query && in.hasKC, nulls); err != nil {
		return nil, nil, err
	}
	var kc *expression.KeyCondition
	if len(modern) > 0 {
		ctx, err := expression.NewContext(in.names, in.values)
		if err != nil {
			return nil, nil, asWire(err)
		}
		if in.hasFilter {
			f, err := ctx.Condition(expression.FilterExpression, in.filter)
			if err != nil {
				return nil, nil, asWire(err)
			}
			p.filter = f
		}
		if in.hasProj {
			pr, err := ctx.Projection(in.projection)
			if err != nil {
				return nil, nil, asWire(err)
			}
			p.proj = &projection{p: pr}
		}
		if query && in.hasKC {
			k, err := ctx.KeyCondition(in.keyCond)
			if err != nil {
				return nil, nil, asWire(err)
			}
			kc = k
		}
		if err := ctx.CheckUnused(); err != nil {
			return nil, nil, asWire(err)
		}
	} else {
		if in.hasATG {
			p.proj = &projection{names: in.attrsToGet}
		}
		k, err := p.legacy(in, query)
		if err != nil {
			return nil, nil, err
		}
		kc = k
	}
	p.count = in.sel == "COUNT"
	if ix != nil && ix.local && ix.projType != "ALL" && (in.sel == "ALL_ATTRIBUTES" || p.proj != nil && !p.proj.within(t, ix)) {
		p.fetch = true
	}
	return p, kc, nil
}

// legacy translates KeyConditions, QueryFilter/ScanFilter and ConditionalOperator.
func (p *readPlan) legacy(in *readIn, query bool) (*expression.KeyCondition, *wire.Error) {
	if in.hasCondOp && !in.hasFilterConds {
		return nil, wire.Validation("ConditionalOperator cannot be used without Filter or Expected")
	}
	if !in.hasKeyConds && !in.hasFilterConds {
		return nil, nil
	}
	var b legacyBuilder
	var kcText, filterText string
	var err *wire.Error
	if in.hasFilterConds {
		j, err := joiner(in.condOp)
		if err != nil {
			return nil, err
		}
		if filterText, err = b.conditions(in.filterConds, j, false); err != nil {
			return nil, err
		}
	}
	if query && in.hasKeyConds {
		if kcText, err = b.conditions(in.keyConds, "AND", false); err != nil {
			return nil, err
		}
	}
	ctx, cerr := expression.NewContext(b.names, b.values)
	if cerr != nil {
		return nil, asWire(cerr)
	}
	if filterText != "" {
		f, err := ctx.Condition(expression.FilterExpression, filterText)
		if err != nil {
			return nil, asWire(err)
		}
		p.filter = f
	}
	if kcText != "" {
		k, err := ctx.KeyCondition(kcText)
		if err != nil {
			return nil, asWire(err)
		}
		return k, nil
	}
	return nil, nil
}

// checkGSIProjection refuses, for a GSI read, a projection or filter naming attributes the index
// does not store (DynamoDB cannot fetch them from the table as it does for an LSI).
func (p *readPlan) checkGSIProjection() *wire.Error {
	if p.ix == nil || p.ix.local || p.ix.projType == "ALL" {
		return nil
	}
	missing := func(names []string) []string {
		var out []string
		for _, n := range names {
			if !p.ix.projects(p.t, n) && !hasString(out, n) {
				out = append(out, n)
			}
		}
		return out
	}
	if p.proj != nil {
		if m := missing(p.proj.attributes()); len(m) > 0 {
			return wire.Validation("One or more parameter values were invalid: Global secondary index " + p.ix.name + " does not project [" + strings.Join(m, ", ") + "]")
		}
	}
	if p.filter != nil {
		if m := missing(p.filter.Attributes()); len(m) > 0 {
			return wire.Validation("One or more parameter values were invalid: Secondary index " + p.ix.name + " does not project one or more filter attributes: [" + strings.Join(m, ", ") + "]")
		}
	}
	return nil
}

// start applies ExclusiveStartKey.
func (p *readPlan) start(in *readIn) *wire.Error {
	if !in.hasESK {
		return nil
	}
	after, err := p.t.startAfter(p.ix, in.esk)
	if err != nil {
		return err
	}
	p.after = after
	return nil
}
