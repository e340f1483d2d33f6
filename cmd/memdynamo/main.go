// Command memdynamo serves an in-memory DynamoDB on a loopback port: a drop-in for DynamoDB Local
// that needs nothing but this binary.
//
//	memdynamo -port 8000
//
// Once it accepts requests it prints AWS_ENDPOINT_URL_DYNAMODB=http://127.0.0.1:PORT as its first
// line on standard output (-port 0 picks a free port), so a script can read the endpoint and export
// it for the SDK. It listens on 127.0.0.1 only, deletes items past their TTL every second, and
// stops cleanly on SIGINT or SIGTERM. Data lives in memory and is gone when it stops.
package main

import (
	"context"
	"flag"
	"fmt"
	"io"
	"os"
	"os/signal"
	"strconv"
	"syscall"
	"time"

	"github.com/dynantic/dynantic/memdynamo"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	if err := run(ctx, os.Args[1:], os.Stdout, os.Stderr); err != nil {
		fmt.Fprintln(os.Stderr, "memdynamo:", err)
		os.Exit(1)
	}
}

// run serves until ctx is done; it returns an error for bad flags or a port it cannot listen on.
func run(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fs := flag.NewFlagSet("memdynamo", flag.ContinueOnError)
	fs.SetOutput(stderr)
	port := fs.Int("port", 8000, "TCP port to listen on (127.0.0.1 only); 0 picks a free port")
	sweep := fs.Duration("ttl-sweep", time.Second, "how often items past their TTL are deleted (0: never)")
	if err := fs.Parse(args); err != nil {
		return err
	}
	if fs.NArg() > 0 {
		return fmt.Errorf("unexpected arguments: %v", fs.Args())
	}
	if *port < 0 || *port > 65535 {
		return fmt.Errorf("-port %d is out of range", *port)
	}
	var opts []memdynamo.Option
	if *sweep > 0 {
		opts = append(opts, memdynamo.WithSweepInterval(*sweep))
	}
	e := memdynamo.New(opts...)
	defer e.Close()
	srv, err := memdynamo.Serve(e, "127.0.0.1:"+strconv.Itoa(*port))
	if err != nil {
		return err
	}
	fmt.Fprintf(stdout, "AWS_ENDPOINT_URL_DYNAMODB=%s\n", srv.URL)
	<-ctx.Done()
	return srv.Close()
}
