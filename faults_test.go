package dynantic_test

import (
	"bytes"
	"encoding/json"
	"hash/crc32"
	"io"
	"maps"
	"math/rand/v2"
	"net"
	"net/http"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"testing"

	"github.com/aws/aws-sdk-go-v2/service/dynamodb"

	"github.com/dynantic/dynantic"
	"github.com/dynantic/dynantic/dynamotest"
)

// faultTransport sits between the SDK and DynamoDB Local and makes batch
// requests fail the ways real DynamoDB can and Local will not:
//
//   - Unprocessed: a random share of the items of each BatchWriteItem (keys of
//     each BatchGetItem) is held back: not forwarded to Local, and reported
//     in UnprocessedItems (UnprocessedKeys), as DynamoDB does under load. So
//     an item lands in the table only if it was forwarded, and "every item
//     lands exactly once" can be checked by counting forwards.
//   - Throttle: a random share of batch requests is answered with a
//     ProvisionedThroughputExceededException and not forwarded.
//   - Poison: items whose key it names are never forwarded and always
//     reported unprocessed ("keeps failing").
//   - LoseReply: requests holding an item it names are forwarded, then
//     answered with a 500 InternalServerError, so the caller cannot know that
//     they were written.
//   - LoseOnce: the first request holding an item it names is forwarded,
//     then its reply is lost (a 500, or a dropped connection); from then on
//     the item is held back, so no later attempt settles it.
//   - LoseRate: a random share of the forwarded BatchWriteItem requests
//     lose their reply the same way.
//   - Single: decides the fate of each PutItem, UpdateItem and DeleteItem
//     request (see singleFault).
//
// A lost reply is a 500 InternalServerError or a connection reset, which
// the SDK's own retryer retries inside one call: the fault sits under the
// SDK, where real faults happen.
//
// The RNG is seeded, and every decision is recorded, so tests assert exact
// sets of items.
type faultTransport struct {
	next http.RoundTripper
	// keyAttr is the attribute whose S or N value identifies an item.
	keyAttr string

	Unprocessed float64
	Throttle    float64
	Poison      func(key string) bool
	LoseReply   func(key string) bool
	LoseOnce    func(key string) bool
	LoseRate    float64
	// Single, when set, is asked about every PutItem, UpdateItem and
	// DeleteItem request, with the operation and the item's key.
	Single func(op, key string) singleFault
	// TxConflicts is how many TransactWriteItems and TransactGetItems
	// requests to answer, without forwarding them, with a cancellation whose
	// reason for the last action is TransactionConflict.
	TxConflicts int
	// Intercept, when set, is called with every batch request before it is
	// forwarded (tests use it to cancel a context mid-run).
	Intercept func(op string)

	mu        sync.Mutex
	rng       *rand.Rand
	forwarded map[string]int // key → forwards in BatchWriteItem requests that Local answered
	gets      map[string]int // key → forwards in BatchGetItem requests
	ops       map[string]int // target operation → requests seen
	throttled int
	held      int
	// lost: key → replies lost of BatchWriteItem requests holding it
	// (forwarded or held back: either way the caller learnt nothing).
	lost map[string]int
	// confirmed: keys that a delivered BatchWriteItem answer reported as
	// processed.
	confirmed map[string]bool
	drop      bool // the next lost reply is a dropped connection
}

// singleFault is what faultTransport does with one single-item write.
type singleFault int

const (
	passThrough    singleFault = iota
	loseReply                  // forward, then answer 500
	dropReply                  // forward, then reset the connection
	refuseBefore               // answer 500 without forwarding
	throttleBefore             // answer 400 ThrottlingException without forwarding
)

// errConnReset is what a transport returns when the peer reset the
// connection; the SDK retries it.
var errConnReset = &net.OpError{Op: "read", Net: "tcp", Err: syscall.ECONNRESET}

func newFaultTransport(seed uint64, keyAttr string) *faultTransport {
	return &faultTransport{
		next: http.DefaultTransport, keyAttr: keyAttr,
		rng:       rand.New(rand.NewPCG(seed, seed^0x9e3779b97f4a7c15)),
		forwarded: map[string]int{}, gets: map[string]int{}, ops: map[string]int{},
		lost: map[string]int{}, confirmed: map[string]bool{},
	}
}

// faultEnv is newEnv with ft between the counting transport and DynamoDB.
func faultEnv(t *testing.T, ft *faultTransport, opts ...dynantic.Option) *env {
	t.Helper()
	base := dynamotest.Client(t)
	ft.next = transportOf(base, ft.next)
	ct := &countingTransport{next: ft}
	o := base.Options()
	o.HTTPClient = &http.Client{Transport: ct}
	c := dynamodb.New(o)
	return &env{db: dynantic.New(c, opts...), client: c, requests: ct}
}

func (f *faultTransport) Forwarded() map[string]int {
	f.mu.Lock()
	defer f.mu.Unlock()
	out := make(map[string]int, len(f.forwarded))
	for k, v := range f.forwarded {
		out[k] = v
	}
	return out
}

// Lost returns, per key, how many BatchWriteItem replies holding it were
// lost.
func (f *faultTransport) Lost() map[string]int {
	f.mu.Lock()
	defer f.mu.Unlock()
	return maps.Clone(f.lost)
}

// Confirmed returns the keys that a delivered BatchWriteItem answer
// reported as processed.
func (f *faultTransport) Confirmed() map[string]bool {
	f.mu.Lock()
	defer f.mu.Unlock()
	return maps.Clone(f.confirmed)
}

func (f *faultTransport) Requests(op string) int {
	f.mu.Lock()
	defer f.mu.Unlock()
	return f.ops[op]
}

func (f *faultTransport) chance(p float64) bool {
	f.mu.Lock()
	defer f.mu.Unlock()
	return p > 0 && f.rng.Float64() < p
}

func (f *faultTransport) keyOf(item map[string]any) string {
	av, _ := item[f.keyAttr].(map[string]any)
	for _, typ := range []string{"S", "N"} {
		if s, ok := av[typ].(string); ok {
			return s
		}
	}
	return "?"
}

func (f *faultTransport) RoundTrip(r *http.Request) (*http.Response, error) {
	target := r.Header.Get("X-Amz-Target")
	op := target[strings.LastIndexByte(target, '.')+1:]
	f.mu.Lock()
	f.ops[op]++
	f.mu.Unlock()
	if op == "TransactWriteItems" || op == "TransactGetItems" {
		return f.transact(r)
	}
	if f.Single != nil && (op == "PutItem" || op == "UpdateItem" || op == "DeleteItem") {
		return f.single(r, op)
	}
	if op != "BatchWriteItem" && op != "BatchGetItem" {
		return f.next.RoundTrip(r)
	}
	if f.Intercept != nil {
		f.Intercept(op)
	}
	body, err := io.ReadAll(r.Body)
	if err != nil {
		return nil, err
	}
	r.Body.Close()
	var in map[string]any
	if err := json.Unmarshal(body, &in); err != nil {
		return nil, err
	}
	if f.chance(f.Throttle) {
		f.mu.Lock()
		f.throttled++
		f.mu.Unlock()
		return errorResponse(r, 400, "ProvisionedThroughputExceededException", "injected throttling"), nil
	}
	if op == "BatchWriteItem" {
		return f.batchWrite(r, in)
	}
	return f.batchGet(r, in)
}

func (f *faultTransport) transact(r *http.Request) (*http.Response, error) {
	f.mu.Lock()
	conflict := f.TxConflicts > 0
	if conflict {
		f.TxConflicts--
	}
	f.mu.Unlock()
	if !conflict {
		return f.next.RoundTrip(r)
	}
	var in struct{ TransactItems []any }
	if err := json.NewDecoder(r.Body).Decode(&in); err != nil {
		return nil, err
	}
	reasons := make([]map[string]string, len(in.TransactItems))
	for i := range reasons {
		reasons[i] = map[string]string{"Code": "None"}
	}
	reasons[len(reasons)-1] = map[string]string{"Code": "TransactionConflict", "Message": "injected: transaction is ongoing for the item"}
	body, _ := json.Marshal(map[string]any{
		"__type":              "com.amazonaws.dynamodb.v20120810#TransactionCanceledException",
		"Message":             "Transaction cancelled, please refer cancellation reasons for specific reasons",
		"CancellationReasons": reasons,
	})
	return response(r, 400, body), nil
}

func (f *faultTransport) batchWrite(r *http.Request, in map[string]any) (*http.Response, error) {
	reqItems := in["RequestItems"].(map[string]any)
	held := map[string][]any{}
	var sent, all []string
	loseReply := false
	for table, list := range reqItems {
		var keep []any
		for _, wr := range list.([]any) {
			w := wr.(map[string]any)
			var item map[string]any
			if put, ok := w["PutRequest"].(map[string]any); ok {
				item = put["Item"].(map[string]any)
			} else {
				item = w["DeleteRequest"].(map[string]any)["Key"].(map[string]any)
			}
			key := f.keyOf(item)
			all = append(all, key)
			f.mu.Lock()
			lostOnce := f.LoseOnce != nil && f.LoseOnce(key) && f.lost[key] > 0
			f.mu.Unlock()
			if (f.Poison != nil && f.Poison(key)) || lostOnce || f.chance(f.Unprocessed) {
				held[table] = append(held[table], wr)
				continue
			}
			if (f.LoseReply != nil && f.LoseReply(key)) || (f.LoseOnce != nil && f.LoseOnce(key)) {
				loseReply = true
			}
			keep = append(keep, wr)
			sent = append(sent, key)
		}
		if len(keep) == 0 {
			delete(reqItems, table)
		} else {
			reqItems[table] = keep
		}
	}
	f.mu.Lock()
	for _, l := range held {
		f.held += len(l)
	}
	f.mu.Unlock()
	out := map[string]any{"UnprocessedItems": map[string]any{}}
	if len(reqItems) > 0 {
		resp, err := f.forward(r, in, &out)
		if err != nil || resp != nil {
			return resp, err
		}
		f.mu.Lock()
		for _, k := range sent {
			f.forwarded[k]++
		}
		f.mu.Unlock()
		if loseReply || f.chance(f.LoseRate) {
			f.mu.Lock()
			for _, k := range all {
				f.lost[k]++
			}
			drop := f.drop
			f.drop = !f.drop
			f.mu.Unlock()
			if drop {
				return nil, errConnReset
			}
			return errorResponse(r, 500, "InternalServerError", "injected: reply lost after the write"), nil
		}
	}
	f.mu.Lock()
	for _, k := range sent {
		f.confirmed[k] = true
	}
	f.mu.Unlock()
	un := out["UnprocessedItems"].(map[string]any)
	for table, l := range held {
		un[table] = l
	}
	return jsonResponse(r, out), nil
}

// single applies Single to one PutItem, UpdateItem or DeleteItem request.
func (f *faultTransport) single(r *http.Request, op string) (*http.Response, error) {
	body, err := io.ReadAll(r.Body)
	if err != nil {
		return nil, err
	}
	r.Body.Close()
	var in struct{ Item, Key map[string]any }
	if err := json.Unmarshal(body, &in); err != nil {
		return nil, err
	}
	item := in.Item
	if item == nil {
		item = in.Key
	}
	fault := f.Single(op, f.keyOf(item))
	switch fault {
	case refuseBefore:
		return errorResponse(r, 500, "InternalServerError", "injected: failed before the write"), nil
	case throttleBefore:
		return errorResponse(r, 400, "ThrottlingException", "injected throttling"), nil
	}
	r2 := r.Clone(r.Context())
	r2.Body = io.NopCloser(bytes.NewReader(body))
	resp, err := f.next.RoundTrip(r2)
	if err != nil || fault == passThrough {
		return resp, err
	}
	io.Copy(io.Discard, resp.Body)
	resp.Body.Close()
	if fault == dropReply {
		return nil, errConnReset
	}
	return errorResponse(r, 500, "InternalServerError", "injected: reply lost after the write"), nil
}

func (f *faultTransport) batchGet(r *http.Request, in map[string]any) (*http.Response, error) {
	reqItems := in["RequestItems"].(map[string]any)
	held := map[string]map[string]any{}
	var sent []string
	for table, v := range reqItems {
		ka := v.(map[string]any)
		var keep, hold []any
		for _, k := range ka["Keys"].([]any) {
			key := f.keyOf(k.(map[string]any))
			if (f.Poison != nil && f.Poison(key)) || f.chance(f.Unprocessed) {
				hold = append(hold, k)
				continue
			}
			keep = append(keep, k)
			sent = append(sent, key)
		}
		if len(hold) > 0 {
			h := map[string]any{}
			for name, x := range ka {
				h[name] = x
			}
			h["Keys"] = hold
			held[table] = h
		}
		if len(keep) == 0 {
			delete(reqItems, table)
		} else {
			ka["Keys"] = keep
		}
	}
	out := map[string]any{"Responses": map[string]any{}, "UnprocessedKeys": map[string]any{}}
	if len(reqItems) > 0 {
		resp, err := f.forward(r, in, &out)
		if err != nil || resp != nil {
			return resp, err
		}
		f.mu.Lock()
		for _, k := range sent {
			f.gets[k]++
		}
		f.mu.Unlock()
	}
	un, _ := out["UnprocessedKeys"].(map[string]any)
	if un == nil {
		un = map[string]any{}
		out["UnprocessedKeys"] = un
	}
	for table, h := range held {
		un[table] = h
	}
	return jsonResponse(r, out), nil
}

// forward sends the rewritten request to Local and decodes its answer into
// out. A non-200 answer is returned as is (resp != nil).
func (f *faultTransport) forward(r *http.Request, in map[string]any, out *map[string]any) (*http.Response, error) {
	body, err := json.Marshal(in)
	if err != nil {
		return nil, err
	}
	r2 := r.Clone(r.Context())
	r2.Body = io.NopCloser(bytes.NewReader(body))
	r2.ContentLength = int64(len(body))
	r2.Header.Set("Content-Length", strconv.Itoa(len(body)))
	resp, err := f.next.RoundTrip(r2)
	if err != nil {
		return nil, err
	}
	if resp.StatusCode != 200 {
		return resp, nil
	}
	defer resp.Body.Close()
	if err := json.NewDecoder(resp.Body).Decode(out); err != nil {
		return nil, err
	}
	return nil, nil
}

func jsonResponse(r *http.Request, v any) *http.Response {
	body, _ := json.Marshal(v)
	return response(r, 200, body)
}

func errorResponse(r *http.Request, status int, code, msg string) *http.Response {
	body, _ := json.Marshal(map[string]string{"__type": "com.amazonaws.dynamodb.v20120810#" + code, "message": msg})
	return response(r, status, body)
}

func response(r *http.Request, status int, body []byte) *http.Response {
	h := http.Header{}
	h.Set("Content-Type", "application/x-amz-json-1.0")
	h.Set("Content-Length", strconv.Itoa(len(body)))
	h.Set("X-Amz-Crc32", strconv.FormatUint(uint64(crc32.ChecksumIEEE(body)), 10))
	return &http.Response{
		StatusCode: status, Status: strconv.Itoa(status) + " " + http.StatusText(status),
		Proto: "HTTP/1.1", ProtoMajor: 1, ProtoMinor: 1,
		Header: h, Body: io.NopCloser(bytes.NewReader(body)), ContentLength: int64(len(body)),
		Request: r,
	}
}
