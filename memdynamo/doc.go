// Package memdynamo is an in-memory DynamoDB: an http.Handler that implements DynamoDB's JSON
// protocol (awsJson1_0), and DynamoDB Streams' on the same endpoint, over an engine held in
// memory, faithful to DynamoDB's behaviour and error messages as DynamoDB Local 3.3 shows them.
//
// Three ways to use it, all with an unmodified *dynamodb.Client:
//
//   - in process, with no socket: Engine.Client (or Engine.HTTPClient as dynamodb.Options.HTTPClient);
//   - on a loopback port: Serve(e, "127.0.0.1:0") and the Server's URL as the endpoint;
//   - as a command: cmd/memdynamo -port N prints AWS_ENDPOINT_URL_DYNAMODB=http://127.0.0.1:PORT.
package memdynamo
