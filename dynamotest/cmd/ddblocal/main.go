// Command ddblocal fetches or runs DynamoDB Local the way package dynamotest
// does, for CI scripts and for poking at a server by hand.
//
// Usage:
//
//	ddblocal fetch   download DynamoDB Local into the cache once; print its directory
//	ddblocal start   start a server; print AWS_ENDPOINT_URL_DYNAMODB=<url> and
//	                 DDBLOCAL_PID=<pid of this command>, then run until SIGINT or
//	                 SIGTERM, and stop the server
//
// The output of start is in shell assignment form, one per line, so a script
// can read it while the command keeps running in the background, and stop the
// server by signalling the printed PID.
package main

import (
	"context"
	"fmt"
	"os"
	"os/signal"
	"syscall"

	"github.com/dynantic/dynantic/dynamotest"
)

const usage = `usage: ddblocal fetch | start

  fetch   download DynamoDB Local into the cache once; print its directory
  start   start a server; print AWS_ENDPOINT_URL_DYNAMODB=<url> and
          DDBLOCAL_PID=<pid of this command>, then run until SIGINT or
          SIGTERM, and stop the server
`

func main() {
	if len(os.Args) != 2 {
		fmt.Fprint(os.Stderr, usage)
		os.Exit(2)
	}
	ctx, cancel := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer cancel()
	var err error
	switch os.Args[1] {
	case "fetch":
		err = fetch(ctx)
	case "start":
		err = start(ctx)
	default:
		fmt.Fprint(os.Stderr, usage)
		os.Exit(2)
	}
	if err != nil {
		fmt.Fprintf(os.Stderr, "ddblocal: %v\n", err)
		os.Exit(1)
	}
}

func fetch(ctx context.Context) error {
	dir, err := dynamotest.Fetch(ctx)
	if err != nil {
		return err
	}
	fmt.Println(dir)
	return nil
}

func start(ctx context.Context) error {
	s, err := dynamotest.Start(ctx)
	if err != nil {
		return err
	}
	fmt.Printf("AWS_ENDPOINT_URL_DYNAMODB=%s\nDDBLOCAL_PID=%d\n", s.Endpoint(), os.Getpid())
	<-ctx.Done()
	return s.Stop()
}
