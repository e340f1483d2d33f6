package dynantic_test

import (
	"context"
	"net/http"
	"os"
	"regexp"
	"strconv"
	"sync/atomic"
	"testing"

	"github.com/aws/aws-sdk-go-v2/service/dynamodb"

	"github.com/dynantic/dynantic"
	"github.com/dynantic/dynantic/dynamotest"
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
	ct := &countingTransport{next: http.DefaultTransport}
	o := base.Options()
	o.HTTPClient = &http.Client{Transport: ct}
	c := dynamodb.New(o)
	return &env{db: dynantic.New(c, opts...), client: c, requests: ct}
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
