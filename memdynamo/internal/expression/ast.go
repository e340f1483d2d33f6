package expression

import (
	"strconv"
	"strings"

	"github.com/dynantic/dynantic/memdynamo/internal/value"
)

// PathElem is one step of a document path: an attribute name or map key (Index < 0), or a list
// index (Index >= 0).
type PathElem struct {
	// Name is the attribute name or map key, with name placeholders substituted.
	Name string
	// Index is the list index, or -1 for a name.
	Index int
}

// IsIndex reports whether e is a list index.
func (e PathElem) IsIndex() bool { return e.Index >= 0 }

// Path is a resolved document path: a top-level attribute name followed by map keys and list
// indexes.
type Path []PathElem

// String returns p in expression syntax (a.b[2].c), names as they are (not quoted).
func (p Path) String() string {
	var b strings.Builder
	for i, e := range p {
		if e.IsIndex() {
			b.WriteByte('[')
			b.WriteString(strconv.Itoa(e.Index))
			b.WriteByte(']')
			continue
		}
		if i > 0 {
			b.WriteByte('.')
		}
		b.WriteString(e.Name)
	}
	return b.String()
}

// javaString renders p the way DynamoDB's messages do: [a, b, [2], c].
func (p Path) javaString() string {
	b := make([]byte, 0, 16)
	b = append(b, '[')
	for i, e := range p {
		if i > 0 {
			b = append(b, ", "...)
		}
		b = e.appendJava(b)
	}
	return string(append(b, ']'))
}

func (e PathElem) appendJava(b []byte) []byte {
	if e.IsIndex() {
		b = append(b, '[')
		b = strconv.AppendInt(b, int64(e.Index), 10)
		return append(b, ']')
	}
	return append(b, e.Name...)
}

// Equal reports whether p and q are the same path.
func (p Path) Equal(q Path) bool {
	if len(p) != len(q) {
		return false
	}
	for i := range p {
		if p[i] != q[i] {
			return false
		}
	}
	return true
}

// elemKind is how a path element was written.
type elemKind uint8

const (
	eID    elemKind = iota // a plain name
	eName                  // a #name placeholder
	eIndex                 // [n]
	eValue                 // .:v (accepted by the grammar, refused later)
)

// rawElem is a path element as written.
type rawElem struct {
	kind elemKind
	tok  int32  // token index
	text string // the name, placeholder or digits
}

// pathNode is a document path in an expression: its elements as written and, once validated,
// resolved.
type pathNode struct {
	raw    []rawElem
	path   Path
	inline [2]rawElem // raw's first elements, allocated with the node
}

// operandKind is the kind of an operand.
type operandKind uint8

const (
	opPath  operandKind = iota // a document path
	opValue                    // a :value placeholder
	opFunc                     // a function call (size, if_not_exists, list_append)
	opArith                    // a + b or a - b (update SET values only)
)

// fnKind identifies a function.
type fnKind uint8

const (
	fnUnknown fnKind = iota
	fnAttributeExists
	fnAttributeNotExists
	fnAttributeType
	fnBeginsWith
	fnContains
	fnSize
	fnIfNotExists
	fnListAppend
)

var fnNames = [...]string{"", "attribute_exists", "attribute_not_exists", "attribute_type",
	"begins_with", "contains", "size", "if_not_exists", "list_append"}

// lookupFunc returns the function named name (case-sensitive, as DynamoDB), or fnUnknown.
func lookupFunc(name string) fnKind {
	for i := 1; i < len(fnNames); i++ {
		if fnNames[i] == name {
			return fnKind(i)
		}
	}
	return fnUnknown
}

// isCondition reports whether f is one of the functions that are a condition on their own.
func (f fnKind) isCondition() bool { return f >= fnAttributeExists && f <= fnContains }

// operand is a value in an expression.
type operand struct {
	kind  operandKind
	paren bool        // written inside parentheses
	op    tokKind     // opArith: tPlus or tMinus
	fn    fnKind      // opFunc
	tok   int32       // first token: path start, placeholder or function name
	path  *pathNode   // opPath
	key   string      // opValue: the placeholder (":v"); opFunc: the function name as written
	val   value.Value // opValue, once resolved
	args  []*operand  // opFunc: arguments; opArith: the two operands
}

// condKind is the kind of a condition node.
type condKind uint8

const (
	cCompare condKind = iota // operand comparator operand
	cIn                      // operand IN (operand, ...)
	cBetween                 // operand BETWEEN operand AND operand
	cFunc                    // a function used as a condition
	cNot
	cAnd
	cOr
)

// cond is a node of a condition.
type cond struct {
	kind  condKind
	group bool       // written inside parentheses
	op    tokKind    // cCompare: the comparator
	fn    fnKind     // cFunc
	tok   int32      // cFunc: the function name token; others: the operator token
	name  string     // cFunc: the function name as written
	ops   []*operand // cCompare, cIn, cBetween: the operands (first is the tested one); cFunc: arguments
	l, r  *cond      // cAnd, cOr: both; cNot: l
}

var comparatorText = [...]string{tEQ: "=", tNE: "<>", tLT: "<", tLE: "<=", tGT: ">", tGE: ">="}

// String renders the condition with explicit parentheses around every AND, OR and NOT, for tests
// and debugging.
func (c *cond) String() string {
	var b strings.Builder
	c.write(&b)
	return b.String()
}

func (c *cond) write(b *strings.Builder) {
	switch c.kind {
	case cCompare:
		c.ops[0].write(b)
		b.WriteString(" " + comparatorText[c.op] + " ")
		c.ops[1].write(b)
	case cIn:
		c.ops[0].write(b)
		b.WriteString(" IN (")
		writeList(b, c.ops[1:])
		b.WriteByte(')')
	case cBetween:
		c.ops[0].write(b)
		b.WriteString(" BETWEEN ")
		c.ops[1].write(b)
		b.WriteString(" AND ")
		c.ops[2].write(b)
	case cFunc:
		b.WriteString(c.name + "(")
		writeList(b, c.ops)
		b.WriteByte(')')
	case cNot:
		b.WriteString("(NOT ")
		c.l.write(b)
		b.WriteByte(')')
	case cAnd, cOr:
		b.WriteByte('(')
		c.l.write(b)
		if c.kind == cAnd {
			b.WriteString(" AND ")
		} else {
			b.WriteString(" OR ")
		}
		c.r.write(b)
		b.WriteByte(')')
	}
}

func writeList(b *strings.Builder, ops []*operand) {
	for i, o := range ops {
		if i > 0 {
			b.WriteString(", ")
		}
		o.write(b)
	}
}

func (o *operand) write(b *strings.Builder) {
	switch o.kind {
	case opPath:
		o.path.write(b)
	case opValue:
		b.WriteString(o.key)
	case opFunc:
		b.WriteString(o.key + "(")
		writeList(b, o.args)
		b.WriteByte(')')
	case opArith:
		b.WriteByte('(')
		o.args[0].write(b)
		if o.op == tPlus {
			b.WriteString(" + ")
		} else {
			b.WriteString(" - ")
		}
		o.args[1].write(b)
		b.WriteByte(')')
	}
}

func (p *pathNode) write(b *strings.Builder) {
	if p.path != nil {
		b.WriteString(p.path.String())
		return
	}
	for i, e := range p.raw {
		switch {
		case e.kind == eIndex:
			b.WriteString("[" + e.text + "]")
		case i > 0:
			b.WriteString("." + e.text)
		default:
			b.WriteString(e.text)
		}
	}
}
