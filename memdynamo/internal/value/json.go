package value

import (
	"sort"
	"strings"

	"github.com/dynantic/dynantic/memdynamo/internal/wire"
)

// Nesting limits, as DynamoDB Local enforces them (verified): an item's attribute may nest L/M 31
// levels deep; an ExpressionAttributeValues entry one more.
const (
	MaxItemDepth  = 31
	MaxValueDepth = 32
)

// Messages DynamoDB sends for malformed AttributeValues (verified against DynamoDB Local).
const (
	MsgEmptyAV       = "Supplied AttributeValue is empty, must contain exactly one of the supported datatypes"
	MsgManyTypes     = "Supplied AttributeValue has more than one datatypes set, must contain exactly one of the supported datatypes"
	MsgEmptySS       = "One or more parameter values were invalid: An string set  may not be empty"
	MsgEmptyNS       = "One or more parameter values were invalid: An number set  may not be empty"
	MsgEmptyBS       = "One or more parameter values were invalid: Binary sets should not be empty"
	MsgNullSSMember  = "One or more parameter values were invalid: An string set may not have a null string as a member"
	MsgNullBSMember  = "One or more parameter values were invalid: A binary set may not have a null member"
	MsgDupNS         = "Input collection contains duplicates"
	MsgDupBS         = "One or more parameter values were invalid: Input collection of type BS contains duplicates."
	MsgNullFalse     = "One or more parameter values were invalid: Null attribute value types must have the value of true"
	MsgEmptyName     = "Empty attribute name"
	MsgNullAV        = "The supplied Item contains a null AttributeValue"
	MsgNesting       = "Nesting Levels have exceeded supported limits: Attributes in the item have nested levels beyond supported limit"
	MsgNestingShort  = "Nesting Levels have exceeded supported limits"
	msgInvalidBase64 = "Base64 encoded value is invalid"
)

// decoder carries the first validation error while the JSON is read to its end (a syntax or type
// error found later in the same request takes precedence: it is recorded on the Reader).
type decoder struct {
	r        *wire.Reader
	invalid  *wire.Error
	maxDepth int
}

func (d *decoder) fail(msg string) {
	if d.invalid == nil {
		d.invalid = wire.Validation(msg)
	}
}

// ReadJSON reads one wire AttributeValue (`{"S":"x"}`, `{"NS":["1"]}`, ...) from r, allowing L/M
// nesting up to maxDepth levels. Malformed JSON and wrong JSON types are recorded on r as
// SerializationExceptions; a well-formed but invalid value (no type or several, bad number, empty
// set, duplicate members, NULL false, empty map key, too deep) is returned as a
// ValidationException with DynamoDB's wording, after the whole value has been consumed. A JSON
// null is reported as MsgNullAV.
func ReadJSON(r *wire.Reader, maxDepth int) (Value, *wire.Error) {
	d := decoder{r: r, maxDepth: maxDepth}
	if r.Null() {
		return Value{}, wire.Validation(MsgNullAV)
	}
	v := d.value(0)
	if r.Error() != nil {
		return Value{}, r.Error()
	}
	if d.invalid != nil {
		return Value{}, d.invalid
	}
	return v, nil
}

// ReadItemJSON reads a JSON object of attribute name → AttributeValue (an Item, a Key, ...). A null
// member is "The supplied Item contains a null AttributeValue: NAME is null"; other errors as
// ReadJSON. A JSON null for the whole map returns a nil map and no error (the caller decides whether
// the member is required).
func ReadItemJSON(r *wire.Reader, maxDepth int) (Item, *wire.Error) {
	if r.Null() {
		return nil, nil
	}
	d := decoder{r: r, maxDepth: maxDepth}
	item := d.item(0)
	if r.Error() != nil {
		return nil, r.Error()
	}
	if d.invalid != nil {
		return nil, d.invalid
	}
	return item, nil
}

func (d *decoder) item(depth int) map[string]Value {
	r := d.r
	if !r.BeginObject() {
		return nil
	}
	m := make(map[string]Value)
	for {
		k, ok := r.NextKey()
		if !ok {
			break
		}
		name := string(k)
		if r.Null() {
			d.fail(MsgNullAV + ": " + name + " is null")
			continue
		}
		if name == "" {
			d.fail(MsgEmptyName)
		}
		v := d.value(depth)
		m[name] = v
	}
	return m
}

// value reads an AttributeValue object at the given nesting depth (0 for an attribute's own value).
func (d *decoder) value(depth int) Value {
	r := d.r
	if !r.BeginObject() {
		return Value{}
	}
	var v Value
	n := 0
	for {
		k, ok := r.NextKey()
		if !ok {
			break
		}
		if r.Null() {
			continue // a null member is an absent member
		}
		kind := kindOfKey(k)
		if kind == KindNone {
			r.Skip() // unknown members are ignored, as DynamoDB does
			continue
		}
		n++
		x := d.typed(kind, depth)
		if n == 1 {
			v = x
		}
	}
	switch {
	case n == 0:
		d.fail(MsgEmptyAV)
	case n > 1:
		d.fail(MsgManyTypes)
	}
	return v
}

func kindOfKey(k []byte) Kind {
	switch string(k) {
	case "S":
		return KindS
	case "N":
		return KindN
	case "B":
		return KindB
	case "BOOL":
		return KindBOOL
	case "NULL":
		return KindNULL
	case "M":
		return KindM
	case "L":
		return KindL
	case "SS":
		return KindSS
	case "NS":
		return KindNS
	case "BS":
		return KindBS
	}
	return KindNone
}

func (d *decoder) typed(kind Kind, depth int) Value {
	r := d.r
	switch kind {
	case KindS:
		return S(r.String())
	case KindN:
		b, ok := r.StringBytes()
		if !ok {
			return Value{}
		}
		dec, err := ParseDecimal(string(b))
		if err != nil {
			d.fail(err.(*wire.Error).Message)
			return Value{}
		}
		return N(dec)
	case KindB:
		return d.binary()
	case KindBOOL:
		return Bool(r.Bool())
	case KindNULL:
		if !r.Bool() && r.Error() == nil {
			d.fail(MsgNullFalse)
		}
		return Null()
	case KindM:
		if depth+1 > d.maxDepth {
			d.fail(MsgNesting)
		}
		return Value{kind: KindM, m: d.item(depth + 1)}
	case KindL:
		if depth+1 > d.maxDepth {
			d.fail(MsgNesting)
		}
		l := []Value{}
		if r.BeginArray() {
			for r.NextElem() {
				if r.Null() {
					d.fail(MsgNullAV)
					continue
				}
				l = append(l, d.value(depth+1))
			}
		}
		return Value{kind: KindL, l: l}
	default:
		return d.set(kind)
	}
}

func (d *decoder) binary() Value {
	b, ok := d.r.StringBytes()
	if !ok {
		return Value{}
	}
	out := make([]byte, b64.DecodedLen(len(b)))
	n, err := b64.Decode(out, b)
	if err != nil {
		d.r.Fail(wire.Serialization(msgInvalidBase64))
		return Value{}
	}
	return Value{kind: KindB, s: string(out[:n])}
}

func (d *decoder) set(kind Kind) Value {
	r := d.r
	if !r.BeginArray() {
		return Value{}
	}
	var members []Value
	var texts []string // SS members in input order, for the duplicates message
	nullMember := false
	for r.NextElem() {
		if r.Null() {
			nullMember = true
			continue
		}
		switch kind {
		case KindSS:
			s := r.String()
			members = append(members, S(s))
			texts = append(texts, s)
		case KindNS:
			b, ok := r.StringBytes()
			if !ok {
				continue
			}
			dec, err := ParseDecimal(string(b))
			if err != nil {
				d.fail(err.(*wire.Error).Message)
				continue
			}
			members = append(members, N(dec))
		case KindBS:
			members = append(members, d.binary())
		}
	}
	if r.Error() != nil {
		return Value{}
	}
	if nullMember {
		switch kind {
		case KindSS:
			d.fail(MsgNullSSMember)
		case KindNS:
			d.fail(MsgNotNumber)
		default:
			d.fail(MsgNullBSMember)
		}
		return Value{}
	}
	if len(members) == 0 {
		switch kind {
		case KindSS:
			d.fail(MsgEmptySS)
		case KindNS:
			d.fail(MsgEmptyNS)
		default:
			d.fail(MsgEmptyBS)
		}
		return Value{}
	}
	n := len(members)
	v := Set(kind, members)
	if len(v.l) != n {
		switch kind {
		case KindSS:
			d.fail("One or more parameter values were invalid: Input collection [" + strings.Join(texts, ", ") + "] contains duplicates")
		case KindNS:
			d.fail(MsgDupNS)
		default:
			d.fail(MsgDupBS)
		}
	}
	return v
}

// AppendJSON appends v in wire form (`{"S":"x"}`, ...). Empty L and M are written as `[]` and
// `{}`; numbers in canonical text; map members sorted by name, so the output is deterministic.
func AppendJSON(dst []byte, v Value) []byte {
	switch v.kind {
	case KindS:
		dst = append(dst, `{"S":`...)
		dst = wire.AppendString(dst, v.s)
	case KindN:
		dst = append(dst, `{"N":"`...)
		dst = v.Decimal().Append(dst)
		dst = append(dst, '"')
	case KindB:
		dst = append(dst, `{"B":`...)
		dst = appendBase64(dst, v.s)
	case KindBOOL:
		if v.flag {
			return append(dst, `{"BOOL":true}`...)
		}
		return append(dst, `{"BOOL":false}`...)
	case KindNULL:
		return append(dst, `{"NULL":true}`...)
	case KindM:
		dst = append(dst, `{"M":`...)
		dst = AppendItemJSON(dst, v.m)
	case KindL:
		dst = append(dst, `{"L":[`...)
		for i, e := range v.l {
			if i > 0 {
				dst = append(dst, ',')
			}
			dst = AppendJSON(dst, e)
		}
		dst = append(dst, ']')
	case KindSS, KindNS, KindBS:
		dst = append(dst, `{"`...)
		dst = append(dst, v.kind.String()...)
		dst = append(dst, `":[`...)
		for i, e := range v.l {
			if i > 0 {
				dst = append(dst, ',')
			}
			switch v.kind {
			case KindSS:
				dst = wire.AppendString(dst, e.s)
			case KindNS:
				dst = append(dst, '"')
				dst = e.Decimal().Append(dst)
				dst = append(dst, '"')
			default:
				dst = appendBase64(dst, e.s)
			}
		}
		dst = append(dst, ']')
	default:
		return append(dst, "null"...)
	}
	return append(dst, '}')
}

// AppendItemJSON appends an item (or an M value's members) as a JSON object, members sorted by name.
func AppendItemJSON(dst []byte, item map[string]Value) []byte {
	dst = append(dst, '{')
	var small [16]string
	names := small[:0]
	for k := range item {
		names = append(names, k)
	}
	sort.Strings(names)
	for i, k := range names {
		if i > 0 {
			dst = append(dst, ',')
		}
		dst = wire.AppendString(dst, k)
		dst = append(dst, ':')
		dst = AppendJSON(dst, item[k])
	}
	return append(dst, '}')
}

func appendBase64(dst []byte, s string) []byte {
	dst = append(dst, '"')
	n := b64.EncodedLen(len(s))
	start := len(dst)
	dst = append(dst, make([]byte, n)...)
	b64.Encode(dst[start:], []byte(s))
	return append(dst, '"')
}
