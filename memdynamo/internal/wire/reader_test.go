package wire

import (
	"encoding/json"
	"strings"
	"testing"
	"unicode/utf8"
)

// walk reads any JSON value with the Reader, rebuilding it as Go values like encoding/json does.
func walk(r *Reader) any {
	switch r.Peek() {
	case TokObject:
		m := map[string]any{}
		r.BeginObject()
		for {
			k, ok := r.NextKey()
			if !ok {
				return m
			}
			key := string(k)
			m[key] = walk(r)
		}
	case TokArray:
		l := []any{}
		r.BeginArray()
		for r.NextElem() {
			l = append(l, walk(r))
		}
		return l
	case TokString:
		return r.String()
	case TokNumber:
		return string(r.NumberText())
	case TokTrue, TokFalse:
		return r.Bool()
	case TokNull:
		r.Null()
		return nil
	}
	r.Skip()
	return nil
}

func TestReaderAgreesWithEncodingJSON(t *testing.T) {
	for _, in := range []string{
		`{}`, `[]`, `{"a":[1,-2.5e+3,true,false,null,"x"]}`, ` { "a" : { "b" : [ ] } } `,
		`"\u00e9\ud83d\ude00\n\t\"\\\/"`, `"a\u0000b"`, `[0,1e5,-0.0]`,
	} {
		r := NewReader([]byte(in))
		got := walk(r)
		r.End()
		if r.Err() != nil {
			t.Fatalf("%s: %v", in, r.Err())
		}
		var want any
		dec := json.NewDecoder(strings.NewReader(in))
		dec.UseNumber()
		if err := dec.Decode(&want); err != nil {
			t.Fatal(err)
		}
		gb, _ := json.Marshal(got)
		wb, _ := json.Marshal(normalize(want))
		if string(gb) != string(wb) {
			t.Fatalf("%s: got %s want %s", in, gb, wb)
		}
	}
}

func normalize(v any) any {
	switch x := v.(type) {
	case map[string]any:
		for k, e := range x {
			x[k] = normalize(e)
		}
	case []any:
		for i, e := range x {
			x[i] = normalize(e)
		}
	case json.Number:
		return string(x)
	}
	return v
}

func TestReaderRefuses(t *testing.T) {
	for _, in := range []string{
		``, `{`, `{"a"}`, `{"a":1,}`, `[1,]`, `[1 2]`, `{"a":1 "b":2}`, `"abc`, "\"a\x01\"", `"\x"`,
		`"\u12"`, `01`, `1.`, `-`, `1e`, `tru`, `nul`, `{} x`, `{"a":1}}`, strings.Repeat("[", MaxDepth+1),
	} {
		r := NewReader([]byte(in))
		walk(r)
		r.End()
		if r.Error() == nil || r.Error().Type != "SerializationException" {
			t.Errorf("%q: accepted (%v)", in, r.Err())
		}
	}
}

func TestTypeErrors(t *testing.T) {
	r := NewReader([]byte(`{"a":1}`))
	r.BeginObject()
	r.NextKey()
	if s := r.String(); s != "" || r.Error() == nil || !strings.Contains(r.Error().Message, "can not be converted to an String") {
		t.Fatalf("number read as a string: %q %v", s, r.Err())
	}
	r = NewReader([]byte(`{"Limit":2147483648}`))
	r.BeginObject()
	r.NextKey()
	r.Int("Limit")
	if r.Error() == nil {
		t.Fatal("an int beyond 32 bits accepted")
	}
}

func TestInvalidUTF8BecomesReplacement(t *testing.T) {
	r := NewReader([]byte("\"a\xffb\\ud800\""))
	s := r.String()
	if r.Err() != nil || s != "a\uFFFDb\uFFFD" {
		t.Fatalf("%q %v", s, r.Err())
	}
	out := AppendString(nil, "x\xff\"\n\x01")
	if !utf8.Valid(out) || !json.Valid(out) {
		t.Fatalf("AppendString wrote %q", out)
	}
}

func FuzzReader(f *testing.F) {
	for _, s := range []string{`{"a":[1,{"b":null}]}`, `"\ud83d\ude00"`, `[1e5,-0.5]`} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, b []byte) {
		r := NewReader(b)
		v := walk(r)
		r.End()
		if r.Err() != nil {
			return
		}
		if !json.Valid(b) {
			t.Fatalf("accepted invalid JSON %q", b)
		}
		if _, err := json.Marshal(v); err != nil {
			t.Fatal(err)
		}
	})
}
