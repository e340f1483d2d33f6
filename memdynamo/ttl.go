package memdynamo

import (
	"strconv"
	"time"

	"github.com/dynantic/dynantic/memdynamo/internal/value"
	"github.com/dynantic/dynantic/memdynamo/internal/wire"
)

func init() {
	operations["UpdateTimeToLive"] = (*Engine).updateTimeToLive
	operations["DescribeTimeToLive"] = (*Engine).describeTimeToLive
}

func (e *Engine) updateTimeToLive(body []byte) ([]byte, *wire.Error) {
	var (
		in                               tableNameIn
		hasSpec, hasAttr, hasEnabled, on bool
		attr                             string
	)
	err := decodeRequest(body, func(r *wire.Reader, name string) {
		switch name {
		case "TableName":
			in.name, in.hasName = r.String(), true
		case "TimeToLiveSpecification":
			hasSpec = true
			r.Members(func(k []byte) {
				switch string(k) {
				case "AttributeName":
					attr, hasAttr = r.String(), true
				case "Enabled":
					on, hasEnabled = r.Bool(), true
				default:
					r.Skip()
				}
			})
		default:
			r.Skip()
		}
	})
	if err != nil {
		return nil, err
	}
	if err := checkTableName(in.name, in.hasName); err != nil {
		return nil, err
	}
	if !hasSpec {
		return nil, wire.Validation("TimeToLiveSpecification cannot be null")
	}
	if !hasAttr || !hasEnabled {
		return nil, wire.Validation("AttributeName cannot be null when time to live is being enabled")
	}
	if !validKeyName(attr) {
		return nil, wire.Validation(msgKeyNameLen)
	}
	t, err := e.lookupTable(in.name, true)
	if err != nil {
		return nil, err
	}
	t.mu.Lock()
	defer t.mu.Unlock()
	switch {
	case on && t.ttlEnabled && t.ttlAttr != attr:
		return nil, wire.Validation("TimeToLive is active on a different AttributeName")
	case on && t.ttlEnabled:
		return nil, wire.Validation("TimeToLive is already enabled")
	case !on && !t.ttlEnabled:
		return nil, wire.Validation("TimeToLive is already disabled")
	case !on && t.ttlAttr != attr:
		return nil, wire.Validation("TimeToLive is active on a different AttributeName")
	}
	t.ttlEnabled = on
	if on {
		t.ttlAttr = attr
		t.buildTTLIndex()
	} else {
		t.ttlTree = nil
	}
	out := append([]byte(nil), `{"TimeToLiveSpecification":{"Enabled":`...)
	out = strconvBool(out, on)
	out = append(out, `,"AttributeName":`...)
	out = wire.AppendString(out, attr)
	return append(out, `}}`...), nil
}

func (e *Engine) describeTimeToLive(body []byte) ([]byte, *wire.Error) {
	in, err := decodeTableName(body)
	if err != nil {
		return nil, err
	}
	t, err := e.lookupTable(in.name, in.hasName)
	if err != nil {
		return nil, err
	}
	t.mu.RLock()
	defer t.mu.RUnlock()
	if !t.ttlEnabled {
		return []byte(`{"TimeToLiveDescription":{"TimeToLiveStatus":"DISABLED"}}`), nil
	}
	out := append([]byte(nil), `{"TimeToLiveDescription":{"TimeToLiveStatus":"ENABLED","AttributeName":`...)
	out = wire.AppendString(out, t.ttlAttr)
	return append(out, `}}`...), nil
}

// ttlKey returns the TTL index key of an item (its TTL number's key encoding, then its table key),
// or ok=false when the item has no numeric TTL attribute.
func (t *table) ttlKey(item value.Item, key string) (string, bool) {
	v, ok := item[t.ttlAttr]
	if !ok || v.Kind() != value.KindN {
		return "", false
	}
	return string(value.AppendKey(nil, v)) + key, true
}

// buildTTLIndex indexes every item by its TTL attribute (caller holds t.mu for writing).
func (t *table) buildTTLIndex() {
	t.ttlTree = newTree()
	t.tree.Ascend(func(e entry) bool {
		if k, ok := t.ttlKey(decode(e), e.key); ok {
			t.ttlTree.ReplaceOrInsert(entry{key: k, item: e.key})
		}
		return true
	})
}

// ttlRetention: DynamoDB's TTL process ignores expiry times more than five years in the past.
const ttlRetention = 5 * 365 * 24 * time.Hour

// SweepExpired deletes every item whose TTL attribute (a number of epoch seconds, on a table with
// TTL enabled) is at or before the engine's clock, and returns how many it deleted. As in
// DynamoDB, an expiry time more than five years in the past is ignored, and an attribute that is
// not a number never expires.
func (e *Engine) SweepExpired() int {
	now := e.now()
	hi := value.AppendKey(nil, value.N(value.MustDecimal(strconv.FormatInt(now.Unix(), 10))))
	lo := value.AppendKey(nil, value.N(value.MustDecimal(strconv.FormatInt(now.Add(-ttlRetention).Unix(), 10))))
	e.mu.RLock()
	tables := make([]*table, 0, len(e.tables))
	for _, t := range e.tables {
		tables = append(tables, t)
	}
	e.mu.RUnlock()
	n := 0
	for _, t := range tables {
		t.mu.Lock()
		if t.ttlEnabled && t.ttlTree != nil {
			var keys []string
			t.ttlTree.AscendGreaterOrEqual(entry{key: string(lo)}, func(x entry) bool {
				if x.key[:len(x.key)-len(x.item)] > string(hi) {
					return false
				}
				keys = append(keys, x.item)
				return true
			})
			t.sweeping = true
			for _, k := range keys {
				if old, ok := t.lookup(k); ok {
					t.write(k, old, true, decode(old), nil)
					n++
				}
			}
			t.sweeping = false
		}
		t.mu.Unlock()
	}
	return n
}
