package dynantic

import (
	"reflect"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb/types"
)

// TestCapacityAnsweredAll sums what DynamoDB can report and the backends
// used in tests do not: ReadCapacityUnits and WriteCapacityUnits, and one
// entry per table.
func TestCapacityAnsweredAll(t *testing.T) {
	var c Capacity
	c.answeredAll([]types.ConsumedCapacity{
		{TableName: aws.String("a"), CapacityUnits: aws.Float64(6), ReadCapacityUnits: aws.Float64(2), WriteCapacityUnits: aws.Float64(4),
			Table: &types.Capacity{CapacityUnits: aws.Float64(4)}, GlobalSecondaryIndexes: map[string]types.Capacity{"g": {CapacityUnits: aws.Float64(2)}}},
		{TableName: aws.String("b"), CapacityUnits: aws.Float64(1), ReadCapacityUnits: aws.Float64(1),
			LocalSecondaryIndexes: map[string]types.Capacity{"l": {CapacityUnits: aws.Float64(0.5)}}},
	})
	c.answered(nil) // an answer without ConsumedCapacity still counts as a request
	want := Capacity{Requests: 2, Units: 7, Table: 4, Read: 3, Write: 4,
		Indexes: map[string]float64{"g": 2, "l": 0.5}, Tables: map[string]float64{"a": 6, "b": 1}}
	if !reflect.DeepEqual(c, want) {
		t.Fatalf("%+v\nwant %+v", c, want)
	}
	var none *Capacity
	none.answered(&types.ConsumedCapacity{CapacityUnits: aws.Float64(1)}) // nil: no-op
	if none.rcc() != "" || c.rcc() != types.ReturnConsumedCapacityIndexes {
		t.Fatal("ReturnConsumedCapacity")
	}
}
