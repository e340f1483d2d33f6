package expr

import (
	"strconv"
	"strings"

	"github.com/aws/aws-sdk-go-v2/service/dynamodb/types"
)

// Precomputed placeholders: the first 64 of each kind cost no formatting.
const precomputed = 64

var (
	namePH  = makePlaceholders("#n")
	valuePH = makePlaceholders(":v")
)

func makePlaceholders(prefix string) *[precomputed]string {
	var t [precomputed]string
	for i := range t {
		t[i] = prefix + strconv.Itoa(i)
	}
	return &t
}

// placeholder returns "#nI" or ":vI" (as a string, for map keys).
func placeholder(t *[precomputed]string, prefix string, i int) string {
	if i < precomputed {
		return t[i]
	}
	return prefix + strconv.Itoa(i)
}

// writePlaceholder writes "#nI" or ":vI" without allocating.
func writePlaceholder(w *strings.Builder, t *[precomputed]string, prefix string, i int) {
	if i < precomputed {
		w.WriteString(t[i])
		return
	}
	w.WriteString(prefix)
	writeInt(w, i)
}

// linearNames is how many distinct names are looked up by a linear scan before
// the Builder switches to a map; typical requests stay below it and never
// allocate the map.
const linearNames = 16

// Builder accumulates ExpressionAttributeNames/Values across the several
// expressions of ONE request (condition, key condition, filter, projection,
// and later update), so placeholders never collide.
//
// The zero Builder is ready to use; set Encode before compiling a condition
// that holds values. A Builder is not safe for concurrent use.
type Builder struct {
	Encode ValueEncoder // required when any operand IsValue

	// The names behind #n0, #n1...: the first fewNames in place (a typical
	// request allocates nothing for them), the others in moreNames; the
	// values behind :v0, :v1... likewise.
	nNames     int
	names      [fewNames]string
	moreNames  []string
	index      map[string]int // name → i, once nNames > linearNames
	nValues    int
	values     [fewValues]types.AttributeValue
	moreValues []types.AttributeValue
	reserved   *Cond // see ReserveCond
}

// fewNames and fewValues are how many names and values a Builder holds
// without allocating: enough for a four-action update with a two-clause
// condition.
const (
	fewNames  = 8
	fewValues = 4
)

// name is the name behind #ni, i < b.nNames.
func (b *Builder) name(i int) string {
	if i < fewNames {
		return b.names[i]
	}
	return b.moreNames[i-fewNames]
}

// value is the value behind :vi, i < b.nValues.
func (b *Builder) value(i int) types.AttributeValue {
	if i < fewValues {
		return b.values[i]
	}
	return b.moreValues[i-fewValues]
}

// Cond compiles a condition into expression text, registering its names and
// values with the Builder. Placeholders are assigned in the order they appear
// in the text (left to right, depth first).
//
// Errors: a *CondError (errors.Is one of ErrNilCond, ErrUnknownOp, ErrArgCount,
// ErrSubCount, ErrEmptyPath, ErrInvalidPath, ErrInCount, ErrNeedPath,
// ErrSizeOfValue, ErrTypeCode, ErrNoEncoder, ErrTooDeep) for a malformed
// tree, or a *ValueError wrapping the Encode callback's error. On error the
// Builder is left exactly as it was before the call.
func (b *Builder) Cond(c *Cond) (string, error) {
	var w strings.Builder
	if err := b.AppendCond(&w, c); err != nil {
		return "", err
	}
	return w.String(), nil
}

// AppendCond is Cond writing the text to the end of w, so that a caller can
// build several expressions in one buffer (one allocation). It grows w by
// the estimated size first (nothing when w already has room). Errors as
// Cond; on error the Builder is left as it was, w may hold part of the text.
func (b *Builder) AppendCond(w *strings.Builder, c *Cond) error {
	if c == nil {
		return &CondError{Err: ErrNilCond}
	}
	nm, vm := b.nNames, b.nValues
	if c != b.reserved {
		w.Grow(CondSize(c))
	}
	if err := b.cond(w, c, 0); err != nil {
		b.rollback(nm, vm)
		return err
	}
	return nil
}

// CondSize estimates the length of c's text, for sizing a buffer; it walks a
// bounded number of nodes and returns 0 for nil.
func CondSize(c *Cond) int {
	if c == nil {
		return 0
	}
	budget := estimateBudget
	return estimate(c, 0, &budget)
}

// ReserveCond is CondSize(c), for a caller that grows w by it before
// writing other text and then AppendCond(w, c): that AppendCond does not
// estimate (walk c) again.
func (b *Builder) ReserveCond(c *Cond) int {
	b.reserved = c
	return CondSize(c)
}

// Name registers the names of p and returns its placeholder form, e.g.
// "#n0.#n1[2].#n2". Each distinct name gets one placeholder, reused on every
// later use in this Builder. p must be valid (non-empty, starting with a
// non-empty name, no negative index), as ParsePath and NamePath with a
// non-empty name produce; otherwise Name registers nothing and returns "".
func (b *Builder) Name(p Path) string {
	if !p.valid() {
		return ""
	}
	if len(p) == 1 {
		return placeholder(namePH, "#n", b.nameID(p[0].Name))
	}
	var w strings.Builder
	w.Grow(5 * len(p))
	b.writePath(&w, p)
	return w.String()
}

// Value registers av and returns its placeholder. Every call gets a new ":vN"
// (values are not deduplicated). av should not be nil.
func (b *Builder) Value(av types.AttributeValue) string {
	return placeholder(valuePH, ":v", b.addValue(av))
}

// Projection renders paths as a ProjectionExpression, e.g. "#n0, #n1.#n2",
// registering their names. Invalid paths (see Name) are skipped; "" means no
// projection.
func (b *Builder) Projection(paths []Path) string {
	var w strings.Builder
	w.Grow(7 * len(paths))
	for _, p := range paths {
		if !p.valid() {
			continue
		}
		if w.Len() > 0 {
			w.WriteString(", ")
		}
		b.writePath(&w, p)
	}
	return w.String()
}

// Names returns the ExpressionAttributeNames map (placeholder → name) of
// everything registered so far, or nil when empty. The map is new on every
// call and owned by the caller.
func (b *Builder) Names() map[string]string {
	if b.nNames == 0 {
		return nil
	}
	m := make(map[string]string, b.nNames)
	for i := range b.nNames {
		m[placeholder(namePH, "#n", i)] = b.name(i)
	}
	return m
}

// Values returns the ExpressionAttributeValues map (placeholder → value) of
// everything registered so far, or nil when empty. The map is new on every
// call and owned by the caller; the attribute values themselves are shared.
func (b *Builder) Values() map[string]types.AttributeValue {
	if b.nValues == 0 {
		return nil
	}
	m := make(map[string]types.AttributeValue, b.nValues)
	for i := range b.nValues {
		m[placeholder(valuePH, ":v", i)] = b.value(i)
	}
	return m
}

// nameID returns the placeholder number of name, registering it if new.
func (b *Builder) nameID(name string) int {
	if b.index != nil {
		if i, ok := b.index[name]; ok {
			return i
		}
	} else {
		for i, n := range b.names[:min(b.nNames, fewNames)] {
			if n == name {
				return i
			}
		}
		for i, n := range b.moreNames {
			if n == name {
				return fewNames + i
			}
		}
	}
	i := b.nNames
	if i < fewNames {
		b.names[i] = name
	} else {
		b.moreNames = append(b.moreNames, name)
	}
	b.nNames++
	switch {
	case b.index != nil:
		b.index[name] = i
	case b.nNames > linearNames:
		b.index = make(map[string]int, 2*b.nNames)
		for j := range b.nNames {
			b.index[b.name(j)] = j
		}
	}
	return i
}

func (b *Builder) addValue(av types.AttributeValue) int {
	i := b.nValues
	if i < fewValues {
		b.values[i] = av
	} else {
		b.moreValues = append(b.moreValues, av)
	}
	b.nValues++
	return i
}

// rollback forgets the names and values registered after the marks.
func (b *Builder) rollback(names, values int) {
	if b.index != nil {
		for i := names; i < b.nNames; i++ {
			delete(b.index, b.name(i))
		}
	}
	clear(b.names[min(names, fewNames):])
	if k := max(names-fewNames, 0); k < len(b.moreNames) {
		clear(b.moreNames[k:])
		b.moreNames = b.moreNames[:k]
	}
	b.nNames = names
	clear(b.values[min(values, fewValues):])
	if k := max(values-fewValues, 0); k < len(b.moreValues) {
		clear(b.moreValues[k:])
		b.moreValues = b.moreValues[:k]
	}
	b.nValues = values
}

// writePath writes the placeholder form of a valid path.
func (b *Builder) writePath(w *strings.Builder, p Path) {
	for i, e := range p {
		if e.IsIndex {
			w.WriteByte('[')
			writeInt(w, e.Index)
			w.WriteByte(']')
			continue
		}
		if i > 0 {
			w.WriteByte('.')
		}
		writePlaceholder(w, namePH, "#n", b.nameID(e.Name))
	}
}

// estimateBudget bounds the nodes estimate visits, so a tree that shares
// sub-trees (or, by misuse, contains a cycle) cannot make it slow; the
// compile pass itself stops cycles with ErrTooDeep.
const estimateBudget = 1024

// estimate is a cheap, slightly generous guess of the text length of c, for Grow.
func estimate(c *Cond, depth int, budget *int) int {
	if c == nil || depth > MaxDepth || *budget <= 0 {
		return 0
	}
	*budget--
	n := 0
	switch c.Op {
	case OpAnd, OpOr, OpNot:
		for _, s := range c.Subs {
			n += estimate(s, depth+1, budget) + 5
		}
		return n
	case OpBetween:
		n = 13 // " BETWEEN " + " AND "
	case OpIn:
		n = 6 // " IN (" + ")"
	default:
		if c.Op < Op(len(opNames)) {
			n = len(opNames[c.Op]) + 2 // "fn(" + ")" or " = "
		}
	}
	for _, a := range c.Args {
		if a.IsValue {
			n += 5
			continue
		}
		n += 4*len(a.Path) + 1
		if a.Size {
			n += 6
		}
	}
	return n
}

// unwrap follows single-sub AND/OR nodes down to the node that actually
// renders, counting each step against MaxDepth.
func unwrap(c *Cond, depth *int) (*Cond, error) {
	for {
		if c == nil {
			return nil, &CondError{Err: ErrNilCond}
		}
		if *depth++; *depth > MaxDepth {
			return nil, &CondError{Op: c.Op, Err: ErrTooDeep}
		}
		if (c.Op == OpAnd || c.Op == OpOr) && len(c.Subs) == 1 && len(c.Args) == 0 {
			c = c.Subs[0]
			continue
		}
		return c, nil
	}
}

// cond writes c in a context that needs no parentheses around it.
func (b *Builder) cond(w *strings.Builder, c *Cond, depth int) error {
	c, err := unwrap(c, &depth)
	if err != nil {
		return err
	}
	switch c.Op {
	case OpAnd, OpOr:
		return b.junction(w, c, depth, true)
	case OpNot:
		return b.not(w, c, depth)
	default:
		return b.leaf(w, c)
	}
}

// junction writes the subs of an AND/OR node c joined by its keyword,
// flattening nested nodes of the same kind and parenthesizing the other kind.
// first says whether c's first sub starts the list (no separator before it);
// it is false for a node flattened into its parent after earlier items. A
// successful call always writes at least one item.
func (b *Builder) junction(w *strings.Builder, c *Cond, depth int, first bool) error {
	if len(c.Subs) == 0 {
		return &CondError{Op: c.Op, Err: ErrSubCount}
	}
	if len(c.Args) != 0 {
		return &CondError{Op: c.Op, Err: ErrArgCount}
	}
	sep := " AND "
	if c.Op == OpOr {
		sep = " OR "
	}
	for _, s := range c.Subs {
		d := depth
		s, err := unwrap(s, &d)
		if err != nil {
			return err
		}
		if s.Op == c.Op {
			if err := b.junction(w, s, d, first); err != nil {
				return err
			}
			first = false
			continue
		}
		if !first {
			w.WriteString(sep)
		}
		first = false
		switch s.Op {
		case OpAnd, OpOr:
			w.WriteByte('(')
			if err := b.junction(w, s, d, true); err != nil {
				return err
			}
			w.WriteByte(')')
		case OpNot:
			err = b.not(w, s, d)
		default:
			err = b.leaf(w, s)
		}
		if err != nil {
			return err
		}
	}
	return nil
}

// not writes NOT fn(...) for a function, NOT (...) for anything else. NOT
// binds tighter than AND and OR, so the result needs no parentheses of its own.
func (b *Builder) not(w *strings.Builder, c *Cond, depth int) error {
	if len(c.Subs) != 1 {
		return &CondError{Op: OpNot, Err: ErrSubCount}
	}
	if len(c.Args) != 0 {
		return &CondError{Op: OpNot, Err: ErrArgCount}
	}
	inner, err := unwrap(c.Subs[0], &depth)
	if err != nil {
		return err
	}
	switch inner.Op {
	case OpBeginsWith, OpContains, OpExists, OpNotExists, OpIsType:
		w.WriteString("NOT ")
		return b.leaf(w, inner)
	}
	w.WriteString("NOT (")
	if err := b.cond(w, inner, depth); err != nil {
		return err
	}
	w.WriteByte(')')
	return nil
}

// leaf writes a comparison or function node.
func (b *Builder) leaf(w *strings.Builder, c *Cond) error {
	if c.Op == 0 || c.Op > OpIsType {
		return &CondError{Op: c.Op, Err: ErrUnknownOp}
	}
	if len(c.Subs) != 0 {
		return &CondError{Op: c.Op, Err: ErrSubCount}
	}
	args := c.Args
	want := 2
	switch c.Op {
	case OpBetween:
		want = 3
	case OpExists, OpNotExists:
		want = 1
	case OpIn:
		if n := len(args) - 1; n < 1 || n > MaxInValues {
			if n < 0 {
				return &CondError{Op: c.Op, Err: ErrArgCount}
			}
			return &CondError{Op: c.Op, Err: ErrInCount}
		}
		want = len(args)
	}
	if len(args) != want {
		return &CondError{Op: c.Op, Err: ErrArgCount}
	}

	// The path values are encoded against, and the one errors name.
	var encPath Path
	if !args[0].IsValue && !args[0].Size {
		encPath = args[0].Path
	}
	errPath := encPath
	if errPath == nil {
		for _, a := range args {
			if !a.IsValue {
				errPath = a.Path
				break
			}
		}
	}
	opnd := func(a Operand) error { return b.operand(w, c.Op, a, encPath, errPath) }

	switch c.Op {
	case OpEq, OpNe, OpLt, OpLe, OpGt, OpGe:
		if err := opnd(args[0]); err != nil {
			return err
		}
		w.WriteByte(' ')
		w.WriteString(opNames[c.Op])
		w.WriteByte(' ')
		return opnd(args[1])

	case OpBetween:
		if err := opnd(args[0]); err != nil {
			return err
		}
		w.WriteString(" BETWEEN ")
		if err := opnd(args[1]); err != nil {
			return err
		}
		w.WriteString(" AND ")
		return opnd(args[2])

	case OpIn:
		if err := opnd(args[0]); err != nil {
			return err
		}
		w.WriteString(" IN (")
		for i, a := range args[1:] {
			if i > 0 {
				w.WriteString(", ")
			}
			if err := opnd(a); err != nil {
				return err
			}
		}
		w.WriteByte(')')
		return nil
	}

	// Functions: the first argument must be a plain attribute path.
	if args[0].IsValue || args[0].Size {
		return &CondError{Op: c.Op, Err: ErrNeedPath}
	}
	w.WriteString(opNames[c.Op])
	w.WriteByte('(')
	if err := opnd(args[0]); err != nil {
		return err
	}
	switch c.Op {
	case OpBeginsWith, OpContains:
		w.WriteString(", ")
		if err := opnd(args[1]); err != nil {
			return err
		}
	case OpIsType:
		code, ok := typeCode(args[1])
		if !ok {
			return &CondError{Op: c.Op, Err: ErrTypeCode}
		}
		w.WriteString(", ")
		writePlaceholder(w, valuePH, ":v", b.addValue(&types.AttributeValueMemberS{Value: code}))
	}
	w.WriteByte(')')
	return nil
}

// operand writes one operand: a path, size(path) or a value placeholder.
func (b *Builder) operand(w *strings.Builder, op Op, a Operand, encPath, errPath Path) error {
	if a.IsValue {
		if a.Size {
			return &CondError{Op: op, Err: ErrSizeOfValue}
		}
		if b.Encode == nil {
			return &CondError{Op: op, Err: ErrNoEncoder}
		}
		av, err := b.Encode(encPath, op, a.Value)
		if err == nil && av == nil {
			err = ErrNilEncoded
		}
		if err != nil {
			return &ValueError{Path: errPath, Op: op, Err: err}
		}
		writePlaceholder(w, valuePH, ":v", b.addValue(av))
		return nil
	}
	if !a.Path.valid() {
		if len(a.Path) == 0 {
			return &CondError{Op: op, Err: ErrEmptyPath}
		}
		return &CondError{Op: op, Err: ErrInvalidPath}
	}
	if a.Size {
		w.WriteString("size(")
		b.writePath(w, a.Path)
		w.WriteByte(')')
		return nil
	}
	b.writePath(w, a.Path)
	return nil
}

// typeCode checks an attribute_type operand: a value holding one of
// DynamoDB's type codes as a string.
func typeCode(a Operand) (string, bool) {
	if !a.IsValue || a.Size {
		return "", false
	}
	s, ok := a.Value.(string)
	if !ok {
		return "", false
	}
	switch s {
	case "S", "SS", "N", "NS", "B", "BS", "BOOL", "NULL", "L", "M":
		return s, true
	}
	return "", false
}
