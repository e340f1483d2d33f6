package memdynamo

import (
	"bytes"
	"encoding/json"
	"regexp"
	"strings"
	"testing"
)

func TestSnapshotRoundTrip(t *testing.T) {
	e := New()
	reqs := []struct{ op, body string }{
		{"CreateTable", `{"TableName":"snap1","AttributeDefinitions":[{"AttributeName":"pk","AttributeType":"S"},{"AttributeName":"sk","AttributeType":"N"},{"AttributeName":"g","AttributeType":"S"},{"AttributeName":"l","AttributeType":"B"}],"KeySchema":[{"AttributeName":"pk","KeyType":"HASH"},{"AttributeName":"sk","KeyType":"RANGE"}],"ProvisionedThroughput":{"ReadCapacityUnits":3,"WriteCapacityUnits":4},"GlobalSecondaryIndexes":[{"IndexName":"byG","KeySchema":[{"AttributeName":"g","KeyType":"HASH"}],"Projection":{"ProjectionType":"INCLUDE","NonKeyAttributes":["x"]},"ProvisionedThroughput":{"ReadCapacityUnits":1,"WriteCapacityUnits":2}}],"LocalSecondaryIndexes":[{"IndexName":"byL","KeySchema":[{"AttributeName":"pk","KeyType":"HASH"},{"AttributeName":"l","KeyType":"RANGE"}],"Projection":{"ProjectionType":"KEYS_ONLY"}}]}`},
		{"CreateTable", `{"TableName":"snap2","AttributeDefinitions":[{"AttributeName":"id","AttributeType":"N"}],"KeySchema":[{"AttributeName":"id","KeyType":"HASH"}],"BillingMode":"PAY_PER_REQUEST","DeletionProtectionEnabled":true}`},
		{"UpdateTimeToLive", `{"TableName":"snap2","TimeToLiveSpecification":{"AttributeName":"exp","Enabled":true}}`},
		{"PutItem", `{"TableName":"snap1","Item":{"pk":{"S":"a"},"sk":{"N":"1.50"},"g":{"S":"x"},"l":{"B":"AAE="},"x":{"L":[]},"m":{"M":{"e":{"M":{}},"ss":{"SS":["b","a"]}}}}}`},
		{"PutItem", `{"TableName":"snap1","Item":{"pk":{"S":"a"},"sk":{"N":"-3"},"n":{"NULL":true},"bs":{"BS":["AA==","/w=="]},"u":{"S":"é\n\"😀"}}}`},
		{"PutItem", `{"TableName":"snap2","Item":{"id":{"N":"7"},"exp":{"N":"1"},"ns":{"NS":["2","10"]},"t":{"BOOL":true}}}`},
	}
	for _, r := range reqs {
		if res := e.handle(targetPrefix+r.op, true, []byte(r.body)); res.status != 200 {
			t.Fatalf("%s: %s", r.op, res.body)
		}
	}
	var buf bytes.Buffer
	if err := e.Save(&buf); err != nil {
		t.Fatal(err)
	}
	e2 := New()
	if err := e2.Load(bytes.NewReader(buf.Bytes())); err != nil {
		t.Fatalf("%v\n%s", err, buf.String())
	}
	times := regexp.MustCompile(`"(CreationDateTime|LastUpdateToPayPerRequestDateTime)":[0-9.]+`)
	for _, probe := range []struct{ op, body string }{
		{"DescribeTable", `{"TableName":"snap1"}`},
		{"DescribeTable", `{"TableName":"snap2"}`},
		{"DescribeTimeToLive", `{"TableName":"snap2"}`},
		{"Scan", `{"TableName":"snap1"}`},
		{"Scan", `{"TableName":"snap2"}`},
		{"Query", `{"TableName":"snap1","IndexName":"byG","KeyConditionExpression":"g = :g","ExpressionAttributeValues":{":g":{"S":"x"}}}`},
		{"Query", `{"TableName":"snap1","IndexName":"byL","KeyConditionExpression":"pk = :p","ExpressionAttributeValues":{":p":{"S":"a"}}}`},
	} {
		a := e.handle(targetPrefix+probe.op, true, []byte(probe.body))
		b := e2.handle(targetPrefix+probe.op, true, []byte(probe.body))
		sa, sb := times.ReplaceAllString(string(a.body), ""), times.ReplaceAllString(string(b.body), "")
		if a.status != 200 || sa != sb || !json.Valid(b.body) {
			t.Fatalf("%s %s differs after a snapshot:\n%s\n%s", probe.op, probe.body, sa, sb)
		}
	}
	if err := New().Load(strings.NewReader("not a snapshot\n")); err == nil {
		t.Fatal("loaded garbage")
	}
	if err := e2.Load(bytes.NewReader(buf.Bytes())); err == nil {
		t.Fatal("loaded over existing tables")
	}
}
