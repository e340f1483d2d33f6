package expression

// This file parses conditions: ConditionExpression, FilterExpression and KeyConditionExpression.
//
// DynamoDB's grammar is ambiguous at '(' (a parenthesized condition, or a parenthesized operand
// of a comparison) and at a function call (a condition such as begins_with(a, :v), or an operand
// such as size(a) in size(a) > :n). The parser reads such a prefix once and decides when the
// following token tells, instead of backtracking: a content parse returns a condition, an operand
// or an "ambiguous" function call, and the caller settles it.

// item is the result of parsing where a condition or an operand may stand.
type item struct {
	c   *cond
	o   *operand
	amb bool  // o is a function call (maybe parenthesized), which is also a complete condition
	at  int32 // c: the token at which it became certain that this is a condition
}

// parseCondition parses a whole condition expression.
func (p *parser) parseCondition() *cond {
	c := p.parseOr()
	if p.peek() != tEOF {
		p.fail()
	}
	return c
}

func (p *parser) parseOr() *cond {
	c := p.parseAnd()
	for p.peek() == tOR {
		t := p.pos
		p.pos++
		c = &cond{kind: cOr, tok: t, l: c, r: p.parseAnd()}
	}
	return c
}

func (p *parser) parseAnd() *cond {
	c := p.parseUnary()
	for p.peek() == tAND {
		t := p.pos
		p.pos++
		c = &cond{kind: cAnd, tok: t, l: c, r: p.parseUnary()}
	}
	return c
}

func (p *parser) parseUnary() *cond {
	if p.peek() == tNOT {
		t := p.pos
		p.pos++
		return &cond{kind: cNot, tok: t, l: p.parseUnary()}
	}
	return p.primaryItem(false, -1).c
}

// contentItem parses the inside of parentheses that open a condition: a condition (then the
// parentheses group it) or an operand (then they belong to the operand).
func (p *parser) contentItem(parent int32) item {
	it := p.contentAnd(parent)
	if it.c == nil {
		return it
	}
	c := it.c
	for p.peek() == tOR {
		t := p.pos
		p.pos++
		c = &cond{kind: cOr, tok: t, l: c, r: p.parseAnd()}
	}
	return item{c: c, at: it.at}
}

func (p *parser) contentAnd(parent int32) item {
	var it item
	if p.peek() == tNOT {
		t := p.pos
		p.resolveCond(parent, t)
		p.pos++
		it = item{c: &cond{kind: cNot, tok: t, l: p.parseUnary()}, at: t}
	} else {
		it = p.primaryItem(true, parent)
	}
	if it.c == nil {
		return it
	}
	c := it.c
	for p.peek() == tAND {
		t := p.pos
		p.pos++
		c = &cond{kind: cAnd, tok: t, l: c, r: p.parseUnary()}
	}
	return item{c: c, at: it.at}
}

// primaryItem parses a primary condition: a comparison, IN, BETWEEN, a function, or a
// parenthesized condition. In content position (inside parentheses that might be an operand's) it
// may return an operand, or an ambiguous function call, for the enclosing parentheses to settle;
// parent is then their decision.
func (p *parser) primaryItem(content bool, parent int32) item {
	f := p.pushFrame(parent)
	switch p.peek() {
	case tLParen:
		p.pos++
		in := p.contentItem(f)
		close := p.expect(tRParen)
		switch {
		case in.c != nil:
			if in.c.group {
				p.redundantParen(close)
			}
			in.c.group = true
			p.closeFrame(f)
			return in
		case !in.amb:
			if in.o.paren {
				p.redundantParen(close)
			}
			in.o.paren = true
			return p.comparisonOrOperand(f, in.o, content, parent)
		default:
			if in.o.paren {
				p.redundantParen(close)
			}
			in.o.paren = true
			return p.ambTail(f, in.o, content)
		}
	case tID:
		if p.peekAt(1) == tLParen {
			return p.ambTail(f, p.parseFunc(), content)
		}
		fallthrough
	case tName:
		o := &operand{kind: opPath, tok: p.pos, path: p.parsePath()}
		return p.comparisonOrOperand(f, o, content, parent)
	case tValue:
		p.pos++
		o := &operand{kind: opValue, tok: p.pos - 1, key: p.text(p.pos - 1)}
		return p.comparisonOrOperand(f, o, content, parent)
	}
	p.fail()
	return item{}
}

// comparisonOrOperand continues after a first operand o: a comparison, IN or BETWEEN follows, or
// (in content position) o is returned to the enclosing parentheses.
func (p *parser) comparisonOrOperand(f int32, o *operand, content bool, parent int32) item {
	if k := p.peek(); k.isComparator() || k == tIN || k == tBETWEEN {
		at := p.pos
		p.resolveCond(f, at)
		p.closeFrame(f)
		return item{c: p.comparisonTail(o), at: at}
	}
	if !content {
		p.fail()
	}
	p.mergeFrame(f, parent)
	return item{o: o}
}

// ambTail continues after a function call o, which is a condition on its own unless a comparison
// follows; before ')' in content position the enclosing parentheses decide.
func (p *parser) ambTail(f int32, o *operand, content bool) item {
	at := p.pos
	switch k := p.peek(); {
	case k.isComparator() || k == tIN || k == tBETWEEN:
		p.resolveCond(f, at)
		p.closeFrame(f)
		p.checkFunc(o, placeOperand)
		return item{c: p.comparisonTail(o), at: at}
	case k == tRParen && content:
		p.resolve(f)
		return item{o: o, amb: true}
	case k == tAND || k == tOR || k == tRParen || k == tEOF:
		// These tokens may follow a condition, so this decision is made here; they settle the
		// enclosing parentheses too, except the end of input, which cannot follow inside them.
		if k == tEOF {
			p.resolve(f)
		} else {
			p.resolveCond(f, at)
			p.closeFrame(f)
		}
		return item{c: p.funcCond(o), at: at}
	}
	p.failFinished(f)
	return item{}
}

// funcCond turns function call o into the condition it stands for.
func (p *parser) funcCond(o *operand) *cond {
	p.checkFunc(o, placeCondition)
	return &cond{kind: cFunc, fn: o.fn, name: o.key, tok: o.tok, ops: o.args, group: o.paren}
}

// comparisonTail parses what follows the first operand of a comparison, IN or BETWEEN.
func (p *parser) comparisonTail(left *operand) *cond {
	t := p.pos
	k := p.peek()
	p.pos++
	switch {
	case k.isComparator():
		ops := make([]*operand, 2)
		ops[0], ops[1] = left, p.parseOperand(placeOperand)
		return &cond{kind: cCompare, op: k, tok: t, ops: ops}
	case k == tIN:
		p.expect(tLParen)
		ops := make([]*operand, 1, 4)
		ops[0] = left
		for {
			ops = append(ops, p.parseOperand(placeOperand))
			if p.peek() != tComma {
				break
			}
			p.pos++
		}
		p.expect(tRParen)
		return &cond{kind: cIn, tok: t, ops: ops}
	default: // BETWEEN
		ops := make([]*operand, 3)
		ops[0] = left
		ops[1] = p.parseOperand(placeOperand)
		p.expect(tAND)
		ops[2] = p.parseOperand(placeOperand)
		return &cond{kind: cBetween, tok: t, ops: ops}
	}
}

// ambiguous content returned to primaryItem by contentItem is settled by ambTail; an ambiguous
// item reaching the top of a condition never happens because ambTail only returns one in content
// position.
