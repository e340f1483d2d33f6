package dynantic

import (
	"context"
	"errors"
	"reflect"
	"slices"
	"strconv"
	"strings"
	"unsafe"

	"github.com/aws/aws-sdk-go-v2/service/dynamodb"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb/types"

	"github.com/dynantic/dynantic/internal/codec"
	"github.com/dynantic/dynantic/internal/expr"
	"github.com/dynantic/dynantic/internal/schema"
)

// Poly is the handle of a polymorphic table: one table whose items are of
// several Go types (variants), told apart by the base type's discriminator
// attribute. Make it with NewPoly or MustPoly; it is safe for concurrent use.
//
// Reads return each item as a pointer to its variant (*Dog, *Cat) in an
// any, ready for a type switch; writes take a pointer to any registered
// variant and store its discriminator value. VariantTable gives the typed
// Table of one variant, which reads only that variant's items.
type Poly[B any] struct {
	*polyCore
	base *Table[B] // the table core with the union model: keys, CreateTable
}

// polyCore is the non-generic part of a Poly, shared by its reads.
type polyCore struct {
	t       *table // the union core: every variant's attributes and indexes
	byValue map[string]variantHandle
	byType  map[reflect.Type]variantHandle // by pointer type (*Dog)
	order   []*variantSpec                 // registration order, for messages
	unknown unknownMode
}

// PolyOption configures NewPoly: a Variant registration, SkipUnknown or
// KeepUnknown, or any TableOption (WithTableName, AllowUnknownAttributes),
// which then applies to the table and to every variant's handle.
type PolyOption interface{ applyPoly(*polyConfig) }

type polyConfig struct {
	table    []TableOption
	variants []*variantSpec
	unknown  unknownMode
	nUnknown int
}

func (o TableOption) applyPoly(c *polyConfig) { c.table = append(c.table, o) }

type polyFunc func(*polyConfig)

func (f polyFunc) applyPoly(c *polyConfig) { f(c) }

// unknownMode is what a Poly read does with an item whose discriminator
// names no registered variant.
type unknownMode uint8

const (
	unknownError unknownMode = iota // *UnknownVariantError
	unknownSkip                     // leave it out
	unknownKeep                     // yield it as a *RawItem
)

// SkipUnknown makes Poly reads leave out items whose discriminator value is
// not registered or missing, as if they were not in the table: Query and
// Scan add `discriminator IN (registered values)` to their filter (so Limit,
// Page and Count see only known items), and Get returns ErrNotFound.
func SkipUnknown() PolyOption {
	return polyFunc(func(c *polyConfig) { c.unknown = unknownSkip; c.nUnknown++ })
}

// KeepUnknown makes Poly reads return items whose discriminator value is not
// registered or missing as *RawItem, undecoded, instead of failing.
func KeepUnknown() PolyOption {
	return polyFunc(func(c *polyConfig) { c.unknown = unknownKeep; c.nUnknown++ })
}

// RawItem is an item of unknown variant, returned by Poly reads with
// KeepUnknown.
type RawItem struct {
	Discriminator string                          // the discriminator value; "" when missing
	Item          map[string]types.AttributeValue // the item as stored
}

// variantSpec is a Variant registration.
type variantSpec struct {
	value string
	typ   reflect.Type
	opts  []TableOption
	build func(db *DB, opts []TableOption) (variantHandle, error)
}

func (s *variantSpec) applyPoly(c *polyConfig) { c.variants = append(c.variants, s) }

// Variant registers V as the variant of a Poly whose discriminator value is
// value. V must embed the base type by value (directly or through other
// embedded structs; V may also be the base type itself) and so share its
// keys and discriminator; its own fields, validate tags, indexes and special
// fields (ttl, version, created, updated, auto) apply to its items. opts are
// the variant's table options, typically KeyTemplate. Problems are reported
// by NewPoly as a *SchemaError.
func Variant[V any](value string, opts ...TableOption) PolyOption {
	return &variantSpec{value: value, typ: reflect.TypeFor[V](), opts: opts,
		build: func(db *DB, opts []TableOption) (variantHandle, error) {
			t, err := newTable(db, reflect.TypeFor[V](), opts)
			if err != nil {
				return nil, err
			}
			return &variantTable[V]{&Table[V]{t}}, nil
		}}
}

// variantHandle is a registered variant's Table[V] seen without V.
type variantHandle interface {
	core() *table
	decode(item map[string]types.AttributeValue) (any, error)
	encode(item any) (map[string]types.AttributeValue, error) // encode.go
	save(ctx context.Context, op string, item any, create bool, opts []WriteOption) error
	deleteItem(ctx context.Context, item any, opts []WriteOption) error
	keyOf(item any) ItemKey
}

type variantTable[V any] struct{ *Table[V] }

func (v *variantTable[V]) core() *table { return v.table }

func (v *variantTable[V]) decode(item map[string]types.AttributeValue) (any, error) {
	x := new(V)
	if err := v.decodeItem(item, unsafe.Pointer(x)); err != nil {
		return nil, err
	}
	return x, nil
}

func (v *variantTable[V]) save(ctx context.Context, op string, item any, create bool, opts []WriteOption) error {
	return v.put(ctx, op, item.(*V), create, opts)
}

func (v *variantTable[V]) deleteItem(ctx context.Context, item any, opts []WriteOption) error {
	return v.DeleteItem(ctx, item.(*V), opts...)
}

func (v *variantTable[V]) keyOf(item any) ItemKey { return v.KeyOf(item.(*V)) }

// NewPoly checks the base type B and the registered variants and returns the
// handle of their table:
//
//	animals, err := dynantic.NewPoly[Animal](db,
//		dynantic.Variant[Dog]("DOG"),
//		dynantic.Variant[Cat]("CAT"))
//
// B must have a string field tagged discriminator, which may be a GSI
// partition key but not a table key or an index sort key. The table is
// named by WithTableName or B's TableName method. Every problem is a
// *SchemaError, before any request: no discriminator, no variant, an empty
// or twice-registered value, a type registered twice, a variant that does
// not embed B (or embeds it through a pointer) or whose key or
// discriminator attributes differ from B's, an index declared differently
// by two variants, two ttl attributes, a bad key template.
func NewPoly[B any](db *DB, opts ...PolyOption) (*Poly[B], error) {
	bt := reflect.TypeFor[B]()
	var c polyConfig
	for _, o := range opts {
		if o != nil {
			o.applyPoly(&c)
		}
	}
	// Index projections are checked on the whole table, once every
	// variant's indexes are known.
	c.table = append(c.table, func(o *tableOptions) { o.inPoly = true })
	core, err := newTable(db, bt, c.table)
	if err != nil {
		return nil, err
	}
	bm := core.model
	fail := func(field, msg string) error { return &SchemaError{Model: bm.Name, Field: field, Msg: msg} }
	d := bm.Discriminator
	switch {
	case c.nUnknown > 1:
		return nil, fail("", "give at most one of SkipUnknown and KeepUnknown")
	case d == nil:
		return nil, fail("", `a Poly base needs a discriminator: tag a string field dynamo:"type,discriminator"`)
	case d.Opts.PK || d.Opts.SK || len(d.Opts.GSISK) > 0 || len(d.Opts.LSISK) > 0:
		return nil, fail(d.GoName, "the discriminator cannot be a table key or an index sort key (it may be a GSI partition key)")
	case d.ViaPtr:
		return nil, fail(d.GoName, "the discriminator cannot be reached through an embedded pointer")
	case core.variant != nil:
		return nil, fail("", "key templates belong to the variants: pass KeyTemplate to Variant")
	case len(c.variants) == 0:
		return nil, fail("", "no variants: register them with dynantic.Variant[T](value)")
	}
	rawName := core.name[len(db.opts.tablePrefix):]
	pc := &polyCore{t: core, byValue: map[string]variantHandle{}, byType: map[reflect.Type]variantHandle{}, unknown: c.unknown}
	models := make([]*schema.Model, 0, len(c.variants))
	specOf := map[string]*variantSpec{}
	for _, s := range c.variants {
		label := "Variant[" + s.typ.String() + "](" + strconv.Quote(s.value) + ")"
		if s.value == "" {
			return nil, fail("", label+": empty discriminator value")
		}
		if prev := specOf[s.value]; prev != nil {
			return nil, fail("", "discriminator value "+strconv.Quote(s.value)+" is registered twice ("+prev.typ.String()+" and "+s.typ.String()+")")
		}
		if _, dup := pc.byType[reflect.PointerTo(s.typ)]; dup {
			return nil, fail("", "type "+s.typ.String()+" is registered twice")
		}
		if msg := embedsBase(s.typ, bt); msg != "" {
			return nil, fail("", label+": "+msg)
		}
		var vo tableOptions
		for _, o := range s.opts {
			o(&vo)
		}
		if vo.name != "" {
			return nil, fail("", label+": WithTableName belongs on NewPoly, not on a variant")
		}
		vopts := append(append(slices.Clone(c.table), s.opts...), WithTableName(rawName))
		h, err := s.build(db, vopts)
		if err != nil {
			return nil, err
		}
		vt := h.core()
		vm := vt.model
		if !sameKeyField(vm.PK, bm.PK) || !sameKeyField(vm.SK, bm.SK) || vm.Discriminator == nil || vm.Discriminator.Name != d.Name {
			return nil, fail("", label+": its key or discriminator attributes differ from "+bm.Name+"'s")
		}
		vt.setVariant(s.value)
		specOf[s.value] = s
		pc.byValue[s.value] = h
		pc.byType[reflect.PointerTo(s.typ)] = h
		pc.order = append(pc.order, s)
		models = append(models, vm)
	}
	cores := make([]*table, len(pc.order))
	for i, s := range pc.order {
		cores[i] = pc.byValue[s.value].core()
	}
	linkTemplates(cores)
	union, err := schema.Union(bm, models)
	if err != nil {
		return nil, err
	}
	info := &variantInfo{disc: core.plan.Field(d.Name), fields: map[string]*codec.FieldCodec{}}
	for _, h := range pc.order {
		for _, f := range pc.byValue[h.value].core().plan.Fields() {
			if _, ok := info.fields[f.Name]; !ok && core.plan.Field(f.Name) == nil {
				info.fields[f.Name] = f
			}
		}
	}
	if c.unknown == unknownSkip {
		info.filter = knownFilter(d.Name, pc.order)
	}
	var to tableOptions
	for _, o := range c.table {
		o(&to)
	}
	if err := checkPolyProjections(union, to.projections, to.allowAny); err != nil {
		return nil, err
	}
	core.model, core.variant = union, info
	if union.TTL != nil && core.special.ttl == nil {
		core.special.ttl = core.field(union.TTL.Name) // HideExpired on Poly reads
	}
	return &Poly[B]{polyCore: pc, base: &Table[B]{core}}, nil
}

// MustPoly is NewPoly for package-level handles: it panics with the
// *SchemaError of an invalid base or variant.
func MustPoly[B any](db *DB, opts ...PolyOption) *Poly[B] {
	p, err := NewPoly[B](db, opts...)
	if err != nil {
		panic(err)
	}
	return p
}

// VariantTable returns the typed handle of variant V of p: a Table[V] whose
// writes store V's discriminator value, whose Query, Scan, Count and Page
// read only V's items (the discriminator condition is ANDed into the
// filter; Limit still counts the items returned), whose Get of another
// variant's item is ErrNotFound and whose Delete leaves other variants'
// items alone. A V that p does not register is an error matching
// ErrUnknownVariant.
func VariantTable[V, B any](p *Poly[B]) (*Table[V], error) {
	h, ok := p.byType[reflect.TypeFor[*V]()]
	if !ok {
		return nil, p.notRegistered(reflect.TypeFor[*V]())
	}
	return h.(*variantTable[V]).Table, nil
}

// MustVariantTable is VariantTable that panics when V is not registered.
func MustVariantTable[V, B any](p *Poly[B]) *Table[V] {
	t, err := VariantTable[V](p)
	if err != nil {
		panic(err)
	}
	return t
}

// embedsBase checks that v is b or embeds b by value; it returns what is
// wrong, or "".
func embedsBase(v, b reflect.Type) string {
	if v == b {
		return ""
	}
	if v.Kind() != reflect.Struct {
		return "a variant must be a struct type embedding " + b.String()
	}
	var found, viaPtr bool
	var walk func(t reflect.Type, ptr bool, depth int)
	walk = func(t reflect.Type, ptr bool, depth int) {
		if depth > 16 {
			return
		}
		for i := 0; i < t.NumField(); i++ {
			f := t.Field(i)
			if !f.Anonymous {
				continue
			}
			ft, p := f.Type, ptr
			if ft.Kind() == reflect.Pointer {
				ft, p = ft.Elem(), true
			}
			if ft == b {
				if p {
					viaPtr = true
				} else {
					found = true
				}
				continue
			}
			if ft.Kind() == reflect.Struct {
				walk(ft, p, depth+1)
			}
		}
	}
	walk(v, false, 0)
	switch {
	case found:
		return ""
	case viaPtr:
		return "embeds *" + b.Name() + "; embed " + b.Name() + " by value"
	}
	return "does not embed " + b.String()
}

func sameKeyField(a, b *schema.Field) bool {
	if a == nil || b == nil {
		return a == b
	}
	return a.Name == b.Name && a.Type == b.Type && a.Opts.PK == b.Opts.PK && a.Opts.SK == b.Opts.SK &&
		schema.ScalarType(a.Type, a.Opts) == schema.ScalarType(b.Type, b.Opts)
}

// knownFilter is `disc IN (values)` in lists of at most 100 values (ORed).
func knownFilter(disc string, specs []*variantSpec) Condition {
	var conds []Condition
	for start := 0; start < len(specs); start += expr.MaxInValues {
		end := min(start+expr.MaxInValues, len(specs))
		vals := make([]any, 0, end-start)
		for _, s := range specs[start:end] {
			vals = append(vals, s.value)
		}
		conds = append(conds, Attr(disc).In(vals...))
	}
	return Or(conds...)
}

// registered lists the variants for messages: *Dog "DOG", *Cat "CAT".
func (pc *polyCore) registered() string {
	parts := make([]string, len(pc.order))
	for i, s := range pc.order {
		parts[i] = "*" + s.typ.String() + " " + strconv.Quote(s.value)
	}
	return strings.Join(parts, ", ")
}

func (pc *polyCore) notRegistered(t reflect.Type) error {
	return &inputError{"dynantic: " + pc.t.model.Name + ": " + t.String() + " is not a registered variant (registered: " + pc.registered() + ")", ErrUnknownVariant}
}

// handleOf returns the variant handle of a write's item.
func (pc *polyCore) handleOf(op string, item any) (variantHandle, error) {
	if item == nil {
		return nil, errNilItem("dynantic: " + pc.t.model.Name + ": " + op + " of a nil item")
	}
	rt := reflect.TypeOf(item)
	if h, ok := pc.byType[rt]; ok {
		return h, nil
	}
	if _, ok := pc.byType[reflect.PointerTo(rt)]; ok {
		return nil, &inputError{"dynantic: " + pc.t.model.Name + ": " + op + " takes a pointer: pass *" + rt.String() + ", not " + rt.String(), ErrUnknownVariant}
	}
	return nil, pc.notRegistered(rt)
}

// decode decodes a read item into its variant. keep is false for an item
// that SkipUnknown leaves out.
func (pc *polyCore) decode(item map[string]types.AttributeValue) (v any, keep bool, err error) {
	val, ok := pc.t.variant.discValue(item)
	if ok {
		if h := pc.byValue[val]; h != nil {
			v, err = h.decode(item)
			return v, err == nil, err
		}
	}
	switch pc.unknown {
	case unknownSkip:
		return nil, false, nil
	case unknownKeep:
		return &RawItem{Discriminator: val, Item: item}, true, nil
	}
	return nil, false, &UnknownVariantError{Model: pc.t.model.Name, Attribute: pc.t.variant.disc.Name, Value: val, Missing: !ok, Key: pc.t.storedKeyOf(item)}
}

// Name returns the table's name, prefix included.
func (p *Poly[B]) Name() string { return p.t.name }

// Get reads the item with the given key
// (https://docs.aws.amazon.com/amazondynamodb/latest/APIReference/API_GetItem.html)
// and returns it as a pointer to its variant. The key holds the stored
// values of the key attributes (key templates belong to variants: use a
// variant's KeyOf, or its Table's Get). Errors: ErrNotFound when there is
// no item (or, with SkipUnknown, when it is of an unknown variant);
// *UnknownVariantError (ErrUnknownVariant) for an unknown variant; otherwise
// as Table.Get.
func (p *Poly[B]) Get(ctx context.Context, key ItemKey, opts ...ReadOption) (any, error) {
	av, _, err := p.t.getItem(ctx, key, opts, false)
	if err != nil {
		return nil, err
	}
	v, keep, err := p.decode(av)
	if err != nil {
		return nil, err
	}
	if !keep {
		return nil, ErrNotFound
	}
	return v, nil
}

// Save writes item, a pointer to a registered variant, replacing any item
// with the same key
// (https://docs.aws.amazon.com/amazondynamodb/latest/APIReference/API_PutItem.html).
// The variant's discriminator value and templated keys are set in the struct
// first; then it is validated and written as by that variant's Table.Save
// (its own validate tags and special fields). A type that is not registered
// is an error matching ErrUnknownVariant, before any request; other errors
// are as for Table.Save.
func (p *Poly[B]) Save(ctx context.Context, item any, opts ...WriteOption) error {
	h, err := p.handleOf("Save", item)
	if err != nil {
		return err
	}
	return h.save(ctx, "Save", item, false, opts)
}

// Create is Save for a new item: it fails with ErrAlreadyExists when an
// item with the same key exists (see Table.Create).
func (p *Poly[B]) Create(ctx context.Context, item any, opts ...WriteOption) error {
	h, err := p.handleOf("Create", item)
	if err != nil {
		return err
	}
	return h.save(ctx, "Create", item, true, opts)
}

// Delete deletes the item with the given key, whatever its variant
// (https://docs.aws.amazon.com/amazondynamodb/latest/APIReference/API_DeleteItem.html).
// The key holds the stored key values (see Get). A failed condition's
// *ConditionFailedError.Current holds the stored item decoded into its
// variant. Errors are as for Table.Delete.
func (p *Poly[B]) Delete(ctx context.Context, key ItemKey, opts ...WriteOption) error {
	err := p.base.Delete(ctx, key, opts...)
	var cf *ConditionFailedError
	if errors.As(err, &cf) {
		cf.Current = nil
		if len(cf.Item) > 0 {
			if v, keep, derr := p.decode(cf.Item); derr == nil && keep {
				cf.Current = v
			}
		}
	}
	return err
}

// DeleteItem deletes the stored item with the key of item, a pointer to a
// registered variant, as that variant's Table.DeleteItem does (an item of
// another variant under that key is left alone). An unregistered type
// matches ErrUnknownVariant, before any request.
func (p *Poly[B]) DeleteItem(ctx context.Context, item any, opts ...WriteOption) error {
	h, err := p.handleOf("DeleteItem", item)
	if err != nil {
		return err
	}
	return h.deleteItem(ctx, item, opts)
}

// KeyOf returns the key of item, a pointer to a registered variant, with its
// templated key attributes built from its fields, for Get and Delete on p or
// on any handle of the table. An unregistered type, or fields that cannot
// make a key, make Get and Delete fail before any request.
func (p *Poly[B]) KeyOf(item any) ItemKey {
	h, err := p.handleOf("KeyOf", item)
	if err != nil {
		return ItemKey{err: err}
	}
	return h.keyOf(item)
}

// CreateTableInput returns the CreateTable request for the table: the base's
// keys and every secondary index that the base or a variant declares (see
// Table.CreateTableInput).
func (p *Poly[B]) CreateTableInput() *dynamodb.CreateTableInput { return p.base.CreateTableInput() }

// CreateTable creates the table with every variant's indexes, waits until
// it is ACTIVE and turns on TTL when a variant has a ttl field (see
// Table.CreateTable).
func (p *Poly[B]) CreateTable(ctx context.Context) error { return p.base.CreateTable(ctx) }

// CheckTable compares the live table with every variant's declarations
// (see Table.CheckTable).
func (p *Poly[B]) CheckTable(ctx context.Context) error { return p.base.CheckTable(ctx) }

// EnsureTable creates the table or adds what it lacks for every variant
// (see Table.EnsureTable).
func (p *Poly[B]) EnsureTable(ctx context.Context) error { return p.base.EnsureTable(ctx) }

// DeleteTable deletes the table (see Table.DeleteTable).
func (p *Poly[B]) DeleteTable(ctx context.Context) error { return p.base.DeleteTable(ctx) }
