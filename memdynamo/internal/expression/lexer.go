package expression

import "unicode/utf8"

// tokKind is the kind of a token of DynamoDB's expression grammar.
type tokKind uint8

const (
	tEOF tokKind = iota
	tComma
	tLParen
	tRParen
	tDot
	tLBracket
	tRBracket
	tEQ
	tNE
	tLT
	tLE
	tGT
	tGE
	tPlus
	tMinus
	tIN
	tBETWEEN
	tNOT
	tAND
	tOR
	tSET
	tADD
	tDELETE
	tREMOVE
	tIndex   // a list index: 0 or a digit 1-9 followed by digits
	tID      // a letter followed by letters, digits and '_'
	tName    // '#' followed by letters, digits and '_'
	tValue   // ':' followed by letters, digits and '_'
	tUnknown // any other character
)

// token is one token: its kind and its byte offsets in the expression text.
type token struct {
	kind       tokKind
	astral     bool // the high surrogate of a character outside the Basic Multilingual Plane
	start, end int32
}

// isComparator reports whether k is one of = <> < <= > >=.
func (k tokKind) isComparator() bool { return k >= tEQ && k <= tGE }

// isSection reports whether k starts an update section.
func (k tokKind) isSection() bool { return k >= tSET && k <= tREMOVE }

func isSpace(c byte) bool  { return c == ' ' || c == '\t' || c == '\r' || c == '\n' }
func isLetter(c byte) bool { return 'a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' }
func isDigit(c byte) bool  { return '0' <= c && c <= '9' }
func isIDChar(c byte) bool { return isLetter(c) || isDigit(c) || c == '_' }

// keyword returns the keyword token kind of word (case-insensitive), or tID.
func keyword(word string) tokKind {
	switch len(word) {
	case 2:
		if eqFold(word, "in") {
			return tIN
		}
		if eqFold(word, "or") {
			return tOR
		}
	case 3:
		switch {
		case eqFold(word, "not"):
			return tNOT
		case eqFold(word, "and"):
			return tAND
		case eqFold(word, "set"):
			return tSET
		case eqFold(word, "add"):
			return tADD
		}
	case 6:
		if eqFold(word, "delete") {
			return tDELETE
		}
		if eqFold(word, "remove") {
			return tREMOVE
		}
	case 7:
		if eqFold(word, "between") {
			return tBETWEEN
		}
	}
	return tID
}

// eqFold compares an ASCII word with a lower-case keyword, ignoring case.
func eqFold(word, kw string) bool {
	for i := 0; i < len(word); i++ {
		c := word[i]
		if 'A' <= c && c <= 'Z' {
			c += 'a' - 'A'
		}
		if c != kw[i] {
			return false
		}
	}
	return true
}

// lex splits src into tokens (whitespace dropped), ending with one tEOF token. dst is reused.
func lex(src string, dst []token) []token {
	toks := dst[:0]
	if cap(toks) == 0 {
		toks = make([]token, 0, len(src)/3+4)
	}
	n := len(src)
	i := 0
	for i < n {
		c := src[i]
		start := i
		var k tokKind
		switch {
		case c == ' ' || c == '\t' || c == '\r' || c == '\n':
			i++
			continue
		case isLetter(c):
			for i++; i < n && isIDChar(src[i]); i++ {
			}
			k = keyword(src[start:i])
		case c == '0':
			i++
			k = tIndex
		case isDigit(c):
			for i++; i < n && isDigit(src[i]); i++ {
			}
			k = tIndex
		case c == '#' || c == ':':
			i++
			if i < n && isIDChar(src[i]) {
				for i++; i < n && isIDChar(src[i]); i++ {
				}
				k = tName
				if c == ':' {
					k = tValue
				}
			} else {
				k = tUnknown
			}
		default:
			i++
			switch c {
			case ',':
				k = tComma
			case '(':
				k = tLParen
			case ')':
				k = tRParen
			case '.':
				k = tDot
			case '[':
				k = tLBracket
			case ']':
				k = tRBracket
			case '=':
				k = tEQ
			case '+':
				k = tPlus
			case '-':
				k = tMinus
			case '<':
				k = tLT
				if i < n && src[i] == '>' {
					k = tNE
					i++
				} else if i < n && src[i] == '=' {
					k = tLE
					i++
				}
			case '>':
				k = tGT
				if i < n && src[i] == '=' {
					k = tGE
					i++
				}
			default:
				k = tUnknown
				if c >= utf8.RuneSelf {
					r, size := utf8.DecodeRuneInString(src[start:])
					i = start + size
					if r >= 0x10000 {
						// DynamoDB's lexer reads UTF-16: a character outside the Basic Multilingual
						// Plane is two tokens, its surrogates. The first spans the character; the
						// second is empty.
						toks = append(toks, token{kind: tUnknown, start: int32(start), end: int32(i), astral: true},
							token{kind: tUnknown, start: int32(i), end: int32(i)})
						continue
					}
				}
			}
		}
		toks = append(toks, token{kind: k, start: int32(start), end: int32(i)})
	}
	return append(toks, token{kind: tEOF, start: int32(n), end: int32(n)})
}

// utf16Len returns the length of s in UTF-16 code units, the unit of DynamoDB's expression size
// limit.
func utf16Len(s string) int {
	n := 0
	for i := 0; i < len(s); {
		c := s[i]
		if c < utf8.RuneSelf {
			n++
			i++
			continue
		}
		r, size := utf8.DecodeRuneInString(s[i:])
		i += size
		n++
		if r >= 0x10000 {
			n++
		}
	}
	return n
}
