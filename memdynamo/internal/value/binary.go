package value

import (
	"encoding/binary"
	"errors"
	"unsafe"
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
