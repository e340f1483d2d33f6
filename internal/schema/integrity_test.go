package schema

import (
	"errors"
	"reflect"
	"slices"
	"strings"
	"testing"
	"time"
)

type (
	taggedUnexported struct {
		A string `dynamo:"a,pk"`
		b string `dynamo:"b"` //lint:ignore U1000 the field under test
	}
	taggedUnexportedOpts struct {
		A string `dynamo:"a,pk"`
		b int    `dynamo:",omitempty"` //lint:ignore U1000 the field under test
	}
	hiddenNamed   struct{ Street string }
	namedEmbedded struct {
		A           string `dynamo:"a,pk"`
		hiddenNamed `dynamo:"addr"`
	}
	// Embedding an unexported struct type flattens its exported fields, as
	// in encoding/json; its unexported fields stay out unless tagged.
	hiddenBase struct {
		ID    string `dynamo:"id,pk"`
		Name  string `dynamo:"name"`
		notes string //lint:ignore U1000 untagged unexported: skipped
	}
	withHiddenBase struct {
		hiddenBase
		Extra string `dynamo:"extra"`
		skip  string `dynamo:"-"` //lint:ignore U1000 dynamo:"-" on an unexported field is fine
		plain int    //lint:ignore U1000 untagged unexported: skipped
	}
	badUTF8Name struct {
		A string `dynamo:"a\xff,pk"`
	}
)

func TestTaggedUnexportedField(t *testing.T) {
	for _, c := range []struct {
		typ   reflect.Type
		field string
	}{
		{reflect.TypeFor[taggedUnexported](), "b"},
		{reflect.TypeFor[taggedUnexportedOpts](), "b"},
		{reflect.TypeFor[namedEmbedded](), "hiddenNamed"},
	} {
		_, err := Build(c.typ)
		var se *Error
		if !errors.As(err, &se) || se.Field != c.field || !strings.Contains(se.Msg, "unexported") {
			t.Errorf("%s: got %v, want a *Error naming unexported field %s", c.typ, err, c.field)
		}
	}
	m, err := Build(reflect.TypeFor[withHiddenBase]())
	if err != nil {
		t.Fatal(err)
	}
	var names []string
	for _, f := range m.Fields {
		names = append(names, f.Name)
	}
	if got := strings.Join(names, ","); got != "id,name,extra" || m.PK.Name != "id" {
		t.Fatalf("fields %s (pk %s), want id,name,extra", got, m.PK.Name)
	}
}

func TestInvalidUTF8AttributeName(t *testing.T) {
	_, err := Build(reflect.TypeFor[badUTF8Name]())
	var se *Error
	if !errors.As(err, &se) || se.Field != "A" || !strings.Contains(se.Msg, "UTF-8") {
		t.Fatalf("got %v, want a *Error about UTF-8", err)
	}
}

func TestTemplateUTF8(t *testing.T) {
	m := tmplTestModel(t)
	tp, err := ParseTemplate(m, "sk", "S#{OrderID}#{Plain}")
	if err != nil {
		t.Fatal(err)
	}
	for _, texts := range [][]string{{"a\xff", "b"}, {"a", "b\xfe"}} {
		if _, err := tp.Format(texts); err == nil || !strings.Contains(err.Error(), "UTF-8") {
			t.Errorf("Format(%q) = %v, want a UTF-8 error", texts, err)
		}
		if tp.Matches("S#" + texts[0] + "#" + texts[1]) {
			t.Errorf("Matches(%q) = true", texts)
		}
	}
	if _, err := tp.Prefix([]string{"a", "b\xff"}, true); err == nil {
		t.Error("an open prefix with invalid UTF-8 was accepted")
	}
	if _, err := tp.Format([]string{"ü", "😀"}); err != nil {
		t.Fatal(err)
	}
}

// shopTemplates are the sort key templates of the single-table shape
// (customer profile, order, order line), with each one's literals
// forbidden to the others as a Poly sets them.
func shopTemplates(t testing.TB) (profile, order, line *Template) {
	m, err := Build(reflect.TypeFor[tmplModel]())
	if err != nil {
		t.Fatal(err)
	}
	var tpls []*Template
	for _, s := range []string{"PROFILE", "ORDER#{Placed}#{OrderID}", "ORDER#{Placed}#{OrderID}#LINE#{Line:3}"} {
		tp, err := ParseTemplate(m, "sk", s)
		if err != nil {
			t.Fatal(err)
		}
		tpls = append(tpls, tp)
	}
	for i, tp := range tpls {
		var lits, from []string
		for j, o := range tpls {
			if j == i {
				continue
			}
			for _, p := range o.Parts {
				if p.Kind == PartLiteral {
					lits, from = append(lits, p.Lit), append(from, o.Text)
				}
			}
		}
		tp.Forbid(lits, from)
	}
	return tpls[0], tpls[1], tpls[2]
}

func TestTemplateForbid(t *testing.T) {
	profile, order, line := shopTemplates(t)
	placed := "2024-05-01T10:00:00.000000000Z"
	lineKey, err := line.Format([]string{placed, "A17", "001"})
	if err != nil {
		t.Fatal(err)
	}
	// The order ID that would spell line 1 of order A17 is refused, and
	// the line's key is not an order key.
	if _, err := order.Format([]string{placed, "A17#LINE#001"}); err == nil || !strings.Contains(err.Error(), "#LINE#") && !strings.Contains(err.Error(), `"#"`) {
		t.Fatalf("order ID spelling a line key: %v", err)
	}
	if order.Matches(lineKey) {
		t.Fatalf("the line key %q matches the order template", lineKey)
	}
	if !line.Matches(lineKey) {
		t.Fatalf("the line key %q does not match its own template", lineKey)
	}
	orderKey, err := order.Format([]string{placed, "A17"})
	if err != nil || line.Matches(orderKey) || !order.Matches(orderKey) || profile.Matches(orderKey) {
		t.Fatalf("order key %q: %v", orderKey, err)
	}
	// A forbidden literal overlapping the field's start counts too
	// ("ORDER#" would need the "#" before the field: refused by "#" anyway).
	for _, id := range []string{"x#y", "#", "PROFILE", "a-PROFILE-b"} {
		if _, err := order.Format([]string{placed, id}); err == nil {
			t.Errorf("order ID %q accepted", id)
		}
	}
	// The template's own literals before the last field do not count.
	if !order.Matches("ORDER#" + placed + "#ORDER") {
		t.Error("an order ID equal to a literal's start was refused")
	}
	// Without Forbid nothing changes (a plain table's only template).
	m := tmplTestModel(t)
	plain, _ := ParseTemplate(m, "sk", "ORDER#{Placed}#{OrderID}")
	if _, err := plain.Format([]string{placed, "A17#LINE#001"}); err != nil {
		t.Fatal(err)
	}
	// Straddling: "A{OrderID}" must not make "A#B" with "#B..." when "A#B"
	// is another template's literal.
	a, _ := ParseTemplate(m, "sk", "A{OrderID}")
	a.Forbid([]string{"A#B"}, []string{"A#B{Line:1}"})
	if _, err := a.Format([]string{"#B1"}); err == nil {
		t.Error("a last field completing another template's literal was accepted")
	}
	if a.Matches("A#B1") {
		t.Error("Matches accepted a key Format refuses")
	}
}

func TestTemplateMatches(t *testing.T) {
	m := tmplTestModel(t)
	tp, err := ParseTemplate(m, "sk", "L#{Line:3}#{Placed}#{OrderID}")
	if err != nil {
		t.Fatal(err)
	}
	placed := time.Date(2024, 5, 1, 10, 0, 0, 0, time.UTC).Format("2006-01-02T15:04:05.000000000Z")
	for key, want := range map[string]bool{
		"L#007#" + placed + "#A1":                 true,
		"L#07a#" + placed + "#A1":                 false, // not digits
		"L#007#2024-05-01 10:00:00.000000000Z#A1": false, // not the time layout
		"L#007#" + placed + "#":                   false, // empty
		"L#007#" + placed:                         false,
		"L#007#" + placed + "#A\xff":              false,
	} {
		if got := tp.Matches(key); got != want {
			t.Errorf("Matches(%q) = %v, want %v", key, got, want)
		}
	}
}

// FuzzTemplateSiblings checks the two facts the Poly key checks rest on,
// for the single-table templates with their literals forbidden to each
// other: whatever Format writes, Matches accepts (and Parse gives back);
// whatever Matches accepts, Format writes back identically. And that the
// nesting works: no order key is a line key and no line key an order key.
func FuzzTemplateSiblings(f *testing.F) {
	profile, order, line := shopTemplates(f)
	tpls := []*Template{profile, order, line}
	placed := "2024-05-01T10:00:00.000000000Z"
	f.Add(placed, "A17", "001", "ORDER#"+placed+"#A17#LINE#001")
	f.Add(placed, "A17#LINE#001", "002", "ORDER#"+placed+"#A17")
	f.Add("2024-05-01T10:00:00.000000000Z", "a#", "abc", "PROFILE")
	f.Fuzz(func(t *testing.T, ts, id, n, key string) {
		for _, tp := range tpls {
			texts := []string{ts, id, n}[:tp.NumFields()]
			if s, err := tp.Format(texts); err == nil {
				back, perr := tp.Parse(s, nil)
				if !tp.Matches(s) || perr != nil || !slices.Equal(back, texts) {
					t.Fatalf("%s: Format(%q) = %q: Matches false or Parse %q, %v", tp.Text, texts, s, back, perr)
				}
			}
			if tp.Matches(key) {
				got, err := tp.Parse(key, nil)
				if err != nil {
					t.Fatalf("%s: Matches(%q) but Parse: %v", tp.Text, key, err)
				}
				if s, err := tp.Format(got); err != nil || s != key {
					t.Fatalf("%s: Matches(%q) but Format(%q) = %q, %v", tp.Text, key, got, s, err)
				}
			}
		}
		if s, err := line.Format([]string{ts, id, n}); err == nil && order.Matches(s) {
			t.Fatalf("line key %q matches the order template", s)
		}
		if s, err := order.Format([]string{ts, id}); err == nil && line.Matches(s) {
			t.Fatalf("order key %q matches the line template", s)
		}
	})
}
