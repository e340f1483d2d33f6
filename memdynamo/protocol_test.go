package memdynamo

import (
	"bytes"
	"hash/crc32"
	"net/http"
	"net/http/httptest"
	"strconv"
	"testing"
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
