package bench

import (
	"context"
	"reflect"
	"unsafe"

	"github.com/aws/aws-sdk-go-v2/service/dynamodb"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb/types"

	"github.com/dynantic/dynantic"
	"github.com/dynantic/dynantic/internal/codec"
	"github.com/dynantic/dynantic/internal/expr"
)

// Dynantic is this library. The codec rows use the compiled plans of
// internal/codec directly (what Table.Save and Table.Get run); the request
// rows use the public Table API, except where Notes says otherwise.
func Dynantic() Impl {
	return Impl{
		Name:   "dynantic",
		Small:  planCodec[Small](),
		Medium: planCodec[Medium](),
		Large:  planCodec[Large](),
		Bind:   dynanticOps,
		Notes: "Query: interim until Table.Query lands: the key condition is compiled by internal/expr and the page decoded by the plan into a pre-sized []Medium (what Query does). " +
			"Update: interim until Table.Update lands: key, condition and the four actions are built with internal/codec and internal/expr.",
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

// decodePage decodes a page straight into a new slice of its length.
func decodePage(p *codec.Plan, items []Item) ([]Medium, error) {
	out := make([]Medium, len(items))
	for i, it := range items {
		if err := p.Decode(it, unsafe.Pointer(&out[i])); err != nil {
			return nil, err
		}
	}
	return out, nil
}

func dynanticCond() dynantic.Condition {
	return dynantic.Attr(attrVersion).Eq(condVersion).And(dynantic.Attr(attrEmail).Exists())
}

func dynanticOps(c API) Ops {
	t := dynantic.MustTable[Medium](dynantic.New(c))
	plan := mustPlan[Medium]()
	encode := func(path expr.Path, _ expr.Op, v any) (types.AttributeValue, error) {
		if len(path) == 1 {
			if f := plan.Field(path[0].Name); f != nil && reflect.TypeOf(v) == f.Type {
				return f.EncodeAny(v) // what Table's condition encoder does
			}
		}
		return codec.Marshal(v)
	}
	key := func() (Item, error) {
		id, err := plan.Field(attrID).EncodeAny(keyID)
		if err != nil {
			return nil, err
		}
		sk, err := plan.Field(attrSK).EncodeAny(keySK)
		if err != nil {
			return nil, err
		}
		return Item{attrID: id, attrSK: sk}, nil
	}
	return Ops{
		Get: func(ctx context.Context) (*Medium, error) {
			return t.Get(ctx, dynantic.Key(keyID, keySK))
		},
		Save: func(ctx context.Context, v *Medium) error { return t.Save(ctx, v) },
		Query: func(ctx context.Context) ([]Medium, error) {
			b := &expr.Builder{Encode: encode}
			text, err := b.Cond(&expr.Cond{Op: expr.OpEq, Args: []expr.Operand{
				{Path: expr.NamePath(attrID)}, {Value: keyID, IsValue: true}}})
			if err != nil {
				return nil, err
			}
			in := &dynamodb.QueryInput{
				TableName:                 &tableMedium,
				KeyConditionExpression:    &text,
				ExpressionAttributeNames:  b.Names(),
				ExpressionAttributeValues: b.Values(),
			}
			var all []Medium
			for {
				out, err := c.Query(ctx, in)
				if err != nil {
					return nil, err
				}
				page, err := decodePage(plan, out.Items)
				if err != nil {
					return nil, err
				}
				if all == nil {
					all = page
				} else {
					all = append(all, page...)
				}
				if out.LastEvaluatedKey == nil {
					return all, nil
				}
				in.ExclusiveStartKey = out.LastEvaluatedKey
			}
		},
		Update: func(ctx context.Context) error {
			k, err := key()
			if err != nil {
				return err
			}
			b := &expr.Builder{Encode: encode}
			val := func(path string, v any) (string, error) {
				av, err := encode(expr.NamePath(path), expr.OpEq, v)
				if err != nil {
					return "", err
				}
				return b.Value(av), nil
			}
			name, err := val(attrName, newName)
			if err != nil {
				return err
			}
			age, err := val(attrAge, 1)
			if err != nil {
				return err
			}
			tags := b.Value(&types.AttributeValueMemberSS{Value: []string{deleteTag}})
			upd := "SET " + b.Name(expr.NamePath(attrName)) + " = " + name +
				" ADD " + b.Name(expr.NamePath(attrAge)) + " " + age +
				" REMOVE " + b.Name(expr.NamePath(attrManager)) +
				" DELETE " + b.Name(expr.NamePath(attrTags)) + " " + tags
			cond, err := b.Cond(&expr.Cond{Op: expr.OpAnd, Subs: []*expr.Cond{
				{Op: expr.OpEq, Args: []expr.Operand{{Path: expr.NamePath(attrVersion)}, {Value: condVersion, IsValue: true}}},
				{Op: expr.OpExists, Args: []expr.Operand{{Path: expr.NamePath(attrEmail)}}},
			}})
			if err != nil {
				return err
			}
			_, err = c.UpdateItem(ctx, &dynamodb.UpdateItemInput{
				TableName:                 &tableMedium,
				Key:                       k,
				UpdateExpression:          &upd,
				ConditionExpression:       &cond,
				ExpressionAttributeNames:  b.Names(),
				ExpressionAttributeValues: b.Values(),
			})
			return err
		},
		CondDelete: func(ctx context.Context) error {
			return t.Delete(ctx, dynantic.Key(keyID, keySK), dynantic.If(dynanticCond()))
		},
	}
}
