package memdynamo

import (
	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/credentials"
	"github.com/aws/aws-sdk-go-v2/service/dynamodbstreams"
)

// StreamsClient returns an unmodified *dynamodbstreams.Client that talks to the engine in process,
// as Client does for DynamoDB: region us-east-1, static credentials, an endpoint that is never
// dialled. optFns may change any option. (Over a socket, set the client's BaseEndpoint to the
// Server's URL: the engine serves DynamoDB Streams on the same endpoint, as DynamoDB Local does.)
func (e *Engine) StreamsClient(optFns ...func(*dynamodbstreams.Options)) *dynamodbstreams.Client {
	opts := dynamodbstreams.Options{
		Region:       "us-east-1",
		Credentials:  credentials.NewStaticCredentialsProvider("memdynamo", "memdynamo", ""),
		BaseEndpoint: aws.String("http://memdynamo.invalid"),
		HTTPClient:   e.HTTPClient(),
	}
	return dynamodbstreams.New(opts, optFns...)
}
