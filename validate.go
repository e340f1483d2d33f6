package dynantic

import (
	"errors"
	"reflect"
	"strings"
	"sync"

	"github.com/go-playground/validator/v10"

	"github.com/dynantic/dynantic/internal/schema"
)

// Validator checks an item before it is written. Struct receives a pointer to
// the item. A *validator.Validate from go-playground/validator satisfies it,
// so a configured instance (custom tags, translations) can be plugged in with
// WithValidator. Errors of type validator.ValidationErrors are reported field
// by field in a *ValidationError; any other error is reported as is, wrapped
// in one.
type Validator interface {
	Struct(item any) error
}

// defaultValidator is go-playground/validator with required-struct checks
// on, built on first use so that programs that never write pay nothing.
type defaultValidator struct{}

var playground = sync.OnceValue(func() *validator.Validate {
	return validator.New(validator.WithRequiredStructEnabled())
})

func (defaultValidator) Struct(item any) error { return playground().Struct(item) }

// selfValidator is the optional method a model may have for checks that
// tags cannot express.
type selfValidator interface{ Validate() error }

// validate runs the DB's validator and the item's own Validate method, and
// returns every failure in one *ValidationError.
func validate(v Validator, m *schema.Model, item any) error {
	var ve *ValidationError
	if err := v.Struct(item); err != nil {
		ve = &ValidationError{Model: m.Name}
		var fieldErrs validator.ValidationErrors
		var already *ValidationError
		switch {
		case errors.As(err, &fieldErrs):
			for _, fe := range fieldErrs {
				ve.Fields = append(ve.Fields, fieldError(m, fe))
			}
		case errors.As(err, &already):
			ve = already
		default:
			ve.Fields = append(ve.Fields, FieldError{Message: err.Error()})
		}
	}
	if sv, ok := item.(selfValidator); ok {
		if err := sv.Validate(); err != nil {
			if ve == nil {
				ve = &ValidationError{Model: m.Name}
			}
			ve.Err = err
		}
	}
	if ve == nil {
		return nil
	}
	return ve
}

func fieldError(m *schema.Model, fe validator.FieldError) FieldError {
	// StructNamespace is "Product.Address.City": drop the type name.
	path := fe.StructNamespace()
	if _, rest, ok := strings.Cut(path, "."); ok {
		path = rest
	}
	out := FieldError{Field: path, Tag: fe.Tag(), Param: fe.Param()}
	for i := range m.Fields {
		if m.Fields[i].GoName == path {
			out.Attribute = m.Fields[i].Name
			break
		}
	}
	return out
}

// hasValidation reports whether a model has anything to validate, so that
// writes of models without validate tags or a Validate method skip the
// validator entirely.
func hasValidation(t reflect.Type) bool {
	if reflect.PointerTo(t).Implements(reflect.TypeFor[selfValidator]()) {
		return true
	}
	return hasValidateTag(t, map[reflect.Type]bool{})
}

func hasValidateTag(t reflect.Type, seen map[reflect.Type]bool) bool {
	for t.Kind() == reflect.Pointer || t.Kind() == reflect.Slice || t.Kind() == reflect.Array || t.Kind() == reflect.Map {
		t = t.Elem()
	}
	if t.Kind() != reflect.Struct || seen[t] {
		return false
	}
	seen[t] = true
	for i := 0; i < t.NumField(); i++ {
		f := t.Field(i)
		if _, ok := f.Tag.Lookup("validate"); ok {
			return true
		}
		if hasValidateTag(f.Type, seen) {
			return true
		}
	}
	return false
}
