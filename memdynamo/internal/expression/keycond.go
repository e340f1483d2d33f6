package expression

import (
	"strings"

	"github.com/dynantic/dynantic/memdynamo/internal/value"
)

// KeyCondition is a parsed KeyConditionExpression. It is immutable and safe for concurrent use.
type KeyCondition struct {
	root *cond
}

// KeyCondition parses a KeyConditionExpression with the checks of a condition (syntax,
// placeholders, operand types, BETWEEN bounds). Whether it fits a key schema is checked by Match,
// which DynamoDB does after CheckUnused.
func (c *Context) KeyCondition(text string) (*KeyCondition, error) {
	root, err := c.condition(KeyConditionExpression, text)
	if err != nil {
		return nil, err
	}
	return &KeyCondition{root: root}, nil
}

// String renders the key condition like Condition.String.
func (k *KeyCondition) String() string { return k.root.String() }

// KeyAttr is a key attribute of a table or index: its name and type (S, N or B).
type KeyAttr struct {
	Name string
	Type value.Kind
}

// KeySchema is the key a Query runs on: the partition (HASH) attributes and the sort (RANGE)
// attributes, in schema order. A table has one HASH and at most one RANGE attribute; a global
// secondary index may have up to four of each.
type KeySchema struct {
	Hash  []KeyAttr
	Range []KeyAttr
	// Index is set when the Query names an index (DynamoDB's messages then say "IndexKey").
	Index bool
}

// KeyOp is the operator of a key condition part.
type KeyOp uint8

// The operators a key condition may use.
const (
	KeyEQ KeyOp = iota
	KeyLT
	KeyLE
	KeyGT
	KeyGE
	KeyBetween
	KeyBeginsWith
)

// KeyPart is the condition on one key attribute: Name Op Values[0] (Values[0] and Values[1] for
// KeyBetween, lower bound first).
type KeyPart struct {
	Name   string
	Op     KeyOp
	Values []value.Value
}

// Match checks the key condition against schema with DynamoDB's rules and wording, and returns
// the conditions on the HASH attributes (all KeyEQ) and on the RANGE attributes, each in schema
// order; the RANGE parts are a prefix of the RANGE attributes in which only the last may use an
// operator other than KeyEQ. Errors are ValidationExceptions ("Query condition missed key schema
// element", "Query key condition not supported", "Invalid operator used in KeyConditionExpression:
// <>", "One or more parameter values were invalid: Condition parameter type does not match
// schema type", ...).
func (k *KeyCondition) Match(s KeySchema) (hash, rng []KeyPart, err error) {
	var scalarErr error
	k.root.walkPaths(func(p Path) {
		if scalarErr == nil && len(p) > 1 && s.isKey(p[0].Name) {
			label := "Key: "
			if s.Index {
				label = "IndexKey: "
			}
			scalarErr = validation("Key attributes must be scalars; list random access '[]' and map lookup '.' are not allowed: " + label + p[0].Name)
		}
	})
	if scalarErr != nil {
		return nil, nil, scalarErr
	}
	var parts []KeyPart
	if err := structure(k.root, &parts); err != nil {
		return nil, nil, err
	}
	for i := range parts {
		for j := 0; j < i; j++ {
			if parts[j].Name == parts[i].Name {
				return nil, nil, validation("KeyConditionExpressions must only contain one condition per key")
			}
		}
	}
	if len(s.Hash) == 1 && len(s.Range) <= 1 {
		return matchSimple(parts, s)
	}
	return matchMulti(parts, s)
}

// structure walks the condition (pre-order) refusing what a key condition cannot hold, and
// collects the condition of each leaf.
func structure(c *cond, parts *[]KeyPart) error {
	bad := ""
	switch c.kind {
	case cAnd:
		if err := structure(c.l, parts); err != nil {
			return err
		}
		return structure(c.r, parts)
	case cOr:
		bad = "OR"
	case cNot:
		bad = "NOT"
	case cIn:
		bad = "IN"
	case cCompare:
		if c.op == tNE {
			bad = "<>"
		}
	case cFunc:
		if c.fn != fnBeginsWith {
			bad = c.name
		}
	}
	if bad != "" {
		return validation("Invalid operator used in KeyConditionExpression: " + bad)
	}
	for _, o := range c.ops {
		if o.kind == opFunc {
			return validation("KeyConditionExpressions cannot contain nested operations")
		}
	}
	p, err := keyPart(c)
	if err != nil {
		return err
	}
	*parts = append(*parts, p)
	return nil
}

func (s KeySchema) isKey(name string) bool {
	for _, a := range s.Hash {
		if a.Name == name {
			return true
		}
	}
	for _, a := range s.Range {
		if a.Name == name {
			return true
		}
	}
	return false
}

// keyPart turns a leaf into the condition on its attribute.
func keyPart(c *cond) (KeyPart, error) {
	switch {
	case c.kind == cBetween && c.ops[0].kind != opPath:
		return KeyPart{}, validation("Invalid condition in KeyConditionExpression: BETWEEN operator must have the key attribute as its first operand")
	case c.kind == cFunc && c.ops[0].kind != opPath:
		return KeyPart{}, validation("Invalid condition in KeyConditionExpression: begins_with operator must have the key attribute as its first operand")
	}
	paths := 0
	for _, o := range c.ops {
		if o.kind == opPath {
			if len(o.path.path) > 1 {
				return KeyPart{}, validation("KeyConditionExpressions cannot have conditions on nested attributes")
			}
			paths++
		}
	}
	switch {
	case paths == 0:
		return KeyPart{}, validation("Invalid condition in KeyConditionExpression: No key attribute specified")
	case paths > 1:
		return KeyPart{}, validation("Invalid condition in KeyConditionExpression: Multiple attribute names used in one condition")
	}
	switch c.kind {
	case cBetween:
		return KeyPart{Name: c.ops[0].path.path[0].Name, Op: KeyBetween, Values: []value.Value{c.ops[1].val, c.ops[2].val}}, nil
	case cFunc: // begins_with
		return KeyPart{Name: c.ops[0].path.path[0].Name, Op: KeyBeginsWith, Values: []value.Value{c.ops[1].val}}, nil
	}
	op := map[tokKind]KeyOp{tEQ: KeyEQ, tLT: KeyLT, tLE: KeyLE, tGT: KeyGT, tGE: KeyGE}[c.op]
	path, val := c.ops[0], c.ops[1]
	if path.kind != opPath { // :v < key means key > :v
		path, val = val, path
		op = map[KeyOp]KeyOp{KeyEQ: KeyEQ, KeyLT: KeyGT, KeyLE: KeyGE, KeyGT: KeyLT, KeyGE: KeyLE}[op]
	}
	return KeyPart{Name: path.path.path[0].Name, Op: op, Values: []value.Value{val.val}}, nil
}

var errTypeMismatch = "One or more parameter values were invalid: Condition parameter type does not match schema type"

// typesMatch reports whether every value of p has type t.
func typesMatch(p KeyPart, t value.Kind) bool {
	for _, v := range p.Values {
		if v.Kind() != t {
			return false
		}
	}
	return true
}

// matchSimple applies the rules of a key of one HASH and at most one RANGE attribute.
func matchSimple(parts []KeyPart, s KeySchema) (hash, rng []KeyPart, err error) {
	if len(parts) > 2 {
		return nil, nil, validation("Conditions can be of length 1 or 2 only")
	}
	if len(parts) == 2 && len(s.Range) == 0 {
		return nil, nil, validation("Query key condition not supported")
	}
	h := -1
	for i, p := range parts {
		if p.Name == s.Hash[0].Name {
			h = i
		}
	}
	if h < 0 {
		return nil, nil, validation("Query condition missed key schema element")
	}
	if !typesMatch(parts[h], s.Hash[0].Type) {
		return nil, nil, validation(errTypeMismatch)
	}
	if parts[h].Op != KeyEQ {
		return nil, nil, validation("Query key condition not supported")
	}
	hash = parts[h : h+1]
	if len(parts) == 1 {
		return hash, nil, nil
	}
	r := parts[1-h]
	switch {
	case r.Name != s.Range[0].Name:
		return nil, nil, validation("Query condition missed key schema element")
	case !typesMatch(r, s.Range[0].Type):
		return nil, nil, validation(errTypeMismatch)
	}
	return hash, []KeyPart{r}, nil
}

// matchMulti applies the rules of a multi-attribute key (a global secondary index with several
// HASH or RANGE attributes), in DynamoDB's order: the number of conditions, the HASH attributes
// (present, equalities, types), the RANGE prefix (types, gaps), conditions on other attributes.
func matchMulti(parts []KeyPart, s KeySchema) (hash, rng []KeyPart, err error) {
	find := func(name string) int {
		for i, p := range parts {
			if p.Name == name {
				return i
			}
		}
		return -1
	}
	if len(parts) > len(s.Hash)+len(s.Range) {
		return nil, nil, validation("Query key condition not supported")
	}
	// HASH attributes without any condition are named first; then those whose condition is not
	// an equality.
	var missing []string
	for _, a := range s.Hash {
		if find(a.Name) < 0 {
			missing = append(missing, a.Name)
		}
	}
	if len(missing) == 0 {
		for _, a := range s.Hash {
			if parts[find(a.Name)].Op != KeyEQ {
				missing = append(missing, a.Name)
			}
		}
	}
	if len(missing) > 0 {
		return nil, nil, validation("HASH key attributes " + strings.Join(missing, ", ") +
			" must have equality conditions specified in the query")
	}
	for _, a := range s.Hash {
		p := parts[find(a.Name)]
		if !typesMatch(p, a.Type) {
			return nil, nil, validation(errTypeMismatch)
		}
		hash = append(hash, p)
	}
	// The RANGE attributes are checked in order while they have conditions, up to the first that
	// is not an equality; a condition on a later one is an error naming the gap.
	for _, a := range s.Range {
		j := find(a.Name)
		if j < 0 {
			break
		}
		if !typesMatch(parts[j], a.Type) {
			return nil, nil, validation(errTypeMismatch)
		}
		rng = append(rng, parts[j])
		if parts[j].Op != KeyEQ {
			break
		}
	}
	last := -1
	for i, a := range s.Range {
		if find(a.Name) >= 0 {
			last = i
		}
	}
	if last >= len(rng) {
		for i := 0; i < last; i++ {
			if j := find(s.Range[i].Name); j < 0 || parts[j].Op != KeyEQ {
				missing = append(missing, s.Range[i].Name)
			}
		}
		return nil, nil, validation("RANGE key attributes " + strings.Join(missing, ", ") +
			" must have equality conditions specified in the query because a condition is present on key attribute " +
			s.Range[last].Name)
	}
	for _, p := range parts {
		if !s.isKey(p.Name) {
			return nil, nil, validation("Query condition missed key schema element")
		}
	}
	return hash, rng, nil
}
