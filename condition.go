package dynantic

import (
	"errors"
	"strconv"
	"unicode/utf8"

	"github.com/dynantic/dynantic/internal/expr"
)

// AttrRef names an attribute, or a nested path inside one, in a condition.
// Make one with Attr; its methods build Conditions.
type AttrRef struct {
	path expr.Path
	// name is a plain top-level name (path is then nil): its one-element
	// path is made only where it is used, in the same allocation as the
	// condition leaf that holds it (see AttrRef.cond).
	name string
	size bool
	err  error
}

// exprPath is the attribute's path.
func (a AttrRef) exprPath() expr.Path {
	if a.path == nil && a.name != "" {
		return expr.NamePath(a.name)
	}
	return a.path
}

// Attr refers to the attribute at path: a top-level attribute name such as
// "rating", or a nested document path such as "address.city" or
// "lines[2].qty". When path is itself the name of one of the model's
// attributes (a name containing a dot), it means that attribute. Names are
// always sent as #placeholders, so reserved words like "name", "status" or
// "size" are safe. An empty or malformed path is reported by the call that
// uses the condition, before any request.
func Attr(path string) AttrRef {
	if path == "" {
		return AttrRef{err: errors.New("empty attribute path")}
	}
	plain, ascii := scanName(path)
	if !ascii && !utf8.ValidString(path) {
		return AttrRef{err: errors.New("attribute path " + strconv.Quote(path) + " is not valid UTF-8")}
	}
	if plain {
		return AttrRef{name: path}
	}
	p, err := expr.ParsePath(path)
	if err != nil {
		return AttrRef{err: err}
	}
	return AttrRef{path: p}
}

// pathErr is the error of a malformed attribute path met where sentinel
// kind applies (ErrInvalidCondition in a condition, ErrInvalidQuery in a
// projection); where names the use, such as "Attr" or "Project".
func pathErr(where string, err error, kind error) error {
	return &inputError{"dynantic: " + where + ": " + err.Error(), kind}
}

// Size refers to the size of the attribute (string length, bytes of binary,
// elements of a list, map or set), for comparisons such as
// Attr("tags").Size().Gt(3).
func (a AttrRef) Size() AttrRef { a.size = true; return a }

func (a AttrRef) operand() expr.Operand { return expr.Operand{Path: a.exprPath(), Size: a.size} }

// value turns a comparison argument into an operand: another AttrRef is an
// attribute (attribute-to-attribute comparison), anything else a value.
func operand(v any) (expr.Operand, error) {
	if r, ok := v.(AttrRef); ok {
		return r.operand(), r.err
	}
	return expr.Operand{Value: v, IsValue: true}, nil
}

func (a AttrRef) cond(op expr.Op, vals ...any) Condition {
	if a.err != nil {
		return Condition{err: pathErr("Attr", a.err, ErrInvalidCondition)}
	}
	n := 1 + len(vals)
	var c *expr.Cond
	var args []expr.Operand
	switch {
	case n == 1: // Exists, NotExists: a smaller node
		l := new(leafCond1) // the node, its operand and a plain name's path in one allocation
		c, args = &l.c, l.args[:0:1]
		if a.path == nil && a.name != "" {
			l.elem[0].Name = a.name
			args = append(args, expr.Operand{Path: l.elem[:], Size: a.size})
		}
	case n <= len(leafCond{}.args):
		l := new(leafCond) // the node, its operands and a plain name's path in one allocation
		c, args = &l.c, l.args[:0:n]
		if a.path == nil && a.name != "" {
			l.elem[0].Name = a.name
			args = append(args, expr.Operand{Path: l.elem[:], Size: a.size})
		}
	default:
		c, args = new(expr.Cond), make([]expr.Operand, 0, n)
	}
	if len(args) == 0 {
		args = append(args, a.operand())
	}
	for _, v := range vals {
		o, err := operand(v)
		if err != nil {
			return Condition{err: pathErr("Attr", err, ErrInvalidCondition)}
		}
		args = append(args, o)
	}
	c.Op, c.Args = op, args
	return Condition{c: c}
}

// leafCond is a comparison or function node allocated together with its
// operands (at most two: every operator but Between and In).
type leafCond struct {
	c    expr.Cond
	args [2]expr.Operand
	elem [1]expr.PathElem // the path of args[0] when it is a plain name
}

// leafCond1 is leafCond for a node with one operand (144 bytes instead of
// 192).
type leafCond1 struct {
	c    expr.Cond
	args [1]expr.Operand
	elem [1]expr.PathElem
}

// Eq is true when the attribute equals v. v may be another AttrRef.
func (a AttrRef) Eq(v any) Condition { return a.cond(expr.OpEq, v) }

// Ne is true when the attribute differs from v (or is absent).
func (a AttrRef) Ne(v any) Condition { return a.cond(expr.OpNe, v) }

// Lt is true when the attribute is less than v.
func (a AttrRef) Lt(v any) Condition { return a.cond(expr.OpLt, v) }

// Lte is true when the attribute is less than or equal to v.
func (a AttrRef) Lte(v any) Condition { return a.cond(expr.OpLe, v) }

// Gt is true when the attribute is greater than v.
func (a AttrRef) Gt(v any) Condition { return a.cond(expr.OpGt, v) }

// Gte is true when the attribute is greater than or equal to v.
func (a AttrRef) Gte(v any) Condition { return a.cond(expr.OpGe, v) }

// Between is true when lo <= attribute <= hi.
func (a AttrRef) Between(lo, hi any) Condition { return a.cond(expr.OpBetween, lo, hi) }

// In is true when the attribute equals one of vs (1 to 100 values).
func (a AttrRef) In(vs ...any) Condition {
	if len(vs) == 0 {
		return Condition{err: &inputError{"dynantic: In needs at least one value", ErrInvalidCondition}}
	}
	return a.cond(expr.OpIn, vs...)
}

// Contains is true when a string attribute contains the substring v, or a
// set or list attribute contains the element v.
func (a AttrRef) Contains(v any) Condition { return a.cond(expr.OpContains, v) }

// BeginsWith is true when a string attribute starts with prefix. On a
// time.Time attribute it matches a date prefix such as "2024-05".
func (a AttrRef) BeginsWith(prefix string) Condition { return a.cond(expr.OpBeginsWith, prefix) }

// Exists is true when the item has the attribute.
func (a AttrRef) Exists() Condition { return a.cond(expr.OpExists) }

// NotExists is true when the item lacks the attribute; on a key attribute it
// means "the item does not exist".
func (a AttrRef) NotExists() Condition { return a.cond(expr.OpNotExists) }

// IsType is true when the attribute is stored as type t.
func (a AttrRef) IsType(t AttrType) Condition { return a.cond(expr.OpIsType, string(t)) }

// AttrType is a DynamoDB attribute type, for IsType.
type AttrType string

// The DynamoDB attribute types.
const (
	TypeString    AttrType = "S"    // string
	TypeStringSet AttrType = "SS"   // string set
	TypeNumber    AttrType = "N"    // number
	TypeNumberSet AttrType = "NS"   // number set
	TypeBinary    AttrType = "B"    // binary
	TypeBinarySet AttrType = "BS"   // binary set
	TypeBool      AttrType = "BOOL" // boolean
	TypeNull      AttrType = "NULL" // null
	TypeList      AttrType = "L"    // list
	TypeMap       AttrType = "M"    // map
)

// Condition is a condition on an item, built from Attr and combined with
// And, Or and Not. The zero Condition means "no condition". Conditions are
// immutable values, safe to share and reuse.
type Condition struct {
	c   *expr.Cond
	err error
}

// And is true when c and all others are true.
func (c Condition) And(others ...Condition) Condition {
	if len(others) == 1 && c.err == nil && c.c != nil && others[0].err == nil && others[0].c != nil {
		return junction2(expr.OpAnd, c.c, others[0].c) // the usual a.And(b)
	}
	var buf [4]Condition // stays on the stack for up to three others
	return combine(expr.OpAnd, append(append(buf[:0], c), others...))
}

// Or is true when c or any of others is true.
func (c Condition) Or(others ...Condition) Condition {
	if len(others) == 1 && c.err == nil && c.c != nil && others[0].err == nil && others[0].c != nil {
		return junction2(expr.OpOr, c.c, others[0].c)
	}
	var buf [4]Condition
	return combine(expr.OpOr, append(append(buf[:0], c), others...))
}

// Not is true when c is false.
func (c Condition) Not() Condition { return Not(c) }

// And is true when every condition is true. Zero conditions are skipped.
func And(conds ...Condition) Condition { return combine(expr.OpAnd, conds) }

// Or is true when any condition is true. Zero conditions are skipped.
func Or(conds ...Condition) Condition { return combine(expr.OpOr, conds) }

// Not negates c.
func Not(c Condition) Condition {
	if c.err != nil {
		return c
	}
	if c.c == nil {
		return Condition{err: &inputError{"dynantic: Not of an empty condition", ErrInvalidCondition}}
	}
	return Condition{c: &expr.Cond{Op: expr.OpNot, Subs: []*expr.Cond{c.c}}}
}

func combine(op expr.Op, conds []Condition) Condition {
	n := 0
	var one *expr.Cond
	for _, c := range conds {
		if c.err != nil {
			return c
		}
		if c.c != nil {
			n++
			one = c.c
		}
	}
	switch n {
	case 0:
		return Condition{}
	case 1:
		return Condition{c: one}
	}
	var node *expr.Cond
	var subs []*expr.Cond
	if n <= len(junctionCond{}.subs) {
		j := new(junctionCond) // the node and its subs in one allocation
		node, subs = &j.c, j.subs[:0:n]
	} else {
		node, subs = new(expr.Cond), make([]*expr.Cond, 0, n)
	}
	for _, c := range conds {
		if c.c != nil {
			subs = append(subs, c.c)
		}
	}
	node.Op, node.Subs = op, subs
	return Condition{c: node}
}

// junction2 is the AND or OR node of two subs, without combine's loops.
func junction2(op expr.Op, a, b *expr.Cond) Condition {
	j := new(junctionCond)
	j.subs = [2]*expr.Cond{a, b}
	j.c.Op, j.c.Subs = op, j.subs[:]
	return Condition{c: &j.c}
}

// junctionCond is an AND or OR node allocated together with its (two)
// subs.
type junctionCond struct {
	c    expr.Cond
	subs [2]*expr.Cond
}

// IsZero reports whether c is the empty condition.
func (c Condition) IsZero() bool { return c.c == nil && c.err == nil }
