package memdynamo

import (
	"github.com/dynantic/dynantic/memdynamo/internal/value"
	"github.com/dynantic/dynantic/memdynamo/internal/wire"
)

func init() {
	operations["PutItem"] = (*Engine).putItem
	operations["GetItem"] = (*Engine).getItem
	operations["DeleteItem"] = (*Engine).deleteItem
}

const msgItemTooLarge = "Item size has exceeded the maximum allowed size"

// maxAttrNameLen is DynamoDB's documented limit on attribute names that are not keys: 64 KB.
const maxAttrNameLen = 65535

const msgAttrNameLen = "One or more parameter values were invalid: An attribute name exceeds the maximum length of 65535 bytes"

// checkItem validates an item to be stored: its key (returning the tree key), its size, and its
// index key attributes.
func (t *table) checkItem(item value.Item) (string, *wire.Error) {
	return t.checkItemFor(item, false)
}

// checkItemFor is checkItem with UpdateItem's wording when update is set.
func (t *table) checkItemFor(item value.Item, update bool) (string, *wire.Error) {
	key, err := t.tableKey(item)
	if err != nil {
		return "", err
	}
	for name := range item {
		if len(name) > maxAttrNameLen {
			return "", wire.Validation(msgAttrNameLen)
		}
	}
	if value.ItemSize(item) > value.MaxItemSize {
		return "", wire.Validation(msgItemTooLarge)
	}
	if err := t.checkIndexKeys(item, update); err != nil {
		return "", err
	}
	return key, nil
}

// writeCapacity is the capacity of replacing oldItem by newItem (either may be nil): the table
// pays one unit per KB of the larger item; each index pays for the entries it deletes and writes
// (one unit per KB of the projected item), nothing when its entry is unchanged.
func (t *table) writeCapacity(key string, oldItem, newItem value.Item) *capacity {
	size := 0
	if oldItem != nil {
		size = value.ItemSize(oldItem)
	}
	if newItem != nil {
		if n := value.ItemSize(newItem); n > size {
			size = n
		}
	}
	c := &capacity{table: writeUnits(size)}
	for _, ix := range t.indexes() {
		ko, inOld := t.indexKey(ix, oldItem, key)
		kn, inNew := t.indexKey(ix, newItem, key)
		var po, pn value.Item
		if inOld {
			po = t.project(ix, oldItem)
		}
		if inNew {
			pn = t.project(ix, newItem)
		}
		var units float64
		switch {
		case inOld && inNew && ko == kn:
			if value.Equal(value.M(po), value.M(pn)) {
				continue
			}
			units = writeUnits(max(value.ItemSize(po), value.ItemSize(pn)))
		default:
			if inOld {
				units += writeUnits(value.ItemSize(po))
			}
			if inNew {
				units += writeUnits(value.ItemSize(pn))
			}
		}
		if units > 0 {
			c.addIndex(ix, units)
		}
	}
	return c
}

// singleWrite is a validated PutItem, DeleteItem or UpdateItem request.
type singleWrite struct {
	in  *itemIn
	t   *table
	ex  *exprs
	key string // the item's tree key
}

// prepareWrite decodes and validates what the single-item writes share, in DynamoDB Local's
// order: table name, the Item or Key member, ReturnValues (one of allowed), the other enums, the
// table, the AttributeValues, the expressions, then the key.
func (e *Engine) prepareWrite(body []byte, kind string, allowed ...string) (*singleWrite, *wire.Error) {
	in, err := decodeItemIn(body)
	if err != nil {
		return nil, err
	}
	if err := checkTableName(in.table, in.hasTable); err != nil {
		return nil, err
	}
	switch {
	case kind == "Put" && !in.hasItem:
		return nil, wire.Validation("Item to put in PutItem cannot be null")
	case kind != "Put" && !in.hasKey:
		return nil, wire.Validation("Cannot have null key for GetItem, DeleteItem, or UpdateItem")
	}
	if err := firstOf(checkReturnValues(in.returnValues, allowed...), checkRVOnFailure(in.rvOnFailure), checkRCC(in.rcc), checkRICM(in.ricm)); err != nil {
		return nil, err
	}
	t, err := e.lookupTable(in.table, true)
	if err != nil {
		return nil, err
	}
	if in.fe.err != nil {
		return nil, in.fe.err
	}
	ex, err := prepareExprs(in, t, kind)
	if err != nil {
		return nil, err
	}
	w := &singleWrite{in: in, t: t, ex: ex}
	if kind == "Put" {
		w.key, err = t.checkItem(in.item)
	} else {
		w.key, err = t.keyOf(in.key)
	}
	if err != nil {
		return nil, err
	}
	return w, nil
}

// apply runs the write under the table's lock: it reads the stored item, checks the condition,
// computes the new item with next (nil deletes) and stores it. It returns the old and new items
// and the consumed capacity (when asked for).
func (w *singleWrite) apply(next func(old value.Item) (value.Item, *wire.Error)) (oldItem, newItem value.Item, c *capacity, err *wire.Error) {
	t := w.t
	t.mu.Lock()
	defer t.mu.Unlock()
	old, had := t.lookup(w.key)
	if had {
		oldItem = decode(old)
	}
	if err := w.ex.checkCondition(oldItem, w.in.rvOnFailure); err != nil {
		return nil, nil, nil, err
	}
	if newItem, err = next(oldItem); err != nil {
		return nil, nil, nil, err
	}
	if wantCapacity(w.in.rcc) {
		c = t.writeCapacity(w.key, oldItem, newItem)
	}
	if had || newItem != nil {
		t.write(w.key, old, had, oldItem, newItem)
	}
	return oldItem, newItem, c, nil
}

// respond renders the answer of a single-item write: Attributes (when non-empty),
// ConsumedCapacity and ItemCollectionMetrics when asked for.
func (w *singleWrite) respond(attrs value.Item, c *capacity) []byte {
	out := append(make([]byte, 0, 64), '{')
	if len(attrs) > 0 {
		out = append(out, `"Attributes":`...)
		out = value.AppendItemJSON(out, attrs)
	}
	out = appendCapacityMember(out, w.t.name, c, w.in.rcc)
	out = w.t.appendCollectionMetrics(out, w.in.key, w.in.item, w.in.ricm)
	return append(out, '}')
}

func (e *Engine) putItem(body []byte) ([]byte, *wire.Error) {
	w, err := e.prepareWrite(body, "Put", "NONE", "ALL_OLD")
	if err != nil {
		return nil, err
	}
	old, _, c, err := w.apply(func(value.Item) (value.Item, *wire.Error) { return w.in.item, nil })
	if err != nil {
		return nil, err
	}
	if w.in.returnValues != "ALL_OLD" {
		old = nil
	}
	return w.respond(old, c), nil
}

func (e *Engine) deleteItem(body []byte) ([]byte, *wire.Error) {
	w, err := e.prepareWrite(body, "Delete", "NONE", "ALL_OLD")
	if err != nil {
		return nil, err
	}
	old, _, c, err := w.apply(func(value.Item) (value.Item, *wire.Error) { return nil, nil })
	if err != nil {
		return nil, err
	}
	if w.in.returnValues != "ALL_OLD" {
		old = nil
	}
	return w.respond(old, c), nil
}

// appendCollectionMetrics appends `"ItemCollectionMetrics":{...}` for ReturnItemCollectionMetrics
// SIZE on a table with local secondary indexes (DynamoDB's documented answer; DynamoDB Local
// never sends it): the item collection's partition key and a size estimate in GB. key or item
// gives the partition key.
func (t *table) appendCollectionMetrics(out []byte, key, item value.Item, ricm string) []byte {
	if ricm != "SIZE" || len(t.lsis) == 0 {
		return out
	}
	src := key
	if src == nil {
		src = item
	}
	if len(out) > 1 {
		out = append(out, ',')
	}
	out = append(out, `"ItemCollectionMetrics":`...)
	return t.appendMetrics(out, src)
}

// appendMetrics appends one ItemCollectionMetrics object for the collection of src's partition.
func (t *table) appendMetrics(out []byte, src value.Item) []byte {
	k := value.Item{}
	for _, d := range t.keys.hash {
		k[d.name] = src[d.name]
	}
	out = append(out, `{"ItemCollectionKey":`...)
	out = value.AppendItemJSON(out, k)
	return append(out, `,"SizeEstimateRangeGB":[0.0,1.0]}`...)
}

// appendCapacityMember appends `"ConsumedCapacity":{...}` when asked for.
func appendCapacityMember(out []byte, table string, c *capacity, rcc string) []byte {
	if c == nil || !wantCapacity(rcc) {
		return out
	}
	if len(out) > 1 {
		out = append(out, ',')
	}
	out = append(out, `"ConsumedCapacity":`...)
	return appendConsumed(out, table, c, rcc)
}

func firstOf(errs ...*wire.Error) *wire.Error {
	for _, e := range errs {
		if e != nil {
			return e
		}
	}
	return nil
}

func (e *Engine) getItem(body []byte) ([]byte, *wire.Error) {
	in, err := decodeItemIn(body)
	if err != nil {
		return nil, err
	}
	if err := checkTableName(in.table, in.hasTable); err != nil {
		return nil, err
	}
	if !in.hasKey {
		return nil, wire.Validation("Cannot have null key for GetItem, DeleteItem, or UpdateItem")
	}
	if err := checkRCC(in.rcc); err != nil {
		return nil, err
	}
	t, err := e.lookupTable(in.table, true)
	if err != nil {
		return nil, err
	}
	if in.fe.err != nil {
		return nil, in.fe.err
	}
	ex, err := prepareExprs(in, t, "Get")
	if err != nil {
		return nil, err
	}
	key, err := t.keyOf(in.key)
	if err != nil {
		return nil, err
	}
	t.mu.RLock()
	ent, found := t.lookup(key)
	t.mu.RUnlock()
	out := append(make([]byte, 0, 256), '{')
	size := 0
	if found {
		size = int(ent.size)
		out = append(out, `"Item":`...)
		var p *projection
		if ex != nil {
			p = ex.proj
		}
		out = appendEntryJSON(out, ent, p)
	}
	if wantCapacity(in.rcc) {
		out = appendCapacityMember(out, t.name, &capacity{table: readUnits(size, in.consistent)}, in.rcc)
	}
	return append(out, '}'), nil
}
