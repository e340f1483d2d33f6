package codec

import (
	"reflect"
	"sync"
	"sync/atomic"
	"unicode/utf8"
	"unsafe"

	"github.com/aws/aws-sdk-go-v2/service/dynamodb/types"

	"github.com/dynantic/dynantic/internal/schema"
)

// maxDepth is how many lists and maps DynamoDB lets an attribute's value
// nest: its documented 32 levels count the attribute itself, and DynamoDB
// Local refuses a 32nd list or map ("Nesting Levels have exceeded supported
// limits"). Encoding deeper values (typically a pointer cycle) fails
// instead of overflowing the stack, or being refused by DynamoDB.
const maxDepth = 31

// The depth passed to encoders counts nested lists and maps in its low bits
// and, in its high bits, interfaces passed through (hops), which catches
// cycles that go only through interfaces and pointers (a := any(nil); a = &a).
const (
	depthHop = 1 << 16
	maxHops  = 100
)

// nested reports whether a list or map at depth would nest too deep.
func nested(depth int) bool { return depth&(depthHop-1) >= maxDepth }

// encFunc encodes the value p points to. It returns a nil attribute value when
// the value is omitted (nil pointer, slice or map, empty set...). depth is the
// number of lists and maps the value is nested in.
type encFunc func(p unsafe.Pointer, depth int) (types.AttributeValue, error)

// decFunc decodes av into the value p points to. av is never nil (a typed nil
// member may still arrive and must be ignored).
type decFunc func(av types.AttributeValue, p unsafe.Pointer) error

// valueCodec is the compiled codec of one Go type with one set of options.
type valueCodec struct {
	typ   reflect.Type
	enc   encFunc
	dec   decFunc
	empty func(p unsafe.Pointer) bool // omitempty test

	// scalar is the set type of values that can be set members: 'S' and 'N'
	// (which have a text form, also used for set-map keys), 'B' ([]byte
	// kinds), or 0.
	scalar byte
	text   func(p unsafe.Pointer) (string, error) // the S or N text
	parse  func(s string, p unsafe.Pointer) error // from the S or N text

	// member says that enc always makes one attribute value of this type from
	// the value alone: memberS (S of text), memberN (N of text) or memberBOOL
	// (BOOL of the bool); 0 when enc does anything else (custom marshalers,
	// omitted values...). A plan encodes such fields into one array of
	// members per struct instead of one allocation per field.
	member byte

	// textDec says that dec, given an attribute value of one member type,
	// does exactly what parse does with its text (textS: an S, textN: an N)
	// or stores its bool (textBOOL), so a decoder reading DynamoDB's JSON
	// can skip the attribute value (see DecodeS). 0: no such shortcut.
	textDec byte
}

const (
	memberS byte = 1 + iota
	memberN
	memberBOOL
)

const (
	textS byte = 1 + iota
	textN
	textBOOL
)

// Plan is the compiled codec of one struct type.
type Plan struct {
	typ    reflect.Type
	model  string
	fields []*FieldCodec
	byName map[string]*FieldCodec

	// How many fields encode to each member type (see valueCodec.member).
	nS, nN, nBOOL int
}

// FieldCodec is the codec of one top-level attribute of a struct type.
type FieldCodec struct {
	schema.Field // embedded: Name, GoName, Type, Opts, ...

	model     string
	codec     *valueCodec
	omitEmpty bool
	pos       int       // index in the plan's fields
	steps     []ptrStep // for ViaPtr fields: the embedded pointers to follow
	last      uintptr   // for ViaPtr fields: offset after the last pointer
	indirect  bool      // an interface holding a Type holds a pointer to the value
}

// ptrStep is an embedded pointer on the way to a promoted field.
type ptrStep struct {
	offset uintptr      // of the pointer, from the struct reached so far
	elem   reflect.Type // the struct type it points to
}

type planEntry struct {
	plan *Plan
	err  error
}

var planCache sync.Map // reflect.Type -> planEntry

var keyKind atomic.Pointer[error]

// SetKeyError registers the error (dynantic.ErrInvalidKey) that encoding
// errors of key attributes match with errors.Is, besides being an *Error.
// Returns true (so it can be used in a package-level var initializer).
func SetKeyError(err error) bool {
	keyKind.Store(&err)
	return true
}

// PlanFor returns the cached plan of struct type t, compiling it (and the
// plans of nested struct types) on first use. A type that cannot be encoded
// (a field of chan, func, complex or unsafe.Pointer type, a map with
// non-string keys, a tag option that does not fit the field's type...) is
// reported as a *schema.Error naming the type and Go field.
func PlanFor(t reflect.Type) (*Plan, error) {
	if e, ok := planCache.Load(t); ok {
		e := e.(planEntry)
		return e.plan, e.err
	}
	if t == nil || t.Kind() != reflect.Struct {
		name := "<nil>"
		if t != nil {
			name = t.String()
		}
		return nil, &schema.Error{Model: name, Msg: "not a struct type"}
	}
	c := newCompiler()
	if _, err := c.plan(t); err != nil {
		e, _ := planCache.LoadOrStore(t, planEntry{err: err})
		return nil, e.(planEntry).err
	}
	c.publish()
	e, _ := planCache.Load(t)
	return e.(planEntry).plan, nil
}

// Type returns the struct type the plan encodes.
func (p *Plan) Type() reflect.Type { return p.typ }

// Field returns the codec of the top-level attribute named attr, or nil.
func (p *Plan) Field(attr string) *FieldCodec { return p.byName[attr] }

// Fields lists the top-level field codecs in struct order. The slice must not
// be modified.
func (p *Plan) Fields() []*FieldCodec { return p.fields }

// Encode encodes the struct that v points to. It returns an *Error naming the
// attribute when a value cannot be encoded (NaN, a bad dynantic.Number, a
// duplicate set member, a failing custom marshaler...).
func (p *Plan) Encode(v unsafe.Pointer) (map[string]types.AttributeValue, error) {
	m, err := p.encodeFields(v, 0)
	if err != nil {
		e := asError(err, opEncode)
		e.Model = p.model
		return nil, e
	}
	return m, nil
}

// Decode decodes item into the struct that v points to. Attributes the struct
// lacks are ignored; fields without an attribute are left as they are. It
// returns an *Error with the attribute path when a value does not fit its
// field.
func (p *Plan) Decode(item map[string]types.AttributeValue, v unsafe.Pointer) error {
	if err := p.decodeFields(item, v); err != nil {
		e := asError(err, opDecode)
		e.Model = p.model
		return e
	}
	return nil
}

func (p *Plan) encodeFields(v unsafe.Pointer, depth int) (map[string]types.AttributeValue, error) {
	m := make(map[string]types.AttributeValue, len(p.fields))
	// The S, N and BOOL values of the struct's scalar fields live in one
	// array per type: a few allocations per struct rather than one per
	// field. Appends never exceed the capacity, so the pointers stay valid.
	var ss []types.AttributeValueMemberS
	var ns []types.AttributeValueMemberN
	var bs []types.AttributeValueMemberBOOL
	if p.nS > 0 {
		ss = make([]types.AttributeValueMemberS, 0, p.nS)
	}
	if p.nN > 0 {
		ns = make([]types.AttributeValueMemberN, 0, p.nN)
	}
	if p.nBOOL > 0 {
		bs = make([]types.AttributeValueMemberBOOL, 0, p.nBOOL)
	}
	for _, f := range p.fields {
		fp := f.at(v)
		if fp == nil {
			continue // behind a nil embedded pointer
		}
		if f.omitEmpty && f.codec.empty(fp) {
			continue
		}
		switch f.codec.member {
		case memberS:
			s := *(*string)(fp)
			if !utf8.ValidString(s) {
				return nil, f.encodeErr(badUTF8(s), depth)
			}
			ss = append(ss, types.AttributeValueMemberS{Value: s})
			m[f.Name] = &ss[len(ss)-1]
			continue
		case memberN:
			text, err := f.codec.text(fp)
			if err != nil {
				return nil, f.encodeErr(err, depth)
			}
			ns = append(ns, types.AttributeValueMemberN{Value: text})
			m[f.Name] = &ns[len(ns)-1]
			continue
		case memberBOOL:
			bs = append(bs, types.AttributeValueMemberBOOL{Value: *(*bool)(fp)})
			m[f.Name] = &bs[len(bs)-1]
			continue
		}
		av, err := f.codec.enc(fp, depth)
		if err != nil {
			return nil, f.encodeErr(err, depth)
		}
		if av != nil {
			m[f.Name] = av
		}
	}
	return m, nil
}

// encodeErr puts the field's name in the path of an encoding error. At the
// top level (depth 0) the error of a key attribute (the table's or an
// index's) also matches the key sentinel (see SetKeyError): a key that
// cannot be encoded is an invalid key.
func (f *FieldCodec) encodeErr(err error, depth int) error {
	e := asError(atField(err, opEncode, f.Name), opEncode)
	if depth == 0 && f.Opts.IsKey() {
		if k := keyKind.Load(); k != nil {
			e.kind = *k
		}
	}
	return e
}

func (p *Plan) decodeFields(item map[string]types.AttributeValue, v unsafe.Pointer) error {
	for _, f := range p.fields {
		av := item[f.Name]
		if av == nil {
			continue
		}
		var fp unsafe.Pointer
		if f.ViaPtr {
			fp = f.reach(v, true)
		} else {
			fp = unsafe.Add(v, f.Offset)
		}
		if err := f.codec.dec(av, fp); err != nil {
			return atField(err, opDecode, f.Name)
		}
	}
	return nil
}

// reach returns a pointer to a field promoted through embedded pointers,
// allocating the embedded structs when alloc is set, or nil when one of them
// is nil and alloc is not set.
func (f *FieldCodec) reach(v unsafe.Pointer, alloc bool) unsafe.Pointer {
	for _, s := range f.steps {
		pp := (*unsafe.Pointer)(unsafe.Add(v, s.offset))
		if *pp == nil {
			if !alloc {
				return nil
			}
			*pp = reflect.New(s.elem).UnsafePointer()
		}
		v = *pp
	}
	return unsafe.Add(v, f.last)
}

// encodeAt encodes the field value at fp with the field's empty-value rules.
func (f *FieldCodec) encodeAt(fp unsafe.Pointer) (types.AttributeValue, error) {
	if f.omitEmpty && f.codec.empty(fp) {
		return nil, nil
	}
	av, err := f.codec.enc(fp, 0)
	if err != nil {
		e := f.encodeErr(err, 0).(*Error)
		e.Model = f.model
		return nil, e
	}
	return av, nil
}

// EncodeValue encodes v, which must be of type f.Type (the caller converts
// first). It returns (nil, nil) when the value is omitted by the empty-value
// rules, and an *Error when v has another type or cannot be encoded.
func (f *FieldCodec) EncodeValue(v reflect.Value) (types.AttributeValue, error) {
	if !v.IsValid() || v.Type() != f.Type || !v.CanInterface() {
		return nil, f.typeErr(opEncode, v)
	}
	var p unsafe.Pointer
	if v.CanAddr() {
		p = v.Addr().UnsafePointer()
	} else {
		tmp := reflect.New(f.Type)
		tmp.Elem().Set(v)
		p = tmp.UnsafePointer()
	}
	return f.encodeAt(p)
}

// EncodeAny encodes v like EncodeValue(reflect.ValueOf(v)), but when v
// holds exactly f.Type it reads the value where the interface keeps it
// instead of copying it out, so nothing is allocated besides the attribute
// value (keys and condition values take this path on every request).
func (f *FieldCodec) EncodeAny(v any) (types.AttributeValue, error) {
	if !f.indirect || reflect.TypeOf(v) != f.Type {
		return f.EncodeValue(reflect.ValueOf(v))
	}
	return f.encodeAt(efaceData(v))
}

// EncodeKeyAny is EncodeKey (no omitempty rule) for a value held in an
// interface, read in place like EncodeAny.
func (f *FieldCodec) EncodeKeyAny(v any) (types.AttributeValue, error) {
	if !f.indirect || reflect.TypeOf(v) != f.Type {
		return f.EncodeKey(reflect.ValueOf(v))
	}
	if !f.omitEmpty {
		return f.encodeAt(efaceData(v))
	}
	g := *f
	g.omitEmpty = false
	return g.encodeAt(efaceData(v))
}

// EncodeKeyTo is EncodeKeyAny for a field whose codec makes an S attribute
// value of the value's text alone (a string kind without a custom
// marshaler), given a value of the field's type: it writes the value into
// dst and returns dst, so that the caller can allocate dst together with
// something else. ok is false for any other field or value; the caller then
// uses EncodeKeyAny.
func (f *FieldCodec) EncodeKeyTo(v any, dst *types.AttributeValueMemberS) (av types.AttributeValue, ok bool, err error) {
	if f.codec.member != memberS || !f.indirect || reflect.TypeOf(v) != f.Type {
		return nil, false, nil
	}
	s, err := f.codec.text(efaceData(v))
	if err != nil {
		e := f.encodeErr(err, 0).(*Error)
		e.Model = f.model
		return nil, true, e
	}
	dst.Value = s
	return dst, true, nil
}

// efaceData returns the data word of an interface value: for types that are
// not pointer-shaped (see indirectInIface), a pointer to the value it holds.
// The value must only be read through it.
func efaceData(v any) unsafe.Pointer {
	return (*[2]unsafe.Pointer)(unsafe.Pointer(&v))[1]
}

// indirectInIface reports whether an interface holding a value of type t
// stores a pointer to a copy of the value in its data word (rather than the
// value itself, which only pointer-shaped types do). It errs on the side of
// false: a false answer only costs EncodeAny a copy.
func indirectInIface(t reflect.Type) bool {
	switch t.Kind() {
	case reflect.Bool, reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64,
		reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64, reflect.Uintptr,
		reflect.Float32, reflect.Float64, reflect.Complex64, reflect.Complex128,
		reflect.String, reflect.Slice:
		return true
	case reflect.Struct, reflect.Array:
		// Only a struct or array that is exactly one pointer-shaped word is
		// stored directly; anything of another size cannot be.
		return t.Size() != unsafe.Sizeof(uintptr(0))
	}
	return false
}

// EncodeFrom reads the field out of the struct that v points to and encodes
// it (nil, nil when omitted, including when the field sits behind a nil
// embedded pointer). It returns an *Error when the value cannot be encoded.
func (f *FieldCodec) EncodeFrom(v unsafe.Pointer) (types.AttributeValue, error) {
	fp := f.at(v)
	if fp == nil {
		return nil, nil
	}
	return f.encodeAt(fp)
}

// at returns a pointer to the field in the struct v points to, or nil when
// it sits behind a nil embedded pointer. (Offset is meaningless for fields
// reached through embedded pointers: adding it could point outside the
// struct, which checkptr rightly rejects.)
func (f *FieldCodec) at(v unsafe.Pointer) unsafe.Pointer {
	if f.ViaPtr {
		return f.reach(v, false)
	}
	return unsafe.Add(v, f.Offset)
}

// DecodeValue decodes av into dst, a settable value of type f.Type. It
// returns an *Error when dst is not such a value or av does not fit it.
func (f *FieldCodec) DecodeValue(av types.AttributeValue, dst reflect.Value) error {
	if !dst.IsValid() || dst.Type() != f.Type || !dst.CanSet() {
		return f.typeErr(opDecode, dst)
	}
	if av == nil {
		return nil
	}
	if err := f.codec.dec(av, dst.Addr().UnsafePointer()); err != nil {
		e := asError(atField(err, opDecode, f.Name), opDecode)
		e.Model = f.model
		return e
	}
	return nil
}

func (f *FieldCodec) typeErr(op string, v reflect.Value) error {
	got := "invalid value"
	switch {
	case !v.IsValid():
	case op == opDecode && !v.CanSet():
		got = "unsettable " + v.Type().String()
	case !v.CanInterface():
		got = "unexported " + v.Type().String()
	default:
		got = v.Type().String()
	}
	return &Error{Op: op, Model: f.model, Path: f.Name, Msg: "got " + got + ", want " + f.Type.String()}
}
