package dynantic_test

import (
	"context"
	"fmt"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb/types"
	streamstypes "github.com/aws/aws-sdk-go-v2/service/dynamodbstreams/types"

	"github.com/dynantic/dynantic"
	"github.com/dynantic/dynantic/memdynamo"
)

func ExampleTable_Encode() {
	type Invoice struct {
		ID      string  `dynamo:"id,pk"`
		Amount  float64 `dynamo:"amount"`
		Version int     `dynamo:"version,version"`
	}
	db := dynantic.New(memdynamo.New().Client())
	invoices := dynantic.MustTable[Invoice](db, dynantic.WithTableName("invoices"))

	// The item Save would store, for a raw SDK call (a TransactWriteItems
	// with another service's table, say): the version as Save writes it.
	item, err := invoices.Encode(&Invoice{ID: "inv-1", Amount: 99.5})
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println(item["id"].(*types.AttributeValueMemberS).Value,
		item["amount"].(*types.AttributeValueMemberN).Value,
		item["version"].(*types.AttributeValueMemberN).Value)
	// Output: inv-1 99.5 1
}

func ExampleTable_Decode() {
	type Invoice struct {
		ID     string  `dynamo:"id,pk"`
		Amount float64 `dynamo:"amount"`
	}
	db := dynantic.New(memdynamo.New().Client())
	invoices := dynantic.MustTable[Invoice](db, dynantic.WithTableName("invoices"))

	// An item from a raw SDK response, an export or a stream image.
	inv, err := invoices.Decode(map[string]types.AttributeValue{
		"id":     &types.AttributeValueMemberS{Value: "inv-1"},
		"amount": &types.AttributeValueMemberN{Value: "99.5"},
	})
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Printf("%+v\n", *inv)

	// An item of another table is an error naming what is missing.
	_, err = invoices.Decode(map[string]types.AttributeValue{"order_id": &types.AttributeValueMemberS{Value: "o-1"}})
	fmt.Println(err)
	// Output:
	// {ID:inv-1 Amount:99.5}
	// dynantic: decode Invoice: attribute "id": the item has no key attribute id (an item of another table?)
}

func ExamplePoly_Decode() {
	type Animal struct {
		ID   string `dynamo:"id,pk"`
		Type string `dynamo:"type,discriminator"`
		Name string `dynamo:"name"`
	}
	type Dog struct {
		Animal
		Breed string `dynamo:"breed"`
	}
	type Cat struct {
		Animal
		Lives int `dynamo:"lives"`
	}
	db := dynantic.New(memdynamo.New().Client())
	animals := dynantic.MustPoly[Animal](db, dynantic.WithTableName("animals"),
		dynantic.Variant[Dog]("DOG"), dynantic.Variant[Cat]("CAT"))

	s := func(v string) types.AttributeValue { return &types.AttributeValueMemberS{Value: v} }
	for _, item := range []map[string]types.AttributeValue{
		{"id": s("a1"), "type": s("DOG"), "name": s("Rex"), "breed": s("lab")},
		{"id": s("a2"), "type": s("CAT"), "name": s("Tom"), "lives": &types.AttributeValueMemberN{Value: "9"}},
	} {
		a, err := animals.Decode(item)
		if err != nil {
			fmt.Println(err)
			return
		}
		switch a := a.(type) {
		case *Dog:
			fmt.Println(a.Name, "is a", a.Breed)
		case *Cat:
			fmt.Println(a.Name, "has", a.Lives, "lives")
		}
	}
	// Output:
	// Rex is a lab
	// Tom has 9 lives
}

func ExampleDecodeRecord() {
	type Order struct {
		ID     string `dynamo:"id,pk"`
		Status string `dynamo:"status"`
	}
	db := dynantic.New(memdynamo.New().Client())
	orders := dynantic.MustTable[Order](db, dynantic.WithTableName("orders"))

	// A record as GetRecords returns it (ReadStream and package
	// lambdaevents decode records for you).
	s := func(v string) streamstypes.AttributeValue { return &streamstypes.AttributeValueMemberS{Value: v} }
	rec := streamstypes.Record{
		EventID:   aws.String("7b9d7ef8"),
		EventName: streamstypes.OperationTypeModify,
		Dynamodb: &streamstypes.StreamRecord{
			ApproximateCreationDateTime: aws.Time(time.Date(2025, 1, 1, 12, 0, 0, 0, time.UTC)),
			Keys:                        map[string]streamstypes.AttributeValue{"id": s("o-1")},
			OldImage:                    map[string]streamstypes.AttributeValue{"id": s("o-1"), "status": s("NEW")},
			NewImage:                    map[string]streamstypes.AttributeValue{"id": s("o-1"), "status": s("PAID")},
			SequenceNumber:              aws.String("4100000000000000000001"),
			StreamViewType:              streamstypes.StreamViewTypeNewAndOldImages,
		},
	}
	c, err := dynantic.DecodeRecord(orders, rec) // a dynantic.Change[Order]
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println(c.Kind, c.Old.Status, "->", c.New.Status, c.ChangedAttributes(), c.TTLExpired())

	// A record of another table is a *RecordError naming the record.
	rec.Dynamodb.Keys = map[string]streamstypes.AttributeValue{"sku": s("x")}
	_, err = dynantic.DecodeRecord(orders, rec)
	fmt.Println(err)
	// Output:
	// MODIFY NEW -> PAID [status] false
	// dynantic: stream record "7b9d7ef8" (sequence number 4100000000000000000001): Order: the record's keys {"sku":"x"} are not the table's key id (S) (a record of another table?)
}

// ReadStream follows a table's stream, for development and tests. (Not run
// here: the embedded engine does not serve the DynamoDB Streams API yet;
// against DynamoDB Local it prints the output below.)
func ExampleTable_ReadStream() {
	type Order struct {
		ID     string `dynamo:"id,pk"`
		Status string `dynamo:"status"`
	}
	db := dynantic.New(memdynamo.New().Client())
	orders := dynantic.MustTable[Order](db, dynantic.WithTableName("orders"),
		dynantic.WithStream(types.StreamViewTypeNewAndOldImages))
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	if err := orders.CreateTable(ctx); err != nil {
		fmt.Println(err)
		return
	}
	_ = orders.Save(ctx, &Order{ID: "o-1", Status: "NEW"})
	_ = orders.Save(ctx, &Order{ID: "o-1", Status: "PAID"})
	_ = orders.Delete(ctx, dynantic.Key("o-1"))

	n := 0
	for c, err := range orders.ReadStream(ctx) {
		if err != nil {
			fmt.Println(err)
			return
		}
		switch c.Kind {
		case dynantic.ChangeInsert:
			fmt.Println("new order", c.New.ID, c.New.Status)
		case dynantic.ChangeModify:
			fmt.Println("order", c.New.ID, c.Old.Status, "->", c.New.Status)
		case dynantic.ChangeRemove:
			fmt.Println("order", c.Old.ID, "removed; by TTL:", c.TTLExpired())
		}
		if n++; n == 3 {
			break
		}
	}
	// Output:
	// new order o-1 NEW
	// order o-1 NEW -> PAID
	// order o-1 removed; by TTL: false
}
