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
	w, err := e.prepareWrite(body, "Update", "NONE", "ALL_OLD", "UPDATED_OLD", "ALL_NEW", "UPDATED_NEW")
	if err != nil {
		return nil, err
	}
	oldItem, newItem, c, err := w.apply(func(old value.Item) (value.Item, *wire.Error) {
		ni, err := w.ex.applyUpdate(w.t, old, w.in.key)
		if err != nil {
			return nil, err
		}
		if value.ItemSize(ni) > value.MaxItemSize {
			return nil, wire.Validation(msgUpdateTooLarge)
		}
		if _, err := w.t.checkItemFor(ni, true); err != nil {
			return nil, err
		}
		return ni, nil
	})
	if err != nil {
		return nil, err
	}
	var attrs value.Item
	switch w.in.returnValues {
	case "ALL_OLD":
		attrs = oldItem
	case "ALL_NEW":
		attrs = newItem
	case "UPDATED_OLD", "UPDATED_NEW":
		// DynamoDB's documented answer: only the updated paths (DynamoDB Local returns their
		// whole top-level attributes).
		src := oldItem
		if w.in.returnValues == "UPDATED_NEW" {
			src = newItem
		}
		if w.ex.upd != nil && src != nil {
			attrs = w.ex.upd.Changed().Apply(src)
		}
	}
	return w.respond(attrs, c), nil
}
