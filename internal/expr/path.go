package expr

import (
	"strconv"
	"strings"
)

// MaxIndex is the largest list index ParsePath accepts; a bigger one is an
// "index out of range" *PathError. It is fixed (not the platform's int size)
// so that parsing behaves the same everywhere; no real item has lists that long.
const MaxIndex = 1<<31 - 1

// PathElem is one step of a document path: an attribute/map-key name, or a list index.
type PathElem struct {
	Name    string // when !IsIndex
	Index   int    // when IsIndex
	IsIndex bool
}

// Path is a parsed document path such as a.b[2].c.
type Path []PathElem

// PathError reports a malformed document path: the input, the byte offset of
// the problem and what was wrong there. ParsePath returns it.
type PathError struct {
	Path string // the input as given
	Pos  int    // byte offset of the problem in Path
	Msg  string // what was wrong, e.g. "empty name"
}

// Error renders the error as `invalid attribute path "a..b": empty name at offset 2`.
func (e *PathError) Error() string {
	return "invalid attribute path " + strconv.Quote(e.Path) + ": " + e.Msg + " at offset " + strconv.Itoa(e.Pos)
}

func pathErr(s string, pos int, msg string) error {
	return &PathError{Path: s, Pos: pos, Msg: msg}
}

// ParsePath parses a document path such as "a.b[2].c".
//
// Grammar: name ( "." name | "[" digits "]" )*, where a name is a non-empty run
// of any characters other than '.', '[' and ']', and digits is a decimal index
// in 0..MaxIndex (leading zeros allowed). Whitespace is part of a name.
// Names are always sent as placeholders, so reserved words need no quoting.
// Use NamePath for a top-level attribute whose name itself contains '.', '[' or ']'.
//
// ParsePath never panics; malformed input ("", ".a", "a.", "a..b", "a[",
// "a[]", "a[x]", "a[-1]", "[1]", "a]", "a[1]b", an index above MaxIndex)
// returns a *PathError.
func ParsePath(s string) (Path, error) {
	if s == "" {
		return nil, pathErr(s, 0, "empty path")
	}
	n := 1
	for i := 0; i < len(s); i++ {
		if s[i] == '.' || s[i] == '[' {
			n++
		}
	}
	p := make(Path, 0, n)
	i := 0
	for {
		// A name is expected at i.
		start := i
		for i < len(s) && s[i] != '.' && s[i] != '[' && s[i] != ']' {
			i++
		}
		if i == start {
			switch {
			case i < len(s) && s[i] == '[' && len(p) == 0:
				return nil, pathErr(s, i, "path must start with a name")
			case i < len(s) && s[i] == ']':
				return nil, pathErr(s, i, "unexpected ']'")
			default:
				return nil, pathErr(s, i, "empty name")
			}
		}
		p = append(p, PathElem{Name: s[start:i]})

		// Any number of list indexes.
		for i < len(s) && s[i] == '[' {
			i++
			start := i
			v := 0
			for i < len(s) && s[i] >= '0' && s[i] <= '9' {
				v = v*10 + int(s[i]-'0')
				if v > MaxIndex {
					return nil, pathErr(s, start, "index out of range")
				}
				i++
			}
			switch {
			case i == len(s) && i == start:
				return nil, pathErr(s, i, "missing index")
			case i == len(s):
				return nil, pathErr(s, i, "missing ']'")
			case s[i] != ']':
				return nil, pathErr(s, i, "index must be a non-negative decimal integer")
			case i == start:
				return nil, pathErr(s, i, "empty index")
			}
			i++
			p = append(p, PathElem{Index: v, IsIndex: true})
		}

		if i == len(s) {
			return p, nil
		}
		switch s[i] {
		case '.':
			i++
		case ']':
			return nil, pathErr(s, i, "unexpected ']'")
		default:
			return nil, pathErr(s, i, "expected '.' or '[' after ']'")
		}
	}
}

// NamePath is a one-element path whose name is taken literally (it may contain
// dots or brackets): the top-level attribute called exactly name.
func NamePath(name string) Path {
	return Path{{Name: name}}
}

// String renders the path back in ParsePath syntax: names joined by '.',
// indexes as [i]. It round-trips for parsed paths; a NamePath whose name holds
// '.', '[' or ']' renders as that name, which ParsePath would split.
func (p Path) String() string {
	switch len(p) {
	case 0:
		return ""
	case 1:
		if !p[0].IsIndex {
			return p[0].Name
		}
	}
	size := 0
	for _, e := range p {
		if e.IsIndex {
			size += 4
		} else {
			size += len(e.Name) + 1
		}
	}
	var w strings.Builder
	w.Grow(size)
	for i, e := range p {
		if e.IsIndex {
			w.WriteByte('[')
			writeInt(&w, e.Index)
			w.WriteByte(']')
			continue
		}
		if i > 0 {
			w.WriteByte('.')
		}
		w.WriteString(e.Name)
	}
	return w.String()
}

// Top is the first element's name (the top-level attribute), or "" for an
// empty path or one that starts with an index.
func (p Path) Top() string {
	if len(p) == 0 || p[0].IsIndex {
		return ""
	}
	return p[0].Name
}

// Equal reports whether p and q have the same elements.
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

// valid reports whether p can be rendered into an expression: non-empty,
// starting with a name, names non-empty, indexes non-negative.
func (p Path) valid() bool {
	if len(p) == 0 || p[0].IsIndex {
		return false
	}
	for _, e := range p {
		if e.IsIndex {
			if e.Index < 0 {
				return false
			}
		} else if e.Name == "" {
			return false
		}
	}
	return true
}

// writeInt writes a decimal int without allocating.
func writeInt(w *strings.Builder, v int) {
	var buf [20]byte
	w.Write(strconv.AppendInt(buf[:0], int64(v), 10))
}
