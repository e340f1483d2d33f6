package wire

import (
	"strconv"
	"unicode/utf16"
	"unicode/utf8"
)

// Token is the kind of the next JSON value in a Reader.
type Token uint8

// The JSON value kinds a Reader reports.
const (
	TokInvalid Token = iota
	TokObject
	TokArray
	TokString
	TokNumber
	TokTrue
	TokFalse
	TokNull
	TokEOF
)

// MaxDepth bounds the nesting of JSON objects and arrays a Reader accepts, so a hostile body cannot
// exhaust the stack.
const MaxDepth = 256

// Reader is a strict pull-style JSON reader over a byte slice. It never panics; the first syntax or
// type error sticks (Err) and every later call returns zero values. Expected-type mismatches are
// SerializationExceptions, as DynamoDB reports them.
type Reader struct {
	data  []byte
	pos   int
	depth int
	err   *Error
	// first is set when the next NextKey/NextElem call is the first in its container.
	first bool
	buf   []byte
}

// NewReader returns a Reader over data.
func NewReader(data []byte) *Reader { return &Reader{data: data} }

// Reset makes r read data from the start.
func (r *Reader) Reset(data []byte) {
	r.data, r.pos, r.depth, r.err, r.first = data, 0, 0, nil, false
}

// Err returns the first syntax or type error, or nil.
func (r *Reader) Err() error {
	if r.err == nil {
		return nil
	}
	return r.err
}

// Error returns the first syntax or type error as *Error, or nil.
func (r *Reader) Error() *Error { return r.err }

// Fail records err unless an error is already recorded.
func (r *Reader) Fail(err *Error) {
	if r.err == nil {
		r.err = err
	}
}

func (r *Reader) syntax() {
	r.Fail(Serialization("Unexpected character or malformed JSON at offset " + strconv.Itoa(r.pos)))
	r.pos = len(r.data)
}

func (r *Reader) skipSpace() {
	for r.pos < len(r.data) {
		switch r.data[r.pos] {
		case ' ', '\t', '\n', '\r':
			r.pos++
		default:
			return
		}
	}
}

// Peek returns the kind of the next value without consuming it.
func (r *Reader) Peek() Token {
	if r.err != nil {
		return TokInvalid
	}
	r.skipSpace()
	if r.pos >= len(r.data) {
		return TokEOF
	}
	switch c := r.data[r.pos]; {
	case c == '{':
		return TokObject
	case c == '[':
		return TokArray
	case c == '"':
		return TokString
	case c == '-' || (c >= '0' && c <= '9'):
		return TokNumber
	case c == 't':
		return TokTrue
	case c == 'f':
		return TokFalse
	case c == 'n':
		return TokNull
	}
	return TokInvalid
}

// typeError records the SerializationException DynamoDB sends when a member has the wrong JSON
// type, phrased after the Java deserializer's wording, and skips the value.
func (r *Reader) typeError(want string) {
	var msg string
	switch r.Peek() {
	case TokObject:
		msg = "Start of structure or map found where not expected."
	case TokArray:
		msg = "Start of list found where not expected"
	case TokString:
		msg = "class java.lang.String can not be converted to an " + want
	case TokNumber:
		msg = "class com.amazon.coral.value.json.numbers.TruncatingBigNumber can not be converted to an " + want
	case TokTrue, TokFalse:
		msg = "class java.lang.Boolean can not be converted to an " + want
	case TokEOF:
		msg = "Unexpected end of input"
	default:
		r.syntax()
		return
	}
	r.Fail(Serialization(msg))
	r.pos = len(r.data)
}

// Null consumes a JSON null if one is next and reports whether it did.
func (r *Reader) Null() bool {
	if r.Peek() != TokNull {
		return false
	}
	r.literal("null")
	return r.err == nil
}

func (r *Reader) literal(lit string) {
	if len(r.data)-r.pos < len(lit) || string(r.data[r.pos:r.pos+len(lit)]) != lit {
		r.syntax()
		return
	}
	r.pos += len(lit)
}

// BeginObject consumes '{'. A wrong type is a SerializationException; it returns false then.
func (r *Reader) BeginObject() bool {
	if r.Peek() != TokObject {
		r.typeError("Map")
		return false
	}
	return r.open()
}

// BeginArray consumes '['. A wrong type is a SerializationException; it returns false then.
func (r *Reader) BeginArray() bool {
	if r.Peek() != TokArray {
		r.typeError("List")
		return false
	}
	return r.open()
}

func (r *Reader) open() bool {
	r.depth++
	if r.depth > MaxDepth {
		r.Fail(Serialization("JSON nesting too deep"))
		r.pos = len(r.data)
		return false
	}
	r.pos++
	r.first = true
	return true
}

// NextKey advances to the next member of the current object and returns its name, which is valid
// until the next call on r. It returns false after consuming the closing '}' (or on an error).
func (r *Reader) NextKey() ([]byte, bool) {
	if r.err != nil {
		return nil, false
	}
	r.skipSpace()
	if r.pos >= len(r.data) {
		r.syntax()
		return nil, false
	}
	c := r.data[r.pos]
	if c == '}' {
		r.pos++
		r.depth--
		r.first = false
		return nil, false
	}
	if !r.first {
		if c != ',' {
			r.syntax()
			return nil, false
		}
		r.pos++
		r.skipSpace()
	}
	r.first = false
	if r.pos >= len(r.data) || r.data[r.pos] != '"' {
		r.syntax()
		return nil, false
	}
	key, ok := r.str()
	if !ok {
		return nil, false
	}
	r.skipSpace()
	if r.pos >= len(r.data) || r.data[r.pos] != ':' {
		r.syntax()
		return nil, false
	}
	r.pos++
	return key, true
}

// NextElem advances to the next element of the current array. It returns false after consuming the
// closing ']' (or on an error).
func (r *Reader) NextElem() bool {
	if r.err != nil {
		return false
	}
	r.skipSpace()
	if r.pos >= len(r.data) {
		r.syntax()
		return false
	}
	c := r.data[r.pos]
	if c == ']' {
		r.pos++
		r.depth--
		r.first = false
		return false
	}
	if !r.first {
		if c != ',' {
			r.syntax()
			return false
		}
		r.pos++
		r.skipSpace()
		if r.pos < len(r.data) && r.data[r.pos] == ']' {
			r.syntax()
			return false
		}
	}
	r.first = false
	return true
}

// String reads a JSON string. A wrong type is a SerializationException.
func (r *Reader) String() string {
	b, ok := r.StringBytes()
	if !ok {
		return ""
	}
	return string(b)
}

// StringBytes reads a JSON string into a buffer valid until the next call on r. A wrong type is a
// SerializationException; ok is false then.
func (r *Reader) StringBytes() ([]byte, bool) {
	if r.Peek() != TokString {
		r.typeError("String")
		return nil, false
	}
	return r.str()
}

// str reads the string starting at r.pos (a '"'). Invalid UTF-8 and lone surrogates become U+FFFD.
func (r *Reader) str() ([]byte, bool) {
	start := r.pos + 1
	i := start
	for i < len(r.data) {
		c := r.data[i]
		if c == '"' {
			r.pos = i + 1
			s := r.data[start:i]
			return s, true
		}
		if c == '\\' || c < 0x20 || c >= utf8.RuneSelf {
			break
		}
		i++
	}
	// Slow path: escapes or non-ASCII.
	buf := append(r.buf[:0], r.data[start:i]...)
	for i < len(r.data) {
		c := r.data[i]
		switch {
		case c == '"':
			r.pos = i + 1
			r.buf = buf
			return buf, true
		case c < 0x20:
			r.pos = i
			r.syntax()
			return nil, false
		case c == '\\':
			if i+1 >= len(r.data) {
				r.pos = i
				r.syntax()
				return nil, false
			}
			e := r.data[i+1]
			i += 2
			switch e {
			case '"', '\\', '/':
				buf = append(buf, e)
			case 'b':
				buf = append(buf, '\b')
			case 'f':
				buf = append(buf, '\f')
			case 'n':
				buf = append(buf, '\n')
			case 'r':
				buf = append(buf, '\r')
			case 't':
				buf = append(buf, '\t')
			case 'u':
				r1, ok := hex4(r.data, i)
				if !ok {
					r.pos = i
					r.syntax()
					return nil, false
				}
				i += 4
				if utf16.IsSurrogate(r1) {
					if r2, ok := hex4(r.data, i+2); ok && i+1 < len(r.data) && r.data[i] == '\\' && r.data[i+1] == 'u' {
						if d := utf16.DecodeRune(r1, r2); d != utf8.RuneError {
							i += 6
							buf = utf8.AppendRune(buf, d)
							continue
						}
					}
					r1 = utf8.RuneError
				}
				buf = utf8.AppendRune(buf, r1)
			default:
				r.pos = i - 1
				r.syntax()
				return nil, false
			}
		case c < utf8.RuneSelf:
			buf = append(buf, c)
			i++
		default:
			rr, size := utf8.DecodeRune(r.data[i:])
			if rr == utf8.RuneError && size == 1 {
				buf = utf8.AppendRune(buf, utf8.RuneError)
			} else {
				buf = append(buf, r.data[i:i+size]...)
			}
			i += size
		}
	}
	r.pos = len(r.data)
	r.syntax()
	return nil, false
}

func hex4(b []byte, i int) (rune, bool) {
	if i+4 > len(b) {
		return 0, false
	}
	var v rune
	for _, c := range b[i : i+4] {
		switch {
		case c >= '0' && c <= '9':
			v = v<<4 | rune(c-'0')
		case c >= 'a' && c <= 'f':
			v = v<<4 | rune(c-'a'+10)
		case c >= 'A' && c <= 'F':
			v = v<<4 | rune(c-'A'+10)
		default:
			return 0, false
		}
	}
	return v, true
}

// NumberText reads a JSON number and returns its text. A wrong type is a SerializationException.
func (r *Reader) NumberText() []byte {
	if r.Peek() != TokNumber {
		r.typeError("Number")
		return nil
	}
	return r.number()
}

func (r *Reader) number() []byte {
	start := r.pos
	i := r.pos
	if i < len(r.data) && r.data[i] == '-' {
		i++
	}
	digits := func() int {
		n := 0
		for i < len(r.data) && r.data[i] >= '0' && r.data[i] <= '9' {
			i++
			n++
		}
		return n
	}
	if i < len(r.data) && r.data[i] == '0' {
		i++
	} else if digits() == 0 {
		r.pos = i
		r.syntax()
		return nil
	}
	if i < len(r.data) && r.data[i] == '.' {
		i++
		if digits() == 0 {
			r.pos = i
			r.syntax()
			return nil
		}
	}
	if i < len(r.data) && (r.data[i] == 'e' || r.data[i] == 'E') {
		i++
		if i < len(r.data) && (r.data[i] == '+' || r.data[i] == '-') {
			i++
		}
		if digits() == 0 {
			r.pos = i
			r.syntax()
			return nil
		}
	}
	r.pos = i
	return r.data[start:i]
}

// Int reads a JSON number that must be an integer in [min, max] and returns it. A fraction, an
// exponent or a value out of range is a SerializationException, as the Java deserializer has it.
func (r *Reader) Int(name string) int64 {
	if r.Peek() != TokNumber {
		r.typeError("Integer")
		return 0
	}
	txt := r.number()
	if r.err != nil {
		return 0
	}
	n, err := strconv.ParseInt(string(txt), 10, 32)
	if err != nil {
		r.Fail(Serialization("NUMBER_VALUE can not be converted to an Integer for " + name))
		return 0
	}
	return n
}

// Bool reads a JSON boolean. A wrong type is a SerializationException.
func (r *Reader) Bool() bool {
	switch r.Peek() {
	case TokTrue:
		r.literal("true")
		return true
	case TokFalse:
		r.literal("false")
		return false
	}
	r.typeError("Boolean")
	return false
}

// Skip consumes the next value of any kind.
func (r *Reader) Skip() {
	switch r.Peek() {
	case TokObject:
		if !r.open() {
			return
		}
		for {
			if _, ok := r.NextKey(); !ok {
				return
			}
			r.Skip()
		}
	case TokArray:
		if !r.open() {
			return
		}
		for r.NextElem() {
			r.Skip()
		}
	case TokString:
		r.str()
	case TokNumber:
		r.number()
	case TokTrue:
		r.literal("true")
	case TokFalse:
		r.literal("false")
	case TokNull:
		r.literal("null")
	case TokEOF:
		r.Fail(Serialization("Unexpected end of input"))
	default:
		r.syntax()
	}
}

// End checks that nothing but whitespace follows the value read.
func (r *Reader) End() {
	if r.err != nil {
		return
	}
	r.skipSpace()
	if r.pos != len(r.data) {
		r.syntax()
	}
}

// Members reads the object that comes next, calling fn with the name of each member whose value
// is not null (DynamoDB treats a null member as absent); fn must consume the value. The name is
// valid only during the call. It reports false when the value is not an object or is malformed.
func (r *Reader) Members(fn func(name []byte)) bool {
	if !r.BeginObject() {
		return false
	}
	for {
		k, ok := r.NextKey()
		if !ok {
			return r.err == nil
		}
		if r.Null() {
			continue
		}
		fn(k)
	}
}
