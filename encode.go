package dynantic

import (
	"strconv"
	"unsafe"

	"github.com/aws/aws-sdk-go-v2/service/dynamodb/types"

	"github.com/dynantic/dynantic/internal/codec"
)

// Encode returns the item that Save would store for item, without sending
// anything: the same attribute values, with the managed attributes as Save
// writes them (updated = now by the DB's clock, created = the struct's value
// or now, version = the struct's version + 1) and, on a Poly variant's
// handle, the discriminator. Like Save, it first fills what the library
// writes into the struct: empty auto fields get a UUIDv7 and templated key
// fields are set, so a later Save of the same struct stores the same item;
// version, created and updated are left as they are (Save copies them back
// only after a successful write).
//
// Errors are Save's, before any request: ErrNilItem, a *ValidationError
// listing every failing field, a *CodecError naming the attribute (NaN, a
// string that is not valid UTF-8), ErrInvalidKey for an empty or too long
// key, ErrItemTooLarge over 400 KB.
func (t *Table[T]) Encode(item *T) (map[string]types.AttributeValue, error) {
	if item == nil {
		return nil, errNilItem("dynantic: " + t.model.Name + ": Encode of a nil item")
	}
	p := unsafe.Pointer(item)
	av, err := t.encodeWrite(item)
	if err != nil {
		return nil, err
	}
	if err := t.checkItemKey(av); err != nil {
		return nil, err
	}
	if _, _, err := t.stampPut(p, av, false); err != nil {
		return nil, err
	}
	return av, nil
}

// Decode decodes an item in DynamoDB's representation (from a raw SDK
// response, an export, a stream image, a *RawItem) into a new T, as Get
// would: templated key fields are parsed back from the stored keys, and the
// item must hold the table's key attributes. On the Table of one variant of
// a Poly (VariantTable), the item must be of that variant.
//
// Errors: a *CodecError naming the attribute that does not fit its field
// (a type mismatch, an integer overflow, a malformed number or templated
// key) or the key attribute the item lacks; on a variant's Table, an item of
// another variant (or without a discriminator) matches ErrUnknownVariant.
func (t *Table[T]) Decode(item map[string]types.AttributeValue) (*T, error) {
	if err := t.checkDecoded(item); err != nil {
		return nil, err
	}
	out := new(T)
	if err := t.decodeItem(item, unsafe.Pointer(out)); err != nil {
		return nil, err
	}
	return out, nil
}

// checkDecoded reports an item that Decode cannot take: one without the
// table's key attributes (an item of another table), or on a variant's
// handle one of another variant.
func (t *table) checkDecoded(item map[string]types.AttributeValue) error {
	for _, f := range [...]*codec.FieldCodec{t.pk, t.sk} {
		if f == nil {
			continue
		}
		av := item[f.Name]
		if av == nil {
			return &CodecError{Op: "decode", Model: t.model.Name, Path: f.Name,
				Msg: "the item has no key attribute " + f.Name + " (an item of another table?)"}
		}
		if typ := schemaScalar(f); !scalarKey(av, typ[0]) {
			return &CodecError{Op: "decode", Model: t.model.Name, Path: f.Name,
				Msg: "the key attribute is not a non-empty " + typ + " (an item of another table?)"}
		}
	}
	if v := t.variant; v != nil && v.value != "" && !v.owns(item) {
		got, ok := v.discValue(item)
		msg := "dynantic: " + t.model.Name + ": the item " + renderItem(t.storedKeyOf(item))
		if !ok {
			msg += " has no " + v.disc.Name + " attribute (string)"
		} else {
			msg += " is of variant " + strconv.Quote(got)
		}
		return &inputError{msg + ", not " + strconv.Quote(v.value) + " (decode it with the Poly or that variant's Table)", ErrUnknownVariant}
	}
	return nil
}

// scalarKey reports whether av is a key value of DynamoDB type typ (S, N
// or B), not empty.
func scalarKey(av types.AttributeValue, typ byte) bool {
	switch v := av.(type) {
	case *types.AttributeValueMemberS:
		return typ == 'S' && v != nil && v.Value != ""
	case *types.AttributeValueMemberN:
		return typ == 'N' && v != nil && v.Value != ""
	case *types.AttributeValueMemberB:
		return typ == 'B' && v != nil && len(v.Value) > 0
	}
	return false
}

// storedKeyOf is the primary key attributes of an item, as stored (for
// messages).
func (t *table) storedKeyOf(item map[string]types.AttributeValue) map[string]types.AttributeValue {
	key := make(map[string]types.AttributeValue, 2)
	for _, f := range [...]*codec.FieldCodec{t.pk, t.sk} {
		if f != nil && item[f.Name] != nil {
			key[f.Name] = item[f.Name]
		}
	}
	return key
}

// Encode returns the item that Save would store for item, a pointer to a
// registered variant, with its discriminator value set (see Table.Encode,
// whose errors it returns). A type that is not registered matches
// ErrUnknownVariant.
func (p *Poly[B]) Encode(item any) (map[string]types.AttributeValue, error) {
	h, err := p.handleOf("Encode", item)
	if err != nil {
		return nil, err
	}
	return h.encode(item)
}

// Decode decodes an item in DynamoDB's representation into its variant, by
// its discriminator value, and returns a pointer to it (*Dog) in an any, as
// Poly reads do. An item whose discriminator names no registered variant
// (or that has none) is, as the Poly's option says: an
// *UnknownVariantError (ErrUnknownVariant) by default, a *RawItem with
// KeepUnknown, and nil with a nil error with SkipUnknown. Other errors are
// Table.Decode's.
func (p *Poly[B]) Decode(item map[string]types.AttributeValue) (any, error) {
	if err := p.t.checkDecoded(item); err != nil {
		return nil, err
	}
	v, _, err := p.decode(item)
	return v, err
}

func (v *variantTable[V]) encode(item any) (map[string]types.AttributeValue, error) {
	return v.Encode(item.(*V))
}

// encodeWrite is what every write does to an item before its own checks:
// fill what the library writes into the struct (prepareWrite), validate it
// when the handle validates, and encode it.
func (t *Table[T]) encodeWrite(item *T) (map[string]types.AttributeValue, error) {
	p := unsafe.Pointer(item)
	if err := t.prepareWrite(p); err != nil {
		return nil, err
	}
	if t.validate {
		if err := validate(t.db.opts.validator, t.model, item); err != nil {
			return nil, err
		}
	}
	return t.plan.Encode(p)
}
