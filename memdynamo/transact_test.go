package memdynamo

import (
	"errors"
	"strconv"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb/types"
)

func TestBatches(t *testing.T) {
	c := New().Client()
	mustCreate(t, c, hashTable("bat"))
	var puts []types.WriteRequest
	for i := 0; i < 25; i++ {
		puts = append(puts, types.WriteRequest{PutRequest: &types.PutRequest{Item: map[string]av{"pk": s(strconv.Itoa(i))}}})
	}
	out, err := c.BatchWriteItem(ctx, &dynamodb.BatchWriteItemInput{RequestItems: map[string][]types.WriteRequest{"bat": puts}})
	if err != nil || len(out.UnprocessedItems) != 0 {
		t.Fatalf("%v %v", out, err)
	}
	// 26 writes, a duplicate, or one bad item: refused whole, nothing written.
	bad := append([]types.WriteRequest{}, puts[:3]...)
	bad = append(bad, types.WriteRequest{PutRequest: &types.PutRequest{Item: map[string]av{"pk": s("new"), "x": &types.AttributeValueMemberSS{Value: []string{}}}}})
	for name, reqs := range map[string][]types.WriteRequest{
		"26": append(append([]types.WriteRequest{}, puts...), types.WriteRequest{PutRequest: &types.PutRequest{Item: map[string]av{"pk": s("x")}}}),
		"dup": {
			{PutRequest: &types.PutRequest{Item: map[string]av{"pk": s("new")}}},
			{DeleteRequest: &types.DeleteRequest{Key: map[string]av{"pk": s("new")}}},
		},
		"bad item": bad,
	} {
		if _, err := c.BatchWriteItem(ctx, &dynamodb.BatchWriteItemInput{RequestItems: map[string][]types.WriteRequest{"bat": reqs}}); apiCode(err) != "ValidationException" {
			t.Fatalf("%s: %v", name, err)
		}
	}
	got, err := c.BatchGetItem(ctx, &dynamodb.BatchGetItemInput{RequestItems: map[string]types.KeysAndAttributes{
		"bat": {Keys: []map[string]av{{"pk": s("0")}, {"pk": s("new")}, {"pk": s("24")}}},
	}})
	if err != nil {
		t.Fatal(err)
	}
	if n := len(got.Responses["bat"]); n != 2 {
		t.Fatalf("BatchGetItem found %d items (the missing key is omitted, nothing was written)", n)
	}
}

func TestTransactions(t *testing.T) {
	c := New().Client()
	mustCreate(t, c, hashTable("acc"))
	putN(t, c, "acc", map[string]av{"pk": s("a"), "bal": n("10")}, map[string]av{"pk": s("b"), "bal": n("0")})
	transfer := func(amount string, token string) error {
		in := &dynamodb.TransactWriteItemsInput{TransactItems: []types.TransactWriteItem{
			{Update: &types.Update{TableName: aws.String("acc"), Key: map[string]av{"pk": s("a")},
				UpdateExpression: aws.String("SET bal = bal - :x"), ConditionExpression: aws.String("bal >= :x"),
				ExpressionAttributeValues:           map[string]av{":x": n(amount)},
				ReturnValuesOnConditionCheckFailure: types.ReturnValuesOnConditionCheckFailureAllOld}},
			{Update: &types.Update{TableName: aws.String("acc"), Key: map[string]av{"pk": s("b")},
				UpdateExpression: aws.String("SET bal = bal + :x"), ExpressionAttributeValues: map[string]av{":x": n(amount)}}},
		}}
		if token != "" {
			in.ClientRequestToken = aws.String(token)
		}
		_, err := c.TransactWriteItems(ctx, in)
		return err
	}
	if err := transfer("4", "tok"); err != nil {
		t.Fatal(err)
	}
	if err := transfer("4", "tok"); err != nil { // the same request again: answered, not applied
		t.Fatal(err)
	}
	var mismatch *types.IdempotentParameterMismatchException
	if err := transfer("5", "tok"); !errors.As(err, &mismatch) {
		t.Fatalf("same token, other payload: %v", err)
	}
	err := transfer("100", "")
	var tce *types.TransactionCanceledException
	if !errors.As(err, &tce) {
		t.Fatalf("want TransactionCanceledException, got %v", err)
	}
	if len(tce.CancellationReasons) != 2 || *tce.CancellationReasons[0].Code != "ConditionalCheckFailed" ||
		*tce.CancellationReasons[1].Code != "None" || tce.CancellationReasons[0].Item["bal"].(*types.AttributeValueMemberN).Value != "6" {
		t.Fatalf("reasons %+v", tce.CancellationReasons)
	}
	got, err := c.TransactGetItems(ctx, &dynamodb.TransactGetItemsInput{TransactItems: []types.TransactGetItem{
		{Get: &types.Get{TableName: aws.String("acc"), Key: map[string]av{"pk": s("a")}}},
		{Get: &types.Get{TableName: aws.String("acc"), Key: map[string]av{"pk": s("b")}}},
		{Get: &types.Get{TableName: aws.String("acc"), Key: map[string]av{"pk": s("zz")}}},
	}})
	if err != nil {
		t.Fatal(err)
	}
	if a, b := got.Responses[0].Item["bal"].(*types.AttributeValueMemberN).Value, got.Responses[1].Item["bal"].(*types.AttributeValueMemberN).Value; a != "6" || b != "4" || got.Responses[2].Item != nil {
		t.Fatalf("balances %s %s %v (one transfer applied once)", a, b, got.Responses[2].Item)
	}
	// Two actions on one item are refused.
	_, err = c.TransactWriteItems(ctx, &dynamodb.TransactWriteItemsInput{TransactItems: []types.TransactWriteItem{
		{Put: &types.Put{TableName: aws.String("acc"), Item: map[string]av{"pk": s("a")}}},
		{Delete: &types.Delete{TableName: aws.String("acc"), Key: map[string]av{"pk": s("a")}}},
	}})
	if apiCode(err) != "ValidationException" {
		t.Fatalf("two actions on one item: %v", err)
	}
}

func TestRequestDigestIgnoresMemberOrder(t *testing.T) {
	a := requestDigest([]byte(`{"TransactItems":[{"Put":{"Item":{"a":{"S":"1"},"b":{"N":"2"}},"TableName":"t"}}],"ClientRequestToken":"x"}`))
	b := requestDigest([]byte(`{"ClientRequestToken":"x","TransactItems":[{"Put":{"TableName":"t","Item":{"b":{"N":"2"},"a":{"S":"1"}}}}]}`))
	c := requestDigest([]byte(`{"ClientRequestToken":"x","TransactItems":[{"Put":{"TableName":"t","Item":{"b":{"N":"3"},"a":{"S":"1"}}}}]}`))
	if a != b || a == c {
		t.Fatal("digest depends on member order or ignores a value")
	}
}
