package expression

import (
	"bytes"
	"encoding/json"
	"errors"
	"flag"
	"os"
	"sort"
	"strings"
	"testing"

	"github.com/dynantic/dynantic/memdynamo/internal/value"
	"github.com/dynantic/dynantic/memdynamo/internal/wire"
)

// The goldens in testdata/local.json are DynamoDB Local 3.3.1's answers to expressions run
// through real requests (see record_test.go). TestLocalGoldens replays them through the package:
// every error message must be the same, and so must every condition outcome, updated item,
// projected item and accepted key condition. Cases listed in knownDiffs are where the package
// follows DynamoDB's documentation instead of DynamoDB Local.

// localCase is one expression and DynamoDB Local's answer to it.
type localCase struct {
	// Op is the request the expression was sent in: "cond" (PutItem ConditionExpression on the
	// fixture item), "filter" (Scan FilterExpression over the fixture item), "update"
	// (UpdateItem on the fixture item, ReturnValues ALL_NEW), "proj" (GetItem
	// ProjectionExpression of the fixture item) or "key" (Query KeyConditionExpression on
	// Table).
	Op     string            `json:"op"`
	Expr   string            `json:"expr"`
	Table  string            `json:"table,omitempty"` // key: "hash", "hashrange" or "multi" (GSI)
	Names  map[string]string `json:"names,omitempty"`
	Values json.RawMessage   `json:"values,omitempty"` // a JSON object of placeholder → AttributeValue
	// Want is DynamoDB Local's error message ("" when it succeeded).
	Want string `json:"want,omitempty"`
	// Result is the outcome on success: cond and filter: true/false; update: the item after;
	// proj: the projected item.
	Result json.RawMessage `json:"result,omitempty"`
}

// fixtureJSON is the stored item every cond, filter, update and proj case runs against.
const fixtureJSON = `{"pk":{"S":"p1"},"s":{"S":"hello"},"n":{"N":"5"},"l":{"L":[{"N":"1"},{"S":"x"},{"L":[]}]},` +
	`"m":{"M":{"a":{"N":"1"},"b":{"M":{"c":{"S":"d"}}},"l":{"L":[{"S":"a"},{"S":"b"}]}}},"ss":{"SS":["a","b"]},` +
	`"ns":{"NS":["1","2"]},"bs":{"BS":["AQI="]},"b":{"B":"AQID"},"t":{"BOOL":true},"nu":{"NULL":true},` +
	`"e":{"S":""},"em":{"M":{}},"el":{"L":[]},"u":{"S":"h\u00e9"}}`

func decodeItem(t testing.TB, data []byte) value.Item {
	t.Helper()
	if len(data) == 0 {
		return nil
	}
	item, err := value.ReadItemJSON(wire.NewReader(data), value.MaxItemDepth)
	if err != nil {
		t.Fatalf("decoding %s: %v", data, err)
	}
	return item
}

// keySchemas are the key schemas of the "key" cases' tables.
var keySchemas = map[string]KeySchema{
	"hash":      {Hash: []KeyAttr{{"pk", value.KindS}}},
	"hashrange": {Hash: []KeyAttr{{"pk", value.KindS}}, Range: []KeyAttr{{"sk", value.KindN}}},
	"multi": {Hash: []KeyAttr{{"a", value.KindS}, {"b", value.KindN}},
		Range: []KeyAttr{{"c", value.KindS}, {"d", value.KindN}}, Index: true},
}

// runCase runs c through the package as the engine would; it returns the error message ("" on
// success) and the outcome.
func runCase(t testing.TB, c *localCase) (msg string, result any) {
	fixture := decodeItem(t, []byte(fixtureJSON))
	ctx, err := NewContext(c.Names, decodeItem(t, c.Values))
	if err != nil {
		return errMsg(t, err), nil
	}
	switch c.Op {
	case "cond", "filter":
		k := ConditionExpression
		if c.Op == "filter" {
			k = FilterExpression
		}
		cond, err := ctx.Condition(k, c.Expr)
		if err == nil {
			err = ctx.CheckUnused()
		}
		if err != nil {
			return errMsg(t, err), nil
		}
		return "", cond.Eval(fixture)
	case "update":
		u, err := ctx.Update(c.Expr)
		if err == nil {
			err = ctx.CheckUnused()
		}
		if err != nil {
			return errMsg(t, err), nil
		}
		item, err := u.Apply(fixture, "pk")
		if err != nil {
			return errMsg(t, err), nil
		}
		return "", item
	case "proj":
		p, err := ctx.Projection(c.Expr)
		if err == nil {
			err = ctx.CheckUnused()
		}
		if err != nil {
			return errMsg(t, err), nil
		}
		return "", p.Apply(fixture)
	case "key":
		k, err := ctx.KeyCondition(c.Expr)
		if err == nil {
			err = ctx.CheckUnused()
		}
		if err == nil {
			_, _, err = k.Match(keySchemas[c.Table])
		}
		if err != nil {
			return errMsg(t, err), nil
		}
		return "", nil
	}
	t.Fatalf("unknown op %q", c.Op)
	return "", nil
}

func errMsg(t testing.TB, err error) string {
	var we *wire.Error
	if !errors.As(err, &we) || we.Type != "ValidationException" {
		t.Fatalf("error %v is not a ValidationException", err)
	}
	return we.Message
}

// knownDiffs are the goldens where the package deliberately answers differently from DynamoDB
// Local, each with the reason.
var knownDiffs = map[string]string{
	`cond  convert = :s {":s":{"S":"x"}}`:                              "CONVERT is a documented reserved word; DynamoDB Local accepts it",
	`cond  CONVERT = :s {":s":{"S":"x"}}`:                              "CONVERT is a documented reserved word; DynamoDB Local accepts it",
	`cond  a BETWEEN :dec AND :n {":dec":{"N":"1.50"},":n":{"N":"1"}}`: "numbers are printed canonically, not as sent",
	`cond  size(u) = :n2 {":n2":{"N":"2"}}`:                            "size() of a string counts UTF-8 bytes as documented; DynamoDB Local counts UTF-16 code units",
}

func caseID(c *localCase) string {
	var b strings.Builder
	b.WriteString(c.Op + " " + c.Table + " " + c.Expr)
	if len(c.Names) > 0 {
		ks := keysOf(c.Names)
		sort.Strings(ks)
		for _, k := range ks {
			b.WriteString(" " + k + "=" + c.Names[k])
		}
	}
	if len(c.Values) > 0 {
		var buf bytes.Buffer
		if json.Compact(&buf, c.Values) == nil {
			b.WriteString(" " + buf.String())
		}
	}
	return b.String()
}

var goldenFile = flag.String("goldens", "testdata/local.json", "DynamoDB Local's answers")

func loadGoldens(t testing.TB) []localCase {
	data, err := os.ReadFile(*goldenFile)
	if err != nil {
		t.Fatal(err)
	}
	var cases []localCase
	if err := json.Unmarshal(data, &cases); err != nil {
		t.Fatal(err)
	}
	return cases
}

func TestLocalGoldens(t *testing.T) {
	cases := loadGoldens(t)
	fails := 0
	for i := range cases {
		c := &cases[i]
		msg, got := runCase(t, c)
		diff := ""
		switch {
		case msg != c.Want:
			diff = "error " + quote(msg) + ", DynamoDB Local " + quote(c.Want)
		case msg == "" && !sameResult(t, c, got):
			diff = "result " + describe(got) + ", DynamoDB Local " + string(c.Result)
		}
		if diff == "" {
			continue
		}
		if why, ok := knownDiffs[caseID(c)]; ok {
			t.Logf("known difference (%s): %s: %s", why, caseID(c), diff)
			continue
		}
		fails++
		if fails <= 100 {
			t.Errorf("%s:\n\t%s", caseID(c), diff)
		}
	}
	t.Logf("%d goldens, %d differences", len(cases), fails)
}

func quote(s string) string {
	if s == "" {
		return "(none)"
	}
	return `"` + s + `"`
}

func describe(v any) string {
	switch x := v.(type) {
	case value.Item:
		return string(value.AppendItemJSON(nil, x))
	case bool:
		if x {
			return "true"
		}
		return "false"
	}
	return "?"
}

func sameResult(t testing.TB, c *localCase, got any) bool {
	switch c.Op {
	case "cond", "filter":
		var want bool
		if err := json.Unmarshal(c.Result, &want); err != nil {
			t.Fatal(err)
		}
		return got.(bool) == want
	case "update", "proj":
		want := decodeItem(t, c.Result)
		item := got.(value.Item)
		return value.Equal(value.M(want), value.M(item))
	}
	return true
}
