package dynantic

import (
	"fmt"
	"unsafe"

	"github.com/dynantic/dynantic/internal/expr"
)

// Patch returns an Update that writes only the named attributes of item to
// the stored item with item's key, leaving every other stored attribute as
// it is (UpdateItem, not PutItem:
// https://docs.aws.amazon.com/amazondynamodb/latest/APIReference/API_UpdateItem.html).
// Each named attribute is written exactly as Save would write it:
//
//   - a value Save stores (including 0, "" and false, unless the field is
//     omitempty) is SET;
//   - a value Save omits (a nil pointer, slice or map, an empty set, a zero
//     omitempty or ttl field) is REMOVEd, so the stored item ends up as a
//     Save of the struct would leave that attribute;
//   - attributes not named are not touched, whatever their value in item.
//
// The named attributes must be top-level attributes of the model, not the
// key (it comes from item) and not version, created or updated, which are
// handled as for every update: updated is set to now, created only if
// missing, version incremented. Each named value must pass its field's
// validate tag; the model's Validate method and cross-field tags are not
// run, since the other fields are not written.
//
// For a model with a version field, Patch is optimistic like Save: it
// succeeds only if the stored version equals item's (0: the stored item has
// no version), and fails with ErrVersionConflict otherwise. On success the
// item's version and updated fields are set to the stored values.
//
// More actions, If, Return and ReturnItemOnConditionFailure can be chained
// as on any Update; Execute sends it. Errors are those of Update: an
// attribute the model lacks is ErrUnknownAttribute, a key or managed one,
// or no attribute at all, ErrInvalidUpdate; a nil item or an empty key
// fails too.
func (t *Table[T]) Patch(item *T, attrs ...string) *Update[T] {
	u := &Update[T]{t: t, u: updateCore{t: t.table, op: "Patch"}}
	c := &u.u
	if item == nil {
		c.fail(errNilItem(fmt.Sprintf("dynantic: %s: Patch of a nil item", t.model.Name)))
		return u
	}
	p := unsafe.Pointer(item)
	c.item = p
	key, err := t.keyOf(p)
	if err != nil {
		c.fail(err)
		return u
	}
	c.keyAV = key
	if len(attrs) == 0 {
		c.fail(&updateError{msg: "dynantic: " + t.model.Name + ": Patch needs the names of the attributes to write"})
		return u
	}
	for _, attr := range attrs {
		c.patch(attr)
	}
	if s := t.special; s.version != nil && c.err == nil {
		v, _, err := t.readVersion(p)
		if err != nil {
			c.fail(err)
			return u
		}
		c.check = versionCheck{on: true, expected: v}
	}
	return u
}

// patch adds the action that writes attribute attr of c.item.
func (c *updateCore) patch(attr string) {
	if c.err != nil {
		return
	}
	fi := c.t.special.fields[attr]
	if fi == nil {
		c.fail(c.t.unknown(attr))
		return
	}
	if !c.writable("Patch", attr, fi) {
		return
	}
	p := expr.NamePath(attr)
	av, err := fi.fc.EncodeFrom(c.item)
	if err != nil {
		c.fail(err)
		return
	}
	if err := c.t.checkValue(fi, c.t.fieldValue(c.item, fi.fc)); err != nil {
		c.fail(err)
		return
	}
	c.setOrRemove(p, av)
}
