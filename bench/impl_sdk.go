package bench

import (
	"context"

	"github.com/aws/aws-sdk-go-v2/feature/dynamodb/attributevalue"
	"github.com/aws/aws-sdk-go-v2/feature/dynamodb/expression"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb/types"
)

// SDK is the raw aws-sdk-go-v2: attributevalue for items, expression for
// conditions, updates and key conditions.
func SDK() Impl {
	return Impl{
		Name:   "sdk",
		Small:  sdkCodec[Small](),
		Medium: sdkCodec[Medium](),
		Large:  sdkCodec[Large](),
		Bind:   sdkOps,
	}
}

func sdkCodec[T any]() Codec[T] {
	return Codec[T]{
		Encode: func(v *T) (Item, error) { return attributevalue.MarshalMap(v) },
		Decode: func(m Item, v *T) error { return attributevalue.UnmarshalMap(m, v) },
	}
}

func sdkKey() Item {
	return Item{
		attrID: &types.AttributeValueMemberS{Value: keyID},
		attrSK: &types.AttributeValueMemberS{Value: keySK},
	}
}

func sdkCond() expression.ConditionBuilder {
	return expression.Name(attrVersion).Equal(expression.Value(condVersion)).
		And(expression.AttributeExists(expression.Name(attrEmail)))
}

func sdkOps(c API) Ops {
	var keys []Item
	for _, k := range batchKeys() {
		keys = append(keys, Item{
			attrID: &types.AttributeValueMemberS{Value: k[0]},
			attrSK: &types.AttributeValueMemberS{Value: k[1]},
		})
	}
	return Ops{
		BatchGet: func(ctx context.Context) ([]Medium, error) {
			req := map[string]types.KeysAndAttributes{tableMedium: {Keys: keys}}
			var all []Medium
			for len(req) > 0 {
				out, err := c.BatchGetItem(ctx, &dynamodb.BatchGetItemInput{RequestItems: req})
				if err != nil {
					return nil, err
				}
				var page []Medium
				if err := attributevalue.UnmarshalListOfMaps(out.Responses[tableMedium], &page); err != nil {
					return nil, err
				}
				all = append(all, page...)
				req = out.UnprocessedKeys
			}
			return all, nil
		},
		Get: func(ctx context.Context) (*Medium, error) {
			out, err := c.GetItem(ctx, &dynamodb.GetItemInput{TableName: &tableMedium, Key: sdkKey()})
			if err != nil {
				return nil, err
			}
			if out.Item == nil {
				return nil, ErrNotFound
			}
			v := new(Medium)
			if err := attributevalue.UnmarshalMap(out.Item, v); err != nil {
				return nil, err
			}
			return v, nil
		},
		Save: func(ctx context.Context, v *Medium) error {
			item, err := attributevalue.MarshalMap(v)
			if err != nil {
				return err
			}
			_, err = c.PutItem(ctx, &dynamodb.PutItemInput{TableName: &tableMedium, Item: item})
			return err
		},
		Query: func(ctx context.Context) ([]Medium, error) {
			e, err := expression.NewBuilder().
				WithKeyCondition(expression.Key(attrID).Equal(expression.Value(keyID))).Build()
			if err != nil {
				return nil, err
			}
			in := &dynamodb.QueryInput{
				TableName:                 &tableMedium,
				KeyConditionExpression:    e.KeyCondition(),
				ExpressionAttributeNames:  e.Names(),
				ExpressionAttributeValues: e.Values(),
			}
			p := dynamodb.NewQueryPaginator(c, in)
			var all []Medium
			for p.HasMorePages() {
				out, err := p.NextPage(ctx)
				if err != nil {
					return nil, err
				}
				var page []Medium
				if err := attributevalue.UnmarshalListOfMaps(out.Items, &page); err != nil {
					return nil, err
				}
				if all == nil {
					all = page
				} else {
					all = append(all, page...)
				}
			}
			return all, nil
		},
		Update: func(ctx context.Context) error {
			upd := expression.Set(expression.Name(attrName), expression.Value(newName)).
				Add(expression.Name(attrAge), expression.Value(1)).
				Remove(expression.Name(attrManager)).
				Delete(expression.Name(attrTags), expression.Value(&types.AttributeValueMemberSS{Value: []string{deleteTag}}))
			e, err := expression.NewBuilder().WithCondition(sdkCond()).WithUpdate(upd).Build()
			if err != nil {
				return err
			}
			_, err = c.UpdateItem(ctx, &dynamodb.UpdateItemInput{
				TableName:                 &tableMedium,
				Key:                       sdkKey(),
				UpdateExpression:          e.Update(),
				ConditionExpression:       e.Condition(),
				ExpressionAttributeNames:  e.Names(),
				ExpressionAttributeValues: e.Values(),
			})
			return err
		},
		CondDelete: func(ctx context.Context) error {
			e, err := expression.NewBuilder().WithCondition(sdkCond()).Build()
			if err != nil {
				return err
			}
			_, err = c.DeleteItem(ctx, &dynamodb.DeleteItemInput{
				TableName:                 &tableMedium,
				Key:                       sdkKey(),
				ConditionExpression:       e.Condition(),
				ExpressionAttributeNames:  e.Names(),
				ExpressionAttributeValues: e.Values(),
			})
			return err
		},
	}
}
