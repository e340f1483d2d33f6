// Package nojava is run by TestWithoutJava in a child "go test" whose PATH
// has no java: a package of tests and examples that need DynamoDB, as a
// user's package would have.
package nojava

import (
	"fmt"
	"os"
	"testing"

	"github.com/dynantic/dynantic/dynamotest"
)

func TestMain(m *testing.M) { os.Exit(dynamotest.Main(m)) }

func TestNeedsServer(t *testing.T) {
	dynamotest.Client(t)
	fmt.Println("reached DynamoDB")
}

func TestPlain(t *testing.T) {}

func ExampleSharedClient() {
	c, err := dynamotest.SharedClient()
	if err != nil {
		panic(err)
	}
	fmt.Println(c != nil)
	// Output: true
}
