package dynantic

import (
	"bytes"
	"context"
	"encoding/base64"
	"fmt"
	"io"
	"net/http"
	"reflect"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"unicode/utf8"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb/schemas"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb/types"
	smithy "github.com/aws/smithy-go"
	smithyhttp "github.com/aws/smithy-go/transport/http"
)

// The request side of the wire-level reads (issue 14). The SDK writes a
// request body in the protocol's SerializeRequest: a schema walk of the
// input through its generic ShapeSerializer, plus a fmt.Sprintf of the
// X-Amz-Target header. For the five read inputs the library sends,
// wireProtocol.SerializeRequest writes the same JSON directly (member by
// member, in the SDK's order and with its string escaping) and sets the same
// method, path and headers. The bytes are the SDK's: anything the encoder
// does not know (an unknown or nil attribute value, a nil input, nesting
// deeper than DynamoDB allows, an input type whose fields are not the ones
// this file was written for, a protocol that does not serialize as probed)
// goes to the SDK's SerializeRequest instead, never to a different body.

// wireEncoded counts the requests the wire encoder wrote (for tests that
// prove it is used).
var wireEncoded atomic.Int64

// wireEncOp is one read operation of the encoder: its name, its X-Amz-Target
// header value (the SDK's "<service>.<operation>", checked by the probe) and
// its operation schema (for the probe).
type wireEncOp struct {
	name   string
	target []string
	schema *smithy.OperationSchema
}

// The encoder's operations, indexed by wireEncIndex. The header value slices
// are shared: the request keeps them only until SetStream clones its header.
var wireEncOps = [...]wireEncOp{
	{"GetItem", []string{"DynamoDB_20120810.GetItem"},
		smithy.NewOperationSchema(schemas.GetItem, schemas.GetItemInput, schemas.GetItemOutput)},
	{"Query", []string{"DynamoDB_20120810.Query"},
		smithy.NewOperationSchema(schemas.Query, schemas.QueryInput, schemas.QueryOutput)},
	{"Scan", []string{"DynamoDB_20120810.Scan"},
		smithy.NewOperationSchema(schemas.Scan, schemas.ScanInput, schemas.ScanOutput)},
	{"BatchGetItem", []string{"DynamoDB_20120810.BatchGetItem"},
		smithy.NewOperationSchema(schemas.BatchGetItem, schemas.BatchGetItemInput, schemas.BatchGetItemOutput)},
	{"TransactGetItems", []string{"DynamoDB_20120810.TransactGetItems"},
		smithy.NewOperationSchema(schemas.TransactGetItems, schemas.TransactGetItemsInput, schemas.TransactGetItemsOutput)},
}

// wireEncContentType is the Content-Type of awsJson 1.0 (checked by the probe).
var wireEncContentType = []string{"application/x-amz-json-1.0"}

// wireEncIndex returns the index in wireEncOps of in's operation, or -1 for
// an input the encoder does not write.
func wireEncIndex(in smithy.Serializable) int {
	switch in.(type) {
	case *dynamodb.GetItemInput:
		return 0
	case *dynamodb.QueryInput:
		return 1
	case *dynamodb.ScanInput:
		return 2
	case *dynamodb.BatchGetItemInput:
		return 3
	case *dynamodb.TransactGetItemsInput:
		return 4
	}
	return -1
}

// SerializeRequest writes the request of a read input with the wire
// encoder, and anything else with the SDK's protocol.
func (w *wireProtocol) SerializeRequest(ctx context.Context, schema *smithy.OperationSchema, in smithy.Serializable,
	req *smithyhttp.Request,
) error {
	op := wireEncIndex(in)
	if op < 0 || !w.encodes() {
		return w.Protocol.SerializeRequest(ctx, schema, in, req)
	}
	ok, err := wireEncSerialize(op, schema, in, req)
	if !ok {
		return w.Protocol.SerializeRequest(ctx, schema, in, req)
	}
	if err == nil {
		wireEncoded.Add(1)
	}
	return err
}

// wireEncSerialize does what awsjson.Protocol.SerializeRequest does for the
// input in of wireEncOps[op], on a protocol the probe accepted. It reports
// false, with req untouched, when it declines.
func wireEncSerialize(op int, schema *smithy.OperationSchema, in smithy.Serializable, req *smithyhttp.Request) (bool, error) {
	if schema == nil || schema.Schema == nil || schema.Input == nil || schema.IsInputEventStream() ||
		schema.ID().Name != wireEncOps[op].name || req.URL == nil || req.Header == nil {
		return false, nil
	}
	e := wireEncs.Get().(*wireEnc)
	e.b, e.depth = e.b[:0], 0
	ok := e.input(in)
	var body []byte
	if ok {
		body = make([]byte, len(e.b))
		copy(body, e.b)
	}
	if cap(e.b) <= 1<<20 {
		wireEncs.Put(e)
	}
	if !ok {
		return false, nil
	}
	req.Method = http.MethodPost
	if len(req.URL.Path) == 0 {
		req.URL.Path = "/"
	}
	req.Header["X-Amz-Target"] = wireEncOps[op].target
	req.Header["Content-Type"] = wireEncContentType
	sreq, err := req.SetStream(bytes.NewReader(body))
	if err != nil {
		return true, fmt.Errorf("set stream: %w", err)
	}
	*req = *sreq
	return true, nil
}

// encodes reports whether the wire encoder writes w's requests: the input
// types have the fields this file knows, and the protocol serializes the
// probe's inputs exactly as the encoder does (same service name in the
// target, awsJson 1.0, no query-compatible header, same bytes). Probed once
// per wrapper.
func (w *wireProtocol) encodes() bool {
	switch w.enc.Load() {
	case 1:
		return true
	case 2:
		return false
	}
	ok := wireEncShapesKnown() && wireEncProbe(w.Protocol)
	state := int32(2)
	if ok {
		state = 1
	}
	w.enc.Store(state)
	return ok
}

// wireEncProbe serializes one input of each operation with p and with the
// encoder on fresh requests, and reports whether everything is the same.
func wireEncProbe(p smithyhttp.ClientProtocol) bool {
	ctx := context.Background()
	for op, in := range wireEncProbeInputs() {
		sdk := smithyhttp.NewStackRequest().(*smithyhttp.Request)
		own := smithyhttp.NewStackRequest().(*smithyhttp.Request)
		if err := p.SerializeRequest(ctx, wireEncOps[op].schema, in, sdk); err != nil {
			return false
		}
		if ok, err := wireEncSerialize(op, wireEncOps[op].schema, in, own); !ok || err != nil {
			return false
		}
		if !wireEncSameRequest(sdk, own) {
			return false
		}
	}
	return true
}

// wireEncSameRequest reports whether two serialized requests are the same:
// method, URL, headers, length and body bytes.
func wireEncSameRequest(a, b *smithyhttp.Request) bool {
	if a.Method != b.Method || a.URL.String() != b.URL.String() || !reflect.DeepEqual(a.Header, b.Header) ||
		a.ContentLength != b.ContentLength || a.IsStreamSeekable() != b.IsStreamSeekable() {
		return false
	}
	ba, errA := wireEncBody(a)
	bb, errB := wireEncBody(b)
	return errA == nil && errB == nil && bytes.Equal(ba, bb)
}

// wireEncBody reads a serialized request's body and rewinds it.
func wireEncBody(r *smithyhttp.Request) ([]byte, error) {
	s := r.GetStream()
	if s == nil {
		return nil, nil
	}
	b, err := io.ReadAll(s)
	if err != nil {
		return nil, err
	}
	return b, r.RewindStream()
}

// wireEncProbeInputs returns an input of each operation (in wireEncOps order)
// whose strings take every path of the SDK's escaping and whose values are
// of every attribute value kind, each map of at most one entry (the SDK's
// order of map entries is Go's random one).
func wireEncProbeInputs() [len(wireEncOps)]smithy.Serializable {
	s := "a\"\\/\b\f\n\r\t\x00\x1f\x7f<>&é\u2028\u2029\U0001F600\xff\xed\xa0\x80\ufffd~"
	key := map[string]types.AttributeValue{s: &types.AttributeValueMemberM{Value: map[string]types.AttributeValue{
		"l": &types.AttributeValueMemberL{Value: []types.AttributeValue{
			&types.AttributeValueMemberS{Value: s}, &types.AttributeValueMemberN{Value: "-1.5E+3"},
			&types.AttributeValueMemberB{Value: []byte{0, 1, 0xfe, 0xff}}, &types.AttributeValueMemberB{},
			&types.AttributeValueMemberBOOL{Value: true}, &types.AttributeValueMemberNULL{Value: true},
			&types.AttributeValueMemberSS{Value: []string{s, ""}}, &types.AttributeValueMemberNS{},
			&types.AttributeValueMemberBS{Value: [][]byte{nil, {}, {1}}}, &types.AttributeValueMemberM{},
			&types.AttributeValueMemberL{},
		}},
	}}}
	names := map[string]string{"#" + s: s}
	cond := map[string]types.Condition{s: {AttributeValueList: []types.AttributeValue{}, ComparisonOperator: "EQ"}}
	return [...]smithy.Serializable{
		&dynamodb.GetItemInput{Key: key, TableName: aws.String(s), AttributesToGet: []string{s},
			ConsistentRead: aws.Bool(false), ExpressionAttributeNames: names, ProjectionExpression: aws.String(s),
			ReturnConsumedCapacity: types.ReturnConsumedCapacityTotal},
		&dynamodb.QueryInput{TableName: aws.String("t"), AttributesToGet: []string{}, ConditionalOperator: "AND",
			ConsistentRead: aws.Bool(true), ExclusiveStartKey: key, ExpressionAttributeNames: map[string]string{},
			ExpressionAttributeValues: key, FilterExpression: aws.String(s), IndexName: aws.String("i"),
			KeyConditionExpression: aws.String(s), KeyConditions: cond, Limit: aws.Int32(-2147483648),
			ProjectionExpression: aws.String(""), QueryFilter: cond, ReturnConsumedCapacity: "x\x01",
			ScanIndexForward: aws.Bool(false), Select: types.SelectCount},
		&dynamodb.ScanInput{TableName: aws.String(s), AttributesToGet: []string{"a", "b"}, ConditionalOperator: "OR",
			ConsistentRead: aws.Bool(true), ExclusiveStartKey: map[string]types.AttributeValue{},
			ExpressionAttributeNames: names, ExpressionAttributeValues: key, FilterExpression: aws.String(s),
			IndexName: aws.String(s), Limit: aws.Int32(2147483647), ProjectionExpression: aws.String(s),
			ReturnConsumedCapacity: "INDEXES", ScanFilter: cond, Segment: aws.Int32(0), Select: "ALL_ATTRIBUTES",
			TotalSegments: aws.Int32(7)},
		&dynamodb.BatchGetItemInput{RequestItems: map[string]types.KeysAndAttributes{s: {
			Keys: []map[string]types.AttributeValue{key, {}}, AttributesToGet: []string{s}, ConsistentRead: aws.Bool(true),
			ExpressionAttributeNames: names, ProjectionExpression: aws.String(s),
		}}, ReturnConsumedCapacity: "NONE"},
		&dynamodb.TransactGetItemsInput{ReturnConsumedCapacity: "TOTAL", TransactItems: []types.TransactGetItem{
			{Get: &types.Get{Key: key, TableName: aws.String(s), ExpressionAttributeNames: names,
				ProjectionExpression: aws.String(s)}},
			{}, {Get: &types.Get{}},
		}},
	}
}

// wireEncShapes are the fields (name and type, in declaration order) of every
// type the encoder writes, as the encoder was written for them. A type whose
// fields differ (a field added by a newer SDK) turns the encoder off.
var wireEncShapes = []wireEncShape{
	{dynamodb.GetItemInput{}, "Key map[string]types.AttributeValue; TableName *string; AttributesToGet []string; " +
		"ConsistentRead *bool; ExpressionAttributeNames map[string]string; ProjectionExpression *string; " +
		"ReturnConsumedCapacity types.ReturnConsumedCapacity; noSmithyDocumentSerde document.NoSerde"},
	{dynamodb.QueryInput{}, "TableName *string; AttributesToGet []string; ConditionalOperator types.ConditionalOperator; " +
		"ConsistentRead *bool; ExclusiveStartKey map[string]types.AttributeValue; ExpressionAttributeNames map[string]string; " +
		"ExpressionAttributeValues map[string]types.AttributeValue; FilterExpression *string; IndexName *string; " +
		"KeyConditionExpression *string; KeyConditions map[string]types.Condition; Limit *int32; " +
		"ProjectionExpression *string; QueryFilter map[string]types.Condition; " +
		"ReturnConsumedCapacity types.ReturnConsumedCapacity; ScanIndexForward *bool; Select types.Select; " +
		"noSmithyDocumentSerde document.NoSerde"},
	{dynamodb.ScanInput{}, "TableName *string; AttributesToGet []string; ConditionalOperator types.ConditionalOperator; " +
		"ConsistentRead *bool; ExclusiveStartKey map[string]types.AttributeValue; ExpressionAttributeNames map[string]string; " +
		"ExpressionAttributeValues map[string]types.AttributeValue; FilterExpression *string; IndexName *string; " +
		"Limit *int32; ProjectionExpression *string; ReturnConsumedCapacity types.ReturnConsumedCapacity; " +
		"ScanFilter map[string]types.Condition; Segment *int32; Select types.Select; TotalSegments *int32; " +
		"noSmithyDocumentSerde document.NoSerde"},
	{dynamodb.BatchGetItemInput{}, "RequestItems map[string]types.KeysAndAttributes; " +
		"ReturnConsumedCapacity types.ReturnConsumedCapacity; noSmithyDocumentSerde document.NoSerde"},
	{dynamodb.TransactGetItemsInput{}, "TransactItems []types.TransactGetItem; " +
		"ReturnConsumedCapacity types.ReturnConsumedCapacity; noSmithyDocumentSerde document.NoSerde"},
	{types.KeysAndAttributes{}, "Keys []map[string]types.AttributeValue; AttributesToGet []string; ConsistentRead *bool; " +
		"ExpressionAttributeNames map[string]string; ProjectionExpression *string; noSmithyDocumentSerde document.NoSerde"},
	{types.TransactGetItem{}, "Get *types.Get; noSmithyDocumentSerde document.NoSerde"},
	{types.Get{}, "Key map[string]types.AttributeValue; TableName *string; ExpressionAttributeNames map[string]string; " +
		"ProjectionExpression *string; noSmithyDocumentSerde document.NoSerde"},
	{types.Condition{}, "ComparisonOperator types.ComparisonOperator; AttributeValueList []types.AttributeValue; " +
		"noSmithyDocumentSerde document.NoSerde"},
	{types.AttributeValueMemberB{}, "Value []uint8; noSmithyDocumentSerde document.NoSerde"},
	{types.AttributeValueMemberBOOL{}, "Value bool; noSmithyDocumentSerde document.NoSerde"},
	{types.AttributeValueMemberBS{}, "Value [][]uint8; noSmithyDocumentSerde document.NoSerde"},
	{types.AttributeValueMemberL{}, "Value []types.AttributeValue; noSmithyDocumentSerde document.NoSerde"},
	{types.AttributeValueMemberM{}, "Value map[string]types.AttributeValue; noSmithyDocumentSerde document.NoSerde"},
	{types.AttributeValueMemberN{}, "Value string; noSmithyDocumentSerde document.NoSerde"},
	{types.AttributeValueMemberNS{}, "Value []string; noSmithyDocumentSerde document.NoSerde"},
	{types.AttributeValueMemberNULL{}, "Value bool; noSmithyDocumentSerde document.NoSerde"},
	{types.AttributeValueMemberS{}, "Value string; noSmithyDocumentSerde document.NoSerde"},
	{types.AttributeValueMemberSS{}, "Value []string; noSmithyDocumentSerde document.NoSerde"},
}

// wireEncShape is a type (a value of it) and its fields as wireEncFields
// lists them.
type wireEncShape struct {
	v      any
	fields string
}

// wireEncShapesKnown reports whether every type of wireEncShapes has the fields
// listed there (computed once).
var wireEncShapesKnown = sync.OnceValue(func() bool { return wireEncShapesMatch(wireEncShapes) })

// wireEncShapesMatch reports whether every type of shapes has the fields
// listed with it.
func wireEncShapesMatch(shapes []wireEncShape) bool {
	for _, s := range shapes {
		if wireEncFields(reflect.TypeOf(s.v)) != s.fields {
			return false
		}
	}
	return true
}

// wireEncFields lists a struct type's fields as wireEncShapes does.
func wireEncFields(t reflect.Type) string {
	var b strings.Builder
	for i := range t.NumField() {
		if i > 0 {
			b.WriteString("; ")
		}
		f := t.Field(i)
		b.WriteString(f.Name + " " + f.Type.String())
	}
	return b.String()
}

// wireEnc writes a request body.
type wireEnc struct {
	b     []byte
	depth int // attribute value nesting
}

var wireEncs = sync.Pool{New: func() any { return &wireEnc{b: make([]byte, 0, 1024)} }}

// wireEncMaxDepth is the deepest nesting of attribute values the encoder
// writes (DynamoDB allows 32 levels); deeper values go to the SDK.
const wireEncMaxDepth = 64

// input writes in (one of the wireEncIndex types), or reports false.
func (e *wireEnc) input(in smithy.Serializable) bool {
	switch v := in.(type) {
	case *dynamodb.GetItemInput:
		return v != nil && e.getItem(v)
	case *dynamodb.QueryInput:
		return v != nil && e.query(v)
	case *dynamodb.ScanInput:
		return v != nil && e.scan(v)
	case *dynamodb.BatchGetItemInput:
		return v != nil && e.batchGet(v)
	case *dynamodb.TransactGetItemsInput:
		return v != nil && e.transactGet(v)
	}
	return false
}

// The members of each input are written in the SDK's order (its
// SerializeMembers: alphabetical), a nil pointer, slice or map and an empty
// enum left out, an empty slice or map written empty.

func (e *wireEnc) getItem(v *dynamodb.GetItemInput) bool {
	e.b = append(e.b, '{')
	n := e.strList(0, `"AttributesToGet":`, v.AttributesToGet)
	n = e.boolPtr(n, `"ConsistentRead":`, v.ConsistentRead)
	n = e.strMap(n, `"ExpressionAttributeNames":`, v.ExpressionAttributeNames)
	n, ok := e.avMapMember(n, `"Key":`, v.Key)
	n = e.strPtr(n, `"ProjectionExpression":`, v.ProjectionExpression)
	n = e.enum(n, `"ReturnConsumedCapacity":`, string(v.ReturnConsumedCapacity))
	e.strPtr(n, `"TableName":`, v.TableName)
	e.b = append(e.b, '}')
	return ok
}

func (e *wireEnc) query(v *dynamodb.QueryInput) bool {
	e.b = append(e.b, '{')
	n := e.strList(0, `"AttributesToGet":`, v.AttributesToGet)
	n = e.enum(n, `"ConditionalOperator":`, string(v.ConditionalOperator))
	n = e.boolPtr(n, `"ConsistentRead":`, v.ConsistentRead)
	n, ok1 := e.avMapMember(n, `"ExclusiveStartKey":`, v.ExclusiveStartKey)
	n = e.strMap(n, `"ExpressionAttributeNames":`, v.ExpressionAttributeNames)
	n, ok2 := e.avMapMember(n, `"ExpressionAttributeValues":`, v.ExpressionAttributeValues)
	n = e.strPtr(n, `"FilterExpression":`, v.FilterExpression)
	n = e.strPtr(n, `"IndexName":`, v.IndexName)
	n = e.strPtr(n, `"KeyConditionExpression":`, v.KeyConditionExpression)
	n, ok3 := e.conditions(n, `"KeyConditions":`, v.KeyConditions)
	n = e.int32Ptr(n, `"Limit":`, v.Limit)
	n = e.strPtr(n, `"ProjectionExpression":`, v.ProjectionExpression)
	n, ok4 := e.conditions(n, `"QueryFilter":`, v.QueryFilter)
	n = e.enum(n, `"ReturnConsumedCapacity":`, string(v.ReturnConsumedCapacity))
	n = e.boolPtr(n, `"ScanIndexForward":`, v.ScanIndexForward)
	n = e.enum(n, `"Select":`, string(v.Select))
	e.strPtr(n, `"TableName":`, v.TableName)
	e.b = append(e.b, '}')
	return ok1 && ok2 && ok3 && ok4
}

func (e *wireEnc) scan(v *dynamodb.ScanInput) bool {
	e.b = append(e.b, '{')
	n := e.strList(0, `"AttributesToGet":`, v.AttributesToGet)
	n = e.enum(n, `"ConditionalOperator":`, string(v.ConditionalOperator))
	n = e.boolPtr(n, `"ConsistentRead":`, v.ConsistentRead)
	n, ok1 := e.avMapMember(n, `"ExclusiveStartKey":`, v.ExclusiveStartKey)
	n = e.strMap(n, `"ExpressionAttributeNames":`, v.ExpressionAttributeNames)
	n, ok2 := e.avMapMember(n, `"ExpressionAttributeValues":`, v.ExpressionAttributeValues)
	n = e.strPtr(n, `"FilterExpression":`, v.FilterExpression)
	n = e.strPtr(n, `"IndexName":`, v.IndexName)
	n = e.int32Ptr(n, `"Limit":`, v.Limit)
	n = e.strPtr(n, `"ProjectionExpression":`, v.ProjectionExpression)
	n = e.enum(n, `"ReturnConsumedCapacity":`, string(v.ReturnConsumedCapacity))
	n, ok3 := e.conditions(n, `"ScanFilter":`, v.ScanFilter)
	n = e.int32Ptr(n, `"Segment":`, v.Segment)
	n = e.enum(n, `"Select":`, string(v.Select))
	n = e.strPtr(n, `"TableName":`, v.TableName)
	e.int32Ptr(n, `"TotalSegments":`, v.TotalSegments)
	e.b = append(e.b, '}')
	return ok1 && ok2 && ok3
}

func (e *wireEnc) batchGet(v *dynamodb.BatchGetItemInput) bool {
	e.b = append(e.b, '{')
	n, ok := 0, true
	if v.RequestItems != nil {
		n = e.member(n, `"RequestItems":`)
		e.b = append(e.b, '{')
		i := 0
		for table, ka := range v.RequestItems {
			i = e.key(i, table)
			ok = e.keysAndAttributes(&ka) && ok
		}
		e.b = append(e.b, '}')
	}
	e.enum(n, `"ReturnConsumedCapacity":`, string(v.ReturnConsumedCapacity))
	e.b = append(e.b, '}')
	return ok
}

func (e *wireEnc) keysAndAttributes(v *types.KeysAndAttributes) bool {
	e.b = append(e.b, '{')
	n := e.strList(0, `"AttributesToGet":`, v.AttributesToGet)
	n = e.boolPtr(n, `"ConsistentRead":`, v.ConsistentRead)
	n = e.strMap(n, `"ExpressionAttributeNames":`, v.ExpressionAttributeNames)
	ok := true
	if v.Keys != nil {
		n = e.member(n, `"Keys":`)
		e.b = append(e.b, '[')
		for i, k := range v.Keys {
			if i > 0 {
				e.b = append(e.b, ',')
			}
			ok = e.avMap(k) && ok
		}
		e.b = append(e.b, ']')
	}
	e.strPtr(n, `"ProjectionExpression":`, v.ProjectionExpression)
	e.b = append(e.b, '}')
	return ok
}

func (e *wireEnc) transactGet(v *dynamodb.TransactGetItemsInput) bool {
	e.b = append(e.b, '{')
	n := e.enum(0, `"ReturnConsumedCapacity":`, string(v.ReturnConsumedCapacity))
	ok := true
	if v.TransactItems != nil {
		e.member(n, `"TransactItems":`)
		e.b = append(e.b, '[')
		for i := range v.TransactItems {
			if i > 0 {
				e.b = append(e.b, ',')
			}
			e.b = append(e.b, '{')
			if g := v.TransactItems[i].Get; g != nil {
				e.b = append(e.b, `"Get":{`...)
				m := e.strMap(0, `"ExpressionAttributeNames":`, g.ExpressionAttributeNames)
				m, ok1 := e.avMapMember(m, `"Key":`, g.Key)
				m = e.strPtr(m, `"ProjectionExpression":`, g.ProjectionExpression)
				e.strPtr(m, `"TableName":`, g.TableName)
				e.b = append(e.b, '}')
				ok = ok && ok1
			}
			e.b = append(e.b, '}')
		}
		e.b = append(e.b, ']')
	}
	e.b = append(e.b, '}')
	return ok
}

// member writes the name of an object's member (a quoted name and a colon),
// after a comma unless it is the first (n == 0), and returns n+1.
func (e *wireEnc) member(n int, name string) int {
	if n > 0 {
		e.b = append(e.b, ',')
	}
	e.b = append(e.b, name...)
	return n + 1
}

// key writes a map's key as member does a name, escaped.
func (e *wireEnc) key(n int, k string) int {
	if n > 0 {
		e.b = append(e.b, ',')
	}
	e.str(k)
	e.b = append(e.b, ':')
	return n + 1
}

func (e *wireEnc) strPtr(n int, name string, v *string) int {
	if v == nil {
		return n
	}
	n = e.member(n, name)
	e.str(*v)
	return n
}

func (e *wireEnc) enum(n int, name, v string) int {
	if v == "" {
		return n
	}
	n = e.member(n, name)
	e.str(v)
	return n
}

func (e *wireEnc) boolPtr(n int, name string, v *bool) int {
	if v == nil {
		return n
	}
	n = e.member(n, name)
	e.b = strconv.AppendBool(e.b, *v)
	return n
}

func (e *wireEnc) int32Ptr(n int, name string, v *int32) int {
	if v == nil {
		return n
	}
	n = e.member(n, name)
	e.b = strconv.AppendInt(e.b, int64(*v), 10)
	return n
}

func (e *wireEnc) strList(n int, name string, v []string) int {
	if v == nil {
		return n
	}
	n = e.member(n, name)
	e.strs(v)
	return n
}

func (e *wireEnc) strMap(n int, name string, v map[string]string) int {
	if v == nil {
		return n
	}
	n = e.member(n, name)
	e.b = append(e.b, '{')
	i := 0
	for k, s := range v {
		i = e.key(i, k)
		e.str(s)
	}
	e.b = append(e.b, '}')
	return n
}

func (e *wireEnc) avMapMember(n int, name string, v map[string]types.AttributeValue) (int, bool) {
	if v == nil {
		return n, true
	}
	n = e.member(n, name)
	return n, e.avMap(v)
}

func (e *wireEnc) conditions(n int, name string, v map[string]types.Condition) (int, bool) {
	if v == nil {
		return n, true
	}
	n = e.member(n, name)
	e.b = append(e.b, '{')
	i, ok := 0, true
	for k, c := range v {
		i = e.key(i, k)
		e.b = append(e.b, '{')
		m := 0
		if c.AttributeValueList != nil {
			m = e.member(m, `"AttributeValueList":`)
			ok = e.avList(c.AttributeValueList) && ok
		}
		e.enum(m, `"ComparisonOperator":`, string(c.ComparisonOperator))
		e.b = append(e.b, '}')
	}
	e.b = append(e.b, '}')
	return n, ok
}

// strs writes a list of strings.
func (e *wireEnc) strs(v []string) {
	e.b = append(e.b, '[')
	for i, s := range v {
		if i > 0 {
			e.b = append(e.b, ',')
		}
		e.str(s)
	}
	e.b = append(e.b, ']')
}

// avMap writes a map of attribute values, or reports false.
func (e *wireEnc) avMap(m map[string]types.AttributeValue) bool {
	e.b = append(e.b, '{')
	i := 0
	for k, v := range m {
		i = e.key(i, k)
		if !e.av(v) {
			return false
		}
	}
	e.b = append(e.b, '}')
	return true
}

// avList writes a list of attribute values, or reports false.
func (e *wireEnc) avList(l []types.AttributeValue) bool {
	e.b = append(e.b, '[')
	for i, v := range l {
		if i > 0 {
			e.b = append(e.b, ',')
		}
		if !e.av(v) {
			return false
		}
	}
	e.b = append(e.b, ']')
	return true
}

// av writes an attribute value as the SDK does ({"<member>":<value>}), or
// reports false for a value the SDK would not write so: nil, a nil member,
// a member type this file does not know, nesting deeper than wireEncMaxDepth.
func (e *wireEnc) av(v types.AttributeValue) bool {
	ok := true
	switch a := v.(type) {
	case *types.AttributeValueMemberS:
		if a == nil {
			return false
		}
		e.b = append(e.b, `{"S":`...)
		e.str(a.Value)
	case *types.AttributeValueMemberN:
		if a == nil {
			return false
		}
		e.b = append(e.b, `{"N":`...)
		e.str(a.Value)
	case *types.AttributeValueMemberBOOL:
		if a == nil {
			return false
		}
		e.b = append(e.b, `{"BOOL":`...)
		e.b = strconv.AppendBool(e.b, a.Value)
	case *types.AttributeValueMemberNULL:
		if a == nil {
			return false
		}
		e.b = append(e.b, `{"NULL":`...)
		e.b = strconv.AppendBool(e.b, a.Value)
	case *types.AttributeValueMemberB:
		if a == nil {
			return false
		}
		e.b = append(e.b, `{"B":`...)
		e.blob(a.Value)
	case *types.AttributeValueMemberSS:
		if a == nil {
			return false
		}
		e.b = append(e.b, `{"SS":`...)
		e.strs(a.Value)
	case *types.AttributeValueMemberNS:
		if a == nil {
			return false
		}
		e.b = append(e.b, `{"NS":`...)
		e.strs(a.Value)
	case *types.AttributeValueMemberBS:
		if a == nil {
			return false
		}
		e.b = append(e.b, `{"BS":[`...)
		for i, b := range a.Value {
			if i > 0 {
				e.b = append(e.b, ',')
			}
			e.blob(b)
		}
		e.b = append(e.b, ']')
	case *types.AttributeValueMemberL:
		if a == nil || e.depth >= wireEncMaxDepth {
			return false
		}
		e.b = append(e.b, `{"L":`...)
		e.depth++
		ok = e.avList(a.Value)
		e.depth--
	case *types.AttributeValueMemberM:
		if a == nil || e.depth >= wireEncMaxDepth {
			return false
		}
		e.b = append(e.b, `{"M":`...)
		e.depth++
		ok = e.avMap(a.Value)
		e.depth--
	default:
		return false
	}
	e.b = append(e.b, '}')
	return ok
}

// blob writes a B value as the SDK does: null for nil, else standard base64.
func (e *wireEnc) blob(v []byte) {
	if v == nil {
		e.b = append(e.b, "null"...)
		return
	}
	e.b = append(e.b, '"')
	e.b = base64.StdEncoding.AppendEncode(e.b, v)
	e.b = append(e.b, '"')
}

// str writes s as a JSON string with the SDK's escaping: ASCII from space
// to '~' as is except '"' and '\' (backslash-escaped); \n, \r, \t; other
// control characters and DEL as \u00xx; U+2028 and U+2029 as \u2028 and
// \u2029; every byte that does not start a valid UTF-8 sequence as U+FFFD;
// other valid UTF-8 as is.
func (e *wireEnc) str(s string) {
	b := append(e.b, '"')
	start := 0
	for i := 0; i < len(s); {
		c := s[i]
		if c < utf8.RuneSelf {
			if c >= 0x20 && c != '"' && c != '\\' && c != 0x7f {
				i++
				continue
			}
			b = append(b, s[start:i]...)
			switch c {
			case '"', '\\':
				b = append(b, '\\', c)
			case '\n':
				b = append(b, '\\', 'n')
			case '\r':
				b = append(b, '\\', 'r')
			case '\t':
				b = append(b, '\\', 't')
			default:
				b = append(b, '\\', 'u', '0', '0', wireEncHex[c>>4], wireEncHex[c&0xf])
			}
			i++
			start = i
			continue
		}
		r, size := utf8.DecodeRuneInString(s[i:])
		switch {
		case r == utf8.RuneError && size == 1:
			b = append(b, s[start:i]...)
			b = append(b, "\ufffd"...)
		case r == '\u2028' || r == '\u2029':
			b = append(b, s[start:i]...)
			b = append(b, '\\', 'u', '2', '0', '2', wireEncHex[r&0xf])
		default:
			i += size
			continue
		}
		i += size
		start = i
	}
	b = append(b, s[start:]...)
	e.b = append(b, '"')
}

const wireEncHex = "0123456789abcdef"
