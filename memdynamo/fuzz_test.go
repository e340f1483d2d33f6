package memdynamo

import (
	"encoding/json"
	"os"
	"path/filepath"
	"sort"
	"testing"
	"time"
)

// FuzzRequest sends arbitrary bodies to every operation of an engine holding a few tables: every
// answer must be a 200 or a 4xx in DynamoDB's JSON shape, never a panic (500).
func FuzzRequest(f *testing.F) {
	ops := make([]string, 0, len(operations))
	for name := range operations {
		ops = append(ops, name)
	}
	sort.Strings(ops)
	// Seed with the requests of the differential suite's goldens.
	files, _ := filepath.Glob("testdata/diff/*.json")
	for _, file := range files {
		b, err := os.ReadFile(file)
		if err != nil {
			continue
		}
		var g struct {
			Steps []struct {
				Op      string          `json:"op"`
				Request json.RawMessage `json:"request"`
			} `json:"steps"`
		}
		if json.Unmarshal(b, &g) != nil {
			continue
		}
		for _, st := range g.Steps {
			body := []byte(st.Request)
			var str string
			if json.Unmarshal(st.Request, &str) == nil { // raw bodies are recorded as strings
				body = []byte(str)
			}
			if len(body) < 4096 {
				f.Add(st.Op, body)
			}
		}
	}
	f.Add("PutItem", []byte(`{"TableName":"fz1","Item":{"pk":{"S":"a"},"sk":{"N":"1"}}}`))
	f.Add("Query", []byte(`{"TableName":"fz1","KeyConditionExpression":"pk = :p","ExpressionAttributeValues":{":p":{"S":"a"}}}`))
	setup := []struct{ op, body string }{
		{"CreateTable", `{"TableName":"fz1","AttributeDefinitions":[{"AttributeName":"pk","AttributeType":"S"},{"AttributeName":"sk","AttributeType":"N"},{"AttributeName":"g","AttributeType":"S"}],"KeySchema":[{"AttributeName":"pk","KeyType":"HASH"},{"AttributeName":"sk","KeyType":"RANGE"}],"BillingMode":"PAY_PER_REQUEST","GlobalSecondaryIndexes":[{"IndexName":"byG","KeySchema":[{"AttributeName":"g","KeyType":"HASH"}],"Projection":{"ProjectionType":"KEYS_ONLY"}}]}`},
		{"PutItem", `{"TableName":"fz1","Item":{"pk":{"S":"a"},"sk":{"N":"1"},"g":{"S":"x"},"m":{"M":{"l":{"L":[{"N":"1"}]}}}}}`},
	}
	f.Fuzz(func(t *testing.T, op string, body []byte) {
		e := New()
		for _, s := range setup {
			if r := e.handle(targetPrefix+s.op, true, []byte(s.body)); r.status != 200 {
				t.Fatalf("setup %s: %s", s.op, r.body)
			}
		}
		if _, known := operations[op]; !known && len(op) > 0 {
			op = ops[int(op[0])%len(ops)]
		}
		start := time.Now()
		r := e.handle(targetPrefix+op, true, body)
		if d := time.Since(start); d > 2*time.Second {
			t.Fatalf("%s %q took %v", op, body, d)
		}
		if r.status != 200 && r.status != 400 && r.status != 413 {
			t.Fatalf("%s %q: status %d %s", op, body, r.status, r.body)
		}
		var v map[string]any
		if err := json.Unmarshal(r.body, &v); err != nil {
			t.Fatalf("%s %q: answer is not JSON: %s", op, body, r.body)
		}
	})
}
