package difftest

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"hash/crc32"
	"io"
	"net/http"
	"net/http/httptest"
	"strconv"
	"strings"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	v4 "github.com/aws/aws-sdk-go-v2/aws/signer/v4"
)

// TargetPrefix is the X-Amz-Target prefix of every DynamoDB operation.
const TargetPrefix = "DynamoDB_20120810."

// Target answers DynamoDB JSON-protocol requests: the engine in process
// ([Handler]) or a server at a base URL ([URL]).
type Target interface {
	// RoundTrip sends req and returns the response with its body read.
	RoundTrip(req *http.Request) (*Response, error)
}

// Response is one answer: status, headers and the raw body.
type Response struct {
	Status int         // HTTP status code
	Header http.Header // response headers
	Body   []byte      // raw body
}

// CRC says whether the response's x-amz-crc32 header is present and right:
// "ok", "absent", or "bad: <detail>".
func (r *Response) CRC() string {
	h := r.Header.Get("X-Amz-Crc32")
	if h == "" {
		return "absent"
	}
	want := crc32.ChecksumIEEE(r.Body)
	got, err := strconv.ParseUint(h, 10, 32)
	if err != nil || uint32(got) != want {
		return fmt.Sprintf("bad: header %q, body checksum %d", h, want)
	}
	return "ok"
}

type handlerTarget struct{ h http.Handler }

// Handler returns a Target that serves each request with h in process.
func Handler(h http.Handler) Target { return handlerTarget{h} }

func (t handlerTarget) RoundTrip(req *http.Request) (*Response, error) {
	rec := httptest.NewRecorder()
	t.h.ServeHTTP(rec, req)
	res := rec.Result()
	body, err := io.ReadAll(res.Body)
	if err != nil {
		return nil, err
	}
	return &Response{Status: res.StatusCode, Header: res.Header, Body: body}, nil
}

// maxBody is DynamoDB's limit on a request body (16 MB).
const maxBody = 16 << 20

type urlTarget struct {
	base   string
	client *http.Client
}

// URL returns a Target that posts each request to the server at base
// ("http://127.0.0.1:8000"), each on a new connection: DynamoDB Local
// sometimes closes a kept-alive connection as the next request goes out,
// which fails that request with EOF, and a POST cannot be safely retried.
func URL(base string) Target {
	tr := http.DefaultTransport.(*http.Transport).Clone()
	tr.DisableKeepAlives = true
	return urlTarget{base: strings.TrimRight(base, "/"), client: &http.Client{Timeout: time.Minute, Transport: tr}}
}

func (t urlTarget) RoundTrip(req *http.Request) (*Response, error) {
	res, err := t.client.Do(req)
	// A body over DynamoDB's 16 MB request limit is refused unread, and
	// DynamoDB Local sometimes closes the connection before its 413 goes
	// out ("broken pipe" while the body is still being written). Such a
	// request cannot have been applied, so it is sent again.
	for try := 1; err != nil && req.ContentLength > maxBody && req.GetBody != nil && try < 5; try++ {
		if req.Body, err = req.GetBody(); err != nil {
			return nil, err
		}
		res, err = t.client.Do(req)
	}
	if err != nil {
		return nil, err
	}
	defer res.Body.Close()
	body, err := io.ReadAll(res.Body)
	if err != nil {
		return nil, err
	}
	return &Response{Status: res.StatusCode, Header: res.Header, Body: body}, nil
}

// baseOf returns the URL requests to t go to.
func baseOf(t Target) string {
	if u, ok := t.(urlTarget); ok {
		return u.base
	}
	return "http://memdynamo.local"
}

// Request builds the signed HTTP request of one step: POST / with the
// awsJson1_0 content type, X-Amz-Target target and a SigV4 signature made
// with access key access (DynamoDB Local keeps one database per access key,
// which isolates scenarios from each other and from other tests).
func Request(ctx context.Context, t Target, access, target string, body []byte) (*http.Request, error) {
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, baseOf(t)+"/", bytes.NewReader(body))
	if err != nil {
		return nil, err
	}
	req.Header.Set("Content-Type", "application/x-amz-json-1.0")
	if target != "" {
		req.Header.Set("X-Amz-Target", target)
	}
	sum := sha256.Sum256(body)
	creds := aws.Credentials{AccessKeyID: access, SecretAccessKey: "difftest"}
	if err := v4.NewSigner().SignHTTP(ctx, creds, req, hex.EncodeToString(sum[:]), "dynamodb", "us-east-1", time.Now()); err != nil {
		return nil, err
	}
	return req, nil
}
