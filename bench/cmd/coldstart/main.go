// Command coldstart measures what a Lambda cold start pays for dynantic:
// making the DB and the table handles of ten models, in a fresh process
// (nothing compiled or cached before). It prints one line:
//
//	coldstart: 10 table handles in 412µs (New: 3µs)
//
// run.sh runs it several times and reports every run.
package main

import (
	"fmt"
	"os"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb"

	"github.com/dynantic/dynantic"
	"github.com/dynantic/dynantic/bench/coldstart"
)

func main() {
	client := dynamodb.NewFromConfig(aws.Config{Region: "us-east-1"})
	start := time.Now()
	db := dynantic.New(client)
	newTime := time.Since(start)
	d, err := coldstart.BuildTables(db)
	if err != nil {
		fmt.Fprintln(os.Stderr, "coldstart:", err)
		os.Exit(1)
	}
	fmt.Printf("coldstart: %d table handles in %v (New: %v)\n", coldstart.Models, d, newTime)
}
