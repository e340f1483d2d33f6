package expression

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"os"
	"regexp"
	"strconv"
	"strings"
	"testing"
)

// TestRecordLocal records testdata/local.json from a live DynamoDB Local: set
// EXPR_RECORD_LOCAL=1 and AWS_ENDPOINT_URL_DYNAMODB (for example from dynamotest's ddblocal
// command). It sends every case of allCases through real requests and stores the answers.
func TestRecordLocal(t *testing.T) {
	if os.Getenv("EXPR_RECORD_LOCAL") == "" {
		t.Skip("set EXPR_RECORD_LOCAL=1 and AWS_ENDPOINT_URL_DYNAMODB to record the goldens")
	}
	endpoint := os.Getenv("AWS_ENDPOINT_URL_DYNAMODB")
	if endpoint == "" {
		t.Fatal("AWS_ENDPOINT_URL_DYNAMODB is not set")
	}
	l := &local{t: t, url: endpoint}
	l.setup()
	out := "testdata/local.json"
	if seed := os.Getenv("EXPR_RECORD_SEED"); seed != "" {
		// A fresh sample of generated cases, written to a scratch file.
		genSeed, _ = strconv.ParseInt(seed, 10, 64)
		out = os.Getenv("EXPR_RECORD_OUT")
	}
	cases := allCases()
	for i := range cases {
		l.record(&cases[i])
	}
	// One case per line: readable diffs when the goldens are re-recorded.
	var data []byte
	data = append(data, "[\n"...)
	for i := range cases {
		line, err := json.Marshal(&cases[i])
		if err != nil {
			t.Fatal(err)
		}
		data = append(data, line...)
		if i < len(cases)-1 {
			data = append(data, ',')
		}
		data = append(data, '\n')
	}
	data = append(data, "]\n"...)
	if err := os.WriteFile(out, data, 0o644); err != nil {
		t.Fatal(err)
	}
	t.Logf("recorded %d cases", len(cases))
}

// local is a minimal client of DynamoDB's JSON protocol, enough to send raw requests.
type local struct {
	t   *testing.T
	url string
}

func (l *local) call(op string, body map[string]any) (int, map[string]json.RawMessage) {
	data, err := json.Marshal(body)
	if err != nil {
		l.t.Fatal(err)
	}
	req, err := http.NewRequest("POST", l.url, bytes.NewReader(data))
	if err != nil {
		l.t.Fatal(err)
	}
	req.Header.Set("Content-Type", "application/x-amz-json-1.0")
	req.Header.Set("X-Amz-Target", "DynamoDB_20120810."+op)
	req.Header.Set("Authorization", "AWS4-HMAC-SHA256 Credential=x/20200101/us-east-1/dynamodb/aws4_request, SignedHeaders=host, Signature=x")
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		l.t.Fatal(err)
	}
	defer resp.Body.Close()
	raw, err := io.ReadAll(resp.Body)
	if err != nil {
		l.t.Fatal(err)
	}
	out := map[string]json.RawMessage{}
	if len(raw) > 0 {
		if err := json.Unmarshal(raw, &out); err != nil {
			l.t.Fatalf("%s: %s", op, raw)
		}
	}
	return resp.StatusCode, out
}

func errorOf(out map[string]json.RawMessage) (typ, msg string) {
	_ = json.Unmarshal(out["__type"], &typ)
	if i := strings.LastIndexByte(typ, '#'); i >= 0 {
		typ = typ[i+1:]
	}
	if m, ok := out["Message"]; ok {
		_ = json.Unmarshal(m, &msg)
	} else {
		_ = json.Unmarshal(out["message"], &msg)
	}
	return typ, msg
}

const (
	tableItem      = "expr_item"
	tableHashRange = "expr_hashrange"
	tableMulti     = "expr_multi"
)

func (l *local) setup() {
	def := func(name, typ string) map[string]any {
		return map[string]any{"AttributeName": name, "AttributeType": typ}
	}
	key := func(name, typ string) map[string]any { return map[string]any{"AttributeName": name, "KeyType": typ} }
	tables := []map[string]any{
		{"TableName": tableItem, "AttributeDefinitions": []any{def("pk", "S")},
			"KeySchema": []any{key("pk", "HASH")}},
		{"TableName": tableHashRange, "AttributeDefinitions": []any{def("pk", "S"), def("sk", "N")},
			"KeySchema": []any{key("pk", "HASH"), key("sk", "RANGE")}},
		{"TableName": tableMulti, "AttributeDefinitions": []any{def("pk", "S"), def("a", "S"), def("b", "N"), def("c", "S"), def("d", "N")},
			"KeySchema": []any{key("pk", "HASH")},
			"GlobalSecondaryIndexes": []any{map[string]any{"IndexName": "gsi",
				"KeySchema":  []any{key("a", "HASH"), key("b", "HASH"), key("c", "RANGE"), key("d", "RANGE")},
				"Projection": map[string]any{"ProjectionType": "ALL"}}}},
	}
	for _, tb := range tables {
		l.call("DeleteTable", map[string]any{"TableName": tb["TableName"]})
		tb["BillingMode"] = "PAY_PER_REQUEST"
		if st, out := l.call("CreateTable", tb); st != 200 {
			_, msg := errorOf(out)
			l.t.Fatalf("CreateTable %v: %s", tb["TableName"], msg)
		}
	}
}

func (l *local) reset() {
	if st, out := l.call("PutItem", map[string]any{"TableName": tableItem, "Item": json.RawMessage(fixtureJSON)}); st != 200 {
		_, msg := errorOf(out)
		l.t.Fatalf("PutItem fixture: %s", msg)
	}
}

func (l *local) record(c *localCase) {
	body := map[string]any{}
	if len(c.Names) > 0 {
		body["ExpressionAttributeNames"] = c.Names
	}
	if len(c.Values) > 0 {
		body["ExpressionAttributeValues"] = c.Values
	}
	var op string
	switch c.Op {
	case "cond":
		l.reset()
		op = "PutItem"
		body["TableName"], body["Item"], body["ConditionExpression"] = tableItem, json.RawMessage(fixtureJSON), c.Expr
	case "filter":
		l.reset()
		op = "Scan"
		body["TableName"], body["FilterExpression"] = tableItem, c.Expr
	case "update":
		l.reset()
		op = "UpdateItem"
		body["TableName"], body["Key"], body["UpdateExpression"] = tableItem, json.RawMessage(`{"pk":{"S":"p1"}}`), c.Expr
		body["ReturnValues"] = "ALL_NEW"
	case "proj":
		l.reset()
		op = "GetItem"
		body["TableName"], body["Key"], body["ProjectionExpression"] = tableItem, json.RawMessage(`{"pk":{"S":"p1"}}`), c.Expr
	case "key":
		op = "Query"
		body["KeyConditionExpression"] = c.Expr
		switch c.Table {
		case "hash":
			body["TableName"] = tableItem
		case "hashrange":
			body["TableName"] = tableHashRange
		default:
			body["TableName"], body["IndexName"] = tableMulti, "gsi"
		}
	}
	st, out := l.call(op, body)
	typ, msg := errorOf(out)
	c.Want, c.Result = "", nil
	switch {
	case st == 200:
		switch c.Op {
		case "cond":
			c.Result = json.RawMessage("true")
		case "filter":
			var n int
			_ = json.Unmarshal(out["Count"], &n)
			c.Result = json.RawMessage(fmt.Sprint(n == 1))
		case "update":
			c.Result = out["Attributes"]
		case "proj":
			c.Result = out["Item"]
			if c.Result == nil {
				c.Result = json.RawMessage("{}")
			}
		}
	case typ == "ConditionalCheckFailedException" && c.Op == "cond":
		c.Result = json.RawMessage("false")
	case typ == "ValidationException":
		c.Want = msg
	default:
		l.t.Errorf("%s %q: %d %s: %s", op, c.Expr, st, typ, msg)
	}
}

// ---- the cases ----

// stdValues are the placeholder values cases may use; a case gets those its expression names.
var stdValues = map[string]string{
	":s": `{"S":"x"}`, ":s2": `{"S":"y"}`, ":h": `{"S":"he"}`, ":es": `{"S":""}`, ":p": `{"S":"p1"}`,
	":S": `{"S":"S"}`, ":N": `{"S":"N"}`, ":L": `{"S":"L"}`, ":M": `{"S":"M"}`, ":SS": `{"S":"SS"}`, ":NULL": `{"S":"NULL"}`,
	":n": `{"N":"1"}`, ":n2": `{"N":"2"}`, ":n5": `{"N":"5"}`, ":neg": `{"N":"-3.5"}`, ":dec": `{"N":"1.50"}`,
	":big": `{"N":"9.9999999999999999999999999999999999999E+125"}`, ":tiny": `{"N":"1E-130"}`, ":e40": `{"N":"1E+40"}`,
	":b": `{"B":"AQI="}`, ":b1": `{"B":"AQ=="}`, ":ss": `{"SS":["a"]}`, ":ss2": `{"SS":["a","b","z"]}`, ":ns": `{"NS":["1"]}`,
	":bs": `{"BS":["AQI="]}`, ":l": `{"L":[]}`, ":l1": `{"L":[{"S":"z"}]}`, ":m": `{"M":{}}`, ":m1": `{"M":{"a":{"N":"1.0"}}}`,
	":t": `{"BOOL":true}`, ":f": `{"BOOL":false}`, ":nu": `{"NULL":true}`, ":u": `{"S":"\u00e9"}`,
}

// stdNames are the name placeholders cases may use.
var stdNames = map[string]string{
	"#a": "a", "#s": "s", "#m": "m", "#l": "l", "#n": "name", "#d": "a.b", "#pk": "pk", "#sk": "sk",
	"#c": "c", "#u": "h\u00e9", "#sp": "a b",
}

var placeholderRE = regexp.MustCompile(`[#:][A-Za-z0-9_]+`)

// mk builds a case whose names and values are the standard ones its expression uses.
func mk(op, expr string) localCase {
	c := localCase{Op: op, Expr: expr}
	vals := map[string]json.RawMessage{}
	for _, ph := range placeholderRE.FindAllString(expr, -1) {
		if v, ok := stdValues[ph]; ok {
			vals[ph] = json.RawMessage(v)
		}
		if n, ok := stdNames[ph]; ok {
			if c.Names == nil {
				c.Names = map[string]string{}
			}
			c.Names[ph] = n
		}
	}
	if len(vals) > 0 && op != "proj" {
		data, _ := json.Marshal(vals)
		c.Values = data
	}
	return c
}

// with returns c with extra names and values (JSON) added.
func (c localCase) with(names map[string]string, values map[string]string) localCase {
	if len(names) > 0 {
		m := map[string]string{}
		for k, v := range c.Names {
			m[k] = v
		}
		for k, v := range names {
			m[k] = v
		}
		c.Names = m
	}
	if len(values) > 0 {
		m := map[string]json.RawMessage{}
		if len(c.Values) > 0 {
			_ = json.Unmarshal(c.Values, &m)
		}
		for k, v := range values {
			m[k] = json.RawMessage(v)
		}
		c.Values, _ = json.Marshal(m)
	}
	return c
}

func key(table, expr string) localCase {
	c := mk("key", expr)
	c.Table = table
	return c
}

// allCases is every case recorded: the hand-written ones and the generated ones.
func allCases() []localCase {
	cases := handCases()
	cases = append(cases, generatedCases()...)
	seen := map[string]bool{}
	out := cases[:0]
	for _, c := range cases {
		if id := caseID(&c); !seen[id] {
			seen[id] = true
			out = append(out, c)
		}
	}
	return out
}
