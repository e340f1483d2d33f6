package dynamotest

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"net"
	"net/url"
	"os"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/config"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb"

	"github.com/dynantic/dynantic/memdynamo"
)

const (
	// envEndpoint is the SDK's own variable for a DynamoDB endpoint override.
	envEndpoint = "AWS_ENDPOINT_URL_DYNAMODB"
	// envBackend selects the backend: backendEngine or backendLocal.
	envBackend = "DYNANTIC_BACKEND"
	// backendEngine is the in-process memdynamo engine, the default.
	backendEngine = "memdynamo"
	// backendLocal is DynamoDB Local, started by Main unless envEndpoint names one.
	backendLocal = "ddblocal"
)

// errNeedsMain is why SharedClient has no DynamoDB Local to offer outside
// Main: only Main can stop the server it would start.
var errNeedsMain = errors.New(envBackend + "=" + backendLocal + " starts DynamoDB Local in dynamotest.Main: call it from TestMain, or set " + envEndpoint)

// errNoRegion: a remote endpoint needs a region.
var errNoRegion = errors.New("no region is configured: set AWS_REGION")

// backend is a chosen backend: the client every test shares and what
// releases it.
type backend struct {
	key    string // the selection it was made for: the backend, or "endpoint " + URL
	client *dynamodb.Client
	engine *memdynamo.Engine // the in-process engine, or nil
	stop   func() error      // ends what was started for it
}

// shared is the backend chosen by Main, or else by the first SharedClient
// call, for Client, SharedClient and Engine.
var shared struct {
	sync.Mutex
	byMain bool     // Main chose: the environment is not read again
	b      *backend // nil when there is none
	reason error    // why there is none, when Main found none
	engine *backend // the engine made without Main, kept for the process
}

// selection returns what the environment selects: backendEngine,
// backendLocal, or "endpoint " + the URL of AWS_ENDPOINT_URL_DYNAMODB.
func selection() (string, error) {
	ep := os.Getenv(envEndpoint)
	switch b := os.Getenv(envBackend); b {
	case "":
		if ep != "" {
			return "endpoint " + ep, nil
		}
		return backendEngine, nil
	case backendEngine:
		return backendEngine, nil
	case backendLocal:
		if ep != "" {
			return "endpoint " + ep, nil
		}
		return backendLocal, nil
	default:
		return "", fmt.Errorf("dynamotest: %s=%q: want %q (the in-process engine, the default) or %q (DynamoDB Local)", envBackend, b, backendEngine, backendLocal)
	}
}

// open makes the backend that key (from selection) names. It starts
// DynamoDB Local only when startLocal is set.
func open(ctx context.Context, key string, startLocal bool) (*backend, error) {
	b := &backend{key: key, stop: func() error { return nil }}
	switch key {
	case backendEngine:
		// Expired items are deleted within about a second, as DynamoDB
		// Local and cmd/memdynamo do (DynamoDB itself takes up to days).
		b.engine = memdynamo.New(memdynamo.WithSweepInterval(time.Second))
		b.client = b.engine.Client()
		b.stop = b.engine.Close
	case backendLocal:
		if !startLocal {
			return nil, errNeedsMain
		}
		s, err := Start(ctx)
		if err != nil {
			return nil, err
		}
		b.client, b.stop = s.Client(), s.Stop
	default:
		c, err := endpointClient(ctx, strings.TrimPrefix(key, "endpoint "))
		if err != nil {
			return nil, err
		}
		b.client = c
	}
	return b, nil
}

// endpointClient returns a client for a server that is already running:
// one on this machine (DynamoDB Local, cmd/memdynamo) gets [NewClient]'s
// fixed configuration; any other (AWS) gets the SDK's default
// configuration, whose region and credentials it needs.
func endpointClient(ctx context.Context, endpoint string) (*dynamodb.Client, error) {
	if isLoopback(endpoint) {
		return NewClient(endpoint), nil
	}
	cfg, err := config.LoadDefaultConfig(ctx)
	if err != nil {
		return nil, fmt.Errorf("dynamotest: loading the AWS configuration for %s=%s: %w", envEndpoint, endpoint, err)
	}
	if cfg.Region == "" {
		return nil, fmt.Errorf("dynamotest: %s=%s is not on this machine and %w", envEndpoint, endpoint, errNoRegion)
	}
	return dynamodb.NewFromConfig(cfg), nil // the SDK reads the endpoint itself
}

// isLoopback reports whether endpoint's host is localhost or a loopback
// address.
func isLoopback(endpoint string) bool {
	u, err := url.Parse(endpoint)
	if err != nil {
		return false
	}
	h := u.Hostname()
	if strings.EqualFold(h, "localhost") {
		return true
	}
	ip := net.ParseIP(h)
	return ip != nil && ip.IsLoopback()
}

// Endpoint returns the endpoint of a running DynamoDB server and a function
// that releases it, for programs and tools that need a URL: the one in
// AWS_ENDPOINT_URL_DYNAMODB when that is set (stop then does nothing), else
// a DynamoDB Local started with [Start] (stop is its [Server.Stop]). It
// ignores DYNANTIC_BACKEND and never returns the in-process engine (serve
// one on a port with memdynamo.Serve). It returns Start's errors.
func Endpoint(ctx context.Context) (endpoint string, stop func() error, err error) {
	if ep := os.Getenv(envEndpoint); ep != "" {
		return ep, func() error { return nil }, nil
	}
	s, err := Start(ctx)
	if err != nil {
		return "", nil, err
	}
	return s.Endpoint(), s.Stop, nil
}

// Main runs a package's tests against the backend the environment selects
// (see the package documentation); call it from TestMain:
//
//	func TestMain(m *testing.M) { os.Exit(dynamotest.Main(m)) }
//
// It makes the backend the one [Client], [SharedClient] and [Engine] use,
// runs m.Run, then releases the backend (it stops a DynamoDB Local it
// started, even if m.Run panics) and returns m.Run's exit code.
//
// If the selected backend cannot be had (DynamoDB Local without Java, say),
// Main prints why to stderr and, when the environment variable CI is "true"
// or "1", returns 1 without running the tests; otherwise it runs them
// anyway: [Client] skips the tests that need DynamoDB, and the package's
// examples are not run (an example cannot skip itself, so Main adds
// ^Example to the -test.skip flag). An unknown DYNANTIC_BACKEND always
// returns 1.
func Main(m *testing.M) int {
	key, err := selection()
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		return 1
	}
	b, err := open(context.Background(), key, true)
	if err != nil {
		setShared(nil, err)
		if inCI() {
			fmt.Fprintf(os.Stderr, "dynamotest: no DynamoDB for the tests (CI is set, so this fails the run): %v\n", err)
			return 1
		}
		fmt.Fprintf(os.Stderr, "dynamotest: no DynamoDB, skipping the tests that need it and the examples: %s\n", firstLine(err))
		skipExamples()
		return m.Run()
	}
	defer func() {
		if err := b.stop(); err != nil {
			fmt.Fprintf(os.Stderr, "dynamotest: %v\n", err)
		}
	}()
	setShared(b, nil)
	return m.Run()
}

// skipExamples adds ^Example to the -test.skip flag, so that m.Run runs no
// example: examples have no way to skip, and one that needs DynamoDB would
// fail (or panic) without it.
func skipExamples() {
	if !flag.Parsed() {
		flag.Parse()
	}
	f := flag.Lookup("test.skip")
	if f == nil {
		return
	}
	skip := "^Example"
	// (A -skip pattern with a slash names subtests; joined to it this way,
	// ^Example no longer matches examples. Rare enough to leave.)
	if old := f.Value.String(); old != "" {
		skip += "|" + old
	}
	_ = f.Value.Set(skip)
}

// Client returns the client of the backend [Main] chose, or, in a package
// without such a TestMain, of the backend the environment selects (the
// in-process engine by default). All tests share one client. When there is
// no backend, Client calls t.Skip, or t.Fatal when the environment variable
// CI is "true" or "1"; either way the test stops there.
func Client(t testing.TB) *dynamodb.Client {
	t.Helper()
	c, err := SharedClient()
	if err != nil {
		if inCI() {
			t.Fatal(err.Error() + " (CI is set, so this is a failure)")
		} else {
			t.Skip(err.Error())
		}
		return nil // only reached with a testing.TB that does not stop the test
	}
	return c
}

// SharedClient is Client for code that has no testing.TB, such as examples:
// it returns the shared client, or an error saying why there is none.
// Without [Main] it reads the environment on each call: the in-process
// engine (made on first use, then kept for the process), the server in
// AWS_ENDPOINT_URL_DYNAMODB, or, for DYNANTIC_BACKEND=ddblocal without
// that variable, an error (only Main starts DynamoDB Local).
func SharedClient() (*dynamodb.Client, error) {
	b, err := current()
	if err != nil {
		return nil, err
	}
	return b.client, nil
}

// Engine returns the in-process engine that [Client] and [SharedClient]
// talk to, for a test that needs the engine itself: to run its TTL sweep
// (SweepExpired), or to serve it on a loopback port with memdynamo.Serve
// for a program that needs a URL. It returns nil when the backend is not
// the engine (DynamoDB Local or AWS was selected), or there is none.
func Engine() *memdynamo.Engine {
	b, err := current()
	if err != nil {
		return nil
	}
	return b.engine
}

// current returns the shared backend: Main's choice, or else the one the
// environment selects now, made or reused.
func current() (*backend, error) {
	shared.Lock()
	defer shared.Unlock()
	if shared.byMain {
		if shared.b == nil {
			return nil, errors.New("no DynamoDB: " + firstLine(shared.reason))
		}
		return shared.b, nil
	}
	key, err := selection()
	if err != nil {
		return nil, err
	}
	if shared.b != nil && shared.b.key == key {
		return shared.b, nil
	}
	if key == backendEngine && shared.engine != nil {
		// Keep the engine (and its tables) across changes of the
		// environment: it is this process's one engine.
		shared.b = shared.engine
		return shared.b, nil
	}
	b, err := open(context.Background(), key, false)
	if err != nil {
		return nil, err
	}
	if b.engine != nil {
		shared.engine = b
	}
	shared.b = b
	return b, nil
}

// setShared records Main's choice: b, or no backend because of reason.
func setShared(b *backend, reason error) {
	shared.Lock()
	defer shared.Unlock()
	shared.byMain, shared.b, shared.reason = true, b, reason
}

// inCI reports whether the environment variable CI is "true" or "1".
func inCI() bool {
	ci := os.Getenv("CI")
	return ci == "1" || strings.EqualFold(ci, "true")
}

// firstLine returns the first line of err's message.
func firstLine(err error) string {
	s, _, _ := strings.Cut(err.Error(), "\n")
	return s
}
