package lambdaevents_test

import (
	"context"
	"encoding/json"
	"fmt"
	"log"

	"github.com/aws/aws-lambda-go/events"

	"github.com/dynantic/dynantic"
	"github.com/dynantic/dynantic/lambdaevents"
	"github.com/dynantic/dynantic/memdynamo"
)

func ExampleProcess() {
	type Order struct {
		ID     string `dynamo:"id,pk"`
		Status string `dynamo:"status"`
	}
	db := dynantic.New(memdynamo.New().Client())
	orders := dynantic.MustTable[Order](db, dynantic.WithTableName("orders"))

	// The Lambda handler (main calls lambda.Start(handler)).
	handler := func(ctx context.Context, ev events.DynamoDBEvent) (events.DynamoDBEventResponse, error) {
		resp, err := lambdaevents.Process(ctx, orders, ev, func(ctx context.Context, c dynantic.Change[Order]) error {
			switch {
			case c.Kind == dynantic.ChangeInsert:
				fmt.Println("new order", c.New.ID)
			case c.Kind == dynantic.ChangeModify:
				fmt.Println("order", c.New.ID, c.Old.Status, "->", c.New.Status)
			case c.TTLExpired():
				fmt.Println("order", c.Old.ID, "expired")
			default:
				fmt.Println("order", c.Old.ID, "deleted")
			}
			return nil
		})
		if err != nil {
			log.Print(err) // which record failed and why; Lambda retries from it
		}
		return resp, nil // an error here would retry the whole batch
	}

	// An event as Lambda delivers it.
	var ev events.DynamoDBEvent
	_ = json.Unmarshal([]byte(`{"Records": [
	  {"eventID": "1", "eventName": "INSERT", "dynamodb": {"Keys": {"id": {"S": "o-1"}},
	    "NewImage": {"id": {"S": "o-1"}, "status": {"S": "NEW"}}, "SequenceNumber": "100", "StreamViewType": "NEW_AND_OLD_IMAGES"}},
	  {"eventID": "2", "eventName": "MODIFY", "dynamodb": {"Keys": {"id": {"S": "o-1"}},
	    "OldImage": {"id": {"S": "o-1"}, "status": {"S": "NEW"}},
	    "NewImage": {"id": {"S": "o-1"}, "status": {"S": "PAID"}}, "SequenceNumber": "200", "StreamViewType": "NEW_AND_OLD_IMAGES"}},
	  {"eventID": "3", "eventName": "REMOVE", "dynamodb": {"Keys": {"id": {"S": "o-1"}},
	    "OldImage": {"id": {"S": "o-1"}, "status": {"S": "PAID"}}, "SequenceNumber": "300", "StreamViewType": "NEW_AND_OLD_IMAGES"},
	    "userIdentity": {"type": "Service", "principalId": "dynamodb.amazonaws.com"}},
	  {"eventID": "4", "eventName": "INSERT", "dynamodb": {"Keys": {"sku": {"S": "x"}},
	    "NewImage": {"sku": {"S": "x"}}, "SequenceNumber": "400", "StreamViewType": "NEW_AND_OLD_IMAGES"}}
	]}`), &ev)
	resp, _ := handler(context.Background(), ev)
	b, _ := json.Marshal(resp)
	fmt.Println(string(b))
	// Output:
	// new order o-1
	// order o-1 NEW -> PAID
	// order o-1 expired
	// {"batchItemFailures":[{"itemIdentifier":"400"}]}
}
