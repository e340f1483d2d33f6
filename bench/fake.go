package bench

import (
	"context"

	"github.com/aws/aws-sdk-go-v2/service/dynamodb"
	"github.com/guregu/dynamo/v2/dynamodbiface"
)

// Fake is an in-memory DynamoDB client for the request-building rows: it
// answers at once with canned outputs and keeps the last input of each
// operation (for the gate). Operations it does not implement panic, through
// the nil embedded interface. It is not safe for concurrent use.
type Fake struct {
	dynamodbiface.DynamoDBAPI

	getOut   dynamodb.GetItemOutput
	queryOut dynamodb.QueryOutput

	LastGet    *dynamodb.GetItemInput
	LastPut    *dynamodb.PutItemInput
	LastQuery  *dynamodb.QueryInput
	LastUpdate *dynamodb.UpdateItemInput
	LastDelete *dynamodb.DeleteItemInput
}

// NewFake returns a Fake whose GetItem returns item and whose Query returns
// page (as one page, with no LastEvaluatedKey).
func NewFake(item Item, page []Item) *Fake {
	f := &Fake{}
	f.getOut.Item = item
	f.queryOut.Items = page
	f.queryOut.Count = int32(len(page))
	f.queryOut.ScannedCount = int32(len(page))
	return f
}

// GetItem returns the canned item.
func (f *Fake) GetItem(_ context.Context, in *dynamodb.GetItemInput, _ ...func(*dynamodb.Options)) (*dynamodb.GetItemOutput, error) {
	f.LastGet = in
	return &f.getOut, nil
}

// PutItem succeeds.
func (f *Fake) PutItem(_ context.Context, in *dynamodb.PutItemInput, _ ...func(*dynamodb.Options)) (*dynamodb.PutItemOutput, error) {
	f.LastPut = in
	return &dynamodb.PutItemOutput{}, nil
}

// Query returns the canned page.
func (f *Fake) Query(_ context.Context, in *dynamodb.QueryInput, _ ...func(*dynamodb.Options)) (*dynamodb.QueryOutput, error) {
	f.LastQuery = in
	return &f.queryOut, nil
}

// UpdateItem succeeds.
func (f *Fake) UpdateItem(_ context.Context, in *dynamodb.UpdateItemInput, _ ...func(*dynamodb.Options)) (*dynamodb.UpdateItemOutput, error) {
	f.LastUpdate = in
	return &dynamodb.UpdateItemOutput{}, nil
}

// DeleteItem succeeds.
func (f *Fake) DeleteItem(_ context.Context, in *dynamodb.DeleteItemInput, _ ...func(*dynamodb.Options)) (*dynamodb.DeleteItemOutput, error) {
	f.LastDelete = in
	return &dynamodb.DeleteItemOutput{}, nil
}
