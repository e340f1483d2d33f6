package expression

import (
	"sort"

	"github.com/dynantic/dynantic/memdynamo/internal/value"
)

// updNode is the tree of an update's paths; each leaf holds its action (paths never overlap, so
// actions are only at leaves). DynamoDB applies an update by walking this tree, children in the
// iteration order of the java.util.HashMap it keeps them in; kids follows that order, so that when
// several actions fail the same error is reported.
type updNode struct {
	act  *updAction
	kids []updKid
}

type updKid struct {
	elem PathElem
	node *updNode
}

func (n *updNode) child(e PathElem) *updNode {
	for _, k := range n.kids {
		if k.elem == e {
			return k.node
		}
	}
	next := &updNode{}
	n.kids = append(n.kids, updKid{elem: e, node: next})
	return next
}

func (n *updNode) add(p Path, a *updAction) {
	for _, e := range p {
		n = n.child(e)
	}
	n.act = a
}

// javaSort orders the children (inserted in DynamoDB's insertion order) in HashMap iteration
// order, recursively.
func (n *updNode) javaSort() {
	mask := uint32(javaCapacity(len(n.kids)) - 1)
	for i := 1; i < len(n.kids); i++ { // a stable insertion sort: there are few children
		for j := i; j > 0 && elemHash(n.kids[j].elem)&mask < elemHash(n.kids[j-1].elem)&mask; j-- {
			n.kids[j], n.kids[j-1] = n.kids[j-1], n.kids[j]
		}
	}
	for _, k := range n.kids {
		k.node.javaSort()
	}
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
	out := make(map[string]value.Value, len(item)+len(u.tree.kids))
	for k, v := range item {
		out[k] = v
	}
	for _, kid := range u.tree.kids {
		old, had := item[kid.elem.Name]
		nv, err := applyNode(kid.node, old, had, item)
		if err != nil {
			return nil, err
		}
		if nv.IsNone() {
			delete(out, kid.elem.Name)
		} else {
			out[kid.elem.Name] = nv
		}
	}
	return out, nil
}

// applyNode returns the new value of v (present when had) under node n; the absent Value means
// the attribute or element goes away. orig is the item before the update, which SET values are
// computed from.
func applyNode(n *updNode, v value.Value, had bool, orig map[string]value.Value) (value.Value, error) {
	if n.act != nil {
		return applyAction(n.act, v, had, orig)
	}
	if !had {
		return value.Value{}, validation(MsgUpdatePath)
	}
	if !n.kids[0].elem.IsIndex() {
		if v.Kind() != value.KindM {
			return value.Value{}, validation(MsgUpdatePath)
		}
		old := v.Map()
		m := make(map[string]value.Value, len(old)+len(n.kids))
		for k, e := range old {
			m[k] = e
		}
		for _, kid := range n.kids {
			e, ok := old[kid.elem.Name]
			w, err := applyNode(kid.node, e, ok, orig)
			if err != nil {
				return value.Value{}, err
			}
			if w.IsNone() {
				delete(m, kid.elem.Name)
			} else {
				m[kid.elem.Name] = w
			}
		}
		return value.M(m), nil
	}
	if v.Kind() != value.KindL {
		return value.Value{}, validation(MsgUpdatePath)
	}
	old := v.List()
	l := make([]value.Value, len(old), len(old)+len(n.kids))
	copy(l, old)
	removed := make([]bool, len(old))
	type appended struct {
		index int
		v     value.Value
	}
	var tail []appended
	for _, kid := range n.kids {
		i := kid.elem.Index
		if i < len(old) {
			w, err := applyNode(kid.node, old[i], true, orig)
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
		// Past the end: SET and ADD append (in index order), REMOVE and DELETE do nothing, nested
		// paths fail.
		if kid.node.act == nil {
			return value.Value{}, validation(MsgUpdatePath)
		}
		w, err := applyAction(kid.node.act, value.Value{}, false, orig)
		if err != nil {
			return value.Value{}, err
		}
		if !w.IsNone() {
			tail = append(tail, appended{i, w})
		}
	}
	res := l[:0]
	for i, e := range l {
		if !removed[i] {
			res = append(res, e)
		}
	}
	sort.Slice(tail, func(i, j int) bool { return tail[i].index < tail[j].index })
	for _, a := range tail {
		res = append(res, a.v)
	}
	return value.L(res), nil
}

// applyAction returns the new value of v (present when had) after action a.
func applyAction(a *updAction, v value.Value, had bool, orig map[string]value.Value) (value.Value, error) {
	switch a.kind {
	case tSET:
		return setValue(a.val, orig)
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

// setValue computes the value of a SET action from the item before the update. Operands are
// evaluated left to right, each checked as soon as it is known, and if_not_exists evaluates its
// fallback even when the attribute exists, as DynamoDB does (so the first error is DynamoDB's).
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
		a, err := typedValue(o.args[0], item, value.KindN)
		if err != nil {
			return a, err
		}
		b, err := typedValue(o.args[1], item, value.KindN)
		if err != nil {
			return b, err
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
	if o.fn == fnIfNotExists {
		v := Get(item, o.args[0].path.path)
		fallback, err := setValue(o.args[1], item)
		if err != nil {
			return fallback, err
		}
		if !v.IsNone() {
			return v, nil
		}
		return fallback, nil
	}
	// list_append
	a, err := typedValue(o.args[0], item, value.KindL)
	if err != nil {
		return a, err
	}
	b, err := typedValue(o.args[1], item, value.KindL)
	if err != nil {
		return b, err
	}
	l := make([]value.Value, 0, a.Len()+b.Len())
	l = append(append(l, a.List()...), b.List()...)
	return value.L(l), nil
}

// typedValue computes an operand of arithmetic or list_append, which must have kind k.
func typedValue(o *operand, item map[string]value.Value, k value.Kind) (value.Value, error) {
	v, err := setValue(o, item)
	if err == nil && v.Kind() != k {
		err = validation(MsgUpdateType)
	}
	return v, err
}
