package expression

import (
	"sort"
	"strconv"
	"strings"

	"github.com/dynantic/dynantic/memdynamo/internal/value"
)

// Get returns the value at path p in item, or the absent Value (KindNone).
func Get(item map[string]value.Value, p Path) value.Value {
	v, ok := item[p[0].Name]
	if !ok {
		return value.Value{}
	}
	for _, e := range p[1:] {
		if e.IsIndex() {
			l := v.List()
			if v.Kind() != value.KindL || e.Index >= len(l) {
				return value.Value{}
			}
			v = l[e.Index]
			continue
		}
		if v.Kind() != value.KindM {
			return value.Value{}
		}
		if v, ok = v.Map()[e.Name]; !ok {
			return value.Value{}
		}
	}
	return v
}

// Eval reports whether item satisfies the condition. A missing item is an empty (or nil) map.
// Evaluation never fails: comparisons and functions over missing attributes or mismatched types
// are false, as in DynamoDB.
func (c *Condition) Eval(item map[string]value.Value) bool { return evalCond(c.root, item) }

func evalCond(c *cond, item map[string]value.Value) bool {
	switch c.kind {
	case cAnd:
		return evalCond(c.l, item) && evalCond(c.r, item)
	case cOr:
		return evalCond(c.l, item) || evalCond(c.r, item)
	case cNot:
		return !evalCond(c.l, item)
	case cCompare:
		a, b := evalOperand(c.ops[0], item), evalOperand(c.ops[1], item)
		switch c.op {
		case tEQ:
			return !a.IsNone() && value.Equal(a, b)
		case tNE:
			return a.IsNone() || b.IsNone() || !value.Equal(a, b)
		}
		n, ok := value.Compare(a, b)
		if !ok {
			return false
		}
		switch c.op {
		case tLT:
			return n < 0
		case tLE:
			return n <= 0
		case tGT:
			return n > 0
		}
		return n >= 0
	case cIn:
		a := evalOperand(c.ops[0], item)
		if a.IsNone() {
			return false
		}
		for _, o := range c.ops[1:] {
			if value.Equal(a, evalOperand(o, item)) {
				return true
			}
		}
		return false
	case cBetween:
		x := evalOperand(c.ops[0], item)
		lo, ok1 := value.Compare(x, evalOperand(c.ops[1], item))
		hi, ok2 := value.Compare(x, evalOperand(c.ops[2], item))
		return ok1 && ok2 && lo >= 0 && hi <= 0
	}
	return evalFunc(c, item)
}

func evalFunc(c *cond, item map[string]value.Value) bool {
	a := evalOperand(c.ops[0], item)
	switch c.fn {
	case fnAttributeExists:
		return !a.IsNone()
	case fnAttributeNotExists:
		return a.IsNone()
	case fnAttributeType:
		return !a.IsNone() && a.Kind().String() == evalOperand(c.ops[1], item).Str()
	case fnBeginsWith:
		b := evalOperand(c.ops[1], item)
		switch {
		case a.Kind() == value.KindS && b.Kind() == value.KindS:
			return strings.HasPrefix(a.Str(), b.Str())
		case a.Kind() == value.KindB && b.Kind() == value.KindB:
			return strings.HasPrefix(a.Bytes(), b.Bytes())
		}
		return false
	case fnContains:
		b := evalOperand(c.ops[1], item)
		switch a.Kind() {
		case value.KindS:
			return b.Kind() == value.KindS && strings.Contains(a.Str(), b.Str())
		case value.KindB:
			return b.Kind() == value.KindB && strings.Contains(a.Bytes(), b.Bytes())
		case value.KindSS, value.KindNS, value.KindBS:
			return a.Contains(b)
		case value.KindL:
			if b.IsNone() {
				return false
			}
			for _, e := range a.List() {
				if value.Equal(e, b) {
					return true
				}
			}
		}
	}
	return false
}

// evalOperand returns an operand's value in item (the absent Value when it has none). Only
// condition operands are evaluated here: paths, values and size().
func evalOperand(o *operand, item map[string]value.Value) value.Value {
	switch o.kind {
	case opPath:
		return Get(item, o.path.path)
	case opValue:
		return o.val
	}
	// size(): strings count UTF-8 bytes (DynamoDB's documented unit; DynamoDB Local counts UTF-16
	// code units), binaries bytes, sets, lists and maps their elements.
	v := evalOperand(o.args[0], item)
	var n int
	switch v.Kind() {
	case value.KindS:
		n = len(v.Str())
	case value.KindB:
		n = len(v.Bytes())
	case value.KindL, value.KindM, value.KindSS, value.KindNS, value.KindBS:
		n = v.Len()
	default:
		return value.Value{}
	}
	return intValue(n)
}

// intValue returns the number n.
func intValue(n int) value.Value {
	v, err := value.ParseN(strconv.Itoa(n))
	if err != nil {
		panic(err) // cannot happen: any int fits DynamoDB's range
	}
	return v
}

// ---- projection ----

// projNode is the tree of a projection's paths: a leaf takes the whole value; inner nodes take
// the named map members or listed list elements.
type projNode struct {
	leaf  bool
	names map[string]*projNode
	index map[int]*projNode
}

func (n *projNode) add(p Path) {
	for _, e := range p {
		var next *projNode
		if e.IsIndex() {
			if n.index == nil {
				n.index = make(map[int]*projNode)
			}
			if next = n.index[e.Index]; next == nil {
				next = &projNode{}
				n.index[e.Index] = next
			}
		} else {
			if n.names == nil {
				n.names = make(map[string]*projNode)
			}
			if next = n.names[e.Name]; next == nil {
				next = &projNode{}
				n.names[e.Name] = next
			}
		}
		n = next
	}
	n.leaf = true
}

// Apply returns the parts of item the projection names: nested map members keep their place,
// list elements keep their order (compacted), missing paths are left out. The result shares
// unchanged values with item.
func (p *Projection) Apply(item map[string]value.Value) map[string]value.Value {
	out := make(map[string]value.Value, len(p.tree.names))
	for name, child := range p.tree.names {
		if v, ok := item[name]; ok {
			if w := child.apply(v); !w.IsNone() {
				out[name] = w
			}
		}
	}
	return out
}

func (n *projNode) apply(v value.Value) value.Value {
	if n.leaf {
		return v
	}
	switch {
	case n.names != nil && v.Kind() == value.KindM:
		m := v.Map()
		out := make(map[string]value.Value, len(n.names))
		for name, child := range n.names {
			if e, ok := m[name]; ok {
				if w := child.apply(e); !w.IsNone() {
					out[name] = w
				}
			}
		}
		if len(out) == 0 {
			return value.Value{}
		}
		return value.M(out)
	case n.index != nil && v.Kind() == value.KindL:
		l := v.List()
		idx := make([]int, 0, len(n.index))
		for i := range n.index {
			if i < len(l) {
				idx = append(idx, i)
			}
		}
		sort.Ints(idx)
		out := make([]value.Value, 0, len(idx))
		for _, i := range idx {
			if w := n.index[i].apply(l[i]); !w.IsNone() {
				out = append(out, w)
			}
		}
		if len(out) == 0 {
			return value.Value{}
		}
		return value.L(out)
	}
	return value.Value{}
}

// ApplyWhole returns, for each projected path present in item, its whole top-level attribute:
// what DynamoDB Local returns for UpdateItem's UPDATED_OLD and UPDATED_NEW.
func (p *Projection) ApplyWhole(item map[string]value.Value) map[string]value.Value {
	out := make(map[string]value.Value)
	for _, path := range p.paths {
		if _, done := out[path[0].Name]; done {
			continue
		}
		if !Get(item, path).IsNone() {
			out[path[0].Name] = item[path[0].Name]
		}
	}
	return out
}
