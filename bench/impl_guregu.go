package bench

import (
	"context"

	"github.com/guregu/dynamo/v2"
)

// Guregu is guregu/dynamo v2.
func Guregu() Impl {
	return Impl{
		Name:   "guregu",
		Small:  guregCodec[Small](),
		Medium: guregCodec[Medium](),
		Large:  guregCodec[Large](),
		Bind:   gureguOps,
	}
}

func guregCodec[T any]() Codec[T] {
	return Codec[T]{
		Encode: func(v *T) (Item, error) { return dynamo.MarshalItem(v) },
		Decode: func(m Item, v *T) error { return dynamo.UnmarshalItem(m, v) },
	}
}

const gureguCond = "$ = ? AND attribute_exists($)"

func gureguOps(c API) Ops {
	t := dynamo.NewFromIface(c).Table(tableMedium)
	var keys []dynamo.Keyed
	for _, k := range batchKeys() {
		keys = append(keys, dynamo.Keys{k[0], k[1]})
	}
	return Ops{
		BatchGet: func(ctx context.Context) ([]Medium, error) {
			var out []Medium
			err := t.Batch(attrID, attrSK).Get(keys...).All(ctx, &out)
			return out, err
		},
		Get: func(ctx context.Context) (*Medium, error) {
			v := new(Medium)
			if err := t.Get(attrID, keyID).Range(attrSK, dynamo.Equal, keySK).One(ctx, v); err != nil {
				return nil, err
			}
			return v, nil
		},
		Save: func(ctx context.Context, v *Medium) error { return t.Put(v).Run(ctx) },
		Query: func(ctx context.Context) ([]Medium, error) {
			var out []Medium
			err := t.Get(attrID, keyID).All(ctx, &out)
			return out, err
		},
		Update: func(ctx context.Context) error {
			return t.Update(attrID, keyID).Range(attrSK, keySK).
				Set(attrName, newName).
				Add(attrAge, 1).
				Remove(attrManager).
				DeleteStringsFromSet(attrTags, deleteTag).
				If(gureguCond, attrVersion, condVersion, attrEmail).
				Run(ctx)
		},
		CondDelete: func(ctx context.Context) error {
			return t.Delete(attrID, keyID).Range(attrSK, keySK).
				If(gureguCond, attrVersion, condVersion, attrEmail).
				Run(ctx)
		},
	}
}
