package expression

import (
	"strconv"

	"github.com/dynantic/dynantic/memdynamo/internal/wire"
)

// Limits DynamoDB puts on expressions
// (https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/ServiceQuotas.html#limits-expression-parameters).
const (
	maxExprLen   = 4096 // UTF-16 code units
	maxOperators = 300  // operators and functions in one expression
	maxInOps     = 100  // operands in an IN list
	maxDepth     = 32   // elements of a document path
)

// syntaxErr is the panic value that unwinds the parser at a syntax error: the offending token.
type syntaxErr struct{ tok int32 }

// parser is a recursive-descent parser of DynamoDB's expression grammar. It reports the first
// syntax error at the token DynamoDB's (ANTLR-generated) parser reports. Errors DynamoDB finds
// while building its tree (reserved words, function names and placement, list index range) are
// collected during the parse and reported after it, in the order DynamoDB reports them.
type parser struct {
	kind Kind
	src  string
	toks []token
	pos  int32

	treeErr    *wire.Error // the first error found while building the tree ...
	treeErrKey int32       // ... and when DynamoDB meets it (treeKey; the smallest wins)

	// Redundant parentheses are an error DynamoDB raises while parsing; whether it wins over a
	// syntax error further on depends on how far DynamoDB's parser had looked ahead. frames are the
	// parser's pending decisions; redundant records the first redundant ')' and the frames that
	// were undecided when it was read.
	frames    []frame
	open      []int32 // indexes into frames of the decisions not yet resolved
	redundant int32   // token of the first redundant ')', or -1
	redFrames []int32 // frames undecided at that point

	frameBuf [8]frame // the first frames, allocated with the parser
	openBuf  [8]int32
}

// frame is a decision of DynamoDB's parser that may look ahead over several tokens: which kind of
// condition starts here, or whether a SET value is an operand or arithmetic.
type frame struct {
	resolvedAt int32 // token at which the decision is made, -1 while pending
	alias      int32 // a decision that turned out to be part of an enclosing one, or -1
	parent     int32 // the decision of the parentheses this one starts the content of, or -1
	finished   bool  // the construct was complete when a syntax error stopped the look-ahead
}

func newParser(k Kind, src string, toks []token) *parser {
	p := &parser{kind: k, src: src, toks: toks, treeErrKey: 1 << 30, redundant: -1}
	p.frames, p.open = p.frameBuf[:0], p.openBuf[:0]
	return p
}

// run calls f and turns a syntax error into DynamoDB's error, weighing it against a redundant
// parenthesis found before it; then it reports the first tree error, if any.
func (p *parser) run(f func()) (err error) {
	defer func() {
		r := recover()
		if r == nil {
			switch {
			case p.redundant >= 0:
				err = invalid(p.kind, msgRedundantParens)
			case p.treeErr != nil:
				err = p.treeErr
			}
			return
		}
		se, ok := r.(syntaxErr)
		if !ok {
			panic(r)
		}
		if p.redundant >= 0 && p.redundantFires(se.tok) {
			err = invalid(p.kind, msgRedundantParens)
			return
		}
		err = p.syntaxError(se.tok)
	}()
	f()
	return nil
}

// redundantFires reports whether DynamoDB's parser would have run its redundant-parentheses check
// before it met the syntax error at token e: every decision pending at the redundant ')' must have
// been made before e, or have had a complete alternative when e stopped its look-ahead.
func (p *parser) redundantFires(e int32) bool {
	for _, fi := range p.redFrames {
		f := p.frames[fi]
		for f.alias >= 0 {
			f = p.frames[f.alias]
		}
		// A decision made at e itself succeeded (the token was in its look-ahead's follow set): the
		// parser went on and met the error only after running the check.
		if (f.resolvedAt < 0 || f.resolvedAt > e) && !f.finished {
			return false
		}
	}
	return true
}

// syntaxError builds DynamoDB's syntax error for token i: its text and the text from the token
// before it to the token after it.
func (p *parser) syntaxError(i int32) *wire.Error {
	t := p.toks[i]
	text := "<EOF>"
	switch {
	case t.astral:
		// DynamoDB names the lone high surrogate, which JSON clients decode as U+FFFD.
		text = "\ufffd"
	case t.kind != tEOF:
		text = p.src[t.start:t.end]
	}
	start := int32(0)
	if i > 0 {
		start = p.toks[i-1].start
	}
	end := int32(len(p.src))
	if t.kind != tEOF && p.toks[i+1].kind != tEOF {
		end = p.toks[i+1].end
	}
	return syntaxError(p.kind, text, p.src[start:end])
}

func (p *parser) peek() tokKind { return p.toks[p.pos].kind }
func (p *parser) peekAt(n int32) tokKind {
	if i := p.pos + n; int(i) < len(p.toks) {
		return p.toks[i].kind
	}
	return tEOF
}
func (p *parser) text(i int32) string { t := p.toks[i]; return p.src[t.start:t.end] }

// fail stops the parse with a syntax error at the current token.
func (p *parser) fail() { panic(syntaxErr{p.pos}) }

// expect consumes a token of kind k or fails.
func (p *parser) expect(k tokKind) int32 {
	if p.peek() != k {
		p.fail()
	}
	p.pos++
	return p.pos - 1
}

// DynamoDB finds tree errors in one walk of its parse tree, checking names and functions when it
// enters their node and the update sections when it leaves one. treeKey orders these events: the
// entry of the node starting at token tok, or (exit) the exit of the node ending at token tok.
func treeKey(tok int32, exit bool) int32 {
	if exit {
		return 2*tok + 1
	}
	return 2 * tok
}

// treeError records an error DynamoDB finds while walking its tree; the first met is reported.
func (p *parser) treeError(key int32, err *wire.Error) {
	if key < p.treeErrKey {
		p.treeErr, p.treeErrKey = err, key
	}
}

// pushFrame opens a look-ahead decision starting at the current token; parent is the decision of
// the parentheses whose content starts here, or -1.
func (p *parser) pushFrame(parent int32) int32 {
	p.frames = append(p.frames, frame{resolvedAt: -1, alias: -1, parent: parent})
	i := int32(len(p.frames) - 1)
	p.open = append(p.open, i)
	return i
}

// resolve records that decision f is made at the current token and closes it.
func (p *parser) resolve(f int32) {
	if p.frames[f].resolvedAt < 0 {
		p.frames[f].resolvedAt = p.pos
	}
	p.closeFrame(f)
}

// resolveCond records that the primary of decision f is a condition, known at token at: the
// enclosing parentheses whose content it starts then group a condition, which settles their
// decisions too.
func (p *parser) resolveCond(f, at int32) {
	for ; f >= 0; f = p.frames[f].parent {
		if p.frames[f].resolvedAt >= 0 {
			return
		}
		p.frames[f].resolvedAt = at
	}
}

func (p *parser) closeFrame(f int32) {
	for i := len(p.open) - 1; i >= 0; i-- {
		if p.open[i] == f {
			p.open = append(p.open[:i], p.open[i+1:]...)
			return
		}
	}
}

// mergeFrame records that decision f is part of the enclosing decision parent.
func (p *parser) mergeFrame(f, parent int32) {
	p.frames[f].alias = parent
	p.closeFrame(f)
}

// failFinished fails at the current token after marking decision f as having had a complete
// alternative (DynamoDB's parser then goes on parsing it and meets the error later).
func (p *parser) failFinished(f int32) {
	p.frames[f].finished = true
	p.fail()
}

// redundantParen records a redundant ')' at token i.
func (p *parser) redundantParen(i int32) {
	if p.redundant >= 0 {
		return
	}
	p.redundant = i
	for _, f := range p.open {
		if p.frames[f].resolvedAt < 0 {
			p.redFrames = append(p.redFrames, f)
		}
	}
}

// ---- document paths ----

// parsePath parses id ( '.' id | '[' INDEX ']' | '.' :value )*.
func (p *parser) parsePath() *pathNode {
	k := p.peek()
	if k != tID && k != tName {
		p.fail()
	}
	n := &pathNode{}
	n.raw = append(n.inline[:0], p.elem(k))
	for {
		switch p.peek() {
		case tDot:
			p.pos++
			switch k := p.peek(); k {
			case tID, tName:
				n.raw = append(n.raw, p.elem(k))
			case tValue:
				n.raw = append(n.raw, rawElem{kind: eValue, tok: p.pos, text: p.text(p.pos)})
				p.pos++
			default:
				p.fail()
			}
		case tLBracket:
			p.pos++
			i := p.expect(tIndex)
			n.raw = append(n.raw, rawElem{kind: eIndex, tok: i, text: p.text(i)})
			p.expect(tRBracket)
			if _, err := strconv.ParseInt(p.text(i), 10, 32); err != nil {
				p.treeError(treeKey(i, false), invalid(p.kind, "List index is not within the allowable range; index: ["+p.text(i)+"]"))
			}
		default:
			return n
		}
	}
}

// elem consumes a name or #placeholder element, checking plain names against the reserved words.
func (p *parser) elem(k tokKind) rawElem {
	i := p.pos
	p.pos++
	text := p.text(i)
	if k == tName {
		return rawElem{kind: eName, tok: i, text: text}
	}
	if isReserved(text) {
		p.treeError(treeKey(i, false), invalid(p.kind, msgReserved+text))
	}
	return rawElem{kind: eID, tok: i, text: text}
}

// ---- operands ----

// Function positions, for DynamoDB's placement rules.
type fnPlace uint8

const (
	placeCondition    fnPlace = iota // a function used as a condition
	placeOperand                     // a function operand in a condition
	placeUpdateTop                   // the value of a SET action
	placeUpdateNested                // inside a function or arithmetic of a SET value
	placeDeferred                    // not known yet: the caller checks it (checkPlace)
)

// checkFunc records the tree error of function call o used at place, if any.
func (p *parser) checkFunc(o *operand, place fnPlace) {
	var msg string
	switch {
	case place == placeDeferred:
		return
	case o.fn == fnUnknown:
		msg = msgBadFunction
	case place == placeCondition:
		switch {
		case o.fn.isCondition():
			return
		case o.fn == fnSize:
			msg = msgFuncThisWay
		default:
			msg = msgFuncInCondition
		}
	case place == placeOperand:
		switch {
		case o.fn == fnSize:
			return
		case o.fn.isCondition():
			msg = msgFuncThisWay
		default:
			msg = msgFuncInCondition
		}
	default: // update
		switch {
		case o.fn == fnIfNotExists:
			return
		case o.fn == fnListAppend:
			if place == placeUpdateTop {
				return
			}
			msg = msgFuncThisWay
		default:
			msg = msgFuncInUpdate
		}
	}
	p.treeError(treeKey(o.tok, false), invalid(p.kind, msg+o.key))
}

// checkPlace checks the placement of o once it is known, when o is a function call.
func (p *parser) checkPlace(o *operand, place fnPlace) {
	if o.kind == opFunc {
		p.checkFunc(o, place)
	}
}

// parseOperand parses an operand: a path, a :value, a function call or a parenthesized operand.
// place says where a function call found here stands.
func (p *parser) parseOperand(place fnPlace) *operand {
	switch p.peek() {
	case tLParen:
		p.pos++
		o := p.parseOperand(place)
		close := p.expect(tRParen)
		if o.paren {
			p.redundantParen(close)
		}
		o.paren = true
		return o
	case tID:
		if p.peekAt(1) == tLParen {
			o := p.parseFunc()
			p.checkFunc(o, place)
			return o
		}
		return &operand{kind: opPath, tok: p.pos, path: p.parsePath()}
	case tName:
		return &operand{kind: opPath, tok: p.pos, path: p.parsePath()}
	case tValue:
		p.pos++
		return &operand{kind: opValue, tok: p.pos - 1, key: p.text(p.pos - 1)}
	}
	p.fail()
	return nil
}

// parseFunc parses ID '(' operand (',' operand)* ')'. The placement of the call is checked by
// the caller once it is known; the arguments' own places follow from the function.
func (p *parser) parseFunc() *operand {
	o := &operand{kind: opFunc, tok: p.pos, key: p.text(p.pos)}
	o.fn = lookupFunc(o.key)
	p.pos += 2 // name and '('
	argPlace := placeOperand
	if p.kind == UpdateExpression {
		argPlace = placeUpdateNested
	}
	o.args = make([]*operand, 0, 2)
	for {
		o.args = append(o.args, p.parseOperand(argPlace))
		if p.peek() != tComma {
			break
		}
		p.pos++
	}
	p.expect(tRParen)
	return o
}
