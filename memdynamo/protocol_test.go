package memdynamo

import (
	"bytes"
	"context"
	"hash/crc32"
	"net/http"
	"net/http/httptest"
	"strconv"
	"testing"

	"github.com/aws/aws-sdk-go-v2/credentials"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb"
)

func post(t *testing.T, e *Engine, target, body string) *httptest.ResponseRecorder {
	t.Helper()
	req := httptest.NewRequest(http.MethodPost, "/", bytes.NewBufferString(body))
	if target != "" {
		req.Header.Set("X-Amz-Target", target)
	}
	req.Header.Set("Authorization", "AWS4-HMAC-SHA256 Credential=x/20240101/us-east-1/dynamodb/aws4_request")
	rec := httptest.NewRecorder()
	e.ServeHTTP(rec, req)
	return rec
}

func TestUnknownOperation(t *testing.T) {
	e := New()
	rec := post(t, e, "DynamoDB_20120810.Foo", "{}")
	if rec.Code != 400 {
		t.Fatalf("status %d", rec.Code)
	}
	want := `{"__type":"com.amazonaws.dynamodb.v20120810#UnknownOperationException","Message":"An unknown operation was requested."}`
	if rec.Body.String() != want {
		t.Fatalf("body %s", rec.Body)
	}
	crc, _ := strconv.ParseUint(rec.Header().Get("X-Amz-Crc32"), 10, 32)
	if uint32(crc) != crc32.ChecksumIEEE(rec.Body.Bytes()) {
		t.Fatal("bad crc32")
	}
	if rec.Header().Get("Content-Type") != "application/x-amz-json-1.0" || rec.Header().Get("X-Amzn-Requestid") == "" {
		t.Fatalf("headers %v", rec.Header())
	}
}

func TestMissingAuthorization(t *testing.T) {
	e := New()
	req := httptest.NewRequest(http.MethodPost, "/", bytes.NewBufferString("{}"))
	req.Header.Set("X-Amz-Target", "DynamoDB_20120810.ListTables")
	rec := httptest.NewRecorder()
	e.ServeHTTP(rec, req)
	if rec.Code != 400 || !bytes.Contains(rec.Body.Bytes(), []byte("MissingAuthenticationToken")) {
		t.Fatalf("%d %s", rec.Code, rec.Body)
	}
}

// The in-process client sends unsigned requests (anonymous credentials), which its transport
// serves; a client with credentials signs them and is served too. Over HTTP a request must carry
// an Authorization header, as on DynamoDB Local (TestMissingAuthorization).
func TestInProcessClientUnsigned(t *testing.T) {
	e := New()
	var signed []bool
	spy := func(next http.RoundTripper) *http.Client {
		return &http.Client{Transport: roundTripFunc(func(r *http.Request) (*http.Response, error) {
			signed = append(signed, r.Header.Get("Authorization") != "")
			return next.RoundTrip(r)
		})}
	}
	anon := e.Client(func(o *dynamodb.Options) { o.HTTPClient = spy(e.HTTPClient().Transport) })
	static := e.Client(func(o *dynamodb.Options) {
		o.HTTPClient = spy(e.HTTPClient().Transport)
		o.Credentials = credentials.NewStaticCredentialsProvider("id", "secret", "")
	})
	for _, c := range []*dynamodb.Client{anon, static} {
		if _, err := c.ListTables(context.Background(), &dynamodb.ListTablesInput{}); err != nil {
			t.Fatal(err)
		}
	}
	if len(signed) != 2 || signed[0] || !signed[1] {
		t.Fatalf("signed: %v, want [false true]", signed)
	}
}

type roundTripFunc func(*http.Request) (*http.Response, error)

func (f roundTripFunc) RoundTrip(r *http.Request) (*http.Response, error) { return f(r) }
