package schema

import (
	"errors"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/service/dynamodb/types"
)

type tmplBase struct {
	PK   string `dynamo:"pk,pk"`
	SK   string `dynamo:"sk,sk"`
	Type string `dynamo:"type,discriminator"`
}

type tmplModel struct {
	tmplBase
	CustomerID string    `dynamo:"-"`
	Placed     time.Time `dynamo:"placed"`
	OrderID    string    `dynamo:"order_id"`
	Line       uint16    `dynamo:"line"`
	Seq        int64     `dynamo:"-"`
	Small      int8      `dynamo:"small"`
	Status     string    `dynamo:"status,gsi_pk=ByStatus"`
	Total      float64   `dynamo:"total"`
	Num        Numberish `dynamo:"num"`
	Flag       bool      `dynamo:"flag"`
	Plain      string    `dynamo:"plain"`
	NotKeyInt  int       `dynamo:"nk"`
	*TmplPtr
}

type TmplPtr struct {
	Deep string `dynamo:"-"`
}

// Numberish has a marshaler, so it cannot be a template field.
type Numberish string

func (Numberish) MarshalDynamo() (types.AttributeValue, error) { return nil, nil }

func tmplTestModel(t *testing.T) *Model {
	t.Helper()
	m, err := Build(reflect.TypeFor[tmplModel]())
	if err != nil {
		t.Fatal(err)
	}
	return m
}

func TestParseTemplate(t *testing.T) {
	m := tmplTestModel(t)
	type part struct {
		lit   string
		field string
		kind  PartKind
		width int
		next  string
	}
	tests := []struct {
		attr, text string
		want       []part
	}{
		{"pk", "CUSTOMER#{CustomerID}", []part{{lit: "CUSTOMER#"}, {field: "CustomerID", kind: PartString}}},
		{"sk", "ORDER#{Placed}#{order_id}", []part{{lit: "ORDER#"}, {field: "Placed", kind: PartTime, width: 30, next: "#"}, {lit: "#"}, {field: "OrderID", kind: PartString}}},
		{"sk", "LINE#{OrderID}#{Line}", []part{{lit: "LINE#"}, {field: "OrderID", kind: PartString, next: "#"}, {lit: "#"}, {field: "Line", kind: PartUint, width: 5}}},
		{"sk", "{Seq:6}.{Small}", []part{{field: "Seq", kind: PartInt, width: 6, next: "."}, {lit: "."}, {field: "Small", kind: PartInt, width: 3}}},
		{"sk", "PROFILE", []part{{lit: "PROFILE"}}},
		{"status", "S#{Plain}#END", []part{{lit: "S#"}, {field: "Plain", kind: PartString, next: "#END"}, {lit: "#END"}}},
		{"sk", "{type}#{OrderID}", []part{{field: "Type", kind: PartString, next: "#"}, {lit: "#"}, {field: "OrderID", kind: PartString}}},
	}
	for _, tc := range tests {
		tpl, err := ParseTemplate(m, tc.attr, tc.text)
		if err != nil {
			t.Errorf("%s=%q: %v", tc.attr, tc.text, err)
			continue
		}
		var got []part
		for _, p := range tpl.Parts {
			if p.Kind == PartLiteral {
				got = append(got, part{lit: p.Lit})
			} else {
				got = append(got, part{field: p.Field.GoName, kind: p.Kind, width: p.Width, next: p.Next})
			}
		}
		if !reflect.DeepEqual(got, tc.want) {
			t.Errorf("%s=%q:\n got %+v\nwant %+v", tc.attr, tc.text, got, tc.want)
		}
	}
}

func TestParseTemplateErrors(t *testing.T) {
	m := tmplTestModel(t)
	tests := []struct{ attr, text, want string }{
		{"nope", "X{OrderID}", "no attribute"},
		{"plain", "X{OrderID}", "not a key attribute"},
		{"pk", "", "empty template"},
		{"pk", "A{OrderID", "unclosed {"},
		{"pk", "A}{OrderID}", "unmatched }"},
		{"pk", "A{OrderID}}", "unmatched }"},
		{"pk", "A{}", "empty {}"},
		{"pk", "A{Missing}", `no field "Missing"`},
		{"pk", "A{pk}", "its own attribute"},
		{"pk", "A{Total}", "template fields must be"},
		{"pk", "A{Flag}", "template fields must be"},
		{"pk", "A{Num}", "template fields must be"},
		{"pk", "A{OrderID}{Plain}", "need a literal between"},
		{"pk", "A{OrderID}#{OrderID}", "appears twice"},
		{"pk", "A{OrderID:3}", "only integer fields"},
		{"pk", "A{Seq:0}", "width must be"},
		{"pk", "A{Seq:21}", "width must be"},
		{"pk", "A{Seq:x}", "width must be"},
		{"pk", "A{Seq:+3}", "width must be"},
		{"pk", "Ä{OrderID}", "printable ASCII"},
		{"pk", "A\t{OrderID}", "printable ASCII"},
		{"pk", "A{Deep}", "embedded pointer"},
		{"pk", "A{{OrderID}}", "nested {"},
	}
	for _, tc := range tests {
		_, err := ParseTemplate(m, tc.attr, tc.text)
		var se *Error
		if !errors.As(err, &se) || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("%s=%q: got %v, want a *schema.Error containing %q", tc.attr, tc.text, err, tc.want)
		}
	}
}

func TestTemplateFormatParse(t *testing.T) {
	m := tmplTestModel(t)
	sk, err := ParseTemplate(m, "sk", "ORDER#{Placed}#{OrderID}")
	if err != nil {
		t.Fatal(err)
	}
	ts := "2024-05-01T10:00:00.000000000Z"
	tests := []struct {
		texts []string
		want  string
		err   string
	}{
		{[]string{ts, "A17"}, "ORDER#" + ts + "#A17", ""},
		{[]string{ts, "A#17"}, "ORDER#" + ts + "#A#17", ""}, // the last field has no separator after it
		{[]string{ts, ""}, "", "OrderID: is empty"},
		{[]string{"2024", "A17"}, "", "not 30 characters"},
		{[]string{ts}, "", "want 2 field values"},
	}
	for _, tc := range tests {
		got, err := sk.Format(tc.texts)
		if tc.err != "" {
			if err == nil || !strings.Contains(err.Error(), tc.err) {
				t.Errorf("Format(%q) = %q, %v; want error %q", tc.texts, got, err, tc.err)
			}
			continue
		}
		if err != nil || got != tc.want {
			t.Errorf("Format(%q) = %q, %v; want %q", tc.texts, got, err, tc.want)
			continue
		}
		back, err := sk.Parse(got, nil)
		if err != nil || !reflect.DeepEqual(back, tc.texts) {
			t.Errorf("Parse(%q) = %q, %v", got, back, err)
		}
	}

	// A separator inside a field that another field follows is refused, also
	// when it straddles the field's end.
	pk, err := ParseTemplate(m, "status", "S#{Plain}##{OrderID}")
	if err != nil {
		t.Fatal(err)
	}
	for _, v := range []string{"a##b", "a#", "##", "#"} {
		if _, err := pk.Format([]string{v, "x"}); err == nil || !strings.Contains(err.Error(), "separator") {
			t.Errorf("Format(%q): %v, want a separator error", v, err)
		}
	}
	for _, v := range []string{"a#b", "#a"} {
		s, err := pk.Format([]string{v, "x"})
		if err != nil {
			t.Errorf("Format(%q): %v", v, err)
			continue
		}
		if back, err := pk.Parse(s, nil); err != nil || back[0] != v {
			t.Errorf("Parse(%q) = %q, %v", s, back, err)
		}
	}

	// Parse errors.
	for _, s := range []string{"", "ORDER#", "ORDER#" + ts, "ORDER#" + ts + "#", "ORDER#" + ts[:20], "CUSTOMER#1", "ORDER#" + ts + "A17"} {
		if got, err := sk.Parse(s, nil); err == nil {
			t.Errorf("Parse(%q) = %q, want an error", s, got)
		}
	}
	lines, err := ParseTemplate(m, "sk", "LINE#{Line:3}#{Seq}")
	if err != nil {
		t.Fatal(err)
	}
	if got, err := lines.Parse("LINE#007#0000000000000000012", nil); err != nil || !reflect.DeepEqual(got, []string{"007", "0000000000000000012"}) {
		t.Errorf("Parse = %q, %v", got, err)
	}
	if got, err := lines.Parse("LINE#7#12", nil); err == nil {
		t.Errorf("Parse of unpadded numbers = %q, want an error", got)
	}
}

func TestTemplatePrefix(t *testing.T) {
	m := tmplTestModel(t)
	sk, err := ParseTemplate(m, "sk", "ORDER#{Placed}#{OrderID}")
	if err != nil {
		t.Fatal(err)
	}
	ts := "2024-05-01T10:00:00.000000000Z"
	tests := []struct {
		texts []string
		open  bool
		want  string
	}{
		{nil, false, "ORDER#"},
		{nil, true, "ORDER#"},
		{[]string{"2024-05"}, true, "ORDER#2024-05"},
		{[]string{ts}, false, "ORDER#" + ts + "#"},
		{[]string{ts, "A1"}, true, "ORDER#" + ts + "#A1"},
		{[]string{ts, "A17"}, false, "ORDER#" + ts + "#A17"},
	}
	for _, tc := range tests {
		got, err := sk.Prefix(tc.texts, tc.open)
		if err != nil || got != tc.want {
			t.Errorf("Prefix(%q, %v) = %q, %v; want %q", tc.texts, tc.open, got, err, tc.want)
		}
	}
	if _, err := sk.Prefix([]string{ts, "a", "b"}, false); err == nil {
		t.Error("Prefix with too many values: no error")
	}
	if _, err := sk.Prefix([]string{"2024"}, false); err == nil {
		t.Error("Prefix with a short closed time: no error")
	}
}

func TestFormatInt(t *testing.T) {
	tests := []struct {
		v     int64
		width int
		want  string
	}{
		{0, 3, "000"}, {7, 3, "007"}, {999, 3, "999"}, {1000, 3, ""}, {-1, 3, ""},
		{9223372036854775807, 19, "9223372036854775807"},
	}
	for _, tc := range tests {
		got, err := FormatInt(tc.v, tc.width)
		if (err != nil) != (tc.want == "") || got != tc.want {
			t.Errorf("FormatInt(%d, %d) = %q, %v; want %q", tc.v, tc.width, got, err, tc.want)
		}
		if err == nil {
			if back, err := ParseDigits(got); err != nil || int64(back) != tc.v {
				t.Errorf("ParseDigits(%q) = %d, %v", got, back, err)
			}
		}
	}
	if got, err := FormatUint(18446744073709551615, 20); err != nil || got != "18446744073709551615" {
		t.Errorf("FormatUint(max) = %q, %v", got, err)
	}
	for _, s := range []string{"", "-1", "1a", "+1", "99999999999999999999"} {
		if _, err := ParseDigits(s); err == nil && s != "" {
			t.Errorf("ParseDigits(%q): no error", s)
		}
	}
}

// FuzzTemplate checks that Format and Parse are inverses: texts that format
// parse back to themselves, and key texts that Matches accepts format back
// to themselves; Matches accepts exactly the key texts Format can write;
// nothing panics.
func FuzzTemplate(f *testing.F) {
	m, err := Build(reflect.TypeFor[tmplModel]())
	if err != nil {
		f.Fatal(err)
	}
	templates := []string{"ORDER#{Placed}#{OrderID}", "S#{Plain}##{OrderID}", "{OrderID}", "A{OrderID}|{Plain}|", "L#{Line:3}#{Plain}", "X{OrderID}xyx{Plain}"}
	var tpls []*Template
	for _, s := range templates {
		tp, err := ParseTemplate(m, "sk", s)
		if err != nil {
			f.Fatal(err)
		}
		tpls = append(tpls, tp)
	}
	f.Add(uint8(0), "2024-05-01T10:00:00.000000000Z", "A17", "ORDER#2024-05-01T10:00:00.000000000Z#A17")
	f.Add(uint8(1), "a#", "b", "S#a###b")
	f.Add(uint8(3), "x|y", "z", "Ax|z|")
	f.Add(uint8(4), "007", "q", "L#007#q")
	f.Add(uint8(5), "xy", "x", "Xxyxyxx")
	f.Fuzz(func(t *testing.T, which uint8, a, b, key string) {
		tp := tpls[int(which)%len(tpls)]
		texts := []string{a, b}[:tp.NumFields()]
		if s, err := tp.Format(texts); err == nil {
			back, err := tp.Parse(s, nil)
			if err != nil || !reflect.DeepEqual(back, texts) || !tp.Matches(s) {
				t.Fatalf("%s: Format(%q) = %q, which parses to %q, %v (Matches %v)", tp.Text, texts, s, back, err, tp.Matches(s))
			}
		}
		// Parse may split texts that Format refuses (a width-3 field "abc");
		// those that Matches accepts format back exactly.
		if got, err := tp.Parse(key, nil); err == nil {
			s, err := tp.Format(got)
			if (err == nil) != tp.Matches(key) || (err == nil && s != key) {
				t.Fatalf("%s: Parse(%q) = %q, which formats to %q, %v (Matches %v)", tp.Text, key, got, s, err, tp.Matches(key))
			}
		} else if tp.Matches(key) {
			t.Fatalf("%s: Matches(%q) but Parse: %v", tp.Text, key, err)
		}
		_, _ = tp.Prefix(texts, which&1 == 0)
	})
}
