// Package value is the engine's model of DynamoDB attribute values: the Value type (S, N, B, BOOL,
// NULL, M, L, SS, NS, BS), an exact 38-digit Decimal for numbers, strict decoding of the wire JSON
// AttributeValue and encoding back, DynamoDB's ordering and equality, a typed order-preserving key
// encoding for B-tree keys, DynamoDB's item-size rule and a compact binary form for stored items.
//
// Values are immutable once built: functions that change a value return a new one, and the maps
// and slices a Value exposes must not be modified by callers.
package value

import (
	"encoding/base64"
	"sort"
	"strings"
)

// Kind is the DynamoDB data type of a Value.
type Kind uint8

// The DynamoDB data types. The zero Kind marks an absent value.
const (
	KindNone Kind = iota
	KindS
	KindN
	KindB
	KindBOOL
	KindNULL
	KindM
	KindL
	KindSS
	KindNS
	KindBS
)

var kindNames = [...]string{"", "S", "N", "B", "BOOL", "NULL", "M", "L", "SS", "NS", "BS"}

// String returns the wire name of k ("S", "N", ..., "BS"), "" for KindNone.
func (k Kind) String() string {
	if int(k) < len(kindNames) {
		return kindNames[k]
	}
	return "?"
}

// KindOf returns the Kind whose wire name is name, or KindNone.
func KindOf(name string) Kind {
	for i, n := range kindNames {
		if i > 0 && n == name {
			return Kind(i)
		}
	}
	return KindNone
}

// IsSet reports whether k is SS, NS or BS.
func (k Kind) IsSet() bool { return k == KindSS || k == KindNS || k == KindBS }

// Elem returns the member kind of a set kind (S for SS, ...), KindNone otherwise.
func (k Kind) Elem() Kind {
	switch k {
	case KindSS:
		return KindS
	case KindNS:
		return KindN
	case KindBS:
		return KindB
	}
	return KindNone
}

// SetOfKind returns the set kind whose members are k (SS for S, ...), KindNone otherwise.
func SetOfKind(k Kind) Kind {
	switch k {
	case KindS:
		return KindSS
	case KindN:
		return KindNS
	case KindB:
		return KindBS
	}
	return KindNone
}

// Value is one DynamoDB attribute value. The zero Value is absent (KindNone).
type Value struct {
	kind Kind
	flag bool    // BOOL: the boolean; N: negative
	exp  int32   // N: exponent of the last significant digit
	s    string  // S: the text; B: the bytes; N: the significant digits
	l    []Value // L: the elements; SS/NS/BS: the members, sorted, distinct
	m    map[string]Value
}

// Item is a DynamoDB item: attribute name to value.
type Item = map[string]Value

// Kind returns v's data type (KindNone when v is absent).
func (v Value) Kind() Kind { return v.kind }

// IsNone reports whether v is absent.
func (v Value) IsNone() bool { return v.kind == KindNone }

// S returns a string value.
func S(s string) Value { return Value{kind: KindS, s: s} }

// N returns a number value.
func N(d Decimal) Value { return Value{kind: KindN, s: d.digits, exp: d.exp, flag: d.neg} }

// ParseN parses a number as DynamoDB does and returns it as a value; errors as ParseDecimal.
func ParseN(s string) (Value, error) {
	d, err := ParseDecimal(s)
	if err != nil {
		return Value{}, err
	}
	return N(d), nil
}

// B returns a binary value holding a copy of b.
func B(b []byte) Value { return Value{kind: KindB, s: string(b)} }

// BString returns a binary value whose bytes are those of s.
func BString(s string) Value { return Value{kind: KindB, s: s} }

// Bool returns a BOOL value.
func Bool(b bool) Value { return Value{kind: KindBOOL, flag: b} }

// Null returns the NULL value.
func Null() Value { return Value{kind: KindNULL, flag: true} }

// M returns a map value. The map is used as is, not copied.
func M(m map[string]Value) Value {
	if m == nil {
		m = map[string]Value{}
	}
	return Value{kind: KindM, m: m}
}

// L returns a list value. The slice is used as is, not copied.
func L(l []Value) Value {
	if l == nil {
		l = []Value{}
	}
	return Value{kind: KindL, l: l}
}

// Set returns a set of kind (SS, NS or BS) holding members (of the matching scalar kind), sorted
// and without duplicates. The slice may be reordered. An empty members slice gives an empty set,
// which DynamoDB never stores: callers remove the attribute instead.
func Set(kind Kind, members []Value) Value {
	sortMembers(members)
	out := members[:0]
	for i, m := range members {
		if i > 0 && Equal(m, out[len(out)-1]) {
			continue
		}
		out = append(out, m)
	}
	return Value{kind: kind, l: out}
}

// SS returns a string set of the given members (deduplicated, sorted).
func SS(members ...string) Value {
	vs := make([]Value, len(members))
	for i, m := range members {
		vs[i] = S(m)
	}
	return Set(KindSS, vs)
}

// Str returns the text of an S value ("" for other kinds).
func (v Value) Str() string {
	if v.kind == KindS {
		return v.s
	}
	return ""
}

// Bytes returns the bytes of a B value as a string (no copy; "" for other kinds).
func (v Value) Bytes() string {
	if v.kind == KindB {
		return v.s
	}
	return ""
}

// Decimal returns the number of an N value (zero for other kinds).
func (v Value) Decimal() Decimal {
	if v.kind == KindN {
		return Decimal{digits: v.s, exp: v.exp, neg: v.flag}
	}
	return Decimal{}
}

// Bool returns the boolean of a BOOL value (false for other kinds).
func (v Value) Bool() bool { return v.kind == KindBOOL && v.flag }

// Map returns the members of an M value (nil for other kinds). Callers must not modify it.
func (v Value) Map() map[string]Value {
	if v.kind == KindM {
		return v.m
	}
	return nil
}

// List returns the elements of an L value (nil for other kinds). Callers must not modify it.
func (v Value) List() []Value {
	if v.kind == KindL {
		return v.l
	}
	return nil
}

// Members returns the members of a set value in DynamoDB's order (S by UTF-8 bytes, N numerically,
// B by unsigned bytes), nil for other kinds. Callers must not modify it.
func (v Value) Members() []Value {
	if v.kind.IsSet() {
		return v.l
	}
	return nil
}

// Len returns the number of elements of an L, M or set value, 0 otherwise.
func (v Value) Len() int {
	switch v.kind {
	case KindM:
		return len(v.m)
	case KindL, KindSS, KindNS, KindBS:
		return len(v.l)
	}
	return 0
}

// Contains reports whether set v has member m (false when v is not a set of m's kind).
func (v Value) Contains(m Value) bool {
	if v.kind.Elem() != m.kind || m.kind == KindNone {
		return false
	}
	i := sort.Search(len(v.l), func(i int) bool { c, _ := Compare(v.l[i], m); return c >= 0 })
	return i < len(v.l) && Equal(v.l[i], m)
}

// Union returns the set holding the members of a and b (same set kind).
func Union(a, b Value) Value {
	out := make([]Value, 0, len(a.l)+len(b.l))
	out = append(out, a.l...)
	out = append(out, b.l...)
	return Set(a.kind, out)
}

// Difference returns the members of set a that are not in set b; the result may be empty (which
// DynamoDB turns into removing the attribute).
func Difference(a, b Value) Value {
	out := make([]Value, 0, len(a.l))
	for _, m := range a.l {
		if !b.Contains(m) {
			out = append(out, m)
		}
	}
	return Value{kind: a.kind, l: out}
}

func sortMembers(ms []Value) {
	sort.Slice(ms, func(i, j int) bool { c, _ := Compare(ms[i], ms[j]); return c < 0 })
}

// Equal reports whether a and b are the same DynamoDB value: same kind, numbers by value, sets by
// membership, lists elementwise, maps memberwise.
func Equal(a, b Value) bool {
	if a.kind != b.kind {
		return false
	}
	switch a.kind {
	case KindNone:
		return true
	case KindS, KindB:
		return a.s == b.s
	case KindN:
		return a.s == b.s && a.exp == b.exp && a.flag == b.flag
	case KindBOOL, KindNULL:
		return a.flag == b.flag
	case KindM:
		if len(a.m) != len(b.m) {
			return false
		}
		for k, av := range a.m {
			bv, ok := b.m[k]
			if !ok || !Equal(av, bv) {
				return false
			}
		}
		return true
	default: // L and sets (sets are kept sorted and distinct)
		if len(a.l) != len(b.l) {
			return false
		}
		for i := range a.l {
			if !Equal(a.l[i], b.l[i]) {
				return false
			}
		}
		return true
	}
}

// Compare orders two values of the same scalar kind the way DynamoDB does: N numerically, S by
// UTF-8 bytes, B by unsigned bytes. ok is false when the kinds differ or are not S, N or B (a
// comparison DynamoDB evaluates to false).
func Compare(a, b Value) (c int, ok bool) {
	if a.kind != b.kind {
		return 0, false
	}
	switch a.kind {
	case KindS, KindB:
		return strings.Compare(a.s, b.s), true
	case KindN:
		return a.Decimal().Cmp(b.Decimal()), true
	}
	return 0, false
}

// Depth returns the nesting depth of v: 0 for a scalar or set, 1 + the deepest element for L and M.
func Depth(v Value) int {
	d := 0
	switch v.kind {
	case KindL:
		for _, e := range v.l {
			if x := Depth(e) + 1; x > d {
				d = x
			}
		}
		if d == 0 {
			d = 1
		}
	case KindM:
		for _, e := range v.m {
			if x := Depth(e) + 1; x > d {
				d = x
			}
		}
		if d == 0 {
			d = 1
		}
	}
	return d
}

// String returns v in DynamoDB's JSON form, for messages and debugging.
func (v Value) String() string { return string(AppendJSON(nil, v)) }

// GoString returns a short Go-like form for test failures.
func (v Value) GoString() string { return v.String() }

var b64 = base64.StdEncoding
