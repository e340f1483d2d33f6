package dynantic

import (
	"errors"
	"reflect"
	"unsafe"

	"github.com/aws/aws-sdk-go-v2/service/dynamodb/types"

	"github.com/dynantic/dynantic/internal/codec"
	"github.com/dynantic/dynantic/internal/expr"
)

// variantInfo is what a table core knows beyond its item type's plan: its
// key templates and, for polymorphic tables, the discriminator. It is nil
// on plain tables, so that Table[T] keeps one code path:
//   - the handle of one variant (VariantTable) has value set: writes store
//     it, reads keep only its items (filter), Get of another variant's item
//     is ErrNotFound, and Delete leaves other variants' items alone;
//   - the core of a Poly has value "" and fields set (every variant's
//     attributes), and a filter only with SkipUnknown;
//   - a plain table with KeyTemplate options has just templates.
type variantInfo struct {
	disc      *codec.FieldCodec // the discriminator field; nil without one
	value     string            // this variant's discriminator value
	templates []*keyTemplate
	// filter is ANDed into every Query and Scan: disc = value on a variant
	// handle, disc IN (values) on a Poly with SkipUnknown.
	filter Condition
	guard  Condition                    // Delete on a variant handle
	fields map[string]*codec.FieldCodec // Poly core: the variants' attributes
	// siblings are the other variants whose keys this one's writes must
	// not be able to make (see linkTemplates).
	siblings []sibling
}

// newVariantInfo sets up a variant handle's core for discriminator value.
func (t *table) setVariant(value string) {
	if t.variant == nil {
		t.variant = &variantInfo{}
	}
	v := t.variant
	v.disc = t.plan.Field(t.model.Discriminator.Name)
	v.value = value
	disc := expr.NamePath(v.disc.Name)
	v.filter = Condition{c: &expr.Cond{Op: expr.OpEq, Args: []expr.Operand{{Path: disc}, {Value: value, IsValue: true}}}}
	v.guard = Or(
		Condition{c: &expr.Cond{Op: expr.OpNotExists, Args: []expr.Operand{{Path: expr.NamePath(t.pk.Name)}}}},
		v.filter,
	)
	if fi := t.special.fields[v.disc.Name]; fi != nil {
		fi.managed = "discriminator" // updates and patches cannot change the variant
	}
}

// decodeItem decodes a read item into the struct at p, with its templated
// keys parsed back into their fields.
func (t *table) decodeItem(item map[string]types.AttributeValue, p unsafe.Pointer) error {
	if err := t.plan.Decode(item, p); err != nil {
		return err
	}
	return t.finishItem(item, p)
}

// finishItem completes an item decoded directly into p (wiredirect.go):
// its templated keys, parsed back from item (the kept attributes).
func (t *table) finishItem(item map[string]types.AttributeValue, p unsafe.Pointer) error {
	if t.variant != nil && len(t.variant.templates) > 0 {
		return t.parseKeys(item, p)
	}
	return nil
}

// prepare sets the discriminator and the templated keys of the struct at p
// before a write.
func (v *variantInfo) prepare(t *table, p unsafe.Pointer) error {
	if v.value != "" {
		reflect.NewAt(v.disc.Type, unsafe.Add(p, v.disc.Offset)).Elem().SetString(v.value)
	}
	if len(v.templates) > 0 {
		return t.fillKeys(p)
	}
	return nil
}

// discValue is the discriminator of an item, and whether it has one.
func (v *variantInfo) discValue(item map[string]types.AttributeValue) (string, bool) {
	s, ok := item[v.disc.Name].(*types.AttributeValueMemberS)
	if !ok || s == nil {
		return "", false
	}
	return s.Value, true
}

// owns reports whether a read item belongs to the handle: always, except on
// a variant handle, for items of other variants.
func (v *variantInfo) owns(item map[string]types.AttributeValue) bool {
	if v == nil || v.value == "" {
		return true
	}
	got, _ := v.discValue(item)
	return got == v.value
}

// readCond is the filter of a Query or Scan with the variant's filter ANDed
// in. When the discriminator is the partition key of the queried index the
// key condition already pins it (and DynamoDB refuses filters on key
// attributes): a variant handle must then query its own value.
func (v *variantInfo) readCond(t *table, r *read, c Condition) (Condition, error) {
	if v.filter.IsZero() {
		return c, nil
	}
	if i := discPart(r, v.disc.Name); i >= 0 {
		ix := r.index
		if v.value != "" {
			var pk reflect.Value
			if i < len(r.pk) {
				pk = reflect.ValueOf(r.pk[i])
			}
			if !pk.IsValid() || pk.Kind() != reflect.String || pk.String() != v.value {
				return c, t.keyErr("index " + ix.Name + " is keyed by the discriminator " + v.disc.Name +
					": this handle reads only " + v.value + " items, so query " + v.value)
			}
		}
		return c, nil
	}
	return And(c, v.filter), nil
}

// discPart is the position of the discriminator among the partition-key
// attributes of the index a Query reads, or -1.
func discPart(r *read, disc string) int {
	if r.index == nil || r.scan {
		return -1
	}
	for i, f := range r.index.PK {
		if f.Name == disc {
			return i
		}
	}
	return -1
}

// project adds what decoding needs to a projection: the discriminator and
// the templated key attributes.
func (v *variantInfo) project(paths []expr.Path) []expr.Path {
	has := func(name string) bool {
		for _, p := range paths {
			if p.Top() == name && len(p) == 1 {
				return true
			}
		}
		return false
	}
	if v.disc != nil && !has(v.disc.Name) {
		paths = append(paths, expr.NamePath(v.disc.Name))
	}
	for _, kt := range v.templates {
		if !has(kt.attr.Name) {
			paths = append(paths, expr.NamePath(kt.attr.Name))
		}
	}
	return paths
}

// deleteGuard is the condition a variant handle adds to its deletes: the
// item is missing or of this variant.
func (v *variantInfo) deleteGuard(pk string) Condition {
	if v == nil {
		return Condition{}
	}
	return v.guard
}

// guardedDeleteErr turns the failure of a guarded delete into its result:
// nil when the stored item is of another variant (there was no item of this
// variant to delete, as for a missing item), else the condition failure,
// without the stored item unless the caller asked for it.
func (v *variantInfo) guardedDeleteErr(err error, showItem bool) error {
	var cf *ConditionFailedError
	if !errors.As(err, &cf) {
		return err
	}
	if len(cf.Item) > 0 && !v.owns(cf.Item) {
		return nil
	}
	if !showItem {
		cf.Item, cf.Current = nil, nil
	}
	return err
}

// prepareWrite fills what the library writes into the struct at p before
// it is validated and encoded (Save, Create, batches, transactions): auto
// IDs, then the discriminator and templated keys (a template may use an
// auto ID).
func (t *table) prepareWrite(p unsafe.Pointer) error {
	if err := t.fillAuto(p); err != nil {
		return err
	}
	if t.variant != nil {
		return t.variant.prepare(t, p)
	}
	return nil
}
