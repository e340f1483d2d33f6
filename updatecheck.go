package dynantic

import (
	"errors"
	"fmt"
	"math"
	"reflect"
	"strconv"
	"strings"

	"github.com/aws/aws-sdk-go-v2/service/dynamodb/types"
	"github.com/go-playground/validator/v10"

	"github.com/dynantic/dynantic/internal/codec"
	"github.com/dynantic/dynantic/internal/expr"
	"github.com/dynantic/dynantic/internal/schema"
)

// This file checks update values against the model before any request:
// the attribute's role (key, managed), its kind (number, set, list), the
// value's Go type and the field's validate tag.

// updateError is an update the model does not allow, caught before any
// request. It matches ErrInvalidUpdate and, when there is one, the cause (a
// *CodecError for a value that cannot be encoded).
type updateError struct {
	msg   string
	cause error
}

func (e *updateError) Error() string {
	if e.cause != nil {
		return e.msg + ": " + e.cause.Error()
	}
	return e.msg
}

func (e *updateError) Unwrap() []error {
	if e.cause != nil {
		return []error{ErrInvalidUpdate, e.cause}
	}
	return []error{ErrInvalidUpdate}
}

// fieldKind is what update actions an attribute takes.
type fieldKind uint8

const (
	kindOther  fieldKind = iota
	kindNumber           // integers, floats, Number (and pointers to them): Add, Plus, Minus
	kindSet              // `set` fields and map[K]struct{}: Add, Delete
	kindList             // slices and arrays (not binary, not sets): Append, Prepend
	kindAny              // interfaces: any action, checked by the value (as for attributes outside the model)
)

var kindNames = [...]string{kindOther: "neither a number, a set nor a list", kindNumber: "a number", kindSet: "a set", kindList: "a list", kindAny: "of any type"}

// fieldInfo is what update checks need to know about one top-level
// attribute, computed once per table.
type fieldInfo struct {
	fc      *codec.FieldCodec
	path    expr.Path // the attribute's one-name path, made once (shared, read-only)
	kind    fieldKind
	dyn     dynKind // the DynamoDB type it is stored as, for condition checks
	key     bool    // the table's partition or sort key
	managed string  // "version", "created" or "updated": written by the library only
	tag     string  // the validate tag, without cross-field validators
	// structTags: the field holds a struct (or a pointer to one) whose fields
	// carry validate tags, checked with the Validator's Struct.
	structTags bool
}

func newFieldInfo(t *table, fc *codec.FieldCodec, s *special) *fieldInfo {
	fi := &fieldInfo{fc: fc, path: expr.NamePath(fc.Name), kind: kindOf(fc), key: fc.Opts.PK || fc.Opts.SK, dyn: fieldSlot(fc).goKind()}
	switch {
	case fc.Opts.Version:
		fi.managed = "version"
	case fc.Opts.Created:
		fi.managed = "created"
	case fc.Opts.Updated:
		fi.managed = "updated"
	}
	fi.tag = stripCrossField(t.model.Type.FieldByIndex(fc.Index).Tag.Get("validate"))
	st := fc.Type
	for st.Kind() == reflect.Pointer {
		st = st.Elem()
	}
	if st.Kind() == reflect.Struct && !schema.IsTime(st) && !schema.HasMarshaler(st) {
		fi.structTags = hasValidateTag(st, map[reflect.Type]bool{})
	}
	return fi
}

func kindOf(fc *codec.FieldCodec) fieldKind {
	t := fc.Type
	for t.Kind() == reflect.Pointer {
		t = t.Elem()
	}
	switch {
	case t.Kind() == reflect.Interface:
		return kindAny
	case schema.HasMarshaler(t) || schema.IsTime(t):
		return kindOther
	case schema.IsNumber(t) || isNumberKind(t.Kind()):
		return kindNumber
	case fc.Opts.Set || (t.Kind() == reflect.Map && t.Elem().Kind() == reflect.Struct && t.Elem().NumField() == 0):
		return kindSet
	case (t.Kind() == reflect.Slice || t.Kind() == reflect.Array) && t.Elem().Kind() != reflect.Uint8:
		return kindList
	}
	return kindOther
}

// crossField lists the go-playground validators that compare a field with
// its siblings; they cannot run on a single value, so update checks skip
// them (Save, which validates the whole struct, still runs them).
var crossField = map[string]bool{
	"eqfield": true, "nefield": true, "gtfield": true, "gtefield": true, "ltfield": true, "ltefield": true,
	"eqcsfield": true, "necsfield": true, "gtcsfield": true, "gtecsfield": true, "ltcsfield": true, "ltecsfield": true,
	"fieldcontains": true, "fieldexcludes": true,
	"required_if": true, "required_unless": true, "required_with": true, "required_with_all": true,
	"required_without": true, "required_without_all": true,
	"excluded_if": true, "excluded_unless": true, "excluded_with": true, "excluded_with_all": true,
	"excluded_without": true, "excluded_without_all": true, "skip_unless": true,
}

// stripCrossField drops from a validate tag every part that uses a
// cross-field validator (an OR group that contains one is dropped whole).
func stripCrossField(tag string) string {
	if tag == "" || tag == "-" {
		return ""
	}
	parts := strings.Split(tag, ",")
	kept := parts[:0]
	for _, part := range parts {
		drop := false
		for _, alt := range strings.Split(part, "|") {
			name, _, _ := strings.Cut(alt, "=")
			if crossField[strings.TrimSpace(name)] {
				drop = true
				break
			}
		}
		if !drop {
			kept = append(kept, part)
		}
	}
	out := strings.Join(kept, ",")
	if out == "omitempty" || out == "dive" {
		return ""
	}
	return out
}

// varValidator checks one value against a validate tag; go-playground's
// *validator.Validate has this method.
type varValidator interface {
	Var(field any, tag string) error
}

// Var checks one value against a tag with the default go-playground
// validator.
func (defaultValidator) Var(field any, tag string) error { return playground().Var(field, tag) }

// safeVar runs Var, turning a panic (an undefined validator in a tag) into
// an error.
func safeVar(v varValidator, val any, tag string) (err error) {
	defer func() {
		if r := recover(); r != nil {
			err = fmt.Errorf("validate tag %q: %v", tag, r)
		}
	}()
	return v.Var(val, tag)
}

// checkValue runs the field's validate tag on v, the value the attribute
// will hold (the invalid Value means the attribute is removed: its zero
// value is checked). A struct value whose fields carry tags is checked with
// the Validator's Struct. Failures are a *ValidationError.
func (t *table) checkValue(fi *fieldInfo, v reflect.Value) error {
	if fi.tag == "" && !fi.structTags {
		return nil
	}
	if !v.IsValid() {
		v = reflect.Zero(fi.fc.Type)
	}
	var fields []FieldError
	if fi.tag != "" && t.special.vars != nil {
		fields = appendFieldErrors(fields, fi, "", safeVar(t.special.vars, v.Interface(), fi.tag))
	}
	if fi.structTags {
		sv := v
		for sv.Kind() == reflect.Pointer && !sv.IsNil() {
			sv = sv.Elem()
		}
		if sv.Kind() == reflect.Struct {
			p := reflect.New(sv.Type())
			p.Elem().Set(sv)
			fields = appendFieldErrors(fields, fi, "struct", t.db.opts.validator.Struct(p.Interface()))
		}
	}
	if len(fields) == 0 {
		return nil
	}
	return &ValidationError{Model: t.model.Name, Fields: fields}
}

// appendFieldErrors turns a validator's error about field fi into
// FieldErrors. from is "struct" for errors of Struct (namespaced by the
// struct's type name), "" for errors of Var.
func appendFieldErrors(fields []FieldError, fi *fieldInfo, from string, err error) []FieldError {
	if err == nil {
		return fields
	}
	var fes validator.ValidationErrors
	if !errors.As(err, &fes) {
		return append(fields, FieldError{Field: fi.fc.GoName, Attribute: fi.fc.Name, Message: err.Error()})
	}
	for _, fe := range fes {
		ns := fe.StructNamespace()
		if from == "struct" {
			_, ns, _ = strings.Cut(ns, ".") // drop the struct's type name
		}
		out := FieldError{Field: fi.fc.GoName, Tag: fe.Tag(), Param: fe.Param()}
		switch {
		case ns == "":
			out.Attribute = fi.fc.Name
		case strings.HasPrefix(ns, "["):
			out.Field += ns
		default:
			out.Field += "." + ns
		}
		fields = append(fields, out)
	}
	return fields
}

// toField converts v to Go type want when nothing is lost (see convertTo),
// also into pointer fields (4.5 for a *float64 field), from pointers (a
// *int for an int field; nil means "no value"), and numbers into Number.
// With elem, a single element of a set or list type is accepted as a
// one-element set or list. The invalid Value means "no value".
func toField(want reflect.Type, v reflect.Value, elem bool) (reflect.Value, error) {
	if !v.IsValid() {
		return v, nil
	}
	if v.Type() == want {
		return v, nil
	}
	if want.Kind() == reflect.Interface {
		// A field of interface type holds any value of a type that
		// implements it; whether the codec can store it is found when it is
		// encoded.
		if !v.Type().Implements(want) {
			return v, fmt.Errorf("want %s, got %s, which does not implement it", want, v.Type())
		}
		w := reflect.New(want).Elem()
		w.Set(v)
		return w, nil
	}
	if v.Kind() == reflect.Pointer && want.Kind() != reflect.Pointer {
		if v.IsNil() {
			return reflect.Value{}, nil
		}
		v = v.Elem()
	}
	if want.Kind() == reflect.Pointer && v.Kind() != reflect.Pointer {
		inner, err := toField(want.Elem(), v, elem)
		if err != nil || !inner.IsValid() {
			return inner, err
		}
		p := reflect.New(want.Elem())
		p.Elem().Set(inner)
		return p, nil
	}
	out, err := convertValue(v, want)
	if err == nil || !elem {
		return out, err
	}
	switch want.Kind() {
	case reflect.Slice:
		if e, err2 := convertValue(v, want.Elem()); err2 == nil {
			s := reflect.MakeSlice(want, 1, 1)
			s.Index(0).Set(e)
			return s, nil
		}
	case reflect.Map:
		if k, err2 := convertValue(v, want.Key()); err2 == nil {
			m := reflect.MakeMapWithSize(want, 1)
			m.SetMapIndex(k, reflect.Zero(want.Elem()))
			return m, nil
		}
	}
	return out, err
}

// convertValue is convertTo plus numbers into dynantic.Number.
func convertValue(v reflect.Value, want reflect.Type) (reflect.Value, error) {
	if schema.IsNumber(want) && isNumberKind(v.Kind()) {
		var s string
		switch {
		case v.CanInt():
			s = strconv.FormatInt(v.Int(), 10)
		case v.CanUint():
			s = strconv.FormatUint(v.Uint(), 10)
		default:
			f := v.Float()
			if math.IsNaN(f) || math.IsInf(f, 0) {
				return v, fmt.Errorf("%v is not a valid DynamoDB number", f)
			}
			s = strconv.FormatFloat(f, 'g', -1, v.Type().Bits())
		}
		return reflect.ValueOf(s).Convert(want), nil
	}
	return convertTo(v, want)
}

// isSetAV and friends classify encoded values for attributes whose Go type
// is unknown (nested paths, attributes outside the model).
func isSetAV(av types.AttributeValue) bool {
	switch av.(type) {
	case *types.AttributeValueMemberSS, *types.AttributeValueMemberNS, *types.AttributeValueMemberBS:
		return true
	}
	return false
}

func isNumberAV(av types.AttributeValue) bool {
	_, ok := av.(*types.AttributeValueMemberN)
	return ok
}

func isListAV(av types.AttributeValue) bool {
	_, ok := av.(*types.AttributeValueMemberL)
	return ok
}
