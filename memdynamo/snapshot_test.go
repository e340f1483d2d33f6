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

// TestSnapshotEveryShape: a snapshot keeps a GSI added by UpdateTable (described with its on-demand
// throughput), multi-attribute GSI keys, a table switched to on-demand, a table whose GSI was deleted, TTL, and items holding
// every type at its edges (38-digit and extreme numbers, empty strings and binary, empty and nested
// lists and maps, every set, a 400 KB item); the loaded engine answers every read alike.
func TestSnapshotEveryShape(t *testing.T) {
	e := New()
	big := strings.Repeat("x", 400*1024-len("pk")-len("big")-len("v"))
	reqs := []struct{ op, body string }{
		{"CreateTable", `{"TableName":"snap3","AttributeDefinitions":[{"AttributeName":"pk","AttributeType":"S"},{"AttributeName":"a","AttributeType":"S"},{"AttributeName":"b","AttributeType":"N"},{"AttributeName":"c","AttributeType":"B"},{"AttributeName":"d","AttributeType":"S"}],"KeySchema":[{"AttributeName":"pk","KeyType":"HASH"}],"BillingMode":"PAY_PER_REQUEST","GlobalSecondaryIndexes":[{"IndexName":"multi","KeySchema":[{"AttributeName":"a","KeyType":"HASH"},{"AttributeName":"b","KeyType":"HASH"},{"AttributeName":"c","KeyType":"RANGE"},{"AttributeName":"d","KeyType":"RANGE"}],"Projection":{"ProjectionType":"ALL"}}]}`},
		{"UpdateTable", `{"TableName":"snap3","AttributeDefinitions":[{"AttributeName":"h","AttributeType":"N"}],"GlobalSecondaryIndexUpdates":[{"Create":{"IndexName":"byH","KeySchema":[{"AttributeName":"h","KeyType":"HASH"}],"Projection":{"ProjectionType":"KEYS_ONLY"}}}]}`},
		{"UpdateTimeToLive", `{"TableName":"snap3","TimeToLiveSpecification":{"AttributeName":"ttl","Enabled":true}}`},
		{"CreateTable", `{"TableName":"snap4","AttributeDefinitions":[{"AttributeName":"k","AttributeType":"B"}],"KeySchema":[{"AttributeName":"k","KeyType":"HASH"}],"ProvisionedThroughput":{"ReadCapacityUnits":5,"WriteCapacityUnits":5}}`},
		{"UpdateTable", `{"TableName":"snap4","BillingMode":"PAY_PER_REQUEST"}`},
		{"PutItem", `{"TableName":"snap3","Item":{"pk":{"S":"n"},"a":{"S":"x"},"b":{"N":"-1234567890123456789012345678901234567.8"},"c":{"B":"AA=="},"d":{"S":"z"},"h":{"N":"1E-130"},"ttl":{"N":"9.9999999999999999999999999999999999999E+125"},"neg":{"N":"-0.000000000000000000000000000000000000000000001"},"zero":{"N":"-0"}}}`},
		{"PutItem", `{"TableName":"snap3","Item":{"pk":{"S":"e"},"es":{"S":""},"eb":{"B":""},"el":{"L":[]},"em":{"M":{}},"deep":{"L":[{"M":{"l":{"L":[{"L":[]},{"M":{"x":{"NS":["1","-1","0.5"]}}}]}}},{"SS":["","é"]},{"BS":["","AQ=="]},{"NULL":true},{"BOOL":false}]},"ttl":{"S":"not a number"}}}`},
		{"PutItem", `{"TableName":"snap3","Item":{"pk":{"S":"big"},"v":{"S":"` + big + `"}}}`},
		{"PutItem", `{"TableName":"snap4","Item":{"k":{"B":"/wA="},"ü":{"S":"\u0000\u001f\"\\\u2028"}}}`},
		{"CreateTable", `{"TableName":"snap5","AttributeDefinitions":[{"AttributeName":"k","AttributeType":"S"},{"AttributeName":"g","AttributeType":"S"}],"KeySchema":[{"AttributeName":"k","KeyType":"HASH"}],"BillingMode":"PAY_PER_REQUEST","GlobalSecondaryIndexes":[{"IndexName":"byG","KeySchema":[{"AttributeName":"g","KeyType":"HASH"}],"Projection":{"ProjectionType":"ALL"}}]}`},
		{"UpdateTable", `{"TableName":"snap5","GlobalSecondaryIndexUpdates":[{"Delete":{"IndexName":"byG"}}]}`},
		{"PutItem", `{"TableName":"snap5","Item":{"k":{"S":"a"},"g":{"S":"b"}}}`},
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
		t.Fatalf("%v\n%.2000s", err, buf.String())
	}
	var again bytes.Buffer
	if err := e2.Save(&again); err != nil || again.String() != buf.String() {
		t.Fatalf("a loaded snapshot saves differently (%v)", err)
	}
	times := regexp.MustCompile(`"(CreationDateTime|LastUpdateToPayPerRequestDateTime)":[0-9.]+`)
	for _, probe := range []struct{ op, body string }{
		{"DescribeTable", `{"TableName":"snap3"}`},
		{"DescribeTable", `{"TableName":"snap4"}`},
		{"DescribeTable", `{"TableName":"snap5"}`},
		{"DescribeTimeToLive", `{"TableName":"snap3"}`},
		{"ListTables", `{}`},
		{"Scan", `{"TableName":"snap3"}`},
		{"Scan", `{"TableName":"snap4"}`},
		{"Query", `{"TableName":"snap3","IndexName":"multi","KeyConditionExpression":"a = :a AND b = :b","ExpressionAttributeValues":{":a":{"S":"x"},":b":{"N":"-1234567890123456789012345678901234567.8"}}}`},
		{"Scan", `{"TableName":"snap3","IndexName":"byH"}`},
		{"GetItem", `{"TableName":"snap3","Key":{"pk":{"S":"e"}},"ProjectionExpression":"deep[0].l[1].x, es"}`},
	} {
		a := e.handle(targetPrefix+probe.op, true, []byte(probe.body))
		b := e2.handle(targetPrefix+probe.op, true, []byte(probe.body))
		sa, sb := times.ReplaceAllString(string(a.body), ""), times.ReplaceAllString(string(b.body), "")
		if a.status != 200 || sa != sb || !json.Valid(b.body) {
			t.Fatalf("%s %s differs after a snapshot:\n%.3000s\n%.3000s", probe.op, probe.body, sa, sb)
		}
	}
	// The TTL sweep still works on the loaded engine: "n" has an expiry far in the future, "e" a
	// TTL attribute that is not a number; neither goes.
	if n := e2.SweepExpired(); n != 0 {
		t.Fatalf("swept %d items", n)
	}
}
