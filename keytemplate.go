package dynantic

import (
	"reflect"
	"slices"
	"strconv"
	"time"
	"unsafe"

	"github.com/aws/aws-sdk-go-v2/service/dynamodb/types"

	"github.com/dynantic/dynantic/internal/codec"
	"github.com/dynantic/dynantic/internal/expr"
	"github.com/dynantic/dynantic/internal/schema"
)

// templateSpec is a KeyTemplate option, parsed when the handle is built.
type templateSpec struct{ attr, text string }

// KeyTemplate declares that the key attribute attr (the table's pk or sk, or
// a secondary index's key) is built from other fields of the item, for
// single-table design:
//
//	dynantic.Variant[Order]("ORDER",
//		dynantic.KeyTemplate("pk", "CUSTOMER#{CustomerID}"),
//		dynantic.KeyTemplate("sk", "ORDER#{Placed}#{OrderID}"))
//
// Text is literal text (printable ASCII) and {Field} references, by Go field
// name or attribute name; two fields need a literal between them, and a
// template without fields is a constant ("PROFILE"). Fields may be strings,
// integers ({Seq} is zero-padded to the digits of its type, {Seq:6} to 6,
// so that text order is number order; negative values are refused) or
// time.Time (the fixed-width UTC form, so BeginsWith("2024-05") works). A
// field tagged dynamo:"-" is stored only inside the key.
//
// Every write formats the attribute from the fields and sets the struct's
// attribute field to it; every read parses it back into the fields (a stored
// value that does not match is a *CodecError naming the attribute). A
// string value that contains the literal following it in the template
// ("A#1" before "#") would make a key that cannot be split again: it is
// ErrInvalidKey, before any request, as is an empty string, a string that
// is not valid UTF-8, a zero time, or a key longer than DynamoDB takes.
//
// On the variants of a Poly no variant can write another's key: a string
// field that ends a template cannot spell a literal of another variant's
// template of the same attribute (with "ORDER#{Placed}#{OrderID}" and
// "ORDER#{Placed}#{OrderID}#LINE#{LineNo:3}", an order ID cannot contain
// "#", so it cannot make a line's key), and a key that another variant's
// templates could also make is refused (ErrInvalidKey). Variants whose
// templates have the same shape share their keys on purpose and are not
// checked against each other.
// On a secondary index key whose fields are all empty the attribute is left
// out (the item is not in the index).
//
// Keys and queries then take field values: Key(customerID, Parts{placed,
// orderID}), Query(customerID), and sort key conditions on the leading
// fields (see Parts). KeyOf builds the key of an item. A template is checked
// when the handle is built: a bad template is a *SchemaError. KeyTemplate
// applies to NewTable and to Variant.
func KeyTemplate(attr, text string) TableOption {
	return func(o *tableOptions) { o.templates = append(o.templates, templateSpec{attr, text}) }
}

// Parts holds the values of several fields of a key template, in template
// order, where a key or a sort key condition takes one value: Key(id,
// Parts{placed, orderID}), Eq(Parts{placed, orderID}). A single value means
// the template's first field.
//
// On a templated sort key, conditions may give only the leading fields:
// Eq(Parts{placed}) matches every key whose leading field is placed
// (begins_with of the text up to the next literal); Gt, Gte, Lt, Lte and
// Between compare whole groups of keys (Gt(day) is "after every key of that
// day"). BeginsWith's last value may be a string, a bare prefix of that
// field's text: BeginsWith("2024-05") on a time field. Keys compare as text:
// integers and times are fixed-width, so they order as values; a string
// field orders as its text followed by the separator.
type Parts []any

// keyTemplate is a KeyTemplate compiled against a model.
type keyTemplate struct {
	tpl    *schema.Template
	attr   *codec.FieldCodec // the templated key attribute (a string field)
	index  bool              // the attribute keys only secondary indexes: sparse
	fields []templateField   // the template's fields, in order
}

// templateField is one field of a key template.
type templateField struct {
	part   *schema.Part
	name   string // Go field name
	typ    reflect.Type
	offset uintptr
}

// setTemplates compiles the KeyTemplate options of a handle.
func (t *table) setTemplates(specs []templateSpec) error {
	if len(specs) == 0 {
		return nil
	}
	if t.variant == nil {
		t.variant = &variantInfo{}
	}
	for _, s := range specs {
		tpl, err := schema.ParseTemplate(t.model, s.attr, s.text)
		if err != nil {
			return err
		}
		if t.template(s.attr) != nil {
			return &SchemaError{Model: t.model.Name, Msg: "two key templates for " + s.attr}
		}
		f := t.model.Field(s.attr)
		if f.ViaPtr {
			return &SchemaError{Model: t.model.Name, Field: f.GoName, Msg: "a templated key attribute cannot be reached through an embedded pointer"}
		}
		kt := &keyTemplate{tpl: tpl, attr: t.plan.Field(s.attr), index: !f.Opts.PK && !f.Opts.SK}
		for i := range tpl.NumFields() {
			p := tpl.Field(i)
			kt.fields = append(kt.fields, templateField{part: p, name: p.Field.GoName, typ: p.Field.Type, offset: p.Field.Offset})
		}
		t.variant.templates = append(t.variant.templates, kt)
	}
	// A template field must not itself be built by a template; and updates
	// cannot write template fields or templated attributes (the key would no
	// longer match the fields).
	for _, kt := range t.variant.templates {
		if fi := t.special.fields[kt.attr.Name]; fi != nil && !fi.key {
			fi.managed = "templated key"
		}
		for _, f := range kt.fields {
			if fi := t.special.fields[f.part.Field.Name]; fi != nil && f.part.Field.Name != "" {
				fi.key = true
			}
		}
		for _, f := range kt.fields {
			if f.part.Field.Name != "" && t.template(f.part.Field.Name) != nil {
				return &SchemaError{Model: t.model.Name, Msg: "key template " + kt.attr.Name + "=" + strconv.Quote(kt.tpl.Text) +
					": field " + f.name + " is itself a templated key attribute"}
			}
		}
	}
	return nil
}

// template returns the key template of attribute attr, or nil.
func (t *table) template(attr string) *keyTemplate {
	if t.variant == nil {
		return nil
	}
	for _, kt := range t.variant.templates {
		if kt.attr.Name == attr {
			return kt
		}
	}
	return nil
}

// constantKey reports whether key field f is a template without fields, so
// that a Key may leave it out.
func (t *table) constantKey(f *codec.FieldCodec) bool {
	kt := t.template(f.Name)
	return kt != nil && len(kt.fields) == 0
}

// keyPart encodes one part of a key: the formatted template for a templated
// attribute (v holds its field values), else v itself.
func (t *table) keyPart(f *codec.FieldCodec, v any, dst *types.AttributeValueMemberS) (types.AttributeValue, error) {
	kt := t.template(f.Name)
	if kt == nil {
		return t.keyValue(f, v, dst)
	}
	parts := asParts(v)
	if len(parts) != len(kt.fields) {
		return nil, t.templateErr(kt, "want "+strconv.Itoa(len(kt.fields))+" field value(s) ("+kt.fieldNames()+"), got "+strconv.Itoa(len(parts)))
	}
	texts, err := t.valueTexts(kt, parts, false)
	if err != nil {
		return nil, err
	}
	s, err := kt.tpl.Format(texts)
	if err != nil {
		return nil, t.templateErr(kt, err.Error())
	}
	av := &types.AttributeValueMemberS{Value: s}
	if err := t.checkKeyLen(f, av); err != nil {
		return nil, err
	}
	return av, nil
}

func asParts(v any) []any {
	switch p := v.(type) {
	case nil:
		return nil
	case Parts:
		return p
	}
	return []any{v}
}

func (kt *keyTemplate) fieldNames() string {
	s := ""
	for i, f := range kt.fields {
		if i > 0 {
			s += ", "
		}
		s += f.name
	}
	return s
}

func (t *table) templateErr(kt *keyTemplate, msg string) error {
	return &inputError{"dynantic: " + t.model.Name + ": key " + kt.attr.Name + " (template " + strconv.Quote(kt.tpl.Text) + "): " + msg, ErrInvalidKey}
}

// valueTexts converts values given by the caller (a key, a sort key bound)
// to the texts of the template's leading fields. With open, the last value
// may be a string: a bare prefix of its field's text.
func (t *table) valueTexts(kt *keyTemplate, vals []any, open bool) ([]string, error) {
	if len(vals) > len(kt.fields) {
		return nil, t.templateErr(kt, "the template has "+strconv.Itoa(len(kt.fields))+" field(s) ("+kt.fieldNames()+"), got "+strconv.Itoa(len(vals))+" values")
	}
	texts := make([]string, len(vals))
	for i, v := range vals {
		f := &kt.fields[i]
		if open && i == len(vals)-1 {
			if s, ok := v.(string); ok {
				if s == "" && i == 0 && kt.tpl.Parts[0].Kind != schema.PartLiteral {
					return nil, t.templateErr(kt, "empty prefix")
				}
				texts[i] = s
				continue
			}
		}
		rv, err := convertTo(reflect.ValueOf(v), f.typ)
		if err != nil {
			return nil, t.templateErr(kt, f.name+": "+err.Error())
		}
		s, empty, err := fieldText(rv, f.part)
		if err != nil {
			return nil, t.templateErr(kt, f.name+": "+err.Error())
		}
		if empty {
			return nil, t.templateErr(kt, f.name+" is empty (key parts cannot be empty)")
		}
		texts[i] = s
	}
	return texts, nil
}

// fieldText is the text of a template field's value; empty reports an
// empty string or a zero time.
func fieldText(v reflect.Value, p *schema.Part) (s string, empty bool, err error) {
	switch p.Kind {
	case schema.PartString:
		s = v.String()
		return s, s == "", nil
	case schema.PartInt:
		s, err = schema.FormatInt(v.Int(), p.Width)
		return s, false, err
	case schema.PartUint:
		s, err = schema.FormatUint(v.Uint(), p.Width)
		return s, false, err
	}
	var tm time.Time
	if v.CanAddr() {
		tm = *(*time.Time)(v.Addr().UnsafePointer())
	} else {
		tm = v.Interface().(time.Time)
	}
	if tm.IsZero() {
		return "", true, nil
	}
	s, err = codec.FormatTime(tm)
	return s, false, err
}

// structTexts reads the template's fields out of the struct at p, into buf
// when it is long enough. allEmpty reports whether every field is empty (a
// sparse index key).
func (t *table) structTexts(kt *keyTemplate, p unsafe.Pointer, buf []string) (texts []string, allEmpty bool, err error) {
	if len(kt.fields) <= cap(buf) {
		texts = buf[:len(kt.fields)]
	} else {
		texts = make([]string, len(kt.fields))
	}
	allEmpty = len(kt.fields) > 0
	var firstEmpty string
	for i := range kt.fields {
		f := &kt.fields[i]
		s, empty, err := fieldText(reflect.NewAt(f.typ, unsafe.Add(p, f.offset)).Elem(), f.part)
		if err != nil {
			return nil, false, t.templateErr(kt, f.name+": "+err.Error())
		}
		if empty {
			if firstEmpty == "" {
				firstEmpty = f.name
			}
			continue
		}
		allEmpty = false
		texts[i] = s
	}
	if allEmpty {
		return nil, true, nil
	}
	if firstEmpty != "" {
		return nil, false, t.templateErr(kt, firstEmpty+" is empty (key parts cannot be empty)")
	}
	return texts, false, nil
}

// formatStruct builds the value of a templated attribute from the struct at
// p; "" for an index key whose fields are all empty.
func (t *table) formatStruct(kt *keyTemplate, p unsafe.Pointer) (string, error) {
	var buf [4]string
	texts, allEmpty, err := t.structTexts(kt, p, buf[:0])
	if err != nil {
		return "", err
	}
	if allEmpty {
		if kt.index {
			return "", nil
		}
		return "", t.templateErr(kt, kt.fieldNames()+" empty (key parts cannot be empty)")
	}
	s, err := kt.tpl.Format(texts)
	if err != nil {
		return "", t.templateErr(kt, err.Error())
	}
	return s, nil
}

// fillKeys sets every templated attribute field of the struct at p from
// its template, before the struct is validated and encoded. On a Poly
// variant it refuses a primary key that another variant's templates could
// also write (see linkTemplates).
func (t *table) fillKeys(p unsafe.Pointer) error {
	var pk, sk string
	for _, kt := range t.variant.templates {
		s, err := t.formatStruct(kt, p)
		if err != nil {
			return err
		}
		reflect.NewAt(kt.attr.Type, unsafe.Add(p, kt.attr.Offset)).Elem().SetString(s)
		switch kt.attr {
		case t.pk:
			pk = s
		case t.sk:
			sk = s
		}
	}
	for i := range t.variant.siblings {
		o := &t.variant.siblings[i]
		if o.pk.Matches(pk) && (o.sk == nil || o.sk.Matches(sk)) {
			key := t.pk.Name + " " + strconv.Quote(pk)
			if o.sk != nil {
				key += ", " + t.sk.Name + " " + strconv.Quote(sk)
			}
			return t.keyErr("the key (" + key + ") is also a key that variant " + strconv.Quote(o.value) +
				"'s templates can make; it is refused so that items of the two variants cannot overwrite each other")
		}
	}
	return nil
}

// sibling is another variant of a Poly whose primary key is wholly
// templated, as seen by a variant whose key is too (see linkTemplates).
type sibling struct {
	value  string           // its discriminator value
	pk, sk *schema.Template // sk is nil on a table without a sort key
}

// linkTemplates relates the key templates of a Poly's variants (cores, in
// registration order) so that no two variants write one key, where the
// templates make that decidable:
//
//   - A string field that ends a template must not, with the text before
//     it, spell a literal of another template of the same attribute
//     (schema.Template.Forbid): the longer template's keys then cannot be
//     read as the shorter one's. With "ORDER#{Placed}#{OrderID}" and
//     "ORDER#{Placed}#{OrderID}#LINE#{LineNo:3}" an order ID cannot contain
//     "#", so "A17#LINE#001" is refused, and every line key stays writable.
//   - A variant whose primary key is wholly templated refuses a key that
//     another such variant's templates also match (schema.Template.Matches
//     accepts exactly what Format can write), unless the two have templates
//     of the same shape: those share one key space on purpose (unique IDs),
//     and a check would refuse every key. This covers what the first rule
//     cannot ("V{N:3}" against "V1{M:2}" both make "V123"): a key that two
//     variants could write is written by neither.
//
// Variants with an attribute of the primary key that is not templated
// write whatever their field holds: they are outside these checks.
func linkTemplates(cores []*table) {
	byAttr := map[string][]*keyTemplate{}
	var attrs []string
	for _, c := range cores {
		if c.variant == nil {
			continue
		}
		for _, kt := range c.variant.templates {
			if byAttr[kt.attr.Name] == nil {
				attrs = append(attrs, kt.attr.Name)
			}
			byAttr[kt.attr.Name] = append(byAttr[kt.attr.Name], kt)
		}
	}
	for _, a := range attrs {
		kts := byAttr[a]
		for _, kt := range kts {
			var lits, from []string
			for _, o := range kts {
				if o.tpl.Text == kt.tpl.Text {
					continue
				}
				for _, p := range o.tpl.Parts {
					if p.Kind == schema.PartLiteral && !slices.Contains(lits, p.Lit) {
						lits = append(lits, p.Lit)
						from = append(from, o.tpl.Text)
					}
				}
			}
			kt.tpl.Forbid(lits, from)
		}
	}
	type keyed struct {
		t      *table
		pk, sk *schema.Template
	}
	var all []keyed
	for _, c := range cores {
		k := keyed{t: c}
		if kt := c.template(c.pk.Name); kt != nil {
			k.pk = kt.tpl
		}
		if c.sk != nil {
			if kt := c.template(c.sk.Name); kt != nil {
				k.sk = kt.tpl
			}
		}
		if k.pk != nil && (c.sk == nil || k.sk != nil) {
			all = append(all, k)
		}
	}
	for _, a := range all {
		for _, b := range all {
			if a.t == b.t || (sameShape(a.pk, b.pk) && (a.sk == nil || sameShape(a.sk, b.sk))) {
				continue
			}
			a.t.variant.siblings = append(a.t.variant.siblings, sibling{value: b.t.variant.value, pk: b.pk, sk: b.sk})
		}
	}
}

// sameShape reports whether two templates write the same texts: the same
// literals and field kinds and widths in the same order (field names aside).
func sameShape(a, b *schema.Template) bool {
	if len(a.Parts) != len(b.Parts) {
		return false
	}
	for i := range a.Parts {
		p, q := &a.Parts[i], &b.Parts[i]
		if p.Kind != q.Kind || p.Lit != q.Lit || p.Width != q.Width {
			return false
		}
	}
	return true
}

// parseKeys parses the templated attributes of a read item back into the
// template fields of the struct at p.
func (t *table) parseKeys(item map[string]types.AttributeValue, p unsafe.Pointer) error {
	var buf [4]string
	for _, kt := range t.variant.templates {
		av, ok := item[kt.attr.Name]
		if !ok {
			continue // an index key the item lacks, or not projected
		}
		s, ok := av.(*types.AttributeValueMemberS)
		if !ok {
			return &CodecError{Op: "decode", Model: t.model.Name, Path: kt.attr.Name, Msg: "a templated key must be a string (S)"}
		}
		texts, err := kt.tpl.Parse(s.Value, buf[:0])
		if err != nil {
			return &CodecError{Op: "decode", Model: t.model.Name, Path: kt.attr.Name, Msg: err.Error()}
		}
		for i := range kt.fields {
			f := &kt.fields[i]
			if err := setFieldText(reflect.NewAt(f.typ, unsafe.Add(p, f.offset)).Elem(), f.part, texts[i]); err != nil {
				return &CodecError{Op: "decode", Model: t.model.Name, Path: kt.attr.Name,
					Msg: strconv.Quote(s.Value) + ": field " + f.name + ": " + err.Error()}
			}
		}
	}
	return nil
}

// setFieldText sets a template field from its text.
func setFieldText(v reflect.Value, p *schema.Part, s string) error {
	switch p.Kind {
	case schema.PartString:
		v.SetString(s)
	case schema.PartInt:
		u, err := schema.ParseDigits(s)
		if err != nil {
			return err
		}
		if u > 1<<63-1 || v.OverflowInt(int64(u)) {
			return &schema.TemplateError{Msg: s + " overflows " + v.Type().String()}
		}
		v.SetInt(int64(u))
	case schema.PartUint:
		u, err := schema.ParseDigits(s)
		if err != nil {
			return err
		}
		if v.OverflowUint(u) {
			return &schema.TemplateError{Msg: s + " overflows " + v.Type().String()}
		}
		v.SetUint(u)
	case schema.PartTime:
		tm, ok := codec.ParseTimeLayout(s)
		if !ok {
			return &schema.TemplateError{Msg: strconv.Quote(s) + " is not a time in the form " + codec.TimeLayout}
		}
		*(*time.Time)(v.Addr().UnsafePointer()) = tm
	}
	return nil
}

// storedKey checks a key made by KeyOf against the table's key schema.
func (t *table) storedKey(k ItemKey) (map[string]types.AttributeValue, error) {
	if k.err != nil {
		return nil, k.err
	}
	n := 0
	for _, f := range [...]*codec.FieldCodec{t.pk, t.sk} {
		if f == nil {
			continue
		}
		n++
		typ := schema.ScalarType(f.Type, f.Opts)
		if v, ok := scalarText(k.enc[f.Name], typ[0]); !ok || v == "" {
			return nil, t.keyErr("the key lacks " + f.Name + " as " + typ + " (a KeyOf key of another table?)")
		}
	}
	if len(k.enc) != n {
		return nil, t.keyErr("the key has attributes that are not this table's key (a KeyOf key of another table?)")
	}
	return k.enc, nil
}

// templateSKCond compiles a sort key condition on a templated sort key
// (see Parts for the meaning of conditions on leading fields).
func (t *table) templateSKCond(b *expr.Builder, kt *keyTemplate, op skOp, vals [2]any) (string, error) {
	name := b.Name(expr.NamePath(kt.attr.Name))
	bound := func(v any, upper bool) (string, bool, error) {
		parts := asParts(v)
		open := op == skBeginsWith
		texts, err := t.valueTexts(kt, parts, open)
		if err != nil {
			return "", false, err
		}
		full := !open && len(parts) == len(kt.fields)
		var s string
		if full {
			s, err = kt.tpl.Format(texts)
		} else {
			s, err = kt.tpl.Prefix(texts, open)
		}
		if err != nil {
			return "", false, t.templateErr(kt, err.Error())
		}
		if s == "" {
			return "", false, t.templateErr(kt, "empty sort key bound")
		}
		if err := t.checkKeyLen(kt.attr, &types.AttributeValueMemberS{Value: s}); err != nil {
			return "", false, err
		}
		if upper && !full {
			s = successor(s)
		}
		return s, full, nil
	}
	value := func(s string) string { return b.Value(&types.AttributeValueMemberS{Value: s}) }
	switch op {
	case skBeginsWith:
		s, _, err := bound(vals[0], false)
		if err != nil {
			return "", err
		}
		return "begins_with(" + name + ", " + value(s) + ")", nil
	case skBetween:
		lo, _, err := bound(vals[0], false)
		if err != nil {
			return "", err
		}
		hi, _, err := bound(vals[1], true)
		if err != nil {
			return "", err
		}
		return name + " BETWEEN " + value(lo) + " AND " + value(hi), nil
	}
	s, full, err := bound(vals[0], false)
	if err != nil {
		return "", err
	}
	if full {
		return name + skOpText[op] + value(s), nil
	}
	// Leading fields only: s ends with the literal after the last given
	// field, and every key with those leading values starts with s.
	switch op {
	case skEq:
		return "begins_with(" + name + ", " + value(s) + ")", nil
	case skGt:
		return name + " >= " + value(successor(s)), nil
	case skLte:
		return name + " < " + value(successor(s)), nil
	}
	return name + skOpText[op] + value(s), nil // Gte, Lt
}

// successor is the smallest string greater than every string that starts
// with s: s with its last byte incremented. Template literals are printable
// ASCII, and a leading-field prefix ends with one, so the result stays
// valid UTF-8.
func successor(s string) string {
	b := []byte(s)
	b[len(b)-1]++
	return string(b)
}

// KeyOf returns the primary key of item, for Get, Delete and the keys of
// other calls: its key fields as stored, with templated key attributes built
// from their fields (the struct is not changed). A nil item, an empty key
// part or a field value that does not fit its template makes the call that
// uses the key fail with ErrInvalidKey, before any request.
func (t *Table[T]) KeyOf(item *T) ItemKey {
	if item == nil {
		return ItemKey{err: t.keyErr("KeyOf of a nil item")}
	}
	k, err := t.keyOf(unsafe.Pointer(item))
	return ItemKey{enc: k, err: err}
}
