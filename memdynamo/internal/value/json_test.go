package value

import (
	"strings"
	"testing"

	"github.com/dynantic/dynantic/memdynamo/internal/wire"
)

func readValue(s string) (Value, *wire.Error) {
	r := wire.NewReader([]byte(s))
	v, err := ReadJSON(r, MaxValueDepth)
	if err == nil {
		r.End()
		if e := r.Error(); e != nil {
			return Value{}, e
		}
	}
	return v, err
}

func nestL(n int) string {
	s := `{"S":"x"}`
	for i := 0; i < n; i++ {
		s = `{"L":[` + s + `]}`
	}
	return s
}

// Each case's error text was captured from DynamoDB Local 3.3.1. "ser" marks the cases where
// Local coerces or answers 500 and we answer DynamoDB's 400 SerializationException instead.
var jsonCases = []struct{ in, out, err string }{
	{`{"S":"a"}`, `{"S":"a"}`, ""},
	{`{"S":""}`, `{"S":""}`, ""},
	{`{"N":"0010.50"}`, `{"N":"10.5"}`, ""},
	{`{"B":"YWJj"}`, `{"B":"YWJj"}`, ""},
	{`{"B":""}`, `{"B":""}`, ""},
	{`{"BOOL":true}`, `{"BOOL":true}`, ""},
	{`{"BOOL":false}`, `{"BOOL":false}`, ""},
	{`{"NULL":true}`, `{"NULL":true}`, ""},
	{`{"L":[]}`, `{"L":[]}`, ""},
	{`{"M":{}}`, `{"M":{}}`, ""},
	{`{"L":[{"N":"01"},{"M":{}},{"L":[]}]}`, `{"L":[{"N":"1"},{"M":{}},{"L":[]}]}`, ""},
	{`{"M":{"z":{"S":"1"},"a":{"S":"2"},"B":{"S":"3"}}}`, `{"M":{"B":{"S":"3"},"a":{"S":"2"},"z":{"S":"1"}}}`, ""},
	{`{"SS":["b","a","c","B"]}`, `{"SS":["B","a","b","c"]}`, ""},
	{`{"NS":["10","2","1","-5","1.50"]}`, `{"NS":["-5","1","1.5","2","10"]}`, ""},
	{`{"BS":["Yg==","YQ==","/w==","AA=="]}`, `{"BS":["AA==","YQ==","Yg==","/w=="]}`, ""},
	{`{"SS":[""]}`, `{"SS":[""]}`, ""},
	{`{"S":"x","N":null}`, `{"S":"x"}`, ""},
	{`{"S":"a","X":1}`, `{"S":"a"}`, ""},
	{`{"S":"\u00e9\n\"\\"}`, `{"S":"é\n\"\\"}`, ""},
	{`{}`, "", MsgEmptyAV},
	{`{"S":null}`, "", MsgEmptyAV},
	{`{"X":"a"}`, "", MsgEmptyAV},
	{`{"SS":null}`, "", MsgEmptyAV},
	{`{"BOOL":null}`, "", MsgEmptyAV},
	{`{"S":"a","N":"1"}`, "", MsgManyTypes},
	{`{"NULL":true,"S":"x"}`, "", MsgManyTypes},
	{`{"SS":[]}`, "", MsgEmptySS},
	{`{"NS":[]}`, "", MsgEmptyNS},
	{`{"BS":[]}`, "", MsgEmptyBS},
	{`{"L":[{"SS":[]}]}`, "", MsgEmptySS},
	{`{"SS":["a","a"]}`, "", "One or more parameter values were invalid: Input collection [a, a] contains duplicates"},
	{`{"SS":["b","a","b"]}`, "", "One or more parameter values were invalid: Input collection [b, a, b] contains duplicates"},
	{`{"NS":["1","1.0"]}`, "", MsgDupNS},
	{`{"BS":["YQ==","YQ=="]}`, "", MsgDupBS},
	{`{"NS":["1","x"]}`, "", MsgNotNumber},
	{`{"NS":[null]}`, "", MsgNotNumber},
	{`{"SS":[null]}`, "", MsgNullSSMember},
	{`{"SS":["a",null]}`, "", MsgNullSSMember},
	{`{"N":""}`, "", MsgNotNumber},
	{`{"N":"1E126"}`, "", MsgOverflow},
	{`{"NULL":false}`, "", MsgNullFalse},
	{`{"L":[{}]}`, "", MsgEmptyAV},
	{`{"M":{"a":{}}}`, "", MsgEmptyAV},
	{`{"M":{"":{"S":"x"}}}`, "", MsgEmptyName},
	{`{"L":[null]}`, "", MsgNullAV},
	{`{"M":{"a":null}}`, "", MsgNullAV + ": a is null"},
	{`null`, "", MsgNullAV},
	{nestL(32), "", ""},
	{nestL(33), "", MsgNesting},
	// DynamoDB answers wrong JSON types with SerializationException (Local coerces or fails with 500).
	{`{"S":1}`, "", "ser"},
	{`{"N":1}`, "", "ser"},
	{`{"BOOL":"true"}`, "", "ser"},
	{`{"SS":[1]}`, "", "ser"},
	{`{"SS":"a"}`, "", "ser"},
	{`{"L":{}}`, "", "ser"},
	{`{"M":[]}`, "", "ser"},
	{`{"S":{}}`, "", "ser"},
	{`{"B":"!!"}`, "", "ser"},
	{`{"B":"YQ"}`, "", "ser"},
	{`"str"`, "", "ser"},
	{`{"S":"a"`, "", "ser"},
	{`{"S":"a",}`, "", "ser"},
	{`{"L":[{"S":"a"},]}`, "", "ser"},
	{`{"S":"a\x01"}`, "", "ser"},
	{`{"S":"\ud800"}`, `{"S":"\ufffd"}`, ""},
}

func TestReadJSON(t *testing.T) {
	for _, c := range jsonCases {
		in := strings.ReplaceAll(c.in, `\x01`, "\x01")
		v, err := readValue(in)
		switch {
		case c.err == "ser":
			if err == nil || err.Type != "SerializationException" {
				t.Errorf("%s: got %v, %v; want a SerializationException", c.in, v, err)
			}
		case c.err != "":
			if err == nil || err.Type != "ValidationException" || err.Message != c.err {
				t.Errorf("%s: error %v, want ValidationException %q", c.in, err, c.err)
			}
		default:
			if err != nil {
				t.Errorf("%s: %v", c.in, err)
				continue
			}
			if c.out == "" {
				continue
			}
			want, werr := readValue(c.out)
			if werr != nil {
				t.Fatalf("bad expectation %s: %v", c.out, werr)
			}
			if got := string(AppendJSON(nil, v)); got != string(AppendJSON(nil, want)) {
				t.Errorf("%s: encoded %s, want %s", c.in, got, c.out)
			}
			if !Equal(v, want) {
				t.Errorf("%s: not Equal to %s", c.in, c.out)
			}
		}
	}
}

func TestReadItemJSON(t *testing.T) {
	r := wire.NewReader([]byte(`{"pk":{"S":"a"},"e":{"L":[]},"m":{"M":{}},"n":{"N":"-0"}}`))
	item, err := ReadItemJSON(r, MaxItemDepth)
	if err != nil {
		t.Fatal(err)
	}
	got := string(AppendItemJSON(nil, item))
	want := `{"e":{"L":[]},"m":{"M":{}},"n":{"N":"0"},"pk":{"S":"a"}}`
	if got != want {
		t.Fatalf("got %s want %s", got, want)
	}
	// Item nesting: 31 levels pass, 32 fail (DynamoDB Local).
	for n, want := range map[int]string{31: "", 32: MsgNesting} {
		r := wire.NewReader([]byte(`{"v":` + nestL(n) + `}`))
		_, err := ReadItemJSON(r, MaxItemDepth)
		if (err == nil) != (want == "") || (err != nil && err.Message != want) {
			t.Errorf("depth %d: %v", n, err)
		}
	}
	r = wire.NewReader([]byte(`{"pk":null}`))
	if _, err := ReadItemJSON(r, MaxItemDepth); err == nil || err.Message != MsgNullAV+": pk is null" {
		t.Errorf("null member: %v", err)
	}
	// A syntax error later in the body wins over an earlier validation error.
	r = wire.NewReader([]byte(`{"a":{},"b":{"S":1}}`))
	if _, err := ReadItemJSON(r, MaxItemDepth); err == nil || err.Type != "SerializationException" {
		t.Errorf("want SerializationException, got %v", err)
	}
}

func FuzzReadJSON(f *testing.F) {
	for _, c := range jsonCases {
		f.Add(c.in)
	}
	f.Fuzz(func(t *testing.T, s string) {
		v, err := readValue(s)
		if err != nil {
			if err.Type != "ValidationException" && err.Type != "SerializationException" || err.Message == "" {
				t.Fatalf("%q: bad error %#v", s, err)
			}
			return
		}
		// What decodes encodes to JSON that decodes to an equal value, and encodes identically.
		out := AppendJSON(nil, v)
		v2, err := readValue(string(out))
		if err != nil {
			t.Fatalf("%q: re-reading %s: %v", s, out, err)
		}
		if !Equal(v, v2) || string(AppendJSON(nil, v2)) != string(out) {
			t.Fatalf("%q: %s does not round trip", s, out)
		}
		// The binary storage form round-trips too.
		item, derr := DecodeItem(EncodeItem(nil, map[string]Value{"a": v}))
		if derr != nil || !Equal(item["a"], v) {
			t.Fatalf("%q: binary round trip: %v", s, derr)
		}
		// And transcodes from the binary form to the same JSON.
		stored := EncodeItem(nil, map[string]Value{"a": v, "b": v})
		if got, err := AppendStoredItemJSON(nil, string(stored)); err != nil || string(got) != string(AppendItemJSON(nil, map[string]Value{"a": v, "b": v})) {
			t.Fatalf("%q: stored JSON %s (%v)", s, got, err)
		}
		_ = Size(v)
	})
}
