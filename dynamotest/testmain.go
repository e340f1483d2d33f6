package dynamotest

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"os"
	"strings"
	"sync"
	"testing"

	"github.com/aws/aws-sdk-go-v2/service/dynamodb"
)

// envEndpoint is the SDK's own variable for a DynamoDB endpoint override.
const envEndpoint = "AWS_ENDPOINT_URL_DYNAMODB"

// shared is the endpoint chosen by Main, for Client.
var shared struct {
	sync.Mutex
	endpoint string
	reason   error // why Main has no endpoint
	client   *dynamodb.Client
}

// Endpoint returns the DynamoDB endpoint to test against and a function that
// releases it. If AWS_ENDPOINT_URL_DYNAMODB is set, that is the endpoint, no
// server is started and stop does nothing; otherwise Endpoint starts a server
// with [Start] and stop is its [Server.Stop]. It returns Start's errors.
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

// Main runs a package's tests against DynamoDB; call it from TestMain:
//
//	func TestMain(m *testing.M) { os.Exit(dynamotest.Main(m)) }
//
// It takes the endpoint from [Endpoint] (AWS_ENDPOINT_URL_DYNAMODB, else a
// server started for this test binary and stopped after m.Run, even if
// m.Run panics), makes it the one [Client] uses, and returns m.Run's exit
// code.
//
// If no server can be started, Main prints why to stderr and, when the
// environment variable CI is "true" or "1", returns 1 without running the
// tests; otherwise it runs them anyway: [Client] skips the tests that need
// DynamoDB, and the package's examples are not run (an example cannot skip
// itself, so Main adds ^Example to the -test.skip flag).
func Main(m *testing.M) int {
	endpoint, stop, err := Endpoint(context.Background())
	if err != nil {
		setShared("", err)
		if inCI() {
			fmt.Fprintf(os.Stderr, "dynamotest: no DynamoDB for the tests (CI is set, so this fails the run): %v\n", err)
			return 1
		}
		fmt.Fprintf(os.Stderr, "dynamotest: no DynamoDB, skipping the tests that need it and the examples: %s\n", firstLine(err))
		skipExamples()
		return m.Run()
	}
	defer func() {
		if err := stop(); err != nil {
			fmt.Fprintf(os.Stderr, "dynamotest: %v\n", err)
		}
	}()
	setShared(endpoint, nil)
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

// Client returns a client, made by [NewClient], for the endpoint [Main]
// chose, or for AWS_ENDPOINT_URL_DYNAMODB in a package without such a
// TestMain. All tests share one client. When there is no endpoint, Client
// calls t.Skip, or t.Fatal when the environment variable CI is "true" or
// "1"; either way the test stops there.
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
func SharedClient() (*dynamodb.Client, error) {
	shared.Lock()
	defer shared.Unlock()
	endpoint, reason := shared.endpoint, shared.reason
	if endpoint == "" && reason == nil {
		endpoint = os.Getenv(envEndpoint)
	}
	if endpoint == "" {
		if reason != nil {
			return nil, errors.New("no DynamoDB: " + firstLine(reason))
		}
		return nil, errors.New("no DynamoDB endpoint: set " + envEndpoint + " or call dynamotest.Main from TestMain")
	}
	if shared.client == nil || shared.endpoint != endpoint {
		shared.endpoint = endpoint
		shared.client = NewClient(endpoint)
	}
	return shared.client, nil
}

// setShared records Main's choice for Client.
func setShared(endpoint string, reason error) {
	shared.Lock()
	defer shared.Unlock()
	shared.endpoint, shared.reason, shared.client = endpoint, reason, nil
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
