package schema

import (
	"reflect"
	"strconv"
	"sync"
	"unicode/utf8"
)

// Field is one attribute of a struct type, after embedded structs are
// flattened.
type Field struct {
	Name   string       // attribute name
	GoName string       // Go field name, for messages
	Index  []int        // reflect index path from the outer struct
	Type   reflect.Type // the field's Go type
	Opts   Options
	// Offset is the byte offset from the start of the outer struct. It is
	// valid only when ViaPtr is false; a field promoted through an embedded
	// pointer must be reached with Index.
	Offset uintptr
	ViaPtr bool
}

// Error is a problem with a model's definition, found when its table handle
// (or codec plan) is built. The root package exports it as SchemaError.
type Error struct {
	Model string // Go type name
	Field string // Go field name, "" for model-wide problems
	Msg   string
}

func (e *Error) Error() string {
	if e.Field == "" {
		return "dynantic: " + e.Model + ": " + e.Msg
	}
	return "dynantic: " + e.Model + "." + e.Field + ": " + e.Msg
}

var fieldCache sync.Map // reflect.Type -> fieldsResult

type fieldsResult struct {
	fields []Field
	err    error
}

// Fields lists the attributes of struct type t, with embedded structs
// flattened. Untagged exported fields use their Go name; `dynamo:"-"` and
// untagged unexported fields are skipped, and a tagged unexported field is
// an error (its data would be lost). Embedded structs are flattened whether
// their type is exported or not. An embedded struct with a tag name is an
// ordinary (nested) attribute. Two fields with the same attribute name are an
// error, whatever their depth. The result is cached and must not be modified.
func Fields(t reflect.Type) ([]Field, error) {
	if r, ok := fieldCache.Load(t); ok {
		r := r.(fieldsResult)
		return r.fields, r.err
	}
	var fs []Field
	err := collect(t, t, nil, 0, false, map[reflect.Type]bool{t: true}, &fs)
	if err == nil {
		seen := make(map[string]int, len(fs))
		for i := range fs {
			if j, dup := seen[fs[i].Name]; dup {
				err = &Error{Model: modelName(t), Field: fs[i].GoName,
					Msg: "duplicate attribute name \"" + fs[i].Name + "\" (also used by " + fs[j].GoName + ")"}
				break
			}
			seen[fs[i].Name] = i
		}
	}
	if err != nil {
		fs = nil
	}
	r, _ := fieldCache.LoadOrStore(t, fieldsResult{fs, err})
	res := r.(fieldsResult)
	return res.fields, res.err
}

func collect(root, t reflect.Type, index []int, base uintptr, viaPtr bool, embedding map[reflect.Type]bool, out *[]Field) error {
	for i := 0; i < t.NumField(); i++ {
		sf := t.Field(i)
		tagText, hasTag := sf.Tag.Lookup("dynamo")
		tag, msg := ParseTag(tagText)
		if msg != "" {
			return &Error{Model: modelName(root), Field: sf.Name, Msg: msg}
		}
		if tag.Skip {
			continue
		}
		idx := append(append(make([]int, 0, len(index)+1), index...), i)
		if sf.Anonymous && tag.Name == "" {
			et := sf.Type
			ptr := false
			if et.Kind() == reflect.Pointer {
				et, ptr = et.Elem(), true
			}
			if et.Kind() == reflect.Struct && !isOpaqueStruct(et) {
				if hasTag && tagText != "" {
					return &Error{Model: modelName(root), Field: sf.Name,
						Msg: "an embedded struct takes no tag options unless it is given an attribute name"}
				}
				if embedding[et] {
					return &Error{Model: modelName(root), Field: sf.Name, Msg: "embedded struct " + et.Name() + " embeds itself"}
				}
				if ptr && !sf.IsExported() {
					// Go cannot set an unexported embedded pointer through reflection.
					return &Error{Model: modelName(root), Field: sf.Name,
						Msg: "embedded pointer to unexported struct type cannot be decoded; embed it by value or export it"}
				}
				embedding[et] = true
				err := collect(root, et, idx, base+sf.Offset, viaPtr || ptr, embedding, out)
				delete(embedding, et)
				if err != nil {
					return err
				}
				continue
			}
		}
		if !sf.IsExported() {
			if hasTag {
				// Dropping it silently would lose the data the tag asks
				// to store.
				return &Error{Model: modelName(root), Field: sf.Name,
					Msg: "unexported field has a dynamo tag; export it, or remove the tag (dynamo:\"-\" skips a field)"}
			}
			continue
		}
		name := tag.Name
		if name == "" {
			name = sf.Name
		}
		if !utf8.ValidString(name) {
			return &Error{Model: modelName(root), Field: sf.Name, Msg: "attribute name " + strconv.Quote(name) + " is not valid UTF-8"}
		}
		opts := tag.Opts
		if !opts.PK && !opts.SK && opts.IsKey() {
			// Secondary index keys are sparse: an empty value means "not in
			// the index", which DynamoDB expresses by the attribute's absence.
			opts.OmitEmpty = true
		}
		*out = append(*out, Field{
			Name:   name,
			GoName: sf.Name,
			Index:  idx,
			Type:   sf.Type,
			Opts:   opts,
			Offset: base + sf.Offset,
			ViaPtr: viaPtr,
		})
	}
	return nil
}

// isOpaqueStruct reports whether an embedded struct type is a value in its
// own right (time.Time, or a type with its own marshaler) rather than a bag of
// fields to flatten.
func isOpaqueStruct(t reflect.Type) bool {
	return IsTime(t) || HasMarshaler(t)
}

// modelName is the type's name for messages: its Go name, or its literal
// form for an unnamed struct type.
func modelName(t reflect.Type) string {
	if t.Name() != "" {
		return t.Name()
	}
	return t.String()
}
