package expression

// action is one action of an update expression.
type action struct {
	kind tokKind   // tSET, tREMOVE, tADD or tDELETE
	tok  int32     // the first token of its path
	path *pathNode // the updated path
	val  *operand  // SET: the value; ADD, DELETE: the :value
}

// sectionName is the keyword of an update section as DynamoDB's messages spell it.
func sectionName(k tokKind) string {
	switch k {
	case tSET:
		return "SET"
	case tREMOVE:
		return "REMOVE"
	case tADD:
		return "ADD"
	}
	return "DELETE"
}

// parseUpdate parses a whole update expression: sections of SET, REMOVE, ADD and DELETE actions,
// returned in the order written. A section used twice is a tree error DynamoDB finds when it
// leaves that section's node.
func (p *parser) parseUpdate() (acts []action) {
	if !p.peek().isSection() {
		p.fail()
	}
	var seen [tREMOVE + 1]bool
	acts = make([]action, 0, 4)
	for p.peek().isSection() {
		sec := p.peek()
		twice := seen[sec]
		seen[sec] = true
		p.pos++
		for {
			a := action{kind: sec, tok: p.pos, path: p.parsePath()}
			switch sec {
			case tSET:
				p.expect(tEQ)
				a.val = p.parseSetValue()
			case tADD, tDELETE:
				v := p.expect(tValue)
				a.val = &operand{kind: opValue, tok: v, key: p.text(v)}
			}
			acts = append(acts, a)
			if p.peek() != tComma {
				break
			}
			p.pos++
		}
		if twice {
			p.treeError(treeKey(p.pos-1, true), sectionTwiceError(sectionName(sec)))
		}
	}
	if p.peek() != tEOF {
		p.fail()
	}
	return acts
}

// inSetFollow reports whether k may follow a SET value.
func inSetFollow(k tokKind) bool { return k == tComma || k == tEOF || k.isSection() }

// parseSetValue parses the value of a SET action: an operand, or operand + operand,
// operand - operand, or such arithmetic in parentheses.
func (p *parser) parseSetValue() *operand {
	f := p.pushFrame(-1)
	v, arith := p.valueOrArith(f, true)
	if arith && !inSetFollow(p.peek()) {
		p.fail()
	}
	return v
}

// valueOrArith parses an operand or arithmetic; f is the decision between the two. At the top
// (not inside parentheses) an operand must be followed by what may follow a SET value.
func (p *parser) valueOrArith(f int32, top bool) (*operand, bool) {
	if p.peek() == tLParen {
		p.pos++
		in, arith := p.valueOrArith(f, false)
		close := p.expect(tRParen)
		if in.paren {
			p.redundantParen(close)
		}
		in.paren = true
		if arith {
			return in, true
		}
		return p.arithTail(f, in, top)
	}
	return p.arithTail(f, p.parseOperand(placeDeferred), top)
}

// arithTail continues after an operand: + or - makes arithmetic of it.
func (p *parser) arithTail(f int32, left *operand, top bool) (*operand, bool) {
	k := p.peek()
	if k == tPlus || k == tMinus {
		p.resolve(f)
		p.checkPlace(left, placeUpdateNested)
		t := p.pos
		p.pos++
		right := p.parseOperand(placeUpdateNested)
		return &operand{kind: opArith, op: k, tok: t, args: []*operand{left, right}}, true
	}
	if top {
		if !inSetFollow(k) {
			p.failFinished(f)
		}
		p.resolve(f)
		p.checkPlace(left, placeUpdateTop)
	}
	return left, false
}

// parseProjection parses a whole projection expression: paths separated by commas.
func (p *parser) parseProjection() []*pathNode {
	paths := make([]*pathNode, 0, 4)
	for {
		paths = append(paths, p.parsePath())
		if p.peek() != tComma {
			break
		}
		p.pos++
	}
	if p.peek() != tEOF {
		p.fail()
	}
	return paths
}
