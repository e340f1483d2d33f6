// Package nojava is run by TestWithoutJava in a child "go test" whose PATH
// has no java: a package of tests and examples that need DynamoDB, as a
// user's package would have.
package nojava

import (
	"context"
	"fmt"
	"os"
	"testing"

	"github.com/aws/aws-sdk-go-v2/service/dynamodb"

	"github.com/dynantic/dynantic/dynamotest"
)

func TestMain(m *testing.M) { os.Exit(dynamotest.Main(m)) }

func TestNeedsServer(t *testing.T) {
	c := dynamotest.Client(t)
	if _, err := c.ListTables(context.Background(), &dynamodb.ListTablesInput{}); err != nil {
		t.Fatal(err)
	}
	fmt.Println("reached DynamoDB")
}

func TestPlain(t *testing.T) {}

func ExampleSharedClient() {
	c, err := dynamotest.SharedClient()
	if err != nil {
		panic(err)
	}
	_, err = c.ListTables(context.Background(), &dynamodb.ListTablesInput{})
	fmt.Println(err)
	// Output: <nil>
}
