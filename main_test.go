package dynantic_test

import (
	"context"
	"net/http"
	"os"
	"regexp"
	"strconv"
	"sync/atomic"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb"

	"github.com/dynantic/dynantic"
	"github.com/dynantic/dynantic/dynamotest"
	"github.com/dynantic/dynantic/memdynamo"
)

func TestMain(m *testing.M) { os.Exit(dynamotest.Main(m)) }

// countingTransport counts the HTTP requests that reach DynamoDB, to prove
// that bad input sends none.
type countingTransport struct {
	n    atomic.Int64
	next http.RoundTripper
}

func (c *countingTransport) RoundTrip(r *http.Request) (*http.Response, error) {
	c.n.Add(1)
	return c.next.RoundTrip(r)
}

// env is one test's connection: a DB over a client whose HTTP requests are
// counted.
type env struct {
	db       *dynantic.DB
	client   *dynamodb.Client
	requests *countingTransport
}

func newEnv(t *testing.T, opts ...dynantic.Option) *env {
	t.Helper()
	base := dynamotest.Client(t)
	ct := &countingTransport{next: transportOf(base, http.DefaultTransport)}
	o := base.Options()
	o.HTTPClient = &http.Client{Transport: ct}
	c := dynamodb.New(o)
	return &env{db: dynantic.New(c, opts...), client: c, requests: ct}
}

// transportOf returns the RoundTripper that reaches c's backend, for tests
// that put their own transport under the SDK: the in-process engine's, or
// def when c talks to a server on a URL (DynamoDB Local, cmd/memdynamo).
func transportOf(c *dynamodb.Client, def http.RoundTripper) http.RoundTripper {
	if hc, ok := c.Options().HTTPClient.(*http.Client); ok && hc.Transport != nil {
		return hc.Transport
	}
	return def
}

// backendURL returns a URL at which the tests' backend answers, for tests
// of code that takes an endpoint (Open): the server's, or, when the backend
// is the in-process engine, that engine served on a loopback port for the
// test's duration (so the test's own clients see the same tables).
func backendURL(t *testing.T) string {
	t.Helper()
	c := dynamotest.Client(t) // skips (or fails under CI) without DynamoDB
	e := dynamotest.Engine()
	if e == nil {
		return aws.ToString(c.Options().BaseEndpoint)
	}
	srv, err := memdynamo.Serve(e, "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = srv.Close() })
	return srv.URL
}

var tableSeq atomic.Int64

var unsafeTableChars = regexp.MustCompile(`[^a-zA-Z0-9_.-]+`)

// tableName derives a unique table name from the test's name.
func tableName(t *testing.T) string {
	n := unsafeTableChars.ReplaceAllString(t.Name(), "_")
	if len(n) > 200 {
		n = n[:200]
	}
	return n + "_" + strconv.FormatInt(tableSeq.Add(1), 10)
}

// newTable makes a fresh table for T named after the test, deleted when the
// test ends.
func newTable[T any](t *testing.T, e *env, opts ...dynantic.TableOption) *dynantic.Table[T] {
	t.Helper()
	opts = append([]dynantic.TableOption{dynantic.WithTableName(tableName(t))}, opts...)
	tbl, err := dynantic.NewTable[T](e.db, opts...)
	if err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	if err := tbl.CreateTable(ctx); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		if err := tbl.DeleteTable(context.Background()); err != nil {
			t.Errorf("delete table: %v", err)
		}
	})
	return tbl
}

// noRequests fails the test if fn sends any HTTP request.
func noRequests(t *testing.T, e *env, fn func()) {
	t.Helper()
	before := e.requests.n.Load()
	fn()
	if n := e.requests.n.Load() - before; n != 0 {
		t.Fatalf("%d request(s) reached DynamoDB; want none", n)
	}
}
