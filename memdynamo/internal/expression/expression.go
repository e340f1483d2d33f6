package expression

import (
	"strconv"
	"strings"

	"github.com/dynantic/dynantic/memdynamo/internal/value"
)

// begin applies the checks DynamoDB makes before parsing (empty, too long) and lexes text.
func (c *Context) begin(k Kind, text string) (*parser, error) {
	if text == "" {
		return nil, invalid(k, msgEmpty)
	}
	if len(text) > maxExprLen { // more bytes than the limit: count UTF-16 units
		if n := utf16Len(text); n > maxExprLen {
			if k == ProjectionExpression || k == UpdateExpression { // these messages leave out the size
				return nil, invalid(k, msgTooLong[:len(msgTooLong)-len(" expression size: ")])
			}
			return nil, invalid(k, msgTooLong+strconv.Itoa(n))
		}
	}
	c.toks = lex(text, c.toks)
	return newParser(k, text, c.toks), nil
}

// Condition is a parsed ConditionExpression or FilterExpression. It is immutable and safe for
// concurrent use.
type Condition struct {
	root *cond
}

// Condition parses a ConditionExpression or FilterExpression (k says which, for the messages).
// Errors are DynamoDB's ValidationExceptions (*wire.Error) with its wording: syntax errors,
// reserved words, unknown or misplaced functions, undefined placeholders, operand counts and
// types, BETWEEN bounds, and the limits on size, operators, IN operands and path depth.
func (c *Context) Condition(k Kind, text string) (*Condition, error) {
	root, err := c.condition(k, text)
	if err != nil {
		return nil, err
	}
	return &Condition{root: root}, nil
}

func (c *Context) condition(k Kind, text string) (*cond, error) {
	p, err := c.begin(k, text)
	if err != nil {
		return nil, err
	}
	var root *cond
	if err := p.run(func() { root = p.parseCondition() }); err != nil {
		return nil, err
	}
	ck := checker{ctx: c, kind: k}
	if err := ck.cond(root); err != nil {
		return nil, err
	}
	return root, nil
}

// String renders the condition with placeholders substituted and every AND, OR and NOT in
// parentheses (for tests and debugging).
func (c *Condition) String() string { return c.root.String() }

// Attributes returns the top-level attribute names the condition refers to, in order of first
// appearance (for example to refuse key attributes in a Query's FilterExpression).
func (c *Condition) Attributes() []string {
	var names []string
	c.root.walkPaths(func(p Path) {
		if !contains(names, p[0].Name) {
			names = append(names, p[0].Name)
		}
	})
	return names
}

func (c *cond) walkPaths(f func(Path)) {
	switch c.kind {
	case cNot:
		c.l.walkPaths(f)
	case cAnd, cOr:
		c.l.walkPaths(f)
		c.r.walkPaths(f)
	default:
		for _, o := range c.ops {
			o.walkPaths(f)
		}
	}
}

func (o *operand) walkPaths(f func(Path)) {
	if o.kind == opPath {
		f(o.path.path)
	}
	for _, a := range o.args {
		a.walkPaths(f)
	}
}

// Projection is a parsed ProjectionExpression (or the paths an update touched). It is immutable
// and safe for concurrent use.
type Projection struct {
	paths []Path
	tree  *projNode
}

// Projection parses a ProjectionExpression. Errors are ValidationExceptions: syntax, reserved
// words, undefined names, path depth, and overlapping or conflicting paths.
func (c *Context) Projection(text string) (*Projection, error) {
	p, err := c.begin(ProjectionExpression, text)
	if err != nil {
		return nil, err
	}
	var nodes []*pathNode
	if err := p.run(func() { nodes = p.parseProjection() }); err != nil {
		return nil, err
	}
	ck := checker{ctx: c, kind: ProjectionExpression}
	if err := ck.paths(nodes); err != nil {
		return nil, err
	}
	paths := make([]Path, len(nodes))
	for i, n := range nodes {
		paths[i] = n.path
	}
	return NewProjection(paths), nil
}

// NewProjection returns the projection of paths, which must not overlap.
func NewProjection(paths []Path) *Projection {
	pr := &Projection{paths: paths, tree: &projNode{}}
	for _, p := range paths {
		pr.tree.add(p)
	}
	return pr
}

// Paths returns the projected paths in the order written.
func (p *Projection) Paths() []Path { return p.paths }

// Attributes returns the top-level attribute names of the projected paths, in order of first
// appearance.
func (p *Projection) Attributes() []string {
	var names []string
	for _, path := range p.paths {
		if !contains(names, path[0].Name) {
			names = append(names, path[0].Name)
		}
	}
	return names
}

// Update is a parsed UpdateExpression. It is immutable and safe for concurrent use.
type Update struct {
	actions []updAction // in the order written
	tree    *updNode
	paths   []Path
}

// updAction is a validated action.
type updAction struct {
	kind tokKind
	path Path
	val  *operand
}

// Update parses an UpdateExpression. Errors are ValidationExceptions: syntax, reserved words,
// functions, a section used twice, undefined placeholders, operand types (ADD takes numbers and
// sets, DELETE sets, + and - numbers, list_append lists), limits, and overlapping or conflicting
// paths.
func (c *Context) Update(text string) (*Update, error) {
	p, err := c.begin(UpdateExpression, text)
	if err != nil {
		return nil, err
	}
	var acts []action
	if err := p.run(func() { acts = p.parseUpdate() }); err != nil {
		return nil, err
	}
	ck := checker{ctx: c, kind: UpdateExpression}
	nodes := make([]*pathNode, len(acts))
	for i := range acts {
		nodes[i] = acts[i].path
	}
	if err := ck.paths(nodes); err != nil {
		return nil, err
	}
	for i := len(acts) - 1; i >= 0; i-- {
		a := &acts[i]
		if a.val == nil {
			continue
		}
		if err := ck.operand(a.val); err != nil {
			return nil, err
		}
		switch k := a.val.val.Kind(); {
		case a.kind == tADD && k != value.KindN && !k.IsSet():
			return nil, actionTypeError("ADD", longTypeName(k))
		case a.kind == tDELETE && !k.IsSet():
			return nil, actionTypeError("DELETE", longTypeName(k))
		}
	}
	u := &Update{actions: make([]updAction, len(acts)), paths: make([]Path, len(acts)), tree: &updNode{}}
	for i, a := range acts {
		u.actions[i] = updAction{kind: a.kind, path: a.path.path, val: a.val}
		u.paths[i] = a.path.path
	}
	for i := len(acts) - 1; i >= 0; i-- { // DynamoDB's insertion order
		u.tree.add(u.paths[i], &u.actions[i])
	}
	u.tree.javaSort()
	return u, nil
}

// Paths returns the paths the update sets, removes, adds to or deletes from, in the order
// written.
func (u *Update) Paths() []Path { return u.paths }

// Attributes returns the top-level attribute names the update changes, in order of first
// appearance.
func (u *Update) Attributes() []string {
	var names []string
	for _, p := range u.paths {
		if !contains(names, p[0].Name) {
			names = append(names, p[0].Name)
		}
	}
	return names
}

// Changed returns the projection of the update's paths: applied to the item before the update it
// gives DynamoDB's UPDATED_OLD, applied to the item after it UPDATED_NEW.
func (u *Update) Changed() *Projection { return NewProjection(u.paths) }

// String renders the update's actions in the order written, placeholders of names substituted
// (for tests and debugging): "SET a = (b + :v), REMOVE c".
func (u *Update) String() string {
	var b strings.Builder
	for i, a := range u.actions {
		if i > 0 {
			b.WriteString(", ")
		}
		b.WriteString(sectionName(a.kind) + " " + a.path.String())
		switch a.kind {
		case tSET:
			b.WriteString(" = ")
			a.val.write(&b)
		case tADD, tDELETE:
			b.WriteString(" " + a.val.key)
		}
	}
	return b.String()
}
