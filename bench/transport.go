package bench

import (
	"bytes"
	"encoding/base64"
	"encoding/json"
	"io"
	"net/http"
	"strings"
	"sync"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/credentials"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb/types"
)

// Canned is an http.RoundTripper that answers DynamoDB requests in process
// with fixed response bodies, chosen by the operation in the X-Amz-Target
// header. It reads every request body, as a real transport sends it, and
// keeps the last one of each operation (for the gate). It is safe for
// concurrent use.
type Canned struct {
	bodies map[string][]byte

	mu   sync.Mutex
	last map[string][]byte
	keep bool
}

// NewCanned returns a transport whose GetItem answers item, whose Query
// answers page, and whose PutItem, UpdateItem and DeleteItem answer {}.
// With keep, request bodies are kept for LastRequest.
func NewCanned(item Item, page []Item, keep bool) *Canned {
	items := make([]any, len(page))
	for i, it := range page {
		items[i] = itemJSON(it)
	}
	mustJSON := func(v any) []byte {
		b, err := json.Marshal(v)
		if err != nil {
			panic(err)
		}
		return b
	}
	return &Canned{
		bodies: map[string][]byte{
			"GetItem":      mustJSON(map[string]any{"Item": itemJSON(item)}),
			"Query":        mustJSON(map[string]any{"Items": items, "Count": len(page), "ScannedCount": len(page)}),
			"BatchGetItem": mustJSON(map[string]any{"Responses": map[string]any{tableMedium: items}}),
			"PutItem":      []byte("{}"),
			"UpdateItem":   []byte("{}"),
			"DeleteItem":   []byte("{}"),
		},
		last: map[string][]byte{},
		keep: keep,
	}
}

// RoundTrip answers r with the canned body of its operation, or a
// DynamoDB-style 400 error for an operation it does not know.
func (c *Canned) RoundTrip(r *http.Request) (*http.Response, error) {
	target := r.Header.Get("X-Amz-Target")
	op := target[strings.LastIndexByte(target, '.')+1:]
	var req []byte
	if r.Body != nil {
		var err error
		if c.keep {
			req, err = io.ReadAll(r.Body)
		} else {
			_, err = io.Copy(io.Discard, r.Body)
		}
		r.Body.Close()
		if err != nil {
			return nil, err
		}
	}
	if c.keep {
		c.mu.Lock()
		c.last[op] = req
		c.mu.Unlock()
	}
	status, body := http.StatusOK, c.bodies[op]
	if body == nil {
		status = http.StatusBadRequest
		body = []byte(`{"__type":"com.amazon.coral.validate#ValidationException","message":"bench: no canned answer for ` + op + `"}`)
	}
	return &http.Response{
		Status:        http.StatusText(status),
		StatusCode:    status,
		Proto:         "HTTP/1.1",
		ProtoMajor:    1,
		ProtoMinor:    1,
		Header:        http.Header{"Content-Type": {"application/x-amz-json-1.0"}},
		Body:          io.NopCloser(bytes.NewReader(body)),
		ContentLength: int64(len(body)),
		Request:       r,
	}, nil
}

// LastRequest returns the body of the last request of op (with keep).
func (c *Canned) LastRequest(op string) []byte {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.last[op]
}

// NewClient returns a real SDK DynamoDB client whose requests are answered
// by rt: signed, serialized and deserialized as in production, with no
// network.
func NewClient(rt http.RoundTripper) *dynamodb.Client {
	return dynamodb.NewFromConfig(aws.Config{
		Region:       "us-east-1",
		Credentials:  credentials.NewStaticCredentialsProvider("AKIDBENCH", "bench-secret", ""),
		HTTPClient:   &http.Client{Transport: rt},
		BaseEndpoint: aws.String("http://127.0.0.1:8000"),
	})
}

// itemJSON renders an item in DynamoDB's JSON wire form.
func itemJSON(m Item) map[string]any {
	out := make(map[string]any, len(m))
	for k, v := range m {
		out[k] = avJSON(v)
	}
	return out
}

func avJSON(av types.AttributeValue) map[string]any {
	switch v := av.(type) {
	case *types.AttributeValueMemberS:
		return map[string]any{"S": v.Value}
	case *types.AttributeValueMemberN:
		return map[string]any{"N": v.Value}
	case *types.AttributeValueMemberB:
		return map[string]any{"B": base64.StdEncoding.EncodeToString(v.Value)}
	case *types.AttributeValueMemberBOOL:
		return map[string]any{"BOOL": v.Value}
	case *types.AttributeValueMemberNULL:
		return map[string]any{"NULL": true}
	case *types.AttributeValueMemberSS:
		return map[string]any{"SS": v.Value}
	case *types.AttributeValueMemberNS:
		return map[string]any{"NS": v.Value}
	case *types.AttributeValueMemberBS:
		bs := make([]string, len(v.Value))
		for i, b := range v.Value {
			bs[i] = base64.StdEncoding.EncodeToString(b)
		}
		return map[string]any{"BS": bs}
	case *types.AttributeValueMemberL:
		l := make([]any, len(v.Value))
		for i, x := range v.Value {
			l[i] = avJSON(x)
		}
		return map[string]any{"L": l}
	case *types.AttributeValueMemberM:
		return map[string]any{"M": itemJSON(v.Value)}
	}
	panic("bench: unknown attribute value type")
}
