package dynantic

import (
	"encoding/base64"
	"errors"
	"strings"
	"unicode"
	"unicode/utf16"
	"unicode/utf8"

	"github.com/aws/aws-sdk-go-v2/service/dynamodb"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb/types"
)

// The wire decoder reads the JSON body of a successful GetItem, Query, Scan,
// BatchGetItem or TransactGetItems response into the SDK's output struct,
// exactly as the SDK's own deserializer fills it, without the SDK's
// schema-driven walk (see wire.go for how it is hooked in, and
// docs/design.md, "Issue 14").
//
// It accepts a strict subset of what the SDK accepts: canonical DynamoDB
// JSON. Anything else (a null where a value belongs, an attribute value with
// no member or two, an escaped member name, malformed JSON, nesting deeper
// than DynamoDB allows...) makes it decline (errDecline), and the SDK then
// decodes the whole body itself, so a body is never decoded differently.
// Top-level members it does not decode (ConsumedCapacity, UnprocessedKeys,
// members of future API versions) are handed to the SDK's deserializer as a
// smaller JSON object of their own.

// errDecline: the wire decoder does not take this body.
var errDecline = errors.New("dynantic: wire decoder declined the body")

// wireMaxDepth bounds the nesting of objects and arrays the decoder takes
// (DynamoDB allows 32 levels of lists and maps, each two JSON levels deep);
// deeper bodies go to the SDK.
const wireMaxDepth = 80

// wireDec decodes one response body. p is the text being read: the body
// itself while walking the top level, and a copy of one item while decoding
// it (the item's strings are substrings of that copy, so the body's buffer
// is never kept).
type wireDec struct {
	p string
	i int

	// Attribute values are allocated in chunks.
	ss []types.AttributeValueMemberS
	ns []types.AttributeValueMemberN
	bs []types.AttributeValueMemberBOOL
	ms []types.AttributeValueMemberM
	ls []types.AttributeValueMemberL

	rest []string // top-level members left to the SDK, as `"name":value`

	direct *directTarget // where the items go, when they are decoded directly
}

const wireChunk = 64

// wireSlab holds the first attribute values of a body in one allocation
// (enough for a typical item, so that a GetItem allocates them once); later
// ones come in chunks of wireChunk per type.
type wireSlab struct {
	s [16]types.AttributeValueMemberS
	n [12]types.AttributeValueMemberN
	b [4]types.AttributeValueMemberBOOL
	m [4]types.AttributeValueMemberM
	l [4]types.AttributeValueMemberL
}

func (d *wireDec) firstSlab() {
	s := new(wireSlab)
	d.ss, d.ns, d.bs, d.ms, d.ls = s.s[:0], s.n[:0], s.b[:0], s.m[:0], s.l[:0]
}

func (d *wireDec) newS(v string) types.AttributeValue {
	if len(d.ss) == cap(d.ss) {
		d.ss = make([]types.AttributeValueMemberS, 0, wireChunk)
	}
	d.ss = append(d.ss, types.AttributeValueMemberS{Value: v})
	return &d.ss[len(d.ss)-1]
}

func (d *wireDec) newN(v string) types.AttributeValue {
	if len(d.ns) == cap(d.ns) {
		d.ns = make([]types.AttributeValueMemberN, 0, wireChunk)
	}
	d.ns = append(d.ns, types.AttributeValueMemberN{Value: v})
	return &d.ns[len(d.ns)-1]
}

func (d *wireDec) newBOOL(v bool) types.AttributeValue {
	if len(d.bs) == cap(d.bs) {
		d.bs = make([]types.AttributeValueMemberBOOL, 0, wireChunk)
	}
	d.bs = append(d.bs, types.AttributeValueMemberBOOL{Value: v})
	return &d.bs[len(d.bs)-1]
}

func (d *wireDec) newM(v map[string]types.AttributeValue) types.AttributeValue {
	if len(d.ms) == cap(d.ms) {
		d.ms = make([]types.AttributeValueMemberM, 0, wireChunk/4)
	}
	d.ms = append(d.ms, types.AttributeValueMemberM{Value: v})
	return &d.ms[len(d.ms)-1]
}

func (d *wireDec) newL(v []types.AttributeValue) types.AttributeValue {
	if len(d.ls) == cap(d.ls) {
		d.ls = make([]types.AttributeValueMemberL, 0, wireChunk/4)
	}
	d.ls = append(d.ls, types.AttributeValueMemberL{Value: v})
	return &d.ls[len(d.ls)-1]
}

// ws skips JSON whitespace.
func (d *wireDec) ws() {
	for d.i < len(d.p) {
		switch d.p[d.i] {
		case ' ', '\t', '\n', '\r':
			d.i++
		default:
			return
		}
	}
}

// peek skips whitespace and returns the next byte (0 at the end).
func (d *wireDec) peek() byte {
	d.ws()
	if d.i < len(d.p) {
		return d.p[d.i]
	}
	return 0
}

// expect consumes c (after whitespace) or declines.
func (d *wireDec) expect(c byte) error {
	if d.peek() != c {
		return errDecline
	}
	d.i++
	return nil
}

// more reads what follows a member or element: ',' (true) or the closing
// byte (false).
func (d *wireDec) more(closing byte) (bool, error) {
	switch d.peek() {
	case ',':
		d.i++
		return true, nil
	case closing:
		d.i++
		return false, nil
	}
	return false, errDecline
}

// rawString reads a string and returns its text between the quotes, and
// whether it holds escapes. It declines control characters and malformed
// escapes, as the SDK's scanner rejects them.
func (d *wireDec) rawString() (string, bool, error) {
	if d.peek() != '"' {
		return "", false, errDecline
	}
	start := d.i + 1
	escaped := false
	for i := start; i < len(d.p); i++ {
		for i < len(d.p) && !strStop[d.p[i]] {
			i++
		}
		if i == len(d.p) {
			break
		}
		c := d.p[i]
		switch {
		case c == '"':
			d.i = i + 1
			return d.p[start:i], escaped, nil
		case c < 0x20:
			return "", false, errDecline
		case c == '\\':
			escaped = true
			i++
			if i >= len(d.p) {
				return "", false, errDecline
			}
			switch d.p[i] {
			case '"', '\\', '/', 'b', 'f', 'n', 'r', 't':
			case 'u':
				if i+4 >= len(d.p) || getu4(d.p[i-1:]) < 0 {
					return "", false, errDecline
				}
				i += 4
			default:
				return "", false, errDecline
			}
		}
	}
	return "", false, errDecline
}

// strStop marks the bytes that end the plain run of a string: the quote,
// the backslash and the control characters.
var strStop = func() (t [256]bool) {
	for c := range 0x20 {
		t[c] = true
	}
	t['"'], t['\\'] = true, true
	return t
}()

// str reads a string value as the SDK does: the raw bytes when it has no
// escapes (invalid UTF-8 kept as is), else unquoted like encoding/json
// (invalid UTF-8 and lone surrogates become U+FFFD).
func (d *wireDec) str() (string, error) {
	raw, escaped, err := d.rawString()
	if err != nil || !escaped {
		return raw, err
	}
	return unquoteJSON(raw), nil
}

// key reads an object key that must be a plain name (no escapes).
func (d *wireDec) key() (string, error) {
	k, escaped, err := d.rawString()
	if err != nil || escaped {
		return "", errDecline
	}
	if err := d.expect(':'); err != nil {
		return "", err
	}
	return k, nil
}

// getu4 decodes \uXXXX at the start of s, or returns -1.
func getu4(s string) rune {
	if len(s) < 6 || s[0] != '\\' || s[1] != 'u' {
		return -1
	}
	var r rune
	for _, c := range []byte(s[2:6]) {
		switch {
		case '0' <= c && c <= '9':
			c -= '0'
		case 'a' <= c && c <= 'f':
			c = c - 'a' + 10
		case 'A' <= c && c <= 'F':
			c = c - 'A' + 10
		default:
			return -1
		}
		r = r*16 + rune(c)
	}
	return r
}

// unquoteJSON unescapes the text of a JSON string already checked by
// rawString, with encoding/json's rules (those of the SDK's unquote).
func unquoteJSON(s string) string {
	var b strings.Builder
	b.Grow(len(s))
	for r := 0; r < len(s); {
		c := s[r]
		switch {
		case c == '\\':
			switch s[r+1] {
			case '"', '\\', '/':
				b.WriteByte(s[r+1])
			case 'b':
				b.WriteByte('\b')
			case 'f':
				b.WriteByte('\f')
			case 'n':
				b.WriteByte('\n')
			case 'r':
				b.WriteByte('\r')
			case 't':
				b.WriteByte('\t')
			case 'u':
				rr := getu4(s[r:])
				r += 6
				if utf16.IsSurrogate(rr) {
					if dec := utf16.DecodeRune(rr, getu4(s[r:])); dec != unicode.ReplacementChar {
						r += 6
						b.WriteRune(dec)
						continue
					}
					rr = unicode.ReplacementChar
				}
				b.WriteRune(rr)
				continue
			}
			r += 2
		case c < utf8.RuneSelf:
			b.WriteByte(c)
			r++
		default:
			rr, size := utf8.DecodeRuneInString(s[r:])
			r += size
			b.WriteRune(rr)
		}
	}
	return b.String()
}

// skip checks and skips one JSON value, returning the number of members
// of an object (0 for anything else).
func (d *wireDec) skip(depth int) (int, error) {
	c := d.peek()
	if depth > wireMaxDepth {
		return 0, errDecline
	}
	switch {
	case c == '"':
		_, _, err := d.rawString()
		return 0, err
	case c == '{':
		d.i++
		if d.peek() == '}' {
			d.i++
			return 0, nil
		}
		for n := 1; ; n++ {
			if _, _, err := d.rawString(); err != nil {
				return 0, err
			}
			if err := d.expect(':'); err != nil {
				return 0, err
			}
			if _, err := d.skip(depth + 1); err != nil {
				return 0, err
			}
			if more, err := d.more('}'); err != nil || !more {
				return n, err
			}
		}
	case c == '[':
		d.i++
		if d.peek() == ']' {
			d.i++
			return 0, nil
		}
		for {
			if _, err := d.skip(depth + 1); err != nil {
				return 0, err
			}
			if more, err := d.more(']'); err != nil || !more {
				return 0, err
			}
		}
	case c == 't':
		return 0, d.literal("true")
	case c == 'f':
		return 0, d.literal("false")
	case c == 'n':
		return 0, d.literal("null")
	case c == '-' || '0' <= c && c <= '9':
		return 0, d.number()
	}
	return 0, errDecline
}

func (d *wireDec) literal(lit string) error {
	if !strings.HasPrefix(d.p[d.i:], lit) {
		return errDecline
	}
	d.i += len(lit)
	return nil
}

// number skips a JSON number (the grammar of the SDK's scanner).
func (d *wireDec) number() error {
	i := d.i
	if i < len(d.p) && d.p[i] == '-' {
		i++
	}
	digits := func() int {
		n := 0
		for i < len(d.p) && '0' <= d.p[i] && d.p[i] <= '9' {
			i++
			n++
		}
		return n
	}
	first := i
	if n := digits(); n == 0 || n > 1 && d.p[first] == '0' {
		return errDecline
	}
	if i < len(d.p) && d.p[i] == '.' {
		i++
		if digits() == 0 {
			return errDecline
		}
	}
	if i < len(d.p) && (d.p[i] == 'e' || d.p[i] == 'E') {
		i++
		if i < len(d.p) && (d.p[i] == '+' || d.p[i] == '-') {
			i++
		}
		if digits() == 0 {
			return errDecline
		}
	}
	d.i = i
	return nil
}

// count reads Count or ScannedCount: a plain non-negative int32.
func (d *wireDec) count() (int32, error) {
	d.ws()
	var n int64
	i := d.i
	for i < len(d.p) && '0' <= d.p[i] && d.p[i] <= '9' {
		n = n*10 + int64(d.p[i]-'0')
		i++
		if n > 1<<31-1 {
			return 0, errDecline
		}
	}
	if i == d.i || i-d.i > 1 && d.p[d.i] == '0' || i < len(d.p) && (d.p[i] == '.' || d.p[i] == 'e' || d.p[i] == 'E') {
		return 0, errDecline
	}
	d.i = i
	return int32(n), nil
}

// item reads one item (an attribute map) as a copy of its own text, so that
// its strings keep only the item alive.
func (d *wireDec) item() (map[string]types.AttributeValue, error) {
	if d.peek() != '{' {
		return nil, errDecline
	}
	start := d.i
	end, n := objectEnd(d.p, start)
	if end < 0 {
		return nil, errDecline
	}
	d.i = end
	if d.ss == nil {
		d.firstSlab()
	}
	sub := wireDec{p: strings.Clone(d.p[start:end]), ss: d.ss, ns: d.ns, bs: d.bs, ms: d.ms, ls: d.ls}
	m, err := sub.attrMap(1, n)
	if err == nil && sub.i != len(sub.p) {
		err = errDecline
	}
	d.ss, d.ns, d.bs, d.ms, d.ls = sub.ss, sub.ns, sub.bs, sub.ms, sub.ls
	return m, err
}

// objectEnd finds the end of the object that starts at p[i] (braces and
// brackets counted outside strings) and counts its members, or returns -1.
// It does not check the text: the item decoder then reads exactly that
// span, and declines unless it is one valid object, so for valid JSON the
// end found is the object's end.
func objectEnd(p string, i int) (end, members int) {
	depth := 0
	for ; i < len(p); i++ {
		switch p[i] {
		case '"':
			for i++; i < len(p) && p[i] != '"'; i++ {
				if p[i] == '\\' {
					i++
				}
			}
		case '{', '[':
			depth++
		case '}', ']':
			if depth--; depth == 0 {
				return i + 1, members
			}
		case ':':
			if depth == 1 {
				members++
			}
		}
	}
	return -1, 0
}

// attrMap reads an object of attribute values.
func (d *wireDec) attrMap(depth, size int) (map[string]types.AttributeValue, error) {
	if err := d.expect('{'); err != nil {
		return nil, err
	}
	m := make(map[string]types.AttributeValue, size)
	if d.peek() == '}' {
		d.i++
		return m, nil
	}
	for {
		name, err := d.str()
		if err != nil {
			return nil, err
		}
		if err := d.expect(':'); err != nil {
			return nil, err
		}
		av, err := d.value(depth + 1)
		if err != nil {
			return nil, err
		}
		m[name] = av
		if more, err := d.more('}'); err != nil || !more {
			return m, err
		}
	}
}

// value reads one attribute value: an object of exactly one member.
func (d *wireDec) value(depth int) (types.AttributeValue, error) {
	if depth > wireMaxDepth {
		return nil, errDecline
	}
	if err := d.expect('{'); err != nil {
		return nil, err
	}
	typ, err := d.key()
	if err != nil {
		return nil, err
	}
	var av types.AttributeValue
	switch typ {
	case "S", "N":
		s, err := d.str()
		if err != nil {
			return nil, err
		}
		if typ == "S" {
			av = d.newS(s)
		} else {
			av = d.newN(s)
		}
	case "B":
		b, err := d.blob()
		if err != nil {
			return nil, err
		}
		av = &types.AttributeValueMemberB{Value: b}
	case "BOOL", "NULL":
		var v bool
		switch d.peek() {
		case 't':
			err = d.literal("true")
			v = true
		case 'f':
			err = d.literal("false")
		default:
			err = errDecline
		}
		if err != nil {
			return nil, err
		}
		if typ == "BOOL" {
			av = d.newBOOL(v)
		} else {
			av = &types.AttributeValueMemberNULL{Value: v}
		}
	case "SS", "NS":
		l, err := d.strings()
		if err != nil {
			return nil, err
		}
		if typ == "SS" {
			av = &types.AttributeValueMemberSS{Value: l}
		} else {
			av = &types.AttributeValueMemberNS{Value: l}
		}
	case "BS":
		if err := d.expect('['); err != nil {
			return nil, err
		}
		l := make([][]byte, 0)
		if d.peek() == ']' {
			d.i++
		} else {
			for {
				b, err := d.blob()
				if err != nil {
					return nil, err
				}
				l = append(l, b)
				if more, err := d.more(']'); err != nil {
					return nil, err
				} else if !more {
					break
				}
			}
		}
		av = &types.AttributeValueMemberBS{Value: l}
	case "L":
		if err := d.expect('['); err != nil {
			return nil, err
		}
		var buf [8]types.AttributeValue // short lists: one allocation of the right size
		l := buf[:0]
		if d.peek() == ']' {
			d.i++
		} else {
			for {
				v, err := d.value(depth + 2)
				if err != nil {
					return nil, err
				}
				l = append(l, v)
				if more, err := d.more(']'); err != nil {
					return nil, err
				} else if !more {
					break
				}
			}
		}
		av = d.newL(append(make([]types.AttributeValue, 0, len(l)), l...))
	case "M":
		m, err := d.attrMap(depth+1, 0)
		if err != nil {
			return nil, err
		}
		av = d.newM(m)
	default:
		return nil, errDecline
	}
	if err := d.expect('}'); err != nil {
		return nil, err
	}
	return av, nil
}

// blob reads a base64 string as the SDK does (standard encoding); escaped
// text is left to the SDK.
func (d *wireDec) blob() ([]byte, error) {
	s, escaped, err := d.rawString()
	if err != nil || escaped {
		return nil, errDecline
	}
	b, err := base64.StdEncoding.DecodeString(s)
	if err != nil {
		return nil, errDecline
	}
	return b, nil
}

// strings reads an array of strings (SS, NS).
func (d *wireDec) strings() ([]string, error) {
	if err := d.expect('['); err != nil {
		return nil, err
	}
	var buf [8]string // short sets: one allocation of the right size
	l := buf[:0]
	if d.peek() == ']' {
		d.i++
		return make([]string, 0), nil
	}
	for {
		s, err := d.str()
		if err != nil {
			return nil, err
		}
		l = append(l, s)
		if more, err := d.more(']'); err != nil || !more {
			return append(make([]string, 0, len(l)), l...), err
		}
	}
}

// items reads an array of items.
func (d *wireDec) items() ([]map[string]types.AttributeValue, error) {
	if err := d.expect('['); err != nil {
		return nil, err
	}
	l := make([]map[string]types.AttributeValue, 0)
	if d.peek() == ']' {
		d.i++
		return l, nil
	}
	for {
		m, err := d.item()
		if err != nil {
			return nil, err
		}
		l = append(l, m)
		if more, err := d.more(']'); err != nil || !more {
			return l, err
		}
	}
}

// members walks the top-level object, calling member for each member name;
// member returns false for a member it does not decode, which is then
// kept in d.rest for the SDK. A member decoded twice is declined (the SDK
// would keep the last; the case never arises).
func (d *wireDec) members(member func(name string) (bool, error)) error {
	if err := d.expect('{'); err != nil {
		return err
	}
	if d.peek() == '}' {
		d.i++
		return d.end()
	}
	for {
		start := d.i
		name, err := d.key()
		if err != nil {
			return err
		}
		if d.peek() == 'n' { // a null member: the SDK skips it
			if err := d.literal("null"); err != nil {
				return err
			}
		} else if took, err := member(name); err != nil {
			return err
		} else if !took {
			if _, err := d.skip(1); err != nil {
				return err
			}
			d.rest = append(d.rest, d.p[start:d.i])
		}
		if more, err := d.more('}'); err != nil {
			return err
		} else if !more {
			return d.end()
		}
	}
}

// end checks that nothing but whitespace follows the top-level object.
func (d *wireDec) end() error {
	if d.ws(); d.i != len(d.p) {
		return errDecline
	}
	return nil
}

// once guards a member against a second occurrence.
func once(seen *uint8, bit uint8) error {
	if *seen&bit != 0 {
		return errDecline
	}
	*seen |= bit
	return nil
}

// decodeQuery fills a QueryOutput (or, through scan, a ScanOutput).
func (d *wireDec) decodeQuery(items *[]map[string]types.AttributeValue, count, scanned *int32, lek *map[string]types.AttributeValue) error {
	var seen uint8
	return d.members(func(name string) (bool, error) {
		var err error
		switch name {
		case "Items":
			if err = once(&seen, 1); err == nil {
				if d.direct != nil {
					*items, err = d.directItems(d.direct)
				} else {
					*items, err = d.items()
				}
			}
		case "Count":
			if err = once(&seen, 2); err == nil {
				*count, err = d.count()
			}
		case "ScannedCount":
			if err = once(&seen, 4); err == nil {
				*scanned, err = d.count()
			}
		case "LastEvaluatedKey":
			if err = once(&seen, 8); err == nil {
				*lek, err = d.item()
			}
		default:
			return false, nil
		}
		return true, err
	})
}

func (d *wireDec) decodeGet(out *dynamodb.GetItemOutput) error {
	var seen uint8
	return d.members(func(name string) (bool, error) {
		if name != "Item" {
			return false, nil
		}
		err := once(&seen, 1)
		if err == nil {
			if dt := d.direct; dt != nil {
				base := dt.alloc(1)
				if out.Item, err = d.directOne(dt, dt.keep, base); err == nil {
					dt.base = base
					if out.Item == nil {
						out.Item = noAttributes // found: Get tells an item from none by a nil map
					}
				}
			} else {
				out.Item, err = d.item()
			}
		}
		return true, err
	})
}

func (d *wireDec) decodeBatchGet(out *dynamodb.BatchGetItemOutput) error {
	var seen uint8
	return d.members(func(name string) (bool, error) {
		if name != "Responses" {
			return false, nil
		}
		if err := once(&seen, 1); err != nil {
			return true, err
		}
		if err := d.expect('{'); err != nil {
			return true, err
		}
		r := make(map[string][]map[string]types.AttributeValue)
		out.Responses = r
		if d.peek() == '}' {
			d.i++
			return true, nil
		}
		for {
			table, err := d.str()
			if err != nil {
				return true, err
			}
			table = strings.Clone(table) // d.p is the body's buffer
			if err := d.expect(':'); err != nil {
				return true, err
			}
			if dt := d.direct; dt != nil && table == dt.table {
				r[table], err = d.directItems(dt)
			} else {
				r[table], err = d.items()
			}
			if err != nil {
				return true, err
			}
			if more, err := d.more('}'); err != nil || !more {
				return true, err
			}
		}
	})
}

func (d *wireDec) decodeTransactGet(out *dynamodb.TransactGetItemsOutput) error {
	var seen uint8
	return d.members(func(name string) (bool, error) {
		if name != "Responses" {
			return false, nil
		}
		if err := once(&seen, 1); err != nil {
			return true, err
		}
		if err := d.expect('['); err != nil {
			return true, err
		}
		l := make([]types.ItemResponse, 0)
		out.Responses = l
		if d.peek() == ']' {
			d.i++
			return true, nil
		}
		for {
			var r types.ItemResponse
			if err := d.expect('{'); err != nil {
				return true, err
			}
			if d.peek() != '}' {
				k, err := d.key()
				if err != nil || k != "Item" {
					return true, errDecline
				}
				if r.Item, err = d.item(); err != nil {
					return true, err
				}
			}
			if err := d.expect('}'); err != nil {
				return true, err
			}
			l = append(l, r)
			out.Responses = l
			if more, err := d.more(']'); err != nil || !more {
				return true, err
			}
		}
	})
}
