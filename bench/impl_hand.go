package bench

import (
	"context"
	"strconv"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb/types"
)

// Hand is the hand-written floor: reflection-free codecs, and requests whose
// expressions are built by string concatenation.
func Hand() Impl {
	return Impl{
		Name:   "hand",
		Small:  Codec[Small]{HandEncodeSmall, HandDecodeSmall},
		Medium: Codec[Medium]{HandEncodeMedium, HandDecodeMedium},
		Large:  Codec[Large]{HandEncodeLarge, HandDecodeLarge},
		Bind:   handOps,
	}
}

func handKey() Item { return Item{attrID: handS(keyID), attrSK: handS(keySK)} }

// handCond is the two-clause condition, by concatenation.
func handCond() string {
	return "#" + attrVersion + " = :" + attrVersion + " AND attribute_exists(#" + attrEmail + ")"
}

func handOps(c API) Ops {
	var keys []Item
	for _, k := range batchKeys() {
		keys = append(keys, Item{attrID: handS(k[0]), attrSK: handS(k[1])})
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
				page, err := HandDecodePage(out.Responses[tableMedium])
				if err != nil {
					return nil, err
				}
				all = append(all, page...)
				req = out.UnprocessedKeys
			}
			return all, nil
		},
		Get: func(ctx context.Context) (*Medium, error) {
			out, err := c.GetItem(ctx, &dynamodb.GetItemInput{TableName: &tableMedium, Key: handKey()})
			if err != nil {
				return nil, err
			}
			if out.Item == nil {
				return nil, ErrNotFound
			}
			v := new(Medium)
			if err := HandDecodeMedium(out.Item, v); err != nil {
				return nil, err
			}
			return v, nil
		},
		Save: func(ctx context.Context, v *Medium) error {
			item, err := HandEncodeMedium(v)
			if err != nil {
				return err
			}
			_, err = c.PutItem(ctx, &dynamodb.PutItemInput{TableName: &tableMedium, Item: item})
			return err
		},
		Query: func(ctx context.Context) ([]Medium, error) {
			in := &dynamodb.QueryInput{
				TableName:                 &tableMedium,
				KeyConditionExpression:    aws.String("#" + attrID + " = :" + attrID),
				ExpressionAttributeNames:  map[string]string{"#" + attrID: attrID},
				ExpressionAttributeValues: Item{":" + attrID: handS(keyID)},
			}
			var all []Medium
			for {
				out, err := c.Query(ctx, in)
				if err != nil {
					return nil, err
				}
				if all == nil && out.LastEvaluatedKey == nil {
					return HandDecodePage(out.Items)
				}
				page, err := HandDecodePage(out.Items)
				if err != nil {
					return nil, err
				}
				all = append(all, page...)
				if out.LastEvaluatedKey == nil {
					return all, nil
				}
				in.ExclusiveStartKey = out.LastEvaluatedKey
			}
		},
		Update: func(ctx context.Context) error {
			_, err := c.UpdateItem(ctx, &dynamodb.UpdateItemInput{
				TableName: &tableMedium,
				Key:       handKey(),
				UpdateExpression: aws.String("SET #" + attrName + " = :" + attrName +
					" ADD #" + attrAge + " :" + attrAge +
					" REMOVE #" + attrManager +
					" DELETE #" + attrTags + " :" + attrTags),
				ConditionExpression: aws.String(handCond()),
				ExpressionAttributeNames: map[string]string{
					"#" + attrName: attrName, "#" + attrAge: attrAge, "#" + attrManager: attrManager,
					"#" + attrTags: attrTags, "#" + attrVersion: attrVersion, "#" + attrEmail: attrEmail,
				},
				ExpressionAttributeValues: Item{
					":" + attrName:    handS(newName),
					":" + attrAge:     handN("1"),
					":" + attrTags:    &types.AttributeValueMemberSS{Value: []string{deleteTag}},
					":" + attrVersion: handN(strconv.Itoa(condVersion)),
				},
			})
			return err
		},
		CondDelete: func(ctx context.Context) error {
			_, err := c.DeleteItem(ctx, &dynamodb.DeleteItemInput{
				TableName:                 &tableMedium,
				Key:                       handKey(),
				ConditionExpression:       aws.String(handCond()),
				ExpressionAttributeNames:  map[string]string{"#" + attrVersion: attrVersion, "#" + attrEmail: attrEmail},
				ExpressionAttributeValues: Item{":" + attrVersion: handN(strconv.Itoa(condVersion))},
			})
			return err
		},
	}
}
