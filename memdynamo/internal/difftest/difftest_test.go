package difftest

import (
	"encoding/json"
	"fmt"
	"hash/crc32"
	"io"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func TestCanonicalize(t *testing.T) {
	body := `{"__type":"com.amazonaws.dynamodb.v20120810#ResourceNotFoundException","Message":"` + strings.Repeat("m", 300) + `"}`
	c := Canonicalize("GetItem", 400, []byte(body), Options{})
	if c.Type != "ResourceNotFoundException" {
		t.Errorf("Type = %q", c.Type)
	}
	if c.Message() != strings.Repeat("m", 300) {
		t.Errorf("the message was not kept whole: %q", c.Message())
	}
	desc := `{"Table":{"TableName":"t","CreationDateTime":1.5,"TableArn":"arn","ItemCount":2.0,
		"AttributeDefinitions":[{"AttributeName":"z"},{"AttributeName":"a"}],
		"GlobalSecondaryIndexes":[{"IndexName":"g","IndexArn":"arn"},{"IndexName":"b"}],
		"ProvisionedThroughput":{"LastIncreaseDateTime":0.000,"ReadCapacityUnits":0}}}`
	got := string(Canonicalize("DescribeTable", 200, []byte(desc), Options{}).Body)
	want := `{"Table":{"AttributeDefinitions":[{"AttributeName":"a"},{"AttributeName":"z"}],"GlobalSecondaryIndexes":[{"IndexName":"b"},{"IndexName":"g"}],"ItemCount":2,"ProvisionedThroughput":{"ReadCapacityUnits":0},"TableName":"t"}}`
	if got != want {
		t.Errorf("description:\n got %s\nwant %s", got, want)
	}
	item := `{"Item":{"CreationDateTime":{"S":"kept"},"s":{"SS":["b","a"]},"n":{"NS":["2","10"]},"l":{"L":[{"S":"b"},{"S":"a"}]},"big":{"S":"` + strings.Repeat("x", 300) + `"}}}`
	got = string(Canonicalize("GetItem", 200, []byte(item), Options{}).Body)
	if !strings.Contains(got, `"CreationDateTime":{"S":"kept"}`) {
		t.Errorf("an item attribute named like a volatile field was dropped: %s", got)
	}
	if !strings.Contains(got, `"SS":["a","b"]`) || !strings.Contains(got, `"NS":["10","2"]`) {
		t.Errorf("set members not sorted: %s", got)
	}
	if !strings.Contains(got, `"L":[{"S":"b"},{"S":"a"}]`) {
		t.Errorf("list order changed: %s", got)
	}
	if !strings.Contains(got, "300 bytes sha256:") || strings.Contains(got, strings.Repeat("x", 30)) {
		t.Errorf("long string not abbreviated: %s", got)
	}
	scan := `{"Items":[{"k":{"S":"b"}},{"k":{"S":"a"}}],"Count":2}`
	if got := string(Canonicalize("Scan", 200, []byte(scan), Options{Unordered: true}).Body); got != `{"Count":2,"Items":[{"k":{"S":"a"}},{"k":{"S":"b"}}]}` {
		t.Errorf("unordered Items not sorted: %s", got)
	}
	if got := string(Canonicalize("Scan", 200, []byte(scan), Options{}).Body); got != `{"Count":2,"Items":[{"k":{"S":"b"}},{"k":{"S":"a"}}]}` {
		t.Errorf("ordered Items reordered: %s", got)
	}
	bg := `{"Responses":{"t":[{"k":{"S":"b"}},{"k":{"S":"a"}}]},"UnprocessedKeys":{}}`
	if got := string(Canonicalize("BatchGetItem", 200, []byte(bg), Options{}).Body); !strings.Contains(got, `[{"k":{"S":"a"}},{"k":{"S":"b"}}]`) {
		t.Errorf("BatchGetItem responses not sorted: %s", got)
	}
	if got := Canonicalize("GetItem", 500, []byte("not json"), Options{}); string(got.Body) != `"not json"` || got.Type != "" {
		t.Errorf("non-JSON body: %+v", got)
	}
}

func TestSplitCounts(t *testing.T) {
	body := `{"Responses":{"t":[{"pk":{"S":"b"}},{"pk":{"S":"a"}}]},"UnprocessedKeys":{"t":{"Keys":[{"pk":{"S":"c"}}]}}}`
	got := string(Canonicalize("BatchGetItem", 200, []byte(body), Options{Unprocessed: true}).Body)
	want := `{"ReturnedAndUnprocessed":{"t":{"Keys":["{\"S\":\"a\"}","{\"S\":\"b\"}","{\"S\":\"c\"}"],"Returned":2,"Unprocessed":1}}}`
	if got != want {
		t.Errorf("got  %s\nwant %s", got, want)
	}
}

func TestMerge(t *testing.T) {
	page := func(body string) Canon { return Canonicalize("Scan", 200, []byte(body), Options{}) }
	a := merge([]Canon{
		page(`{"Items":[{"k":{"S":"c"}},{"k":{"S":"a"}}],"Count":2,"ScannedCount":3,"LastEvaluatedKey":{"k":{"S":"a"}}}`),
		page(`{"Items":[{"k":{"S":"b"}}],"Count":1,"ScannedCount":1}`),
		{Body: marshal(NoPage)},
	}, []int{2, 2, 2})
	b := merge([]Canon{
		page(`{"Items":[{"k":{"S":"b"}}],"Count":1,"ScannedCount":2,"LastEvaluatedKey":{"k":{"S":"b"}}}`),
		page(`{"Items":[{"k":{"S":"a"}},{"k":{"S":"c"}}],"Count":2,"ScannedCount":2}`),
		page(`{"Items":[],"Count":0,"ScannedCount":0}`),
	}, []int{2, 2, 2})
	if !a.Equal(b) {
		t.Errorf("the same items split otherwise should merge alike:\n%s\n%s", a.Body, b.Body)
	}
	over := merge([]Canon{page(`{"Items":[{"k":{"S":"a"}},{"k":{"S":"b"}},{"k":{"S":"c"}}],"Count":3,"ScannedCount":3}`)}, []int{2})
	if !strings.Contains(string(over.Body), `"PagesOverLimit":1`) {
		t.Errorf("a page over its Limit was not counted: %s", over.Body)
	}
	dup := merge([]Canon{
		page(`{"Items":[{"k":{"S":"a"}}],"Count":1,"ScannedCount":1,"LastEvaluatedKey":{"k":{"S":"a"}}}`),
		page(`{"Items":[{"k":{"S":"a"}},{"k":{"S":"b"}},{"k":{"S":"c"}}],"Count":3,"ScannedCount":3}`),
	}, []int{0, 0})
	if dup.Equal(b) {
		t.Error("a page that repeats an item merged equal to one that does not")
	}
}

func TestCRC(t *testing.T) {
	body := []byte(`{"TableNames":[]}`)
	h := http.Header{}
	r := &Response{Header: h, Body: body}
	if r.CRC() != "absent" {
		t.Errorf("CRC() = %q, want absent", r.CRC())
	}
	h.Set("X-Amz-Crc32", fmt.Sprint(crc32.ChecksumIEEE(body)))
	if r.CRC() != "ok" {
		t.Errorf("CRC() = %q, want ok", r.CRC())
	}
	h.Set("X-Amz-Crc32", "12345")
	if !strings.HasPrefix(r.CRC(), "bad") {
		t.Errorf("CRC() = %q, want bad", r.CRC())
	}
}

// TestRunAndCompare runs a small scenario against a handler that answers
// from a table of canned responses, records it, and checks that Compare
// reports exactly the steps that change, the documented expectations, the
// groups and a missing checksum.
func TestRunAndCompare(t *testing.T) {
	b := newScenario("unit", "unit")
	b.step("GetItem", M{"TableName": "t", "Key": M{"k": S("a")}}, "plain")
	b.raw("GetItem", "{", "documented").doc(Documented{Status: 400, Type: "SerializationException", Reason: "test"})
	b.step("Scan", M{"TableName": "t", "Limit": 1}, "page 1").group("g")
	b.step("Scan", M{"TableName": "t", "Limit": 1}, "page 2").group("g").next()
	s := b.s

	local := map[string]string{
		`{"Key":{"k":{"S":"a"}},"TableName":"t"}`: `{"Item":{"k":{"S":"a"}}}`,
		`{`:                           `{"__type":"com.amazonaws.dynamodb.v20120810#InternalFailure","Message":"x"}`,
		`{"Limit":1,"TableName":"t"}`: `{"Items":[{"k":{"S":"a"}}],"Count":1,"ScannedCount":1,"LastEvaluatedKey":{"k":{"S":"a"}}}`,
		`{"ExclusiveStartKey":{"k":{"S":"a"}},"Limit":1,"TableName":"t"}`: `{"Items":[{"k":{"S":"b"}}],"Count":1,"ScannedCount":1}`,
	}
	serve := func(answers map[string]string, crc bool) http.Handler {
		return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			var raw json.RawMessage
			body, _ := io.ReadAll(r.Body)
			key := string(body)
			if json.Unmarshal(body, &raw) == nil {
				var v any
				_ = json.Unmarshal(body, &v)
				key = string(marshal(v))
			}
			out, ok := answers[key]
			if !ok {
				t.Errorf("unexpected request %s", body)
			}
			if crc {
				w.Header().Set("X-Amz-Crc32", fmt.Sprint(crc32.ChecksumIEEE([]byte(out))))
			}
			if strings.Contains(out, "__type") {
				if strings.Contains(out, "InternalFailure") {
					w.WriteHeader(500)
				} else {
					w.WriteHeader(400)
				}
			}
			_, _ = w.Write([]byte(out))
		})
	}
	ctx := t.Context()
	results, err := Run(ctx, Handler(serve(local, true)), s, "x", false)
	if err != nil {
		t.Fatal(err)
	}
	g := Record(s, results)
	var back Golden
	if err := json.Unmarshal(g.Marshal(), &back); err != nil {
		t.Fatalf("golden does not read back: %v\n%s", err, g.Marshal())
	}
	if why := Stale(s, &back); why != "" {
		t.Fatalf("fresh golden is stale: %s", why)
	}
	if d := Compare(s, &back, results, Live); len(d) != 0 {
		t.Fatalf("a run differs from its own recording: %v", d)
	}
	// Local's 500 is not the documented answer.
	if d := Compare(s, &back, results, Engine); len(d) != 1 || d[0].N != 2 {
		t.Fatalf("Engine mode: %v, want only step 2", d)
	}

	engine := map[string]string{}
	for k, v := range local {
		engine[k] = v
	}
	engine[`{`] = `{"__type":"com.amazon.coral.service#SerializationException"}`
	engine[`{"Limit":1,"TableName":"t"}`] = `{"Items":[{"k":{"S":"b"}}],"Count":1,"ScannedCount":1,"LastEvaluatedKey":{"k":{"S":"b"}}}`
	engine[`{"ExclusiveStartKey":{"k":{"S":"b"}},"Limit":1,"TableName":"t"}`] = `{"Items":[{"k":{"S":"a"}}],"Count":1,"ScannedCount":1}`
	results, err = Run(ctx, Handler(serve(engine, true)), s, "x", false)
	if err != nil {
		t.Fatal(err)
	}
	if d := Compare(s, &back, results, Engine); len(d) != 0 {
		t.Fatalf("pages in another order and the documented answer should pass: %v", d)
	}
	results, err = Run(ctx, Handler(serve(engine, false)), s, "x", false)
	if err != nil {
		t.Fatal(err)
	}
	if d := Compare(s, &back, results, Engine); len(d) != 3 {
		t.Fatalf("missing checksums: %d differences, want 3 (steps 1, 2, and the group)", len(d))
	}
	s.Steps[0] = &Step{Op: "GetItem", Body: marshal(M{"TableName": "t", "Key": M{"k": S("z")}})}
	if Stale(s, &back) == "" {
		t.Fatal("a changed request did not make the golden stale")
	}
}

// TestScenarios checks the scenarios themselves: unique names, valid
// bodies, a golden for each and no golden without a scenario.
func TestScenarios(t *testing.T) {
	seen := map[string]bool{}
	steps := 0
	for _, s := range All() {
		if seen[s.Name] {
			t.Errorf("two scenarios named %q", s.Name)
		}
		seen[s.Name] = true
		steps += len(s.Steps)
		for i, st := range s.Steps {
			if !st.Raw && !json.Valid(st.Body) {
				t.Errorf("%s step %d: body is not JSON", s.Name, i+1)
			}
			if st.Doc != nil && st.Doc.Reason == "" {
				t.Errorf("%s step %d: a known difference without a reason", s.Name, i+1)
			}
		}
		last := s.Steps[len(s.Steps)-1]
		if last.Op != "DeleteTable" {
			t.Errorf("%s does not end by deleting its tables", s.Name)
		}
		if _, err := os.Stat(filepath.Join("..", "..", "testdata", "diff", s.Name+".json")); err != nil {
			t.Errorf("%s has no golden: %v", s.Name, err)
		}
	}
	files, _ := filepath.Glob(filepath.Join("..", "..", "testdata", "diff", "*.json"))
	for _, f := range files {
		if !seen[strings.TrimSuffix(filepath.Base(f), ".json")] {
			t.Errorf("%s belongs to no scenario", f)
		}
	}
	if steps < 1000 {
		t.Errorf("only %d steps", steps)
	}
}

// TestKnownDifferencesDocumented checks that docs/memdynamo.md lists every
// step that carries a documented expectation, as "`scenario` — note".
func TestKnownDifferencesDocumented(t *testing.T) {
	doc, err := os.ReadFile(filepath.Join("..", "..", "..", "docs", "memdynamo.md"))
	if err != nil {
		t.Fatal(err)
	}
	for _, s := range All() {
		for i, st := range s.Steps {
			if st.Doc == nil {
				continue
			}
			if entry := "`" + s.Name + "` — " + st.Note; !strings.Contains(string(doc), entry) {
				t.Errorf("docs/memdynamo.md does not list %s step %d: %q", s.Name, i+1, entry)
			}
		}
	}
}
