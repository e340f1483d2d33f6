package expr

import (
	"errors"
	"strings"
	"testing"
)

func name(s string) PathElem { return PathElem{Name: s} }
func index(i int) PathElem   { return PathElem{Index: i, IsIndex: true} }

func TestParsePath(t *testing.T) {
	tests := []struct {
		in   string
		want Path
		str  string // String() when it differs from in
	}{
		{in: "a", want: Path{name("a")}},
		{in: "a.b", want: Path{name("a"), name("b")}},
		{in: "a.b[2].c", want: Path{name("a"), name("b"), index(2), name("c")}},
		{in: "a[0]", want: Path{name("a"), index(0)}},
		{in: "a[1][2]", want: Path{name("a"), index(1), index(2)}},
		{in: "a[10].b[3][4].c", want: Path{name("a"), index(10), name("b"), index(3), index(4), name("c")}},
		{in: "a[007]", want: Path{name("a"), index(7)}, str: "a[7]"},
		{in: "a[2147483647]", want: Path{name("a"), index(MaxIndex)}},
		{in: "name.size.status", want: Path{name("name"), name("size"), name("status")}},
		{in: "with space.x-y", want: Path{name("with space"), name("x-y")}},
		{in: "#n0.:v0", want: Path{name("#n0"), name(":v0")}},
		{in: "ünï.cödé", want: Path{name("ünï"), name("cödé")}},
	}
	for _, tt := range tests {
		t.Run(tt.in, func(t *testing.T) {
			got, err := ParsePath(tt.in)
			if err != nil {
				t.Fatalf("ParsePath(%q): %v", tt.in, err)
			}
			if !got.Equal(tt.want) {
				t.Fatalf("ParsePath(%q) = %#v, want %#v", tt.in, got, tt.want)
			}
			str := tt.str
			if str == "" {
				str = tt.in
			}
			if s := got.String(); s != str {
				t.Errorf("String() = %q, want %q", s, str)
			}
			if top := got.Top(); top != tt.want[0].Name {
				t.Errorf("Top() = %q, want %q", top, tt.want[0].Name)
			}
		})
	}
}

func TestParsePathErrors(t *testing.T) {
	tests := []struct {
		in  string
		pos int
	}{
		{"", 0},
		{".a", 0},
		{"a.", 2},
		{"a..b", 2},
		{"a[", 2},
		{"a[1", 3},
		{"a[]", 2},
		{"a[x]", 2},
		{"a[1x]", 3},
		{"a[-1]", 2},
		{"a[+1]", 2},
		{"a[ 1]", 2},
		{"[1]", 0},
		{"[", 0},
		{"]", 0},
		{"a]", 1},
		{"a.]", 2},
		{"a.[1]", 2},
		{"a[1]b", 4},
		{"a[1]]", 4},
		{"a[1].", 5},
		{"a[2147483648]", 2},
		{"a[99999999999999999999999999]", 2},
	}
	for _, tt := range tests {
		t.Run(tt.in, func(t *testing.T) {
			p, err := ParsePath(tt.in)
			if err == nil {
				t.Fatalf("ParsePath(%q) = %#v, want error", tt.in, p)
			}
			var pe *PathError
			if !errors.As(err, &pe) {
				t.Fatalf("ParsePath(%q) error %T, want *PathError", tt.in, err)
			}
			if pe.Path != tt.in || pe.Pos != tt.pos || pe.Msg == "" {
				t.Errorf("ParsePath(%q) error = %+v, want Path %q Pos %d", tt.in, pe, tt.in, tt.pos)
			}
			if p != nil {
				t.Errorf("ParsePath(%q) returned a path with its error", tt.in)
			}
		})
	}
}

func TestErrorMessages(t *testing.T) {
	_, err := ParsePath("a..b")
	if got, want := err.Error(), `invalid attribute path "a..b": empty name at offset 2`; got != want {
		t.Errorf("PathError = %q, want %q", got, want)
	}
	cause := errors.New("not a number")
	ve := &ValueError{Path: Path{name("price")}, Op: OpGe, Err: cause}
	if got, want := ve.Error(), `attribute "price": not a number`; got != want {
		t.Errorf("ValueError = %q, want %q", got, want)
	}
	ce := &CondError{Op: OpBeginsWith, Err: ErrNeedPath}
	if got, want := ce.Error(), "invalid condition: begins_with: operand must be an attribute path"; got != want {
		t.Errorf("CondError = %q, want %q", got, want)
	}
}

func TestNamePath(t *testing.T) {
	p := NamePath("a.b[1]")
	if len(p) != 1 || p[0].Name != "a.b[1]" || p[0].IsIndex {
		t.Fatalf("NamePath = %#v", p)
	}
	if p.Top() != "a.b[1]" || p.String() != "a.b[1]" {
		t.Errorf("Top/String = %q/%q", p.Top(), p.String())
	}
}

func TestPathTopAndStringEdges(t *testing.T) {
	if (Path{}).Top() != "" || (Path{index(1)}).Top() != "" {
		t.Error("Top of an empty or index-first path should be empty")
	}
	if s := (Path{}).String(); s != "" {
		t.Errorf("String of empty path = %q", s)
	}
	if s := (Path{index(3), name("x")}).String(); s != "[3].x" {
		t.Errorf("String = %q", s)
	}
}

func FuzzParsePath(f *testing.F) {
	for _, s := range []string{
		"a", "a.b", "a.b[2].c", "a[1][2]", "a[007]", "", ".a", "a.", "a..b", "a[", "a[]",
		"a[x]", "a[-1]", "[1]", "a]", "a[1]b", "a[2147483648]", "ü.ß[3]", "a b.c\x00d",
	} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		p, err := ParsePath(s)
		if err != nil {
			var pe *PathError
			if !errors.As(err, &pe) || pe.Path != s || pe.Pos < 0 || pe.Pos > len(s) {
				t.Fatalf("ParsePath(%q): bad error %#v", s, err)
			}
			return
		}
		if !p.valid() {
			t.Fatalf("ParsePath(%q) accepted an invalid path %#v", s, p)
		}
		str := p.String()
		q, err := ParsePath(str)
		if err != nil {
			t.Fatalf("ParsePath(%q).String() = %q does not re-parse: %v", s, str, err)
		}
		if !q.Equal(p) {
			t.Fatalf("round trip of %q: %#v != %#v", s, q, p)
		}
		// Only leading zeros in indexes may change the text.
		if !strings.Contains(s, "[0") && str != s {
			t.Fatalf("ParsePath(%q).String() = %q", s, str)
		}
		for _, e := range p {
			if e.IsIndex && (e.Index < 0 || e.Index > MaxIndex) {
				t.Fatalf("index out of range: %d", e.Index)
			}
			if !e.IsIndex && strings.ContainsAny(e.Name, ".[]") {
				t.Fatalf("name %q holds a separator", e.Name)
			}
		}
	})
}
