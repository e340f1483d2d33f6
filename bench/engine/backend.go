// Package engine measures memdynamo, the embedded DynamoDB, against DynamoDB Local through the
// unmodified SDK client: start to first answered request, operations per second with N
// goroutines, the cost of a Query against the size of its table, heap per stored item, and the
// engine's share of a call's CPU. cmd/enginebench runs everything in one run and writes the report;
// engine.sh starts DynamoDB Local for it.
package engine

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"net/http"
	"os"
	"os/exec"
	"strings"
	"syscall"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	awshttp "github.com/aws/aws-sdk-go-v2/aws/transport/http"
	"github.com/aws/aws-sdk-go-v2/credentials"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb"

	"github.com/dynantic/dynantic/memdynamo"
)

// Backend is a DynamoDB to measure: a client for it, and the process that serves it (0 when it
// runs inside this process).
type Backend struct {
	// Name names the backend in reports.
	Name string
	// Client is the SDK client that reaches it.
	Client *dynamodb.Client
	// PID is the process whose CPU time and memory are the server's; 0 for the in-process engine.
	PID int
	// Engine is the in-process engine, nil for the others.
	Engine *memdynamo.Engine
	stop   func() error
}

// Close stops what the backend started (the cmd/memdynamo process); it leaves DynamoDB Local to
// whoever started it.
func (b *Backend) Close() error {
	if b.stop == nil {
		return nil
	}
	return b.stop()
}

// InProcess is a fresh engine in this process, reached through its in-process client (no socket).
func InProcess() *Backend {
	e := memdynamo.New()
	return &Backend{Name: "memdynamo in process", Client: e.Client(), Engine: e}
}

// Remote is a server on a loopback port: DynamoDB Local or cmd/memdynamo. pid is its process (for
// DynamoDB Local, the ddblocal command, whose Java child is found from it).
func Remote(name, endpoint string, pid int) *Backend {
	return &Backend{Name: name, Client: NewClient(endpoint), PID: pid}
}

// NewClient is the SDK client used for every server on a port: static credentials (DynamoDB Local
// keeps one database per access key), region us-east-1, the SDK's own HTTP client with room for as
// many idle connections as the benchmarks have goroutines, and the SDK's default retryer.
func NewClient(endpoint string) *dynamodb.Client {
	hc := awshttp.NewBuildableClient().WithTransportOptions(func(t *http.Transport) {
		t.MaxIdleConns = 256
		t.MaxIdleConnsPerHost = 256
	})
	return dynamodb.New(dynamodb.Options{
		Region:       "us-east-1",
		BaseEndpoint: aws.String(endpoint),
		Credentials:  credentials.NewStaticCredentialsProvider("enginebench", "enginebench", ""),
		HTTPClient:   hc,
	})
}

// StartMemdynamo runs the cmd/memdynamo binary at path on a free port and returns once it has
// answered a ListTables through the SDK, with the time that took from starting the process.
func StartMemdynamo(ctx context.Context, path string) (*Backend, time.Duration, error) {
	start := time.Now()
	cmd := exec.Command(path, "-port", "0")
	cmd.Stderr = os.Stderr
	out, err := cmd.StdoutPipe()
	if err != nil {
		return nil, 0, err
	}
	if err := cmd.Start(); err != nil {
		return nil, 0, err
	}
	stop := func() error {
		_ = cmd.Process.Signal(syscall.SIGTERM)
		done := make(chan error, 1)
		go func() { done <- cmd.Wait() }()
		select {
		case err := <-done:
			return err
		case <-time.After(5 * time.Second):
			_ = cmd.Process.Kill()
			return errors.New("cmd/memdynamo did not stop on SIGTERM")
		}
	}
	line, err := bufio.NewReader(out).ReadString('\n')
	endpoint, ok := strings.CutPrefix(strings.TrimSpace(line), "AWS_ENDPOINT_URL_DYNAMODB=")
	if err != nil || !ok {
		_ = stop()
		return nil, 0, fmt.Errorf("cmd/memdynamo printed %q (%v), not its endpoint", line, err)
	}
	b := Remote("memdynamo over loopback (cmd/memdynamo)", endpoint, cmd.Process.Pid)
	b.stop = stop
	if _, err := b.Client.ListTables(ctx, &dynamodb.ListTablesInput{}); err != nil {
		_ = stop()
		return nil, 0, err
	}
	return b, time.Since(start), nil
}

// StartInProcess measures the in-process engine's start to first answered request: a new engine,
// its client, and a ListTables answered through the SDK.
func StartInProcess(ctx context.Context) (time.Duration, error) {
	start := time.Now()
	c := memdynamo.New().Client()
	if _, err := c.ListTables(ctx, &dynamodb.ListTablesInput{}); err != nil {
		return 0, err
	}
	return time.Since(start), nil
}
