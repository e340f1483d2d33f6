package memdynamo

import (
	"github.com/dynantic/dynantic/memdynamo/internal/value"
	"github.com/dynantic/dynantic/memdynamo/internal/wire"
)

func init() {
	operations["BatchGetItem"] = (*Engine).batchGetItem
	operations["BatchWriteItem"] = (*Engine).batchWriteItem
}

// Batch limits.
const (
	maxBatchGet      = 100
	maxBatchWrite    = 25
	maxBatchResponse = 16 << 20 // BatchGetItem answers at most 16 MB; the rest is UnprocessedKeys
)

const msgDuplicateKeys = "Provided list of item keys contains duplicates"

// batchGetTable is one table's part of a BatchGetItem request.
type batchGetTable struct {
	name string
	keys []value.Item
	in   itemIn // projection, names, ConsistentRead
}

func (e *Engine) batchGetItem(body []byte) ([]byte, *wire.Error) {
	var (
		tables []*batchGetTable
		rcc    string
		fe     firstErr
		hasReq bool
	)
	err := decodeRequest(body, func(r *wire.Reader, name string) {
		switch name {
		case "RequestItems":
			hasReq = true
			if !r.BeginObject() {
				return
			}
			for {
				k, ok := r.NextKey()
				if !ok {
					break
				}
				bt := &batchGetTable{name: string(k)}
				if r.Null() {
					tables = append(tables, bt)
					continue
				}
				r.Members(func(m []byte) {
					switch mn := string(m); mn {
					case "Keys":
						if !r.BeginArray() {
							return
						}
						bt.keys = []value.Item{}
						for r.NextElem() {
							bt.keys = append(bt.keys, readItem(r, &fe))
						}
					default:
						if !bt.in.member(r, mn) {
							r.Skip()
						}
					}
				})
				fe.set(bt.in.fe.err)
				tables = append(tables, bt)
			}
		case "ReturnConsumedCapacity":
			rcc = r.String()
		default:
			r.Skip()
		}
	})
	if err != nil {
		return nil, err
	}
	if !hasReq || len(tables) == 0 {
		return nil, wire.Validation("BatchGetItem must have some requests set")
	}
	total := 0
	for _, bt := range tables {
		total += len(bt.keys)
	}
	if total > maxBatchGet {
		return nil, wire.Validation("Too many items requested for the BatchGetItem call")
	}
	if err := checkRCC(rcc); err != nil {
		return nil, err
	}
	type prepared struct {
		bt   *batchGetTable
		t    *table
		keys []string
		proj *projection
	}
	var preps []prepared
	for _, bt := range tables {
		if !validTableName(bt.name) {
			return nil, wire.Validation(msgInvalidName)
		}
		if len(bt.keys) == 0 {
			return nil, wire.Validation("The list of keys in RequestItems for BatchGetItem is required: " + bt.name + " has empty list")
		}
	}
	for _, bt := range tables {
		t, err := e.lookupTable(bt.name, true)
		if err != nil {
			return nil, err
		}
		preps = append(preps, prepared{bt: bt, t: t})
	}
	if fe.err != nil {
		return nil, fe.err
	}
	for i := range preps {
		p := &preps[i]
		ex, err := prepareExprs(&p.bt.in, p.t, "Get")
		if err != nil {
			return nil, err
		}
		p.proj = ex.proj
		seen := map[string]bool{}
		for _, k := range p.bt.keys {
			key, err := p.t.keyOf(k)
			if err != nil {
				return nil, err
			}
			if seen[key] {
				return nil, wire.Validation(msgDuplicateKeys)
			}
			seen[key] = true
			p.keys = append(p.keys, key)
		}
	}

	out := append(make([]byte, 0, 256), `{"Responses":{`...)
	size := 0
	var unprocessed [][]int // per table, indexes of keys left over
	caps := make([]*capacity, len(preps))
	for i, p := range preps {
		if i > 0 {
			out = append(out, ',')
		}
		out = wire.AppendString(out, p.t.name)
		out = append(out, ":["...)
		caps[i] = &capacity{}
		var left []int
		n := 0
		p.t.mu.RLock()
		for j, key := range p.keys {
			if size >= maxBatchResponse {
				left = append(left, j)
				continue
			}
			ent, ok := p.t.lookup(key)
			if !ok {
				continue // DynamoDB Local charges nothing for a key without an item
			}
			caps[i].table += readUnits(int(ent.size), p.bt.in.consistent)
			if size+int(ent.size) > maxBatchResponse {
				size = maxBatchResponse
				left = append(left, j)
				continue
			}
			size += int(ent.size)
			if n > 0 {
				out = append(out, ',')
			}
			n++
			out = appendEntryJSON(out, ent, p.proj)
		}
		p.t.mu.RUnlock()
		out = append(out, ']')
		unprocessed = append(unprocessed, left)
	}
	out = append(out, `},"UnprocessedKeys":{`...)
	first := true
	for i, p := range preps {
		if len(unprocessed[i]) == 0 {
			continue
		}
		if !first {
			out = append(out, ',')
		}
		first = false
		out = wire.AppendString(out, p.t.name)
		out = append(out, `:{"Keys":[`...)
		for j, k := range unprocessed[i] {
			if j > 0 {
				out = append(out, ',')
			}
			out = value.AppendItemJSON(out, p.bt.keys[k])
		}
		out = append(out, ']')
		out = appendReadOptions(out, &p.bt.in)
		out = append(out, '}')
	}
	out = append(out, '}')
	ts := make([]*table, len(preps))
	for i, p := range preps {
		ts[i] = p.t
	}
	out = appendConsumedList(out, ts, func(i int) *capacity { return caps[i] }, rcc)
	return append(out, '}'), nil
}

// appendReadOptions echoes a BatchGetItem table's read options (for UnprocessedKeys).
func appendReadOptions(out []byte, in *itemIn) []byte {
	if in.hasProj {
		out = append(out, `,"ProjectionExpression":`...)
		out = wire.AppendString(out, in.projection)
	}
	if in.hasNames {
		out = append(out, `,"ExpressionAttributeNames":{`...)
		for i, k := range sortedKeys(in.names) {
			if i > 0 {
				out = append(out, ',')
			}
			out = wire.AppendString(out, k)
			out = append(out, ':')
			out = wire.AppendString(out, in.names[k])
		}
		out = append(out, '}')
	}
	if in.hasATG {
		out = append(out, `,"AttributesToGet":[`...)
		for i, n := range in.attrsToGet {
			if i > 0 {
				out = append(out, ',')
			}
			out = wire.AppendString(out, n)
		}
		out = append(out, ']')
	}
	if in.consistent {
		out = append(out, `,"ConsistentRead":true`...)
	}
	return out
}

// batchWrite is one PutRequest or DeleteRequest.
type batchWrite struct {
	put  value.Item // nil for a delete
	key  value.Item
	kind int // number of request kinds given (must be 1)
}

type batchWriteTable struct {
	name   string
	writes []batchWrite
}

func (e *Engine) batchWriteItem(body []byte) ([]byte, *wire.Error) {
	var (
		tables []*batchWriteTable
		rcc    string
		ricm   string
		fe     firstErr
	)
	err := decodeRequest(body, func(r *wire.Reader, name string) {
		switch name {
		case "RequestItems":
			if !r.BeginObject() {
				return
			}
			for {
				k, ok := r.NextKey()
				if !ok {
					break
				}
				bt := &batchWriteTable{name: string(k)}
				tables = append(tables, bt)
				if r.Null() {
					continue
				}
				if !r.BeginArray() {
					return
				}
				for r.NextElem() {
					var w batchWrite
					if r.Null() {
						bt.writes = append(bt.writes, w)
						continue
					}
					r.Members(func(m []byte) {
						switch string(m) {
						case "PutRequest":
							w.kind++
							w.put = readWrapped(r, "Item", &fe)
							if w.put == nil {
								w.put = value.Item{}
							}
						case "DeleteRequest":
							w.kind++
							w.key = readWrapped(r, "Key", &fe)
							if w.key == nil {
								w.key = value.Item{}
							}
						default:
							r.Skip()
						}
					})
					bt.writes = append(bt.writes, w)
				}
			}
		case "ReturnConsumedCapacity":
			rcc = r.String()
		case "ReturnItemCollectionMetrics":
			ricm = r.String()
		default:
			r.Skip()
		}
	})
	if err != nil {
		return nil, err
	}
	if len(tables) == 0 {
		return nil, wire.Validation("BatchWriteItem cannot have a null or no requests set")
	}
	total := 0
	for _, bt := range tables {
		total += len(bt.writes)
	}
	if total > maxBatchWrite {
		return nil, wire.Validation("Too many items requested for the BatchWriteItem call")
	}
	if err := firstOf(checkRCC(rcc), checkRICM(ricm)); err != nil {
		return nil, err
	}
	for _, bt := range tables {
		if !validTableName(bt.name) {
			return nil, wire.Validation(msgInvalidName)
		}
		if len(bt.writes) == 0 {
			return nil, wire.Validation("The batch write request list for a table cannot be null or empty: " + bt.name)
		}
		for _, w := range bt.writes {
			if w.kind != 1 {
				return nil, wire.Validation(value.MsgManyTypes)
			}
		}
	}
	ts := make([]*table, len(tables))
	for i, bt := range tables {
		t, err := e.lookupTable(bt.name, true)
		if err != nil {
			return nil, err
		}
		ts[i] = t
	}
	if fe.err != nil {
		return nil, fe.err
	}
	// Validate every write before doing any.
	keys := make([][]string, len(tables))
	for i, bt := range tables {
		t := ts[i]
		seen := map[string]bool{}
		for _, w := range bt.writes {
			var key string
			var err *wire.Error
			if w.put != nil {
				key, err = t.checkItem(w.put)
			} else {
				key, err = t.keyOf(w.key)
			}
			if err != nil {
				return nil, err
			}
			if seen[key] {
				return nil, wire.Validation(msgDuplicateKeys)
			}
			seen[key] = true
			keys[i] = append(keys[i], key)
		}
	}
	caps := make([]*capacity, len(tables))
	for i, bt := range tables {
		t := ts[i]
		caps[i] = &capacity{}
		t.mu.Lock()
		for j, w := range bt.writes {
			key := keys[i][j]
			old, had := t.lookup(key)
			var oldItem value.Item
			if had {
				oldItem = decode(old)
			}
			c := t.writeCapacity(key, oldItem, w.put)
			caps[i].table += c.table
			if w.put == nil && !had {
				caps[i].table++ // DynamoDB Local: a batch delete of a missing item costs 2 units, not 1
			}
			for name, u := range c.indexes {
				caps[i].addIndex(t.index(name), u)
			}
			if w.put != nil || had {
				t.write(key, old, had, oldItem, w.put)
			}
		}
		t.mu.Unlock()
	}
	out := append(make([]byte, 0, 64), `{"UnprocessedItems":{}`...)
	if ricm == "SIZE" {
		first := true
		for i, t := range ts {
			if len(t.lsis) == 0 {
				continue
			}
			if first {
				out = append(out, `,"ItemCollectionMetrics":{`...)
			} else {
				out = append(out, ',')
			}
			first = false
			out = wire.AppendString(out, t.name)
			out = append(out, ":["...)
			seen := map[string]bool{}
			for j, w := range tables[i].writes {
				src := w.put
				if src == nil {
					src = w.key
				}
				pk := keys[i][j][:8+len(value.AppendKey(nil, src[t.keys.hash[0].name]))]
				if seen[pk] {
					continue
				}
				if len(seen) > 0 {
					out = append(out, ',')
				}
				seen[pk] = true
				out = t.appendMetrics(out, src)
			}
			out = append(out, ']')
		}
		if !first {
			out = append(out, '}')
		}
	}
	out = appendConsumedList(out, ts, func(i int) *capacity { return caps[i] }, rcc)
	return append(out, '}'), nil
}

// readWrapped reads {"<member>": {item}} (a PutRequest's Item, a DeleteRequest's Key).
func readWrapped(r *wire.Reader, member string, fe *firstErr) value.Item {
	var item value.Item
	r.Members(func(k []byte) {
		if string(k) == member {
			item = readItem(r, fe)
			return
		}
		r.Skip()
	})
	return item
}
