package memdynamo

import (
	"encoding/json"
	"strings"
	"testing"
)

// call sends a raw request to the engine and returns status and body.
func call(t *testing.T, e *Engine, op, body string) (int, map[string]any) {
	t.Helper()
	r := e.handle(targetPrefix+op, true, []byte(body))
	var m map[string]any
	if err := json.Unmarshal(r.body, &m); err != nil {
		t.Fatalf("%s: %s", op, r.body)
	}
	return r.status, m
}

func TestLegacyParameters(t *testing.T) {
	e := New()
	mustOK := func(op, body string) map[string]any {
		t.Helper()
		st, m := call(t, e, op, body)
		if st != 200 {
			t.Fatalf("%s %s: %v", op, body, m)
		}
		return m
	}
	mustFail := func(op, body, typ, msg string) {
		t.Helper()
		st, m := call(t, e, op, body)
		if st != 400 || !strings.HasSuffix(m["__type"].(string), "#"+typ) || !strings.Contains(m["Message"].(string), msg) {
			t.Fatalf("%s %s: %d %v", op, body, st, m)
		}
	}
	mustOK("CreateTable", `{"TableName":"leg","AttributeDefinitions":[{"AttributeName":"pk","AttributeType":"S"},{"AttributeName":"sk","AttributeType":"N"}],"KeySchema":[{"AttributeName":"pk","KeyType":"HASH"},{"AttributeName":"sk","KeyType":"RANGE"}],"BillingMode":"PAY_PER_REQUEST"}`)
	mustOK("PutItem", `{"TableName":"leg","Item":{"pk":{"S":"a"},"sk":{"N":"1"},"v":{"N":"1"}},"Expected":{"pk":{"Exists":false}}}`)
	mustFail("PutItem", `{"TableName":"leg","Item":{"pk":{"S":"a"},"sk":{"N":"1"}},"Expected":{"pk":{"Exists":false}}}`, "ConditionalCheckFailedException", "conditional request failed")
	mustOK("PutItem", `{"TableName":"leg","Item":{"pk":{"S":"a"},"sk":{"N":"1"},"v":{"N":"2"}},"Expected":{"v":{"ComparisonOperator":"LT","AttributeValueList":[{"N":"5"}]},"zz":{"Value":{"S":"no"}}},"ConditionalOperator":"OR"}`)
	m := mustOK("UpdateItem", `{"TableName":"leg","Key":{"pk":{"S":"a"},"sk":{"N":"1"}},"AttributeUpdates":{"v":{"Action":"ADD","Value":{"N":"10"}},"w":{"Value":{"S":"x"}},"l":{"Action":"ADD","Value":{"L":[{"S":"e"}]}},"gone":{"Action":"DELETE"}},"ReturnValues":"ALL_NEW"}`)
	attrs := m["Attributes"].(map[string]any)
	if attrs["v"].(map[string]any)["N"] != "12" || attrs["w"] == nil || attrs["l"] == nil {
		t.Fatalf("AttributeUpdates: %v", attrs)
	}
	for i := 2; i <= 5; i++ {
		mustOK("PutItem", `{"TableName":"leg","Item":{"pk":{"S":"a"},"sk":{"N":"`+string(rune('0'+i))+`"},"f":{"N":"`+string(rune('0'+i))+`"}}}`)
	}
	m = mustOK("Query", `{"TableName":"leg","KeyConditions":{"pk":{"ComparisonOperator":"EQ","AttributeValueList":[{"S":"a"}]},"sk":{"ComparisonOperator":"BETWEEN","AttributeValueList":[{"N":"2"},{"N":"5"}]}},"QueryFilter":{"f":{"ComparisonOperator":"IN","AttributeValueList":[{"N":"3"},{"N":"4"}]}},"AttributesToGet":["sk"]}`)
	if m["Count"].(float64) != 2 || m["ScannedCount"].(float64) != 4 {
		t.Fatalf("legacy Query: %v", m)
	}
	m = mustOK("Scan", `{"TableName":"leg","ScanFilter":{"f":{"ComparisonOperator":"NOT_NULL"}},"Select":"COUNT"}`)
	if m["Count"].(float64) != 4 {
		t.Fatalf("legacy Scan: %v", m)
	}
	mustFail("PutItem", `{"TableName":"leg","Item":{"pk":{"S":"a"},"sk":{"N":"1"}},"Expected":{"v":{"Exists":true}}}`, "ValidationException", "Value must be provided when Exists is true for Attribute: v")
	mustFail("PutItem", `{"TableName":"leg","Item":{"pk":{"S":"a"},"sk":{"N":"1"}},"Expected":{"v":{"ComparisonOperator":"GT","AttributeValueList":[]}}}`, "ValidationException", "Invalid number of argument(s) for the GT ComparisonOperator")
	mustFail("PutItem", `{"TableName":"leg","Item":{"pk":{"S":"a"},"sk":{"N":"1"}},"Expected":{"v":{"Exists":false}},"ConditionExpression":"attribute_exists(pk)"}`, "ValidationException", "Can not use both expression and non-expression parameters")
	mustFail("PutItem", `{"TableName":"leg","Item":{"pk":{"S":"a"},"sk":{"N":"1"}},"ConditionalOperator":"OR"}`, "ValidationException", "ConditionalOperator cannot be used without Filter or Expected")
	mustFail("UpdateItem", `{"TableName":"leg","Key":{"pk":{"S":"a"},"sk":{"N":"1"}},"AttributeUpdates":{"pk":{"Value":{"S":"x"}}}}`, "ValidationException", "Cannot update attribute pk")
	mustFail("Query", `{"TableName":"leg","KeyConditions":{"pk":{"ComparisonOperator":"GT","AttributeValueList":[{"S":"a"}]}}}`, "ValidationException", "Query key condition not supported")
}
