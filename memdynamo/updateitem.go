package memdynamo

import (
	"github.com/dynantic/dynantic/memdynamo/internal/value"
	"github.com/dynantic/dynantic/memdynamo/internal/wire"
)

func init() {
	operations["UpdateItem"] = (*Engine).updateItem
}

const msgUpdateTooLarge = "Item size to update has exceeded the maximum allowed size"

func (e *Engine) updateItem(body []byte) ([]byte, *wire.Error) {
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
	if err := checkReturnValues(in.returnValues, "NONE", "ALL_OLD", "UPDATED_OLD", "ALL_NEW", "UPDATED_NEW"); err != nil {
		return nil, err
	}
	if err := firstOf(checkRVOnFailure(in.rvOnFailure), checkRCC(in.rcc), checkRICM(in.ricm)); err != nil {
		return nil, err
	}
	t, err := e.lookupTable(in.table, true)
	if err != nil {
		return nil, err
	}
	if in.fe.err != nil {
		return nil, in.fe.err
	}
	ex, err := prepareExprs(in, t, "Update")
	if err != nil {
		return nil, err
	}
	key, err := t.keyOf(in.key)
	if err != nil {
		return nil, err
	}

	t.mu.Lock()
	old, had := t.lookup(key)
	var oldItem value.Item
	if had {
		oldItem = decode(old)
	}
	if err := ex.checkCondition(oldItem, in.rvOnFailure); err != nil {
		t.mu.Unlock()
		return nil, err
	}
	newItem, err := ex.applyUpdate(t, oldItem, in.key)
	if err == nil {
		if value.ItemSize(newItem) > value.MaxItemSize {
			err = wire.Validation(msgUpdateTooLarge)
		} else {
			_, err = t.checkItemFor(newItem, true)
		}
	}
	if err != nil {
		t.mu.Unlock()
		return nil, err
	}
	var c *capacity
	if wantCapacity(in.rcc) {
		c = t.writeCapacity(key, oldItem, newItem)
	}
	t.write(key, old, had, oldItem, newItem)
	t.mu.Unlock()

	out := append(make([]byte, 0, 64), '{')
	var attrs value.Item
	switch in.returnValues {
	case "ALL_OLD":
		attrs = oldItem
	case "ALL_NEW":
		attrs = newItem
	case "UPDATED_OLD", "UPDATED_NEW":
		// DynamoDB's documented answer: only the updated paths (DynamoDB Local returns their
		// whole top-level attributes).
		src := oldItem
		if in.returnValues == "UPDATED_NEW" {
			src = newItem
		}
		if ex.upd != nil && src != nil {
			attrs = ex.upd.Changed().Apply(src)
		}
	}
	if len(attrs) > 0 {
		out = append(out, `"Attributes":`...)
		out = value.AppendItemJSON(out, attrs)
	}
	out = appendCapacityMember(out, t.name, c, in.rcc)
	out = t.appendCollectionMetrics(out, in.key, nil, in.ricm)
	return append(out, '}'), nil
}
