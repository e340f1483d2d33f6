package difftest

import (
	"bytes"
	"encoding/json"
	"fmt"
	"sort"
	"strings"
	"sync"
	"time"
	"unicode"
)

// Scenario is a deterministic list of requests. Replayed against a fresh
// database it yields the same answers every time; it deletes its tables at
// the end.
type Scenario struct {
	Name  string // file name of its golden (testdata/diff/<Name>.json)
	About string // what it covers
	Steps []*Step
	// FreshDB signs a live run with an access key of its own (the
	// scenario's and the run's id), so it starts on an empty database:
	// DynamoDB Local keeps the streams of deleted tables, which the
	// cleanup before a run cannot remove.
	FreshDB bool
}

// Step is one request of a scenario.
type Step struct {
	Op     string // operation name, e.g. "PutItem"
	Target string // X-Amz-Target header; "" for none (default TargetPrefix+Op)
	Body   []byte // request body, sent as is
	Raw    bool   // Body is not built from a value (malformed on purpose)
	Note   string // what the step checks
	Opts   Options
	// Group, when not empty, merges this step with the other steps of the
	// same group before comparing: their Items (sorted), Count and
	// ScannedCount (summed), and whether the last one has a
	// LastEvaluatedKey. For reads whose split into pages or segments is
	// the server's choice (a Scan over several partitions, parallel scan
	// segments), only the whole is defined.
	Group string
	// Settle, on a DescribeTable, repeats it (for up to Settle) until
	// no index of the table is CREATING, UPDATING or DELETING, and
	// records the last answer: DynamoDB Local builds and drops indexes
	// in the background, the engine at once.
	Settle time.Duration
	// FromLEK sets ExclusiveStartKey to the previous step's
	// LastEvaluatedKey (and leaves it out when there was none).
	FromLEK bool
	// Keep captures run variables from this step's answer: variable name
	// → path of a string in the answer ("StreamDescription.Shards.0.ShardId";
	// an index may count from the end, -1). A path the answer lacks unsets
	// the variable. A body refers to run variables as ${name} (inside a
	// JSON string); when one is not set, no request is sent and the step
	// records that (NoVar).
	Keep map[string]string
	// Derive, when set, computes run variables from others before the step
	// is sent (a shard iterator forged from a captured one).
	Derive    func(vars map[string]string)
	canonOnce sync.Once
	canonReq  json.RawMessage

	// Doc, when set, marks a known difference: DynamoDB Local's answer
	// (the golden) differs from DynamoDB's documented behaviour, and the
	// engine must answer Doc instead.
	Doc *Documented
}

// Documented is DynamoDB's documented answer to a step where DynamoDB
// Local differs.
type Documented struct {
	Status int
	Type   string // short error name, "" on success
	// Message, when not empty, is the documented error message.
	Message string
	// Body, when not nil, is the documented canonical answer on success.
	Body any
	// Ignore, when not empty, names fields whose values DynamoDB Local
	// gets wrong: the answer must equal DynamoDB Local's with these fields
	// left out (wherever they are).
	Ignore []string
	// Reason says how DynamoDB Local differs and where DynamoDB documents
	// the behaviour.
	Reason string
}

// Matches reports whether got is the documented answer.
func (d *Documented) Matches(got Canon) bool {
	if got.Status != d.Status || got.Type != d.Type {
		return false
	}
	if d.Message != "" && got.Message() != d.Message {
		return false
	}
	if d.Body != nil {
		want := Canonicalize("", d.Status, marshal(d.Body), Options{})
		return bytes.Equal(want.Body, got.Body)
	}
	return true
}

// String describes the documented answer for reports.
func (d *Documented) String() string {
	s := fmt.Sprintf("%d", d.Status)
	if d.Type != "" {
		s += " " + d.Type
	}
	if d.Message != "" {
		s += ": " + d.Message
	}
	if d.Body != nil {
		s += " " + string(marshal(d.Body))
	}
	if len(d.Ignore) > 0 {
		s += " as recorded, apart from " + strings.Join(d.Ignore, ", ")
	}
	return s
}

// AccessKey returns the access key a scenario's requests are signed with:
// "diff" and the letters and digits of its name. DynamoDB Local keeps one
// database per access key, so each scenario sees only its own tables.
func (s *Scenario) AccessKey() string {
	var b strings.Builder
	b.WriteString("diff")
	for _, r := range s.Name {
		if r < unicode.MaxASCII && (unicode.IsLetter(r) || unicode.IsDigit(r)) {
			b.WriteRune(r)
		}
	}
	return b.String()
}

// TargetHeader returns the X-Amz-Target value of st.
func (st *Step) TargetHeader() string {
	if st.Target != "" {
		if st.Target == "-" {
			return ""
		}
		return st.Target
	}
	return TargetPrefix + st.Op
}

// M is a JSON object: a request body, an item, an attribute value.
type M = map[string]any

// L is a JSON array.
type L = []any

// Attribute value constructors.

// S is a string attribute value.
func S(s string) M { return M{"S": s} }

// N is a number attribute value.
func N(n string) M { return M{"N": n} }

// B is a binary attribute value ([]byte encodes as base64).
func B(b []byte) M { return M{"B": b} }

// SS is a string set.
func SS(s ...string) M { return M{"SS": strs(s)} }

// NS is a number set.
func NS(s ...string) M { return M{"NS": strs(s)} }

// BS is a binary set.
func BS(b ...[]byte) M {
	l := L{}
	for _, e := range b {
		l = append(l, e)
	}
	return M{"BS": l}
}

// List is a list attribute value.
func List(e ...any) M {
	if e == nil {
		e = L{}
	}
	return M{"L": e}
}

// Map is a map attribute value.
func Map(m M) M {
	if m == nil {
		m = M{}
	}
	return M{"M": m}
}

// Bool is a boolean attribute value.
func Bool(b bool) M { return M{"BOOL": b} }

// Null is the NULL attribute value.
func Null() M { return M{"NULL": true} }

func strs(s []string) L {
	l := L{}
	for _, e := range s {
		l = append(l, e)
	}
	return l
}

// builder appends steps to a scenario.
type builder struct {
	s *Scenario
	// tables created so far, deleted by end()
	tables []string
}

func newScenario(name, about string) *builder {
	return &builder{s: &Scenario{Name: name, About: about}}
}

// step appends a request built from body.
func (b *builder) step(op string, body any, note string) *Step {
	st := &Step{Op: op, Body: marshal(body), Note: note}
	b.s.Steps = append(b.s.Steps, st)
	return st
}

// raw appends a request whose body is sent exactly as given.
func (b *builder) raw(op, body, note string) *Step {
	st := &Step{Op: op, Body: []byte(body), Raw: true, Note: note}
	b.s.Steps = append(b.s.Steps, st)
	return st
}

// doc marks st as a known difference (see Documented) and returns it.
func (st *Step) doc(d Documented) *Step {
	st.Doc = &d
	return st
}

// group puts st in merge group g (see Step.Group) and returns it.
func (st *Step) group(g string) *Step {
	st.Group = g
	return st
}

// next makes st continue from the previous step's LastEvaluatedKey.
func (st *Step) next() *Step {
	st.FromLEK = true
	var m M
	if err := json.Unmarshal(st.Body, &m); err != nil {
		panic(err)
	}
	m["ExclusiveStartKey"] = "$LEK"
	st.Body = marshal(m)
	return st
}

// settle appends a DescribeTable of table that waits up to max for its
// indexes to settle (see Step.Settle).
func (b *builder) settle(table string, max time.Duration, note string) *Step {
	st := b.step("DescribeTable", M{"TableName": table}, note)
	st.Settle = max
	return st
}

// unordered marks st's Items as unordered and returns it.
func (st *Step) unordered() *Step {
	st.Opts.Unordered = true
	return st
}

// done deletes every table the scenario created (in name order) and
// returns the scenario.
func (b *builder) done() *Scenario {
	names := append([]string(nil), b.tables...)
	sort.Strings(names)
	for _, n := range names {
		b.step("DeleteTable", M{"TableName": n}, "clean up")
	}
	return b.s
}

// remember notes a table for done to delete.
func (b *builder) remember(name string) {
	for _, t := range b.tables {
		if t == name {
			return
		}
	}
	b.tables = append(b.tables, name)
}

// keyDef describes one key attribute: name, type (S, N, B).
type keyDef struct{ name, typ string }

// hk and rk build key definitions for table helpers.
func hk(name, typ string) keyDef { return keyDef{name, typ} }

// create appends a CreateTable for an on-demand table with the given hash
// key and optional range key, plus extra request fields, and remembers the
// table for done.
func (b *builder) create(name string, hash keyDef, rng *keyDef, extra M) *Step {
	if len(name) < 3 {
		panic("difftest: table name " + name + " is too short for the helper")
	}
	defs := L{M{"AttributeName": hash.name, "AttributeType": hash.typ}}
	schema := L{M{"AttributeName": hash.name, "KeyType": "HASH"}}
	if rng != nil {
		defs = append(defs, M{"AttributeName": rng.name, "AttributeType": rng.typ})
		schema = append(schema, M{"AttributeName": rng.name, "KeyType": "RANGE"})
	}
	body := M{
		"TableName":            name,
		"AttributeDefinitions": defs,
		"KeySchema":            schema,
		"BillingMode":          "PAY_PER_REQUEST",
	}
	for k, v := range extra {
		if k == "AttributeDefinitions" { // extra definitions for index keys
			body[k] = append(defs, v.(L)...)
			continue
		}
		body[k] = v
	}
	b.remember(name)
	return b.step("CreateTable", body, "create "+name)
}

// rk returns a pointer to a range key definition.
func rk(name, typ string) *keyDef { return &keyDef{name, typ} }

// put appends a PutItem.
func (b *builder) put(table string, item M, note string) *Step {
	return b.step("PutItem", M{"TableName": table, "Item": item}, note)
}

// get appends a consistent GetItem.
func (b *builder) get(table string, key M, note string) *Step {
	return b.step("GetItem", M{"TableName": table, "Key": key, "ConsistentRead": true}, note)
}

// with returns a copy of m with the fields of extra added.
func with(m M, extra M) M {
	out := M{}
	for k, v := range m {
		out[k] = v
	}
	for k, v := range extra {
		out[k] = v
	}
	return out
}
