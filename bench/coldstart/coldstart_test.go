package coldstart

import (
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb"

	"github.com/dynantic/dynantic"
)

// TestColdStart builds the ten handles once, as a cold start does, and
// reports the time (the goal is under 1 ms; wall-clock time is reported,
// never asserted). What it asserts is that every model is accepted.
func TestColdStart(t *testing.T) {
	db := dynantic.New(dynamodb.NewFromConfig(aws.Config{Region: "us-east-1"}))
	d, err := BuildTables(db)
	if err != nil {
		t.Fatal(err)
	}
	t.Logf("%d table handles built in %v (first build in this process)", Models, d)
	again, err := BuildTables(db)
	if err != nil {
		t.Fatal(err)
	}
	t.Logf("again: %v (plans cached)", again)
}
