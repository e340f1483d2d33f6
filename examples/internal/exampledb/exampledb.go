// Package exampledb connects the example programs to DynamoDB and numbers
// their steps.
package exampledb

import (
	"context"
	"fmt"
	"os"

	"github.com/dynantic/dynantic"
	"github.com/dynantic/dynantic/dynamotest"
)

// Connect returns a DB for AWS_ENDPOINT_URL_DYNAMODB, or for a DynamoDB
// Local started for the program, and a function that stops what it started.
func Connect(ctx context.Context) (*dynantic.DB, func(), error) {
	if ep := os.Getenv("AWS_ENDPOINT_URL_DYNAMODB"); ep != "" {
		fmt.Println("Using DynamoDB at", ep)
		if os.Getenv("AWS_ACCESS_KEY_ID") == "" {
			// No credentials configured: assume a local DynamoDB, which
			// accepts any.
			return dynantic.New(dynamotest.NewClient(ep)), func() {}, nil
		}
		db, err := dynantic.Open(ctx)
		return db, func() {}, err
	}
	fmt.Println("Starting DynamoDB Local (fetched once per machine on first use)...")
	srv, err := dynamotest.Start(ctx)
	if err != nil {
		return nil, nil, err
	}
	fmt.Println("DynamoDB Local is listening at", srv.Endpoint())
	return dynantic.New(srv.Client()), func() { _ = srv.Stop() }, nil
}

var stepN int

// Step prints the next numbered step of a walk-through.
func Step(format string, args ...any) {
	stepN++
	fmt.Printf("%2d. "+format+"\n", append([]any{stepN}, args...)...)
}
