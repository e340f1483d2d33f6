package bench

import (
	"context"
	"reflect"
	"unsafe"

	"github.com/dynantic/dynantic"
	"github.com/dynantic/dynantic/internal/codec"
)

// Dynantic is this library. The codec rows use the compiled plans of
// internal/codec directly (what Table.Save and Table.Get run); the request
// rows use the public Table API: Get, Save, Query(...).All (which returns
// []*Medium, see Ops.QueryPtrs), Update(...).Execute and Delete.
func Dynantic() Impl {
	return Impl{
		Name:   "dynantic",
		Small:  planCodec[Small](),
		Medium: planCodec[Medium](),
		Large:  planCodec[Large](),
		Bind:   dynanticOps,
	}
}

func mustPlan[T any]() *codec.Plan {
	p, err := codec.PlanFor(reflect.TypeFor[T]())
	if err != nil {
		panic(err)
	}
	return p
}

func planCodec[T any]() Codec[T] {
	p := mustPlan[T]()
	return Codec[T]{
		Encode: func(v *T) (Item, error) { return p.Encode(unsafe.Pointer(v)) },
		Decode: func(m Item, v *T) error { return p.Decode(m, unsafe.Pointer(v)) },
	}
}

func dynanticCond() dynantic.Condition {
	return dynantic.Attr(attrVersion).Eq(condVersion).And(dynantic.Attr(attrEmail).Exists())
}

func dynanticOps(c API) Ops {
	t := dynantic.MustTable[Medium](dynantic.New(c))
	var keys []dynantic.ItemKey
	for _, k := range batchKeys() {
		keys = append(keys, dynantic.Key(k[0], k[1]))
	}
	return Ops{
		BatchGetPtrs: func(ctx context.Context) ([]*Medium, error) { return t.BatchGet(ctx, keys) },
		Get: func(ctx context.Context) (*Medium, error) {
			return t.Get(ctx, dynantic.Key(keyID, keySK))
		},
		Save: func(ctx context.Context, v *Medium) error { return t.Save(ctx, v) },
		QueryPtrs: func(ctx context.Context) ([]*Medium, error) {
			return t.Query(keyID).All(ctx)
		},
		Update: func(ctx context.Context) error {
			_, err := t.Update(dynantic.Key(keyID, keySK)).
				Set(attrName, newName).
				Add(attrAge, 1).
				Remove(attrManager).
				Delete(attrTags, []string{deleteTag}).
				If(dynanticCond()).
				Execute(ctx)
			return err
		},
		CondDelete: func(ctx context.Context) error {
			return t.Delete(ctx, dynantic.Key(keyID, keySK), dynantic.If(dynanticCond()))
		},
	}
}
