// Command memdynamo serves an in-memory DynamoDB on a loopback port: a drop-in for DynamoDB Local
// that needs nothing but this binary.
//
//	memdynamo -port 8000
//
// Once it accepts requests it prints AWS_ENDPOINT_URL_DYNAMODB=http://127.0.0.1:PORT as its first
// line on standard output (-port 0 picks a free port), so a script can read the endpoint and export
// it for the SDK, then AWS_ENDPOINT_URL_DYNAMODB_STREAMS with the same URL (the Streams API is served
// there too, as DynamoDB Local does). It listens on 127.0.0.1 only, deletes items past their TTL every second, and
// stops cleanly on SIGINT or SIGTERM. Data lives in memory and is gone when it stops, unless
// -snapshot names a file: the data is loaded from it at start (when it exists) and saved to it at
// stop.
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"io/fs"
	"os"
	"os/signal"
	"path/filepath"
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
	flags := flag.NewFlagSet("memdynamo", flag.ContinueOnError)
	flags.SetOutput(stderr)
	port := flags.Int("port", 8000, "TCP port to listen on (127.0.0.1 only); 0 picks a free port")
	sweep := flags.Duration("ttl-sweep", time.Second, "how often items past their TTL are deleted (0: never)")
	snapshot := flags.String("snapshot", "", "file to load the data from at start (if it exists) and save it to at stop")
	if err := flags.Parse(args); err != nil {
		return err
	}
	if flags.NArg() > 0 {
		return fmt.Errorf("unexpected arguments: %v", flags.Args())
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
	if *snapshot != "" {
		if err := load(e, *snapshot); err != nil {
			return err
		}
	}
	srv, err := memdynamo.Serve(e, "127.0.0.1:"+strconv.Itoa(*port))
	if err != nil {
		return err
	}
	fmt.Fprintf(stdout, "AWS_ENDPOINT_URL_DYNAMODB=%s\nAWS_ENDPOINT_URL_DYNAMODB_STREAMS=%s\n", srv.URL, srv.URL)
	<-ctx.Done()
	if err := srv.Close(); err != nil {
		return err
	}
	if *snapshot != "" {
		return save(e, *snapshot)
	}
	return nil
}

// load reads a snapshot file; a missing file is an empty start.
func load(e *memdynamo.Engine, path string) error {
	f, err := os.Open(path)
	if errors.Is(err, fs.ErrNotExist) {
		return nil
	}
	if err != nil {
		return err
	}
	defer f.Close()
	return e.Load(f)
}

// save writes a snapshot file atomically (a temporary file renamed over it).
func save(e *memdynamo.Engine, path string) error {
	tmp, err := os.CreateTemp(filepath.Dir(path), filepath.Base(path)+".*.tmp")
	if err != nil {
		return err
	}
	defer os.Remove(tmp.Name())
	if err := e.Save(tmp); err != nil {
		tmp.Close()
		return err
	}
	if err := tmp.Close(); err != nil {
		return err
	}
	return os.Rename(tmp.Name(), path)
}
