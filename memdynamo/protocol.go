package memdynamo

import (
	"hash/crc32"
	"io"
	"net/http"
	"strconv"
	"strings"

	"github.com/dynantic/dynantic/memdynamo/internal/wire"
)

// targetPrefix starts the X-Amz-Target header of every DynamoDB operation.
const targetPrefix = "DynamoDB_20120810."

// maxBodySize bounds a request body: 16 MB, as DynamoDB Local (a larger body is 413 Payload Too
// Large).
const maxBodySize = 16 << 20

// operation handles one API call: it decodes body, acts, and returns the JSON response body or a
// DynamoDB error.
type operation func(e *Engine, body []byte) ([]byte, *wire.Error)

// operations maps an operation name (the part of X-Amz-Target after the prefix) to its handler.
var operations = map[string]operation{}

func errUnknownOperation() *wire.Error {
	return &wire.Error{Type: "UnknownOperationException", Message: "An unknown operation was requested."}
}

// result is an answered request: status, body, and the request ID to send.
type result struct {
	status int
	body   []byte
}

// handle serves one request given its X-Amz-Target, whether it carried an Authorization header,
// and its body.
func (e *Engine) handle(target string, authorized bool, body []byte) result {
	if !authorized {
		return errorResult(&wire.Error{Type: "MissingAuthenticationToken", Message: "Request must contain either a valid (registered) AWS access key ID or X.509 certificate."})
	}
	name, ok := strings.CutPrefix(target, targetPrefix)
	op := operations[name]
	if name, sok := strings.CutPrefix(target, streamsTargetPrefix); sok {
		ok, op = true, streamOperations[name]
	}
	if !ok || op == nil {
		return errorResult(errUnknownOperation())
	}
	out, err := e.call(op, body)
	if err != nil {
		return errorResult(err)
	}
	return result{status: http.StatusOK, body: out}
}

// call runs op and turns a panic (a bug) into DynamoDB's InternalServerError instead of taking the
// process down.
func (e *Engine) call(op operation, body []byte) (out []byte, err *wire.Error) {
	defer func() {
		if p := recover(); p != nil {
			out, err = nil, &wire.Error{Type: "InternalServerError", Message: "Internal server error"}
		}
	}()
	return op(e, body)
}

// errorResult renders err in DynamoDB's JSON error shape.
func errorResult(err *wire.Error) result {
	if err.Type == "" {
		return result{status: http.StatusRequestEntityTooLarge, body: []byte(`{"Message":""}`)}
	}
	b := make([]byte, 0, 128+len(err.Message))
	b = append(b, `{"__type":`...)
	b = wire.AppendString(b, wire.Namespace(err.Type)+err.Type)
	b = append(b, `,"Message":`...)
	b = wire.AppendString(b, err.Message)
	b = append(b, err.Extra...)
	b = append(b, '}')
	status := http.StatusBadRequest
	switch err.Type {
	case "InternalServerError", "InternalFailure":
		status = http.StatusInternalServerError
	}
	return result{status: status, body: b}
}

// ServeHTTP answers a DynamoDB API request (awsJson1_0: POST, X-Amz-Target
// "DynamoDB_20120810.<Operation>", JSON body), or a DynamoDB Streams one
// ("DynamoDBStreams_20120810.<Operation>"), on one endpoint as DynamoDB Local does. Responses carry x-amz-crc32 and
// x-amzn-RequestId headers as DynamoDB's do; errors have DynamoDB's `__type`/`Message` shape.
func (e *Engine) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	body, err := io.ReadAll(io.LimitReader(r.Body, maxBodySize+1))
	var res result
	switch {
	case err != nil:
		res = errorResult(wire.Serialization("Could not read the request body"))
	case len(body) > maxBodySize:
		res = errorResult(errTooLarge())
	default:
		res = e.handle(r.Header.Get("X-Amz-Target"), r.Header.Get("Authorization") != "", body)
	}
	h := w.Header()
	h["Content-Type"] = []string{"application/x-amz-json-1.0"}
	h["X-Amzn-Requestid"] = []string{e.requestID()}
	h["X-Amz-Crc32"] = []string{strconv.FormatUint(uint64(crc32.ChecksumIEEE(res.body)), 10)}
	h["Content-Length"] = []string{strconv.Itoa(len(res.body))}
	w.WriteHeader(res.status)
	_, _ = w.Write(res.body)
}

// requestID returns a unique request ID in the UUID-like shape DynamoDB uses.
func (e *Engine) requestID() string {
	n := e.reqID.Add(1)
	const hex = "0123456789abcdef"
	var b [36]byte
	copy(b[:], "00000000-0000-4000-8000-000000000000")
	for i := 35; i >= 24 && n > 0; i-- {
		b[i] = hex[n&0xF]
		n >>= 4
	}
	return string(b[:])
}

// errTooLarge is the answer to a body over maxBodySize: 413 with an empty message and no
// __type, as DynamoDB Local sends it.
func errTooLarge() *wire.Error {
	return &wire.Error{Type: "", Message: ""}
}
