package codec

import (
	"reflect"
	"unsafe"

	"github.com/aws/aws-sdk-go-v2/service/dynamodb/types"

	"github.com/dynantic/dynantic/internal/schema"
)

// isNumber recognises dynantic.Number. It is a variable so that tests can
// recognise a local stand-in type.
var isNumber = schema.IsNumber

// compiler builds the plans and codecs of one PlanFor (or dynamic) call.
// Plans and codecs under construction are registered before their fields are
// compiled, so recursive types find their own placeholder; nothing is
// published to the cache unless the whole compilation succeeds.
type compiler struct {
	plans  map[reflect.Type]*Plan
	order  []*Plan
	codecs map[codecKey]*valueCodec
}

type codecKey struct {
	t     reflect.Type
	flags uint8
}

const (
	flagSet uint8 = 1 << iota
	flagUnix
	flagTTL
)

func newCompiler() *compiler {
	return &compiler{plans: map[reflect.Type]*Plan{}, codecs: map[codecKey]*valueCodec{}}
}

// publish stores the plans compiled by c in the global cache.
func (c *compiler) publish() {
	for _, p := range c.order {
		planCache.LoadOrStore(p.typ, planEntry{plan: p})
	}
}

// compileError is a problem with a field's type, turned into a *schema.Error
// naming the field by the plan that owns the field.
type compileError string

func (e compileError) Error() string { return string(e) }

func modelName(t reflect.Type) string {
	if n := t.Name(); n != "" {
		return n
	}
	return t.String()
}

func (c *compiler) plan(t reflect.Type) (*Plan, error) {
	if e, ok := planCache.Load(t); ok {
		e := e.(planEntry)
		return e.plan, e.err
	}
	if p := c.plans[t]; p != nil {
		return p, nil
	}
	p := &Plan{typ: t, model: modelName(t)}
	c.plans[t] = p
	c.order = append(c.order, p)
	fs, err := schema.Fields(t)
	if err != nil {
		return nil, err
	}
	p.fields = make([]*FieldCodec, len(fs))
	p.byName = make(map[string]*FieldCodec, len(fs))
	for i := range fs {
		f := &fs[i]
		vc, err := c.value(f.Type, f.Opts)
		if err != nil {
			if ce, ok := err.(compileError); ok {
				return nil, &schema.Error{Model: p.model, Field: f.GoName, Msg: string(ce)}
			}
			return nil, err
		}
		fc := &FieldCodec{Field: *f, model: p.model, codec: vc, pos: i, omitEmpty: f.Opts.OmitEmpty, indirect: indirectInIface(f.Type)}
		if f.ViaPtr {
			fc.steps, fc.last = pointerSteps(t, f.Index)
		}
		p.fields[i] = fc
		p.byName[f.Name] = fc
		// Scalar codecs are complete here (only structs, pointers and
		// collections can be placeholders of a recursive type).
		switch vc.member {
		case memberS:
			p.nS++
		case memberN:
			p.nN++
		case memberBOOL:
			p.nBOOL++
		}
	}
	return p, nil
}

// pointerSteps lists the embedded pointers on the index path of a promoted
// field and the field's offset in the last struct reached.
func pointerSteps(t reflect.Type, index []int) ([]ptrStep, uintptr) {
	var steps []ptrStep
	var off uintptr
	for i, x := range index {
		sf := t.Field(x)
		off += sf.Offset
		if i == len(index)-1 {
			break
		}
		t = sf.Type
		if t.Kind() == reflect.Pointer {
			t = t.Elem()
			steps = append(steps, ptrStep{offset: off, elem: t})
			off = 0
		}
	}
	return steps, off
}

// value returns the codec of type t under options o (only set, unixtime and
// ttl matter here; omitempty is applied by the field).
func (c *compiler) value(t reflect.Type, o schema.Options) (*valueCodec, error) {
	key := codecKey{t: t}
	if o.Set {
		key.flags |= flagSet
	}
	if o.UnixTime {
		key.flags |= flagUnix
	}
	if o.TTL {
		key.flags |= flagTTL
	}
	if vc := c.codecs[key]; vc != nil {
		return vc, nil // compiled, or a placeholder for a recursive type
	}
	vc := &valueCodec{typ: t}
	c.codecs[key] = vc
	built, err := c.build(t, o)
	if err != nil {
		delete(c.codecs, key)
		return nil, err
	}
	*vc = *built
	return vc, nil
}

func optionName(o schema.Options) string {
	switch {
	case o.Set:
		return "set"
	case o.UnixTime:
		return "unixtime"
	case o.TTL:
		return "ttl"
	}
	return ""
}

func (c *compiler) build(t reflect.Type, o schema.Options) (*valueCodec, error) {
	switch t.Kind() {
	case reflect.Pointer:
		return c.pointer(t, o)
	case reflect.Interface:
		if opt := optionName(o); opt != "" {
			return nil, compileError("the " + opt + " option does not apply to interface type " + t.String())
		}
		return interfaceCodec(t), nil
	}
	enc, dec := customEncoder(t), customDecoder(t)
	if enc != nil && dec != nil {
		if opt := optionName(o); opt != "" {
			return nil, compileError("the " + opt + " option does not apply to " + t.String() + ", which has a custom marshaler")
		}
		return &valueCodec{typ: t, enc: enc, dec: dec, empty: zeroTest(t)}, nil
	}
	vc, err := c.plain(t, o)
	if err != nil {
		return nil, err
	}
	if enc != nil || dec != nil {
		cp := *vc
		if enc != nil {
			cp.enc = enc
		}
		if dec != nil {
			cp.dec = dec
		}
		cp.scalar, cp.text, cp.parse, cp.member, cp.textDec = 0, nil, nil, 0, 0
		vc = &cp
	}
	return vc, nil
}

// plain compiles the built-in encoding of t.
func (c *compiler) plain(t reflect.Type, o schema.Options) (*valueCodec, error) {
	k := t.Kind()
	switch {
	case o.Set:
		return c.set(t)
	case o.UnixTime || o.TTL:
		if schema.IsTime(t) {
			return unixTimeCodec(t), nil
		}
		if o.TTL && !o.UnixTime && schema.IsInteger(k) {
			vc := integerCodec(t)
			cp := *vc
			cp.enc = omitZero(vc.enc, vc.empty)
			cp.member = 0 // zero is omitted
			return &cp, nil
		}
		want := "time.Time"
		if !o.UnixTime {
			want = "time.Time or an integer"
		}
		return nil, compileError("the " + optionName(o) + " option needs a " + want + " field, not " + t.String())
	case schema.IsTime(t):
		return timeCodec(t), nil
	case isNumber(t):
		return numberCodec(t), nil
	}
	switch k {
	case reflect.Bool:
		return boolCodec(t), nil
	case reflect.String:
		return stringCodec(t), nil
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64,
		reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64:
		return integerCodec(t), nil
	case reflect.Float32:
		return floatCodec[float32](t), nil
	case reflect.Float64:
		return floatCodec[float64](t), nil
	case reflect.Slice:
		if isByte(t.Elem()) {
			return bytesCodec(t), nil
		}
		return c.slice(t)
	case reflect.Array:
		if isByte(t.Elem()) {
			return byteArrayCodec(t), nil
		}
		return c.array(t)
	case reflect.Map:
		if isEmptyStruct(t.Elem()) {
			return c.mapSet(t)
		}
		if t.Key().Kind() != reflect.String {
			return nil, compileError("unsupported map key type " + t.Key().String() + " in " + t.String() + ": keys must be strings (or map[K]struct{} for a set)")
		}
		return c.mapCodec(t)
	case reflect.Struct:
		return c.structCodec(t)
	}
	return nil, compileError("unsupported type " + t.String())
}

// isByte reports whether a slice or array of t is a binary value.
func isByte(t reflect.Type) bool {
	return t.Kind() == reflect.Uint8 && !schema.HasMarshaler(t)
}

func isEmptyStruct(t reflect.Type) bool {
	return t.Kind() == reflect.Struct && t.NumField() == 0
}

func omitZero(enc encFunc, empty func(unsafe.Pointer) bool) encFunc {
	return func(p unsafe.Pointer, depth int) (types.AttributeValue, error) {
		if empty(p) {
			return nil, nil
		}
		return enc(p, depth)
	}
}

func (c *compiler) pointer(t reflect.Type, o schema.Options) (*valueCodec, error) {
	et := t.Elem()
	for e := et; e.Kind() == reflect.Pointer; e = e.Elem() {
		if e == t {
			return nil, compileError("unsupported recursive pointer type " + t.String())
		}
	}
	elem, err := c.value(et, o)
	if err != nil {
		return nil, err
	}
	return &valueCodec{
		typ: t,
		enc: func(p unsafe.Pointer, depth int) (types.AttributeValue, error) {
			q := *(*unsafe.Pointer)(p)
			if q == nil {
				return nil, nil
			}
			return elem.enc(q, depth)
		},
		dec: func(av types.AttributeValue, p unsafe.Pointer) error {
			if isNull(av) {
				*(*unsafe.Pointer)(p) = nil
				return nil
			}
			if isTypedNil(av) {
				return nil
			}
			q := reflect.New(et).UnsafePointer()
			if err := elem.dec(av, q); err != nil {
				return err
			}
			*(*unsafe.Pointer)(p) = q
			return nil
		},
		empty: isNilPointer,
	}, nil
}

func isNilPointer(p unsafe.Pointer) bool { return *(*unsafe.Pointer)(p) == nil }

func (c *compiler) structCodec(t reflect.Type) (*valueCodec, error) {
	plan, err := c.plan(t)
	if err != nil {
		return nil, err
	}
	return &valueCodec{
		typ: t,
		enc: func(p unsafe.Pointer, depth int) (types.AttributeValue, error) {
			if nested(depth) {
				return nil, tooDeep()
			}
			m, err := plan.encodeFields(p, depth+1)
			if err != nil {
				return nil, err
			}
			return &types.AttributeValueMemberM{Value: m}, nil
		},
		dec: func(av types.AttributeValue, p unsafe.Pointer) error {
			if m, ok := av.(*types.AttributeValueMemberM); ok && m != nil {
				return plan.decodeFields(m.Value, p)
			}
			return decodeOther(av, t, p)
		},
		empty: zeroTest(t),
	}, nil
}

func tooDeep() error {
	return encErr("value nests lists and maps more than 31 deep (DynamoDB's limit of 32 levels counts the attribute), or interfaces more than 100 deep (a pointer cycle?)")
}

// zeroTest returns a reflection-based zero-value test for omitempty.
func zeroTest(t reflect.Type) func(unsafe.Pointer) bool {
	return func(p unsafe.Pointer) bool { return reflect.NewAt(t, p).Elem().IsZero() }
}

// isNull reports whether av is a NULL attribute value.
func isNull(av types.AttributeValue) bool {
	_, ok := av.(*types.AttributeValueMemberNULL)
	return ok
}

// isTypedNil reports whether av is a nil pointer to a member type.
func isTypedNil(av types.AttributeValue) bool {
	v := reflect.ValueOf(av)
	return v.Kind() == reflect.Pointer && v.IsNil()
}

// decodeOther handles, for a decoder of type t, the attribute values it does
// not take itself: NULL sets the zero value, a typed nil is ignored, anything
// else is a type mismatch.
func decodeOther(av types.AttributeValue, t reflect.Type, p unsafe.Pointer) error {
	if isNull(av) {
		reflect.NewAt(t, p).Elem().SetZero()
		return nil
	}
	if isTypedNil(av) {
		return nil
	}
	return mismatch(av, t)
}

func mismatch(av types.AttributeValue, t reflect.Type) error {
	return decErr("cannot decode " + avName(av) + " into " + t.String())
}
