package codec

import (
	"bytes"
	"reflect"
	"slices"
	"strconv"
	"strings"
	"unicode/utf8"
	"unsafe"

	"github.com/aws/aws-sdk-go-v2/service/dynamodb/types"

	"github.com/dynantic/dynantic/internal/schema"
)

type sliceHeader struct {
	Data     unsafe.Pointer
	Len, Cap int
}

// emptyBase is the data pointer of decoded empty slices (non-nil, never
// dereferenced).
var emptyBase [1]uint64

// makeSliceAt stores a new slice of type t and length n at p and returns its
// data pointer. An empty slice is empty, not nil.
func makeSliceAt(t reflect.Type, p unsafe.Pointer, n int) unsafe.Pointer {
	h := (*sliceHeader)(p)
	if n == 0 {
		*h = sliceHeader{Data: unsafe.Pointer(&emptyBase)}
		return h.Data
	}
	*h = sliceHeader{}
	v := reflect.NewAt(t, p).Elem()
	v.Grow(n)
	h.Len = n
	return h.Data
}

func nullAV() types.AttributeValue { return &types.AttributeValueMemberNULL{Value: true} }

// seqLen returns the number of members of av when it is a list or a set
// whose members elem can decode.
func seqLen(av types.AttributeValue, elem *valueCodec) (int, bool) {
	switch a := av.(type) {
	case *types.AttributeValueMemberL:
		if a != nil {
			return len(a.Value), true
		}
	case *types.AttributeValueMemberSS:
		if a != nil && elem.scalar == 'S' {
			return len(a.Value), true
		}
	case *types.AttributeValueMemberNS:
		if a != nil && elem.scalar == 'N' {
			return len(a.Value), true
		}
	case *types.AttributeValueMemberBS:
		if a != nil && elem.scalar == 'B' {
			return len(a.Value), true
		}
	}
	return 0, false
}

// fillSeq decodes the members of av (accepted by seqLen) into consecutive
// elements of size esz starting at data.
func fillSeq(av types.AttributeValue, elem *valueCodec, data unsafe.Pointer, esz uintptr) error {
	switch a := av.(type) {
	case *types.AttributeValueMemberL:
		for i, x := range a.Value {
			if x == nil {
				continue
			}
			if err := elem.dec(x, unsafe.Add(data, uintptr(i)*esz)); err != nil {
				return atIndex(err, opDecode, i)
			}
		}
	case *types.AttributeValueMemberSS:
		for i, s := range a.Value {
			if err := elem.parse(s, unsafe.Add(data, uintptr(i)*esz)); err != nil {
				return atIndex(err, opDecode, i)
			}
		}
	case *types.AttributeValueMemberNS:
		for i, s := range a.Value {
			if err := elem.parse(s, unsafe.Add(data, uintptr(i)*esz)); err != nil {
				return atIndex(err, opDecode, i)
			}
		}
	case *types.AttributeValueMemberBS:
		for i, b := range a.Value {
			*(*[]byte)(unsafe.Add(data, uintptr(i)*esz)) = append([]byte{}, b...)
		}
	}
	return nil
}

// slice compiles a slice (other than []byte) as L.
func (c *compiler) slice(t reflect.Type) (*valueCodec, error) {
	elem, err := c.value(t.Elem(), schema.Options{})
	if err != nil {
		return nil, err
	}
	esz := t.Elem().Size()
	return &valueCodec{
		typ: t,
		enc: func(p unsafe.Pointer, depth int) (types.AttributeValue, error) {
			h := (*sliceHeader)(p)
			if h.Data == nil {
				return nil, nil
			}
			return encodeList(h.Data, h.Len, esz, elem, depth)
		},
		dec: func(av types.AttributeValue, p unsafe.Pointer) error {
			n, ok := seqLen(av, elem)
			if !ok {
				return decodeOther(av, t, p)
			}
			return fillSeq(av, elem, makeSliceAt(t, p, n), esz)
		},
		empty: emptySlice,
	}, nil
}

func emptySlice(p unsafe.Pointer) bool { return (*sliceHeader)(p).Len == 0 }

func encodeList(data unsafe.Pointer, n int, esz uintptr, elem *valueCodec, depth int) (types.AttributeValue, error) {
	if nested(depth) {
		return nil, tooDeep()
	}
	l := make([]types.AttributeValue, n)
	for i := range l {
		av, err := elem.enc(unsafe.Add(data, uintptr(i)*esz), depth+1)
		if err != nil {
			return nil, atIndex(err, opEncode, i)
		}
		if av == nil {
			av = nullAV()
		}
		l[i] = av
	}
	return &types.AttributeValueMemberL{Value: l}, nil
}

// array compiles an array (other than [N]byte) as L; it decodes lists and sets
// of at most its length, zeroing the elements beyond them.
func (c *compiler) array(t reflect.Type) (*valueCodec, error) {
	elem, err := c.value(t.Elem(), schema.Options{})
	if err != nil {
		return nil, err
	}
	esz, n := t.Elem().Size(), t.Len()
	return &valueCodec{
		typ: t,
		enc: func(p unsafe.Pointer, depth int) (types.AttributeValue, error) {
			return encodeList(p, n, esz, elem, depth)
		},
		dec:   arrayDecoder(t, elem),
		empty: zeroTest(t),
	}, nil
}

func arrayDecoder(t reflect.Type, elem *valueCodec) decFunc {
	esz, n := t.Elem().Size(), t.Len()
	return func(av types.AttributeValue, p unsafe.Pointer) error {
		m, ok := seqLen(av, elem)
		if !ok {
			return decodeOther(av, t, p)
		}
		if m > n {
			return decErr("cannot decode " + avName(av) + " of " + strconv.Itoa(m) + " members into " + t.String())
		}
		reflect.NewAt(t, p).Elem().SetZero()
		return fillSeq(av, elem, p, esz)
	}
}

// set compiles a slice or array with the set option (SS, NS or BS), or a
// map[K]struct{}.
func (c *compiler) set(t reflect.Type) (*valueCodec, error) {
	bad := compileError("the set option needs a slice or array of strings, numbers or []byte, or a map[K]struct{}, not " + t.String())
	switch t.Kind() {
	case reflect.Map:
		if isEmptyStruct(t.Elem()) {
			return c.mapSet(t)
		}
		return nil, bad
	case reflect.Slice, reflect.Array:
	default:
		return nil, bad
	}
	et := t.Elem()
	if isByte(et) || schema.HasMarshaler(et) {
		return nil, bad
	}
	elem, err := c.value(et, schema.Options{})
	if err != nil {
		return nil, err
	}
	kind := elem.scalar
	if kind == 0 {
		return nil, bad
	}
	esz := et.Size()
	vc := &valueCodec{typ: t}
	if t.Kind() == reflect.Array {
		n := t.Len()
		vc.enc = func(p unsafe.Pointer, _ int) (types.AttributeValue, error) {
			return encodeSet(kind, p, n, esz, elem)
		}
		vc.dec = arrayDecoder(t, elem)
		vc.empty = zeroTest(t)
		return vc, nil
	}
	vc.enc = func(p unsafe.Pointer, _ int) (types.AttributeValue, error) {
		h := (*sliceHeader)(p)
		return encodeSet(kind, h.Data, h.Len, esz, elem)
	}
	vc.dec = func(av types.AttributeValue, p unsafe.Pointer) error {
		n, ok := seqLen(av, elem)
		if !ok {
			return decodeOther(av, t, p)
		}
		return fillSeq(av, elem, makeSliceAt(t, p, n), esz)
	}
	vc.empty = emptySlice
	return vc, nil
}

// encodeSet encodes n set members; an empty set is omitted, a duplicate is an
// error.
func encodeSet(kind byte, data unsafe.Pointer, n int, esz uintptr, elem *valueCodec) (types.AttributeValue, error) {
	if n == 0 {
		return nil, nil
	}
	if kind == 'B' {
		bs := make([][]byte, n)
		total := 0
		for i := range bs {
			bs[i] = *(*[]byte)(unsafe.Add(data, uintptr(i)*esz))
			total += len(bs[i])
		}
		if i, j, dup := findDup(n, func(i, j int) int { return bytes.Compare(bs[i], bs[j]) }); dup {
			return nil, dupErr(i, j)
		}
		// Copies of the members, in one array: the item may outlive the call.
		buf := make([]byte, 0, total)
		for i, b := range bs {
			start := len(buf)
			buf = append(buf, b...)
			bs[i] = buf[start:len(buf):len(buf)]
		}
		return &types.AttributeValueMemberBS{Value: bs}, nil
	}
	ss := make([]string, n)
	for i := range ss {
		s, err := elem.text(unsafe.Add(data, uintptr(i)*esz))
		if err != nil {
			return nil, atIndex(err, opEncode, i)
		}
		ss[i] = s
	}
	cmp := strings.Compare
	if kind == 'N' {
		cmp = compareNumbers
	}
	if i, j, dup := findDup(n, func(i, j int) int { return cmp(ss[i], ss[j]) }); dup {
		return nil, dupErr(i, j)
	}
	if kind == 'N' {
		return &types.AttributeValueMemberNS{Value: ss}, nil
	}
	return &types.AttributeValueMemberSS{Value: ss}, nil
}

// findDup returns the indexes of two equal members, if any.
func findDup(n int, cmp func(i, j int) int) (int, int, bool) {
	if n <= 16 {
		for i := 1; i < n; i++ {
			for j := 0; j < i; j++ {
				if cmp(i, j) == 0 {
					return j, i, true
				}
			}
		}
		return 0, 0, false
	}
	idx := make([]int, n)
	for i := range idx {
		idx[i] = i
	}
	slices.SortStableFunc(idx, cmp)
	for k := 1; k < n; k++ {
		if cmp(idx[k-1], idx[k]) == 0 {
			return min(idx[k-1], idx[k]), max(idx[k-1], idx[k]), true
		}
	}
	return 0, 0, false
}

func dupErr(i, j int) error {
	return &Error{Op: opEncode, Path: "[" + strconv.Itoa(j) + "]",
		Msg: "duplicate set member (same as [" + strconv.Itoa(i) + "]); DynamoDB rejects sets with duplicates"}
}

// mapSet compiles map[K]struct{} as SS or NS, members sorted (by value for
// numbers). It decodes SS, NS, L, and M (the keys: attributevalue's encoding
// of such maps).
func (c *compiler) mapSet(t reflect.Type) (*valueCodec, error) {
	kt := t.Key()
	bad := compileError("a map[K]struct{} set needs string or number keys, not " + kt.String())
	if schema.HasMarshaler(kt) {
		return nil, bad
	}
	key, err := c.value(kt, schema.Options{})
	if err != nil || key.scalar == 0 {
		return nil, bad
	}
	kind := key.scalar
	cmp := strings.Compare
	if kind == 'N' {
		cmp = compareNumbers
	}
	vc := &valueCodec{typ: t, empty: emptyMap(t)}
	vc.enc = func(p unsafe.Pointer, _ int) (types.AttributeValue, error) {
		mv := reflect.NewAt(t, p).Elem()
		n := mv.Len()
		if n == 0 {
			return nil, nil
		}
		ss := make([]string, 0, n)
		kv := reflect.New(kt)
		var it reflect.MapIter
		it.Reset(mv)
		for it.Next() {
			kv.Elem().SetIterKey(&it)
			s, err := key.text(kv.UnsafePointer())
			if err != nil {
				return nil, err
			}
			ss = append(ss, s)
		}
		slices.SortFunc(ss, cmp)
		if kind == 'N' {
			for i := 1; i < len(ss); i++ {
				if cmp(ss[i-1], ss[i]) == 0 {
					return nil, encErr("duplicate set member " + ss[i] + " (numbers " + ss[i-1] + " and " + ss[i] + " are equal); DynamoDB rejects sets with duplicates")
				}
			}
			return &types.AttributeValueMemberNS{Value: ss}, nil
		}
		return &types.AttributeValueMemberSS{Value: ss}, nil
	}
	vc.dec = func(av types.AttributeValue, p unsafe.Pointer) error {
		n, ok := seqLen(av, key)
		if m, isM := av.(*types.AttributeValueMemberM); isM && m != nil {
			n, ok = len(m.Value), true // attributevalue's encoding of map[K]struct{}
		}
		if !ok {
			return decodeOther(av, t, p)
		}
		mv := reflect.MakeMapWithSize(t, n)
		kv := reflect.New(kt)
		ev := reflect.New(t.Elem()).Elem()
		add := func(i int, s string) error {
			kv.Elem().SetZero()
			if err := key.parse(s, kv.UnsafePointer()); err != nil {
				return atIndex(err, opDecode, i)
			}
			mv.SetMapIndex(kv.Elem(), ev)
			return nil
		}
		switch a := av.(type) {
		case *types.AttributeValueMemberSS:
			for i, s := range a.Value {
				if err := add(i, s); err != nil {
					return err
				}
			}
		case *types.AttributeValueMemberNS:
			for i, s := range a.Value {
				if err := add(i, s); err != nil {
					return err
				}
			}
		case *types.AttributeValueMemberL:
			for i, x := range a.Value {
				if x == nil {
					continue
				}
				kv.Elem().SetZero()
				if err := key.dec(x, kv.UnsafePointer()); err != nil {
					return atIndex(err, opDecode, i)
				}
				mv.SetMapIndex(kv.Elem(), ev)
			}
		case *types.AttributeValueMemberM:
			for k := range a.Value {
				kv.Elem().SetZero()
				if err := key.parse(k, kv.UnsafePointer()); err != nil {
					return atField(err, opDecode, k)
				}
				mv.SetMapIndex(kv.Elem(), ev)
			}
		}
		*(*unsafe.Pointer)(p) = mv.UnsafePointer()
		return nil
	}
	return vc, nil
}

// checkMapKey checks a map key, which becomes an attribute name inside an
// M: DynamoDB refuses an empty one ("Empty attribute name"), and one that
// is not valid UTF-8 would be changed by the SDK (see badUTF8).
func checkMapKey(k string) error {
	if k == "" {
		return encErr("empty map key (DynamoDB refuses empty attribute names, in maps too)")
	}
	if !utf8.ValidString(k) {
		return encErr("map key " + quote(k) + " is not valid UTF-8 (DynamoDB attribute names are UTF-8; the bad bytes would be replaced)")
	}
	return nil
}

func emptyMap(t reflect.Type) func(unsafe.Pointer) bool {
	return func(p unsafe.Pointer) bool { return reflect.NewAt(t, p).Elem().Len() == 0 }
}

// mapCodec compiles a map with string-kinded keys as M. A nil value in the
// map is stored as NULL.
func (c *compiler) mapCodec(t reflect.Type) (*valueCodec, error) {
	kt, et := t.Key(), t.Elem()
	elem, err := c.value(et, schema.Options{})
	if err != nil {
		return nil, err
	}
	if kt == stringType {
		switch et {
		case stringType:
			return stringMapCodec(t), nil
		case anyType:
			return anyMapCodec(t), nil
		}
	}
	vc := &valueCodec{typ: t, empty: emptyMap(t)}
	vc.enc = func(p unsafe.Pointer, depth int) (types.AttributeValue, error) {
		if *(*unsafe.Pointer)(p) == nil {
			return nil, nil
		}
		if nested(depth) {
			return nil, tooDeep()
		}
		mv := reflect.NewAt(t, p).Elem()
		m := make(map[string]types.AttributeValue, mv.Len())
		kv := reflect.New(kt).Elem()
		ev := reflect.New(et)
		evp := ev.UnsafePointer()
		var it reflect.MapIter
		it.Reset(mv)
		for it.Next() {
			kv.SetIterKey(&it)
			ev.Elem().SetIterValue(&it)
			k := kv.String()
			if err := checkMapKey(k); err != nil {
				return nil, err
			}
			av, err := elem.enc(evp, depth+1)
			if err != nil {
				return nil, atField(err, opEncode, k)
			}
			if av == nil {
				av = nullAV()
			}
			m[k] = av
		}
		return &types.AttributeValueMemberM{Value: m}, nil
	}
	vc.dec = func(av types.AttributeValue, p unsafe.Pointer) error {
		a, ok := av.(*types.AttributeValueMemberM)
		if !ok || a == nil {
			return decodeOther(av, t, p)
		}
		mv := reflect.MakeMapWithSize(t, len(a.Value))
		kv := reflect.New(kt).Elem()
		ev := reflect.New(et)
		evp := ev.UnsafePointer()
		for k, x := range a.Value {
			if x == nil {
				continue
			}
			ev.Elem().SetZero()
			if err := elem.dec(x, evp); err != nil {
				return atField(err, opDecode, k)
			}
			kv.SetString(k)
			mv.SetMapIndex(kv, ev.Elem())
		}
		*(*unsafe.Pointer)(p) = mv.UnsafePointer()
		return nil
	}
	return vc, nil
}

var (
	stringType = reflect.TypeFor[string]()
	anyType    = reflect.TypeFor[any]()
)

// stringMapCodec is the fast path of map[string]string.
func stringMapCodec(t reflect.Type) *valueCodec {
	return &valueCodec{
		typ:   t,
		empty: func(p unsafe.Pointer) bool { return len(*(*map[string]string)(p)) == 0 },
		enc: func(p unsafe.Pointer, depth int) (types.AttributeValue, error) {
			src := *(*map[string]string)(p)
			if src == nil {
				return nil, nil
			}
			if nested(depth) {
				return nil, tooDeep()
			}
			m := make(map[string]types.AttributeValue, len(src))
			for k, v := range src {
				if err := checkMapKey(k); err != nil {
					return nil, err
				}
				if !utf8.ValidString(v) {
					return nil, atField(badUTF8(v), opEncode, k)
				}
				m[k] = &types.AttributeValueMemberS{Value: v}
			}
			return &types.AttributeValueMemberM{Value: m}, nil
		},
		dec: func(av types.AttributeValue, p unsafe.Pointer) error {
			a, ok := av.(*types.AttributeValueMemberM)
			if !ok || a == nil {
				return decodeOther(av, t, p)
			}
			m := make(map[string]string, len(a.Value))
			for k, x := range a.Value {
				switch v := x.(type) {
				case *types.AttributeValueMemberS:
					if v != nil {
						m[k] = v.Value
					}
				case *types.AttributeValueMemberNULL:
					m[k] = ""
				case nil:
				default:
					if !isTypedNil(x) {
						return atField(mismatch(x, stringType), opDecode, k)
					}
				}
			}
			*(*map[string]string)(p) = m
			return nil
		},
	}
}

// anyMapCodec is the fast path of map[string]any.
func anyMapCodec(t reflect.Type) *valueCodec {
	return &valueCodec{
		typ:   t,
		empty: func(p unsafe.Pointer) bool { return len(*(*map[string]any)(p)) == 0 },
		enc: func(p unsafe.Pointer, depth int) (types.AttributeValue, error) {
			src := *(*map[string]any)(p)
			if src == nil {
				return nil, nil
			}
			return encodeAnyMap(src, depth)
		},
		dec: func(av types.AttributeValue, p unsafe.Pointer) error {
			a, ok := av.(*types.AttributeValueMemberM)
			if !ok || a == nil {
				return decodeOther(av, t, p)
			}
			m, err := decodeAnyMap(a.Value)
			if err != nil {
				return err
			}
			*(*map[string]any)(p) = m
			return nil
		},
	}
}
