package value

import (
	"encoding/binary"
	"errors"
	"slices"
	"strings"
	"unsafe"

	"github.com/dynantic/dynantic/memdynamo/internal/wire"
)

// The compact binary form of a stored item: a count of attributes, then per attribute its name
// (length-prefixed) and its value. A value is its kind byte followed by:
//   S, B        length, bytes
//   N           sign byte, zig-zag exponent, length, digits
//   BOOL        one byte
//   NULL        nothing
//   M           as an item
//   L, SS/NS/BS count, then each element as a value
// Lengths and counts are unsigned varints. A stored item takes little more than its data.

// EncodeItem appends the binary form of item to dst.
func EncodeItem(dst []byte, item map[string]Value) []byte {
	dst = binary.AppendUvarint(dst, uint64(len(item)))
	for k, v := range item {
		dst = binary.AppendUvarint(dst, uint64(len(k)))
		dst = append(dst, k...)
		dst = encodeValue(dst, v)
	}
	return dst
}

func encodeValue(dst []byte, v Value) []byte {
	dst = append(dst, byte(v.kind))
	switch v.kind {
	case KindS, KindB:
		dst = binary.AppendUvarint(dst, uint64(len(v.s)))
		dst = append(dst, v.s...)
	case KindN:
		var neg byte
		if v.flag {
			neg = 1
		}
		dst = append(dst, neg)
		dst = binary.AppendVarint(dst, int64(v.exp))
		dst = binary.AppendUvarint(dst, uint64(len(v.s)))
		dst = append(dst, v.s...)
	case KindBOOL:
		if v.flag {
			dst = append(dst, 1)
		} else {
			dst = append(dst, 0)
		}
	case KindM:
		dst = EncodeItem(dst, v.m)
	case KindL, KindSS, KindNS, KindBS:
		dst = binary.AppendUvarint(dst, uint64(len(v.l)))
		for _, e := range v.l {
			dst = encodeValue(dst, e)
		}
	}
	return dst
}

var errCorrupt = errors.New("memdynamo: corrupt stored item")

// DecodeItem decodes an item written by EncodeItem. The strings of the result share memory with
// data, which must therefore never be modified afterwards (stored items are immutable).
func DecodeItem(data []byte) (map[string]Value, error) {
	d := binDecoder{data: data}
	m := d.item()
	if d.err != nil || d.pos != len(data) {
		return nil, errCorrupt
	}
	return m, nil
}

// DecodeAttrs decodes only the named attributes of a stored item (the others are skipped), for key
// extraction and projections that need a few attributes.
func DecodeAttrs(data []byte, want func(name string) bool) (map[string]Value, error) {
	d := binDecoder{data: data}
	n := d.uvarint()
	m := make(map[string]Value)
	for i := uint64(0); i < n && d.err == nil; i++ {
		name := d.str()
		if want(name) {
			m[name] = d.value()
		} else {
			d.skip()
		}
	}
	if d.err != nil {
		return nil, errCorrupt
	}
	return m, nil
}

type binDecoder struct {
	data []byte
	pos  int
	err  error
}

func (d *binDecoder) uvarint() uint64 {
	x, n := binary.Uvarint(d.data[d.pos:])
	if n <= 0 {
		d.err = errCorrupt
		d.pos = len(d.data)
		return 0
	}
	d.pos += n
	return x
}

func (d *binDecoder) str() string {
	n := d.uvarint()
	if d.err != nil || n > uint64(len(d.data)-d.pos) {
		d.err = errCorrupt
		return ""
	}
	if n == 0 {
		return ""
	}
	s := unsafe.String(&d.data[d.pos], int(n))
	d.pos += int(n)
	return s
}

func (d *binDecoder) byte() byte {
	if d.pos >= len(d.data) {
		d.err = errCorrupt
		return 0
	}
	c := d.data[d.pos]
	d.pos++
	return c
}

func (d *binDecoder) item() map[string]Value {
	n := d.uvarint()
	if n > uint64(len(d.data)) {
		d.err = errCorrupt
		return nil
	}
	m := make(map[string]Value, n)
	for i := uint64(0); i < n && d.err == nil; i++ {
		k := d.str()
		m[k] = d.value()
	}
	return m
}

func (d *binDecoder) value() Value {
	k := Kind(d.byte())
	switch k {
	case KindS, KindB:
		return Value{kind: k, s: d.str()}
	case KindN:
		neg := d.byte() == 1
		e, n := binary.Varint(d.data[d.pos:])
		if n <= 0 {
			d.err = errCorrupt
			return Value{}
		}
		d.pos += n
		return Value{kind: KindN, flag: neg, exp: int32(e), s: d.str()}
	case KindBOOL:
		return Value{kind: KindBOOL, flag: d.byte() == 1}
	case KindNULL:
		return Value{kind: KindNULL, flag: true}
	case KindM:
		return Value{kind: KindM, m: d.item()}
	case KindL, KindSS, KindNS, KindBS:
		n := d.uvarint()
		if n > uint64(len(d.data)) {
			d.err = errCorrupt
			return Value{}
		}
		l := make([]Value, 0, n)
		for i := uint64(0); i < n && d.err == nil; i++ {
			l = append(l, d.value())
		}
		return Value{kind: k, l: l}
	}
	d.err = errCorrupt
	return Value{}
}

func (d *binDecoder) skip() { d.value() }

// skipValue moves past one value without building it.
func (d *binDecoder) skipValue() {
	switch Kind(d.byte()) {
	case KindS, KindB:
		d.str()
	case KindN:
		d.byte()
		if _, n := binary.Varint(d.data[d.pos:]); n > 0 {
			d.pos += n
		} else {
			d.err = errCorrupt
		}
		d.str()
	case KindBOOL:
		d.byte()
	case KindNULL:
	case KindM:
		n := d.uvarint()
		for i := uint64(0); i < n && d.err == nil; i++ {
			d.str()
			d.skipValue()
		}
	case KindL, KindSS, KindNS, KindBS:
		n := d.uvarint()
		for i := uint64(0); i < n && d.err == nil; i++ {
			d.skipValue()
		}
	default:
		d.err = errCorrupt
	}
	if d.err != nil {
		d.pos = len(d.data)
	}
}

// AppendStoredItemJSON appends the JSON of an item stored by EncodeItem: exactly what
// AppendItemJSON appends for the decoded item (members sorted by name), without building it.
func AppendStoredItemJSON(dst []byte, data string) ([]byte, error) {
	if len(data) == 0 {
		return dst, errCorrupt
	}
	d := binDecoder{data: unsafe.Slice(unsafe.StringData(data), len(data))}
	dst = d.appendItemJSON(dst)
	if d.err != nil || d.pos != len(d.data) {
		return dst, errCorrupt
	}
	return dst, nil
}

// member is an attribute of a stored item: its name and where its value starts.
type member struct {
	name string
	pos  int
}

func (d *binDecoder) appendItemJSON(dst []byte) []byte {
	n := d.uvarint()
	if n > uint64(len(d.data)) {
		d.err = errCorrupt
		return dst
	}
	var small [16]member
	ms := small[:0]
	for i := uint64(0); i < n && d.err == nil; i++ {
		name := d.str()
		ms = append(ms, member{name, d.pos})
		d.skipValue()
	}
	if d.err != nil {
		return dst
	}
	end := d.pos
	if len(ms) <= len(small) {
		for i := 1; i < len(ms); i++ {
			for j := i; j > 0 && ms[j].name < ms[j-1].name; j-- {
				ms[j], ms[j-1] = ms[j-1], ms[j]
			}
		}
	} else {
		slices.SortFunc(ms, func(a, b member) int { return strings.Compare(a.name, b.name) })
	}
	dst = append(dst, '{')
	for i, m := range ms {
		if i > 0 {
			dst = append(dst, ',')
		}
		dst = wire.AppendString(dst, m.name)
		dst = append(dst, ':')
		d.pos = m.pos
		dst = d.appendValueJSON(dst)
	}
	d.pos = end
	return append(dst, '}')
}

// appendValueJSON appends a stored value as AppendJSON does.
func (d *binDecoder) appendValueJSON(dst []byte) []byte {
	k := Kind(d.byte())
	switch k {
	case KindS:
		dst = append(dst, `{"S":`...)
		dst = wire.AppendString(dst, d.str())
	case KindN:
		dst = append(dst, `{"N":"`...)
		dst = d.number().Append(dst)
		dst = append(dst, '"')
	case KindB:
		dst = append(dst, `{"B":`...)
		dst = appendBase64(dst, d.str())
	case KindBOOL:
		if d.byte() == 1 {
			return append(dst, `{"BOOL":true}`...)
		}
		return append(dst, `{"BOOL":false}`...)
	case KindNULL:
		return append(dst, `{"NULL":true}`...)
	case KindM:
		dst = append(dst, `{"M":`...)
		dst = d.appendItemJSON(dst)
	case KindL, KindSS, KindNS, KindBS:
		if k == KindL {
			dst = append(dst, `{"L":[`...)
		} else {
			dst = append(dst, `{"`...)
			dst = append(dst, k.String()...)
			dst = append(dst, `":[`...)
		}
		n := d.uvarint()
		for i := uint64(0); i < n && d.err == nil; i++ {
			if i > 0 {
				dst = append(dst, ',')
			}
			switch k {
			case KindL:
				dst = d.appendValueJSON(dst)
			case KindSS:
				d.byte()
				dst = wire.AppendString(dst, d.str())
			case KindNS:
				d.byte()
				dst = append(dst, '"')
				dst = d.number().Append(dst)
				dst = append(dst, '"')
			default:
				d.byte()
				dst = appendBase64(dst, d.str())
			}
		}
		dst = append(dst, ']')
	default:
		d.err = errCorrupt
		d.pos = len(d.data)
		return dst
	}
	return append(dst, '}')
}

// number reads the rest of a stored N (after its kind byte).
func (d *binDecoder) number() Decimal {
	neg := d.byte() == 1
	e, n := binary.Varint(d.data[d.pos:])
	if n <= 0 {
		d.err = errCorrupt
		d.pos = len(d.data)
		return Decimal{}
	}
	d.pos += n
	x := Decimal{digits: d.str(), exp: int32(e), neg: neg}
	if int64(x.exp) != e || x.check() != nil { // stored numbers are within DynamoDB's limits
		d.err = errCorrupt
		d.pos = len(d.data)
		return Decimal{}
	}
	return x
}
