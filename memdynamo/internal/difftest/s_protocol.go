package difftest

import (
	"fmt"
	"strings"
)

// Reasons for the known differences of the protocol scenario.
const (
	why500    = "DynamoDB Local answers 500 InternalFailure (which the SDK retries); DynamoDB documents 4xx for malformed requests and answers 400 SerializationException when the body is not a JSON object of the operation's shape"
	whyCoerce = "DynamoDB Local converts the value to the expected JSON type; DynamoDB refuses a value of the wrong JSON type with 400 SerializationException (for example \"NUMBER_VALUE cannot be converted to String\")"
	whyTarget = "DynamoDB Local answers 500 InternalFailure; DynamoDB answers 400 UnknownOperationException when X-Amz-Target does not name a DynamoDB_20120810 operation"
)

// hugeBatch is 25 puts of items just under 400 KB: a valid 10 MB request.
func hugeBatch() L {
	var l L
	for i := 0; i < 25; i++ {
		l = append(l, M{"PutRequest": M{"Item": M{"pk": S(fmt.Sprintf("h%02d", i)), "d": S(strings.Repeat("b", 400*1024-10))}}})
	}
	return l
}

// serialization is the documented answer to a request of the wrong shape.
func serialization(reason string) Documented {
	return Documented{Status: 400, Type: "SerializationException", Reason: reason}
}

// protocolScenario covers the wire protocol: targets, malformed JSON, wrong
// JSON types, unknown fields and malformed attribute values.
func protocolScenario() *Scenario {
	b := newScenario("protocol", "awsJson1_0 protocol: unknown operations and targets, malformed JSON, wrong JSON types, unknown fields, malformed attribute values")
	b.create("proto", hk("pk", "S"), nil, nil)
	b.put("proto", M{"pk": S("a"), "n": N("1")}, "an item to read back")

	// Targets.
	b.step("Frobnicate", M{}, "unknown operation")
	st := b.step("ListTables", M{}, "operation name in lower case")
	st.Target = TargetPrefix + "listTables"
	st = b.step("ListTables", M{}, "no X-Amz-Target header")
	st.Target = "-"
	st.doc(Documented{Status: 400, Type: "UnknownOperationException", Reason: whyTarget})
	st = b.step("ListTables", M{}, "target without the service prefix")
	st.Target = "ListTables"
	st.doc(Documented{Status: 400, Type: "UnknownOperationException", Reason: whyTarget})

	// Bodies that are not a JSON object.
	for _, body := range []string{``, `{`, `{bad`, `{"TableName":"proto"`, `[]`, `"proto"`, `42`, `{"TableName":"proto",}`, `{'TableName':'proto'}`} {
		b.raw("DescribeTable", body, "body is not a JSON object").doc(serialization(why500))
	}

	// Members of the wrong JSON type. Requests DynamoDB Local wrongly
	// accepts write only under key "w" (deleted below), so the rest of
	// the scenario sees the same table on both sides.
	for _, w := range []struct {
		op, body, note, why string
	}{
		{"DescribeTable", `{"TableName":5}`, "number where a string is expected", whyCoerce},
		{"DescribeTable", `{"TableName":true}`, "boolean where a string is expected", whyCoerce},
		{"DescribeTable", `{"TableName":{"S":"proto"}}`, "object where a string is expected", why500},
		{"DescribeTable", `{"TableName":["proto"]}`, "array where a string is expected", why500},
		{"GetItem", `{"TableName":"proto","Key":{"pk":{"S":"a"}},"ConsistentRead":"true"}`, "string where a boolean is expected", whyCoerce},
		{"GetItem", `{"TableName":"proto","Key":{"pk":{"S":"a"}},"ConsistentRead":1}`, "number where a boolean is expected", whyCoerce},
		{"Scan", `{"TableName":"proto","Limit":"1"}`, "string where an integer is expected", whyCoerce},
		{"Scan", `{"TableName":"proto","Limit":true}`, "boolean where an integer is expected", why500},
		{"GetItem", `{"TableName":"proto","Key":[]}`, "array where a map is expected", why500},
		{"GetItem", `{"TableName":"proto","Key":"pk"}`, "string where a map is expected", why500},
		{"PutItem", `{"TableName":"proto","Item":{"pk":"w"}}`, "string where an attribute value is expected", why500},
		{"PutItem", `{"TableName":"proto","Item":{"pk":{"S":"w"},"x":{"N":5}}}`, "N given as a JSON number", whyCoerce},
		{"PutItem", `{"TableName":"proto","Item":{"pk":{"S":"w"},"x":{"S":5}}}`, "S given as a JSON number", whyCoerce},
		{"PutItem", `{"TableName":"proto","Item":{"pk":{"S":"w"},"x":{"BOOL":"true"}}}`, "BOOL given as a string", whyCoerce},
		{"PutItem", `{"TableName":"proto","Item":{"pk":{"S":"w"},"x":{"NULL":"true"}}}`, "NULL given as a string", whyCoerce},
		{"PutItem", `{"TableName":"proto","Item":{"pk":{"S":"w"},"x":{"SS":"a"}}}`, "SS given as a string", why500},
		{"PutItem", `{"TableName":"proto","Item":{"pk":{"S":"w"},"x":{"SS":[1]}}}`, "SS member given as a number", whyCoerce},
		{"PutItem", `{"TableName":"proto","Item":{"pk":{"S":"w"},"x":{"NS":[1,2]}}}`, "NS members given as numbers", whyCoerce},
		{"PutItem", `{"TableName":"proto","Item":{"pk":{"S":"w"},"x":{"L":{}}}}`, "L given as an object", why500},
		{"PutItem", `{"TableName":"proto","Item":{"pk":{"S":"w"},"x":{"M":[]}}}`, "M given as an array", why500},
		{"PutItem", `{"TableName":"proto","Item":{"pk":{"S":"w"},"x":{"B":"not base64!"}}}`, "B that is not base64", why500},
		{"PutItem", `{"TableName":"proto","Item":{"pk":{"S":"w"},"x":{"B":5}}}`, "B given as a number", why500},
		{"PutItem", `{"TableName":"proto","Item":{"pk":{"S":"w"},"x":{"L":[{"S":"a"},"b"]}}}`, "list element that is not an attribute value", why500},
		{"PutItem", `{"TableName":"proto","Item":{"pk":{"S":"w"},"x":{"M":{"k":"v"}}}}`, "map value that is not an attribute value", why500},
	} {
		b.raw(w.op, w.body, w.note).doc(serialization(w.why))
	}

	// Shapes DynamoDB Local and DynamoDB agree on.
	for _, w := range []struct{ op, body, note string }{
		{"DescribeTable", `{"TableName":null}`, "null for a required string"},
		{"PutItem", `{"TableName":"proto","Item":{"pk":{"S":"b"},"x":{"NULL":false}}}`, "NULL false"},
		{"PutItem", `{"TableName":"proto","Item":{"pk":{"S":"b"},"x":{}}}`, "empty attribute value"},
		{"PutItem", `{"TableName":"proto","Item":{"pk":{"S":"b"},"x":{"S":"a","N":"1"}}}`, "attribute value with two types"},
		{"PutItem", `{"TableName":"proto","Item":{"pk":{"S":"b"},"x":{"SS":["a"],"L":[]}}}`, "attribute value with a set and a list"},
		{"PutItem", `{"TableName":"proto","Item":{"pk":{"S":"b"},"x":{"Q":"a"}}}`, "attribute value of an unknown type"},
		{"PutItem", `{"TableName":"proto","Item":{"pk":{"S":"b"},"x":{"s":"a"}}}`, "attribute value type in lower case"},
		{"PutItem", `{"TableName":"proto","Item":{"pk":{"S":"b"},"x":{"S":null}}}`, "attribute value S null"},
		{"PutItem", `{"TableName":"proto","Item":{"pk":{"S":"b"},"x":null}}`, "attribute value null"},
		{"PutItem", `{"TableName":"proto","Item":{"pk":{"S":"b"},"x":{"M":{"k":null}}}}`, "null inside a map"},
		{"PutItem", `{"TableName":"proto","Item":{"pk":{"S":"b"},"x":{"L":[null]}}}`, "null inside a list"},
		{"PutItem", `{"TableName":"proto","Item":null}`, "Item null"},
		{"PutItem", `{"TableName":"proto"}`, "Item missing"},
		{"PutItem", `{"Item":{"pk":{"S":"b"}}}`, "TableName missing"},
		{"PutItem", `{"tablename":"proto","Item":{"pk":{"S":"b"}}}`, "field name in the wrong case is unknown, so TableName is missing"},
		{"PutItem", `{"TableName":"proto","Item":{"pk":{"S":"b"}},"ReturnValues":"BOGUS"}`, "enum value not in the set"},
		{"PutItem", `{"TableName":"proto","Item":{"pk":{"S":"b"}},"ReturnValues":"all_old"}`, "enum value in lower case"},
		{"Scan", `{"TableName":"proto","Select":"EVERYTHING"}`, "Select not in the set"},
		{"GetItem", `{"TableName":"proto","Key":{"pk":{"S":"a"}},"Bogus":1,"Other":{"x":[1]}}`, "unknown top-level fields are ignored"},
		{"GetItem", `{"TableName":"proto","Key":{"pk":{"S":"a","Foo":1}}}`, "unknown field inside an attribute value is ignored"},
		{"GetItem", `{"TableName":"proto","Key":{"pk":{"S":"a"}},"ConsistentRead":null}`, "null optional member"},
	} {
		b.raw(w.op, w.body, w.note)
	}
	b.put("proto", M{"pk": S("huge"), "d": S(strings.Repeat("h", 17<<20))}, "a 17 MB request body")
	b.step("BatchWriteItem", M{"RequestItems": M{"proto": hugeBatch()}}, "a 10 MB batch of items at the size limit")
	b.step("DeleteItem", M{"TableName": "proto", "Key": M{"pk": S("w")}}, "remove what DynamoDB Local wrongly accepted")
	b.get("proto", M{"pk": S("b")}, "no refused request wrote anything")
	for i := 0; i < 14; i++ {
		st := b.step("Scan", M{"TableName": "proto", "ProjectionExpression": "pk"}, "the first item and the batch are stored: pages merged").group("stored")
		if i > 0 {
			st.next()
		}
	}
	return b.done()
}
