package memdynamo

import (
	"bytes"
	"hash/crc32"
	"io"
	"net/http"
	"strconv"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb"
)

// transport serves requests by calling the engine directly: no socket, no goroutine. Nothing
// outside the process can reach it, so it serves requests whether or not they are signed.
type transport struct{ e *Engine }

// RoundTrip serves req with the engine and returns its answer.
func (t transport) RoundTrip(req *http.Request) (*http.Response, error) {
	var body []byte
	if req.Body != nil {
		b, err := io.ReadAll(io.LimitReader(req.Body, maxBodySize+1))
		req.Body.Close()
		if err != nil {
			return nil, err
		}
		body = b
	}
	if err := req.Context().Err(); err != nil {
		return nil, err
	}
	var res result
	if len(body) > maxBodySize {
		res = errorResult(errTooLarge())
	} else {
		res = t.e.handle(req.Header.Get("X-Amz-Target"), true, body)
	}
	h := make(http.Header, 4)
	h["Content-Type"] = []string{"application/x-amz-json-1.0"}
	h["X-Amzn-Requestid"] = []string{t.e.requestID()}
	h["X-Amz-Crc32"] = []string{strconv.FormatUint(uint64(crc32.ChecksumIEEE(res.body)), 10)}
	return &http.Response{
		Status:        strconv.Itoa(res.status) + " " + http.StatusText(res.status),
		StatusCode:    res.status,
		Proto:         "HTTP/1.1",
		ProtoMajor:    1,
		ProtoMinor:    1,
		Header:        h,
		Body:          io.NopCloser(bytes.NewReader(res.body)),
		ContentLength: int64(len(res.body)),
		Request:       req,
	}, nil
}

// HTTPClient returns an *http.Client whose requests are served by the engine in process, with no
// socket. Pass it as dynamodb.Options.HTTPClient (Client does this for you).
func (e *Engine) HTTPClient() *http.Client {
	return &http.Client{Transport: transport{e}}
}

// Client returns an unmodified *dynamodb.Client that talks to the engine in process: region
// us-east-1, an endpoint that is never dialled, and anonymous credentials, so the SDK does not sign
// its requests (SigV4 signing is about a fifth of the CPU time of an in-process call, and the
// in-process transport needs no signature). optFns may change any option.
func (e *Engine) Client(optFns ...func(*dynamodb.Options)) *dynamodb.Client {
	opts := dynamodb.Options{
		Region:       "us-east-1",
		Credentials:  aws.AnonymousCredentials{},
		BaseEndpoint: aws.String("http://memdynamo.invalid"),
		HTTPClient:   e.HTTPClient(),
	}
	return dynamodb.New(opts, optFns...)
}
