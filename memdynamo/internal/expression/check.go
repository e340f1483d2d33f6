package expression

import (
	"strconv"

	"github.com/dynantic/dynantic/memdynamo/internal/value"
)

// checker is DynamoDB's validation pass over a parsed expression: it substitutes placeholders,
// checks paths, operand counts and types, and counts operators, visiting nodes in post-order
// (children first, left to right), which is the order DynamoDB reports these errors in.
type checker struct {
	ctx  *Context
	kind Kind
	ops  int // operators and functions seen so far
}

// path resolves a document path: placeholders substituted, nesting depth checked.
func (ck *checker) path(n *pathNode) error {
	if len(n.raw) > maxDepth {
		return invalid(ck.kind, msgNesting+strconv.Itoa(len(n.raw)))
	}
	p := make(Path, len(n.raw))
	for i, e := range n.raw {
		switch e.kind {
		case eID:
			p[i] = PathElem{Name: e.text, Index: -1}
		case eName:
			name, ok := ck.ctx.name(e.text)
			if !ok {
				return invalid(ck.kind, msgUndefinedName+e.text)
			}
			p[i] = PathElem{Name: name, Index: -1}
		case eIndex:
			x, _ := strconv.Atoi(e.text) // range checked by the parser
			p[i] = PathElem{Index: x}
		case eValue:
			if _, ok := ck.ctx.value(e.text); ok {
				return invalid(ck.kind, msgInternal)
			}
			return invalid(ck.kind, msgUndefinedName+e.text)
		}
	}
	n.path = p
	return nil
}

// count counts one operator or function.
func (ck *checker) count() error {
	ck.ops++
	if ck.ops > maxOperators {
		return invalid(ck.kind, msgTooManyOperators+strconv.Itoa(ck.ops))
	}
	return nil
}

// staticKind returns the type of an operand known before evaluation: a value's kind, N for
// size() and arithmetic, L for list_append(); KindNone when it depends on the item.
func staticKind(o *operand) value.Kind {
	switch o.kind {
	case opValue:
		return o.val.Kind()
	case opFunc:
		switch o.fn {
		case fnSize:
			return value.KindN
		case fnListAppend:
			return value.KindL
		}
	case opArith:
		return value.KindN
	}
	return value.KindNone
}

// operand validates an operand and its children.
func (ck *checker) operand(o *operand) error {
	switch o.kind {
	case opPath:
		return ck.path(o.path)
	case opValue:
		v, ok := ck.ctx.value(o.key)
		if !ok {
			return invalid(ck.kind, msgUndefinedValue+o.key)
		}
		o.val = v
		return nil
	}
	for _, a := range o.args {
		if err := ck.operand(a); err != nil {
			return err
		}
	}
	if o.kind == opArith {
		for _, a := range o.args {
			if k := staticKind(a); k != value.KindNone && k != value.KindN {
				return operandTypeError(ck.kind, arithName(o.op), k.String())
			}
		}
		return ck.count()
	}
	if err := ck.function(o.fn, o.key, o.args); err != nil {
		return err
	}
	return ck.count()
}

func arithName(op tokKind) string {
	if op == tPlus {
		return "+"
	}
	return "-"
}

// arity is the number of operands each function takes.
var arity = [...]int{fnAttributeExists: 1, fnAttributeNotExists: 1, fnAttributeType: 2,
	fnBeginsWith: 2, fnContains: 2, fnSize: 1, fnIfNotExists: 2, fnListAppend: 2}

// function checks a function's operands (already validated themselves).
func (ck *checker) function(fn fnKind, name string, args []*operand) error {
	if len(args) != arity[fn] {
		return operandCountError(ck.kind, name, len(args))
	}
	switch fn {
	case fnAttributeExists, fnAttributeNotExists, fnIfNotExists:
		if args[0].kind != opPath {
			return invalid(ck.kind, msgNeedsPath+name)
		}
	}
	switch fn {
	case fnBeginsWith, fnContains, fnAttributeType, fnIfNotExists:
		if err := ck.distinct(name, args); err != nil {
			return err
		}
	}
	switch fn {
	case fnAttributeType:
		t := args[1]
		switch k := staticKind(t); {
		case t.kind == opPath:
			return operandTypeError(ck.kind, name, "{BOOL,N,DICT,NULL,INTSET,NS,INT,B,HDS,S,M,FLOAT,DOUBLESET,L,SS,DECIMALSET,HD,BS,FS,DECIMAL,DOUBLE}")
		case k == value.KindS:
			if value.KindOf(t.val.Str()) == value.KindNone {
				return invalid(ck.kind, msgBadTypeName+t.val.Str()+msgValidTypes)
			}
		case k != value.KindNone:
			return operandTypeError(ck.kind, name, k.String())
		}
	case fnBeginsWith:
		for _, a := range args {
			if k := staticKind(a); k != value.KindNone && k != value.KindS && k != value.KindB {
				return operandTypeError(ck.kind, name, k.String())
			}
		}
	case fnSize:
		switch k := staticKind(args[0]); k {
		case value.KindN, value.KindBOOL, value.KindNULL:
			return operandTypeError(ck.kind, name, k.String())
		}
	case fnListAppend:
		for _, a := range args {
			if k := staticKind(a); k != value.KindNone && k != value.KindL {
				return operandTypeError(ck.kind, name, k.String())
			}
		}
	}
	return nil
}

// distinct refuses a first operand that is a path repeated among the other operands.
func (ck *checker) distinct(op string, ops []*operand) error {
	if ops[0].kind != opPath {
		return nil
	}
	first := ops[0].path.path
	for _, o := range ops[1:] {
		if o.kind == opPath && o.path.path.Equal(first) {
			return distinctError(ck.kind, op, first)
		}
	}
	return nil
}

// scalarOperand refuses an operand whose known type cannot be ordered (only N, S and B can).
func (ck *checker) scalarOperand(op string, o *operand) error {
	switch k := staticKind(o); k {
	case value.KindNone, value.KindN, value.KindS, value.KindB:
		return nil
	default:
		return operandTypeError(ck.kind, op, k.String())
	}
}

// cond validates a condition, children first.
func (ck *checker) cond(c *cond) error {
	switch c.kind {
	case cNot:
		if err := ck.cond(c.l); err != nil {
			return err
		}
		return ck.count()
	case cAnd, cOr:
		if err := ck.cond(c.l); err != nil {
			return err
		}
		if err := ck.cond(c.r); err != nil {
			return err
		}
		return ck.count()
	}
	for _, o := range c.ops {
		if err := ck.operand(o); err != nil {
			return err
		}
	}
	var err error
	switch c.kind {
	case cFunc:
		err = ck.function(c.fn, c.name, c.ops)
	case cCompare:
		err = ck.compare(c)
	case cIn:
		if n := len(c.ops) - 1; n > maxInOps {
			return invalid(ck.kind, msgTooManyIn+strconv.Itoa(n))
		}
		err = ck.distinct("IN", c.ops)
	case cBetween:
		err = ck.between(c)
	}
	if err != nil {
		return err
	}
	return ck.count()
}

func (ck *checker) compare(c *cond) error {
	op := comparatorText[c.op]
	if c.op != tEQ && c.op != tNE {
		for _, o := range c.ops {
			if err := ck.scalarOperand(op, o); err != nil {
				return err
			}
		}
	}
	return ck.distinct(op, c.ops)
}

func (ck *checker) between(c *cond) error {
	for _, o := range c.ops {
		if err := ck.scalarOperand("BETWEEN", o); err != nil {
			return err
		}
	}
	if err := ck.distinct("BETWEEN", c.ops); err != nil {
		return err
	}
	lo, hi := c.ops[1], c.ops[2]
	if lo.kind != opValue || hi.kind != opValue {
		return nil
	}
	bounds := "lower bound operand: AttributeValue: {" + javaValue(lo.val) +
		"}, upper bound operand: AttributeValue: {" + javaValue(hi.val) + "}"
	if lo.val.Kind() != hi.val.Kind() {
		return invalid(ck.kind, "The BETWEEN operator requires same data type for lower and upper bounds; "+bounds)
	}
	if n, _ := value.Compare(lo.val, hi.val); n > 0 {
		return invalid(ck.kind, "The BETWEEN operator requires upper bound to be greater than or equal to lower bound; "+bounds)
	}
	return nil
}

// javaValue renders a scalar the way DynamoDB's messages do ("S:text", "N:12.5"; binary values
// as DynamoDB Local prints a Java ByteBuffer).
func javaValue(v value.Value) string {
	switch v.Kind() {
	case value.KindS:
		return "S:" + v.Str()
	case value.KindN:
		return "N:" + v.Decimal().String()
	case value.KindB:
		n := strconv.Itoa(len(v.Bytes()))
		return "B:java.nio.HeapByteBuffer[pos=0 lim=" + n + " cap=" + n + "]"
	}
	return v.Kind().String() + ":" + v.String()
}

// longTypeName is the type name DynamoDB's ADD and DELETE messages use.
func longTypeName(k value.Kind) string {
	switch k {
	case value.KindS:
		return "STRING"
	case value.KindN:
		return "NUMBER"
	case value.KindB:
		return "BINARY"
	case value.KindBOOL:
		return "BOOLEAN"
	case value.KindNULL:
		return "NULL"
	case value.KindL:
		return "LIST"
	case value.KindM:
		return "MAP"
	case value.KindSS:
		return "STRING_SET"
	case value.KindNS:
		return "NUMBER_SET"
	}
	return "BINARY_SET"
}

// ---- document path trees: overlap and conflict detection ----

// pathTree is the tree of the paths of a projection or update, built the way DynamoDB builds it
// so that overlapping or conflicting paths are reported with DynamoDB's "path one" and "path
// two". DynamoDB keeps each node's children in a java.util.HashMap and names, as path two, the path
// reached by following the first child in that map's iteration order, so this tree records
// insertion order and Java hash codes to find the same first child.
type pathTree struct {
	kids []treeKid
}

type treeKid struct {
	elem PathElem
	node *pathTree // nil for a leaf
}

// elemHash is DynamoDB Local's hash code of a path element (Apache HashCodeBuilder(8191, 127)
// over the name's String hash or the index), after HashMap's spreading.
func elemHash(e PathElem) uint32 {
	h := uint32(8191 * 127)
	if e.IsIndex() {
		h += uint32(e.Index)
	} else {
		h += javaHash(e.Name)
	}
	return javaSpread(h)
}

// first returns the child a java.util.HashMap would iterate first.
func (t *pathTree) first() treeKid {
	mask := uint32(javaCapacity(len(t.kids)) - 1)
	best := 0
	bb := elemHash(t.kids[0].elem) & mask
	for i := 1; i < len(t.kids); i++ {
		if b := elemHash(t.kids[i].elem) & mask; b < bb {
			best, bb = i, b
		}
	}
	return t.kids[best]
}

func (t *pathTree) find(e PathElem) int {
	for i := range t.kids {
		if t.kids[i].elem == e {
			return i
		}
	}
	return -1
}

// add inserts path p, or returns DynamoDB's overlap or conflict error.
func (t *pathTree) add(k Kind, p Path) error {
	node := t
	for depth := 0; ; depth++ {
		e := p[depth]
		i := node.find(e)
		if i < 0 {
			if len(node.kids) > 0 && node.first().elem.IsIndex() != e.IsIndex() {
				return invalid(k, msgConflict+p.javaString()+", path two: "+leafPath(p, depth, node).javaString())
			}
			var chain *pathTree
			for j := len(p) - 1; j > depth; j-- {
				chain = &pathTree{kids: []treeKid{{elem: p[j], node: chain}}}
			}
			node.kids = append(node.kids, treeKid{elem: e, node: chain})
			return nil
		}
		child := node.kids[i].node
		if child == nil || depth+1 == len(p) {
			return invalid(k, msgOverlap+p.javaString()+", path two: "+leafPath(p, depth, node).javaString())
		}
		node = child
	}
}

// leafPath is DynamoDB's "path two": p's first depth elements, then the first child of each node
// from node down to a leaf.
func leafPath(p Path, depth int, node *pathTree) Path {
	out := append(Path(nil), p[:depth]...)
	for n := node; n != nil && len(n.kids) > 0; {
		kid := n.first()
		out = append(out, kid.elem)
		n = kid.node
	}
	return out
}

// paths resolves and validates the paths of a projection or update, last first (DynamoDB's
// order), and checks that no two overlap.
func (ck *checker) paths(ps []*pathNode) error {
	var tree pathTree
	for i := len(ps) - 1; i >= 0; i-- {
		if err := ck.path(ps[i]); err != nil {
			return err
		}
		if err := tree.add(ck.kind, ps[i].path); err != nil {
			return err
		}
	}
	return nil
}
