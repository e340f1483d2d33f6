package dynamotest

import (
	"context"
	"errors"
	"fmt"
	"net"
	"os/exec"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb"
)

const (
	// readyTimeout bounds the wait for a started server to answer.
	readyTimeout = 60 * time.Second
	// pingTimeout bounds each ListTables attempt while waiting.
	pingTimeout = 2 * time.Second
	// pollInterval separates ListTables attempts.
	pollInterval = 100 * time.Millisecond
	// portRetries is how many more ports Start tries when a port it picked
	// was taken before the server could bind it.
	portRetries = 3
	// stopGrace is how long Stop waits after SIGTERM before SIGKILL.
	stopGrace = 2 * time.Second
	// outputLimit bounds the server output kept for error messages.
	outputLimit = 32 << 10
)

// errPortInUse marks a start that failed because the port was taken.
var errPortInUse = errors.New("port already in use")

// Server is a running DynamoDB Local process, in memory, listening on a port
// of its own. Its methods are safe for concurrent use.
type Server struct {
	endpoint string
	client   *dynamodb.Client
	proc     *process

	stopOnce sync.Once
	stopErr  error
}

// Start makes sure DynamoDB Local is available (fetching it once per machine
// into the cache directory, see [Fetch]), starts it in memory on a free
// 127.0.0.1 port, and waits until it answers ListTables. Call [Server.Stop]
// when done. ctx bounds the fetch and the wait, not the server's life.
//
// Start returns an error naming the missing tool when java (or, for a first
// fetch, npm) is not in PATH, and an error carrying the server's output when
// it exits early or does not answer within 60 seconds. If the port it picked
// is taken before the server binds it, Start retries with another port, up
// to three times.
func Start(ctx context.Context) (*Server, error) {
	if ctx == nil {
		return nil, errNilCtx
	}
	java, err := exec.LookPath("java")
	if err != nil {
		return nil, fmt.Errorf("dynamotest: %w", errNoJava)
	}
	dir, err := Fetch(ctx)
	if err != nil {
		return nil, err
	}
	var lastErr error
	for range 1 + portRetries {
		port, err := freePort()
		if err != nil {
			return nil, err
		}
		s, err := startOn(ctx, java, dir, port)
		if !errors.Is(err, errPortInUse) {
			return s, err
		}
		lastErr = err
	}
	return nil, lastErr
}

// freePort returns a TCP port that was free on 127.0.0.1 a moment ago.
func freePort() (int, error) {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return 0, fmt.Errorf("dynamotest: finding a free port: %w", err)
	}
	defer l.Close()
	return l.Addr().(*net.TCPAddr).Port, nil
}

// startOn starts the server in dir on port and waits until it answers.
func startOn(ctx context.Context, java, dir string, port int) (*Server, error) {
	cmd := exec.Command(java,
		"-Xmx512m", "-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC",
		"-Djava.library.path=./DynamoDBLocal_lib",
		"-jar", jarName, "-inMemory", "-port", strconv.Itoa(port), "-disableTelemetry")
	cmd.Dir = dir
	out := newTailBuffer(outputLimit)
	cmd.Stdout, cmd.Stderr = out, out
	cmd.SysProcAttr = sysProcAttr()
	cmd.WaitDelay = time.Second // do not hang on output pipes held by strays

	p, err := startProcess(cmd)
	if err != nil {
		return nil, fmt.Errorf("dynamotest: starting DynamoDB Local: %w", err)
	}
	s := &Server{
		endpoint: "http://127.0.0.1:" + strconv.Itoa(port),
		proc:     p,
	}
	s.client = NewClient(s.endpoint)

	fail := func(format string, args ...any) (*Server, error) {
		_ = s.Stop()
		return nil, fmt.Errorf("dynamotest: DynamoDB Local (pid %d, port %d) "+format+"; its output:\n%s",
			append([]any{p.pid, port}, append(args, out)...)...)
	}
	deadline := time.NewTimer(readyTimeout)
	defer deadline.Stop()
	for {
		if ping(ctx, s.client) == nil && !p.exited() {
			// The answer may come from someone else who took the port:
			// then our server is about to fail to bind it and exit.
			if owned, known := listenerOwned(p.pid, port); owned || !known {
				return s, nil
			}
		}
		select {
		case <-p.done:
			if strings.Contains(out.String(), "Address already in use") {
				return fail("could not bind the port: %w", errPortInUse)
			}
			return fail("exited before it was ready (%v)", p.err)
		case <-ctx.Done():
			return fail("was not ready: %w", ctx.Err())
		case <-deadline.C:
			return fail("did not answer ListTables within %v", readyTimeout)
		case <-time.After(pollInterval):
		}
	}
}

// ping makes one ListTables call, without retries, bounded by pingTimeout.
func ping(ctx context.Context, c *dynamodb.Client) error {
	ctx, cancel := context.WithTimeout(ctx, pingTimeout)
	defer cancel()
	_, err := c.ListTables(ctx, &dynamodb.ListTablesInput{Limit: aws.Int32(1)},
		func(o *dynamodb.Options) { o.Retryer = aws.NopRetryer{} })
	return err
}

// Endpoint returns the server's endpoint URL, "http://127.0.0.1:PORT".
func (s *Server) Endpoint() string { return s.endpoint }

// Client returns a client for the server, made by [NewClient]: static
// credentials "local"/"local", region us-east-1. Every call returns the same
// client.
func (s *Server) Client() *dynamodb.Client { return s.client }

// Stop ends the server: SIGTERM to its process group, SIGKILL two seconds
// later if it is still running, then waits for it to exit. Stop is
// idempotent; later calls return the first call's result. It returns an
// error only if the process could not be signalled or did not exit.
func (s *Server) Stop() error {
	s.stopOnce.Do(func() { s.stopErr = s.proc.stop(stopGrace) })
	return s.stopErr
}

// NewClient returns a DynamoDB client for endpoint (such as
// "http://127.0.0.1:8000") with static credentials "local"/"local" and
// region us-east-1, which is what DynamoDB Local expects. It reads no
// environment or shared configuration.
func NewClient(endpoint string) *dynamodb.Client {
	return dynamodb.New(dynamodb.Options{
		BaseEndpoint: aws.String(endpoint),
		Region:       "us-east-1",
		Credentials:  localCredentials{},
	})
}

// localCredentials provides the fixed credentials DynamoDB Local accepts.
type localCredentials struct{}

// Retrieve returns access key "local" with secret "local"; they never expire.
func (localCredentials) Retrieve(context.Context) (aws.Credentials, error) {
	return aws.Credentials{AccessKeyID: "local", SecretAccessKey: "local", Source: "dynamotest"}, nil
}
