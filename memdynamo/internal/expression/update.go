package expression

import (
	"sort"

	"github.com/dynantic/dynantic/memdynamo/internal/value"
)

// updNode is the tree of an update's paths; each leaf holds its action. Paths never overlap, so
// an action is always at a leaf.
type updNode struct {
	act   *updAction
	names map[string]*updNode
	index map[int]*updNode
}

func (n *updNode) add(p Path, a *updAction) {
	for _, e := range p {
		var next *updNode
		if e.IsIndex() {
			if n.index == nil {
				n.index = make(map[int]*updNode)
			}
			if next = n.index[e.Index]; next == nil {
				next = &updNode{}
				n.index[e.Index] = next
			}
		} else {
			if n.names == nil {
				n.names = make(map[string]*updNode)
			}
			if next = n.names[e.Name]; next == nil {
				next = &updNode{}
				n.names[e.Name] = next
			}
		}
		n = next
	}
	n.act = a
}

// KeyUpdateError is DynamoDB's error for an update of a key attribute.
func KeyUpdateError(name string) error {
	return validation("One or more parameter values were invalid: Cannot update attribute " + name +
		". This attribute is part of the key")
}

// Apply applies the update to item and returns the new item; item is not modified (the result
// shares unchanged values with it). item is the stored item, or only its key attributes when there
// is none. keys are the table's key attribute names, which the update may not touch.
//
// All SET values are computed from item as it was before the update. Applying follows DynamoDB:
// ADD adds to a number or set (or creates it), DELETE removes set members (the attribute goes when
// the set becomes empty), REMOVE of a missing attribute or list index does nothing, SET or ADD of
// a list index past the end appends (in index order), and the parent of a nested path must exist.
//
// Errors are ValidationExceptions: KeyUpdateError; MsgUpdateMissing when a SET value refers to an
// attribute the item does not have; MsgUpdateType for arithmetic, list_append, ADD or DELETE on a
// value of the wrong type; MsgUpdatePath when a path's parent is missing or not a map or list;
// and the number errors of value.Decimal (overflow, underflow, precision).
func (u *Update) Apply(item map[string]value.Value, keys ...string) (map[string]value.Value, error) {
	for _, a := range u.actions {
		if contains(keys, a.path[0].Name) {
			return nil, KeyUpdateError(a.path[0].Name)
		}
	}
	// SET values are computed from the item before the update.
	vals := make([]value.Value, len(u.actions))
	for i := range u.actions {
		a := &u.actions[i]
		if a.kind != tSET {
			continue
		}
		v, err := setValue(a.val, item)
		if err != nil {
			return nil, err
		}
		vals[i] = v
	}
	out := make(map[string]value.Value, len(item)+len(u.tree.names))
	for k, v := range item {
		out[k] = v
	}
	names := make([]string, 0, len(u.tree.names))
	for name := range u.tree.names {
		names = append(names, name)
	}
	sort.Strings(names) // deterministic error choice when several actions fail
	for _, name := range names {
		old, had := item[name]
		nv, err := u.applyNode(u.tree.names[name], old, had, vals)
		if err != nil {
			return nil, err
		}
		if nv.IsNone() {
			delete(out, name)
		} else {
			out[name] = nv
		}
	}
	return out, nil
}

// applyNode returns the new value of v (present when had) under node n; the absent Value means
// the attribute or element goes away.
func (u *Update) applyNode(n *updNode, v value.Value, had bool, vals []value.Value) (value.Value, error) {
	if n.act != nil {
		return u.applyAction(n.act, v, had, vals)
	}
	if !had {
		return value.Value{}, validation(MsgUpdatePath)
	}
	if n.names != nil {
		if v.Kind() != value.KindM {
			return value.Value{}, validation(MsgUpdatePath)
		}
		old := v.Map()
		m := make(map[string]value.Value, len(old)+len(n.names))
		for k, e := range old {
			m[k] = e
		}
		for name, child := range n.names {
			e, ok := old[name]
			w, err := u.applyNode(child, e, ok, vals)
			if err != nil {
				return value.Value{}, err
			}
			if w.IsNone() {
				delete(m, name)
			} else {
				m[name] = w
			}
		}
		return value.M(m), nil
	}
	if v.Kind() != value.KindL {
		return value.Value{}, validation(MsgUpdatePath)
	}
	old := v.List()
	idx := make([]int, 0, len(n.index))
	for i := range n.index {
		idx = append(idx, i)
	}
	sort.Ints(idx)
	l := make([]value.Value, len(old), len(old)+len(idx))
	copy(l, old)
	removed := make([]bool, len(old))
	var appended []value.Value
	for _, i := range idx {
		child := n.index[i]
		if i < len(old) {
			w, err := u.applyNode(child, old[i], true, vals)
			if err != nil {
				return value.Value{}, err
			}
			if w.IsNone() {
				removed[i] = true
			} else {
				l[i] = w
			}
			continue
		}
		// Past the end: SET and ADD append, REMOVE and DELETE do nothing, nested paths fail.
		if child.act == nil {
			return value.Value{}, validation(MsgUpdatePath)
		}
		w, err := u.applyAction(child.act, value.Value{}, false, vals)
		if err != nil {
			return value.Value{}, err
		}
		if !w.IsNone() {
			appended = append(appended, w)
		}
	}
	res := l[:0]
	for i, e := range l {
		if !removed[i] {
			res = append(res, e)
		}
	}
	return value.L(append(res, appended...)), nil
}

// applyAction returns the new value of v (present when had) after action a.
func (u *Update) applyAction(a *updAction, v value.Value, had bool, vals []value.Value) (value.Value, error) {
	switch a.kind {
	case tSET:
		return vals[a.i], nil
	case tREMOVE:
		return value.Value{}, nil
	case tADD:
		x := a.val.val
		if !had {
			return x, nil
		}
		switch {
		case x.Kind() == value.KindN && v.Kind() == value.KindN:
			d, err := v.Decimal().Add(x.Decimal())
			if err != nil {
				return value.Value{}, err
			}
			return value.N(d), nil
		case x.Kind().IsSet() && v.Kind() == x.Kind():
			return value.Union(v, x), nil
		}
		return value.Value{}, validation(MsgUpdateType)
	default: // DELETE
		x := a.val.val
		if !had {
			return value.Value{}, nil
		}
		if v.Kind() != x.Kind() {
			return value.Value{}, validation(MsgUpdateType)
		}
		d := value.Difference(v, x)
		if d.Len() == 0 {
			return value.Value{}, nil
		}
		return d, nil
	}
}

// setValue computes the value of a SET action from the item before the update.
func setValue(o *operand, item map[string]value.Value) (value.Value, error) {
	switch o.kind {
	case opValue:
		return o.val, nil
	case opPath:
		v := Get(item, o.path.path)
		if v.IsNone() {
			return v, validation(MsgUpdateMissing)
		}
		return v, nil
	case opArith:
		a, err := setValue(o.args[0], item)
		if err != nil {
			return a, err
		}
		b, err := setValue(o.args[1], item)
		if err != nil {
			return b, err
		}
		if a.Kind() != value.KindN || b.Kind() != value.KindN {
			return value.Value{}, validation(MsgUpdateType)
		}
		var d value.Decimal
		if o.op == tPlus {
			d, err = a.Decimal().Add(b.Decimal())
		} else {
			d, err = a.Decimal().Sub(b.Decimal())
		}
		if err != nil {
			return value.Value{}, err
		}
		return value.N(d), nil
	}
	switch o.fn {
	case fnIfNotExists:
		if v := Get(item, o.args[0].path.path); !v.IsNone() {
			return v, nil
		}
		return setValue(o.args[1], item)
	default: // list_append
		a, err := setValue(o.args[0], item)
		if err != nil {
			return a, err
		}
		b, err := setValue(o.args[1], item)
		if err != nil {
			return b, err
		}
		if a.Kind() != value.KindL || b.Kind() != value.KindL {
			return value.Value{}, validation(MsgUpdateType)
		}
		l := make([]value.Value, 0, a.Len()+b.Len())
		l = append(append(l, a.List()...), b.List()...)
		return value.L(l), nil
	}
}
