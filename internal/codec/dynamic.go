package codec

import (
	"bytes"
	"reflect"
	"strconv"
	"sync"
	"sync/atomic"
	"time"
	"unicode/utf8"
	"unsafe"

	"github.com/aws/aws-sdk-go-v2/service/dynamodb/types"

	"github.com/dynantic/dynantic/internal/schema"
)

var numberType atomic.Pointer[reflect.Type]

// SetNumberType registers the dynantic.Number type so that N decoded into an
// interface{} becomes a Number (until registered, a string). Returns true (so
// it can be used in a package-level var initializer).
func SetNumberType(t reflect.Type) bool {
	if t == nil || t.Kind() != reflect.String {
		panic("codec: SetNumberType needs a string-kinded type")
	}
	numberType.Store(&t)
	return true
}

type dynEntry struct {
	vc  *valueCodec
	err error
}

var dynCache sync.Map // reflect.Type -> dynEntry

// dynamicCodec returns the option-less codec of t, for values met at run
// time (in interfaces, Marshal, Unmarshal).
func dynamicCodec(t reflect.Type, op string) (*valueCodec, error) {
	e, ok := dynCache.Load(t)
	if !ok {
		c := newCompiler()
		vc, err := c.value(t, schema.Options{})
		if err == nil {
			c.publish()
		}
		e, _ = dynCache.LoadOrStore(t, dynEntry{vc: vc, err: err})
	}
	d := e.(dynEntry)
	if d.err != nil {
		if ce, ok := d.err.(compileError); ok {
			return nil, &Error{Op: op, Msg: string(ce)}
		}
		return nil, &Error{Op: op, Msg: "cannot " + op + " " + t.String(), Err: d.err}
	}
	return d.vc, nil
}

// Marshal encodes any Go value (used for condition values and `any` fields):
// same rules as fields with no tag options; nil (untyped or nil
// pointer/map/slice) → NULL; a struct → M through its plan. It returns an
// *Error when the value cannot be encoded (an unsupported type, NaN...).
func Marshal(v any) (types.AttributeValue, error) {
	av, err := encodeDynamic(v, 0)
	if err != nil {
		e := asError(err, opEncode)
		e.Model = structName(v)
		return nil, e
	}
	if av == nil {
		return nullAV(), nil
	}
	return av, nil
}

// Unmarshal decodes av into the value out points to. It returns an *Error
// when out is not a non-nil pointer or av does not fit the value's type.
func Unmarshal(av types.AttributeValue, out any) error {
	rv := reflect.ValueOf(out)
	if rv.Kind() != reflect.Pointer || rv.IsNil() {
		got := "nil"
		if out != nil {
			got = rv.Type().String()
		}
		return &Error{Op: opDecode, Msg: "Unmarshal needs a non-nil pointer, got " + got}
	}
	if av == nil {
		return nil
	}
	vc, err := dynamicCodec(rv.Type().Elem(), opDecode)
	if err == nil {
		err = vc.dec(av, rv.UnsafePointer())
	}
	if err != nil {
		e := asError(err, opDecode)
		e.Model = structName(out)
		return e
	}
	return nil
}

// structName is the model name of v (through pointers) when it is a plain
// struct, else "".
func structName(v any) string {
	t := reflect.TypeOf(v)
	for t != nil && t.Kind() == reflect.Pointer {
		t = t.Elem()
	}
	if t == nil || t.Kind() != reflect.Struct || schema.IsTime(t) || schema.HasMarshaler(t) {
		return ""
	}
	return modelName(t)
}

// encodeDynamic encodes a value by its run-time type; nil is omitted.
func encodeDynamic(v any, depth int) (types.AttributeValue, error) {
	switch x := v.(type) {
	case nil:
		return nil, nil
	case string:
		if !utf8.ValidString(x) {
			return nil, badUTF8(x)
		}
		return &types.AttributeValueMemberS{Value: x}, nil
	case bool:
		return &types.AttributeValueMemberBOOL{Value: x}, nil
	case int:
		return &types.AttributeValueMemberN{Value: strconv.Itoa(x)}, nil
	case int64:
		return &types.AttributeValueMemberN{Value: strconv.FormatInt(x, 10)}, nil
	case float64:
		s, err := formatFloat(x, 64)
		if err != nil {
			return nil, err
		}
		return &types.AttributeValueMemberN{Value: s}, nil
	case []byte:
		if x == nil {
			return nil, nil
		}
		return &types.AttributeValueMemberB{Value: bytes.Clone(x)}, nil
	case []any:
		if x == nil {
			return nil, nil
		}
		return encodeAnyList(x, depth)
	case map[string]any:
		if x == nil {
			return nil, nil
		}
		return encodeAnyMap(x, depth)
	case time.Time:
		s, err := formatTime(x)
		if err != nil {
			return nil, err
		}
		return &types.AttributeValueMemberS{Value: s}, nil
	}
	rv := reflect.ValueOf(v)
	t := rv.Type()
	if t.Kind() == reflect.Pointer {
		if rv.IsNil() {
			return nil, nil
		}
		vc, err := dynamicCodec(t.Elem(), opEncode)
		if err != nil {
			return nil, err
		}
		return vc.enc(rv.UnsafePointer(), depth)
	}
	vc, err := dynamicCodec(t, opEncode)
	if err != nil {
		return nil, err
	}
	tmp := reflect.New(t)
	tmp.Elem().Set(rv)
	return vc.enc(tmp.UnsafePointer(), depth)
}

func encodeAnyList(src []any, depth int) (types.AttributeValue, error) {
	if nested(depth) {
		return nil, tooDeep()
	}
	l := make([]types.AttributeValue, len(src))
	for i, v := range src {
		av, err := encodeDynamic(v, depth+1)
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

func encodeAnyMap(src map[string]any, depth int) (types.AttributeValue, error) {
	if nested(depth) {
		return nil, tooDeep()
	}
	m := make(map[string]types.AttributeValue, len(src))
	for k, v := range src {
		if err := checkMapKey(k); err != nil {
			return nil, err
		}
		av, err := encodeDynamic(v, depth+1)
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

// decodeAny decodes av into its natural Go value: S → string, N → Number
// (once registered) or string, B → []byte, BOOL → bool, NULL → nil,
// L → []any, M → map[string]any, SS → []string, NS → []Number or []string,
// BS → [][]byte.
func decodeAny(av types.AttributeValue) (any, error) {
	switch a := av.(type) {
	case *types.AttributeValueMemberS:
		if a != nil {
			return a.Value, nil
		}
	case *types.AttributeValueMemberN:
		if a != nil {
			if msg := checkNumber(a.Value); msg != "" {
				return nil, badNumber(a.Value, anyType, msg)
			}
			return numberValue(a.Value), nil
		}
	case *types.AttributeValueMemberB:
		if a != nil {
			return append([]byte{}, a.Value...), nil
		}
	case *types.AttributeValueMemberBOOL:
		if a != nil {
			return a.Value, nil
		}
	case *types.AttributeValueMemberNULL:
		return nil, nil
	case *types.AttributeValueMemberL:
		if a != nil {
			l := make([]any, len(a.Value))
			for i, x := range a.Value {
				if x == nil {
					continue
				}
				v, err := decodeAny(x)
				if err != nil {
					return nil, atIndex(err, opDecode, i)
				}
				l[i] = v
			}
			return l, nil
		}
	case *types.AttributeValueMemberM:
		if a != nil {
			return decodeAnyMap(a.Value)
		}
	case *types.AttributeValueMemberSS:
		if a != nil {
			return append([]string{}, a.Value...), nil
		}
	case *types.AttributeValueMemberNS:
		if a != nil {
			return numberList(a.Value)
		}
	case *types.AttributeValueMemberBS:
		if a != nil {
			bs := make([][]byte, len(a.Value))
			for i, b := range a.Value {
				bs[i] = append([]byte{}, b...)
			}
			return bs, nil
		}
	default:
		if !isTypedNil(av) {
			return nil, mismatch(av, anyType)
		}
	}
	return nil, nil
}

func decodeAnyMap(src map[string]types.AttributeValue) (map[string]any, error) {
	m := make(map[string]any, len(src))
	for k, x := range src {
		if x == nil {
			continue
		}
		v, err := decodeAny(x)
		if err != nil {
			return nil, atField(err, opDecode, k)
		}
		m[k] = v
	}
	return m, nil
}

// numberValue boxes N text as a Number when the type is registered.
func numberValue(s string) any {
	if nt := numberType.Load(); nt != nil {
		return reflect.ValueOf(s).Convert(*nt).Interface()
	}
	return s
}

func numberList(ns []string) (any, error) {
	for i, s := range ns {
		if msg := checkNumber(s); msg != "" {
			return nil, atIndex(badNumber(s, anyType, msg), opDecode, i)
		}
	}
	nt := numberType.Load()
	if nt == nil {
		return append([]string{}, ns...), nil
	}
	lv := reflect.New(reflect.SliceOf(*nt)).Elem()
	lv.Grow(len(ns))
	lv.SetLen(len(ns))
	for i, s := range ns {
		lv.Index(i).SetString(s)
	}
	return lv.Interface(), nil
}

// interfaceCodec encodes an interface field by the dynamic type of its value.
// Decoding into `any` stores the natural value (or decodes into the value a
// non-nil pointer it holds points to); any other interface must hold a non-nil
// pointer to decode into.
func interfaceCodec(t reflect.Type) *valueCodec {
	if t.NumMethod() == 0 {
		return &valueCodec{
			typ: t,
			enc: func(p unsafe.Pointer, depth int) (types.AttributeValue, error) {
				if depth >= maxHops*depthHop {
					return nil, tooDeep()
				}
				return encodeDynamic(*(*any)(p), depth+depthHop)
			},
			dec: func(av types.AttributeValue, p unsafe.Pointer) error {
				if cur := *(*any)(p); cur != nil && !isNull(av) {
					if rv := reflect.ValueOf(cur); rv.Kind() == reflect.Pointer && !rv.IsNil() {
						return decodeIntoPointer(av, rv)
					}
				}
				v, err := decodeAny(av)
				if err != nil {
					return err
				}
				*(*any)(p) = v
				return nil
			},
			empty: isNilPointer, // the type word of a nil interface is nil
		}
	}
	return &valueCodec{
		typ: t,
		enc: func(p unsafe.Pointer, depth int) (types.AttributeValue, error) {
			if depth >= maxHops*depthHop {
				return nil, tooDeep()
			}
			return encodeDynamic(reflect.NewAt(t, p).Elem().Interface(), depth+depthHop)
		},
		dec: func(av types.AttributeValue, p unsafe.Pointer) error {
			iv := reflect.NewAt(t, p).Elem()
			if isNull(av) {
				iv.SetZero()
				return nil
			}
			if isTypedNil(av) {
				return nil
			}
			if !iv.IsNil() {
				if rv := iv.Elem(); rv.Kind() == reflect.Pointer && !rv.IsNil() {
					return decodeIntoPointer(av, rv)
				}
			}
			return decErr("cannot decode " + avName(av) + " into " + t.String() + ": the interface does not hold a non-nil pointer")
		},
		empty: isNilPointer,
	}
}

func decodeIntoPointer(av types.AttributeValue, rv reflect.Value) error {
	vc, err := dynamicCodec(rv.Type().Elem(), opDecode)
	if err != nil {
		return err
	}
	return vc.dec(av, rv.UnsafePointer())
}
