package expr

import (
	"errors"
	"reflect"
	"strconv"
	"strings"
	"testing"

	"github.com/aws/aws-sdk-go-v2/service/dynamodb/types"
)

var errUnsupported = errors.New("unsupported value")

// testEncode turns int into N and string into S.
func testEncode(_ Path, _ Op, v any) (types.AttributeValue, error) {
	switch v := v.(type) {
	case int:
		return &types.AttributeValueMemberN{Value: strconv.Itoa(v)}, nil
	case string:
		return &types.AttributeValueMemberS{Value: v}, nil
	}
	return nil, errUnsupported
}

func mustPath(s string) Path {
	p, err := ParsePath(s)
	if err != nil {
		panic(err)
	}
	return p
}

func attr(s string) Operand                     { return Operand{Path: mustPath(s)} }
func size(s string) Operand                     { return Operand{Path: mustPath(s), Size: true} }
func val(v any) Operand                         { return Operand{Value: v, IsValue: true} }
func num(s string) *types.AttributeValueMemberN { return &types.AttributeValueMemberN{Value: s} }
func str(s string) *types.AttributeValueMemberS { return &types.AttributeValueMemberS{Value: s} }

func leaf(op Op, args ...Operand) *Cond { return &Cond{Op: op, Args: args} }
func and(subs ...*Cond) *Cond           { return &Cond{Op: OpAnd, Subs: subs} }
func or(subs ...*Cond) *Cond            { return &Cond{Op: OpOr, Subs: subs} }
func not(subs ...*Cond) *Cond           { return &Cond{Op: OpNot, Subs: subs} }
func eq(path string, v any) *Cond       { return leaf(OpEq, attr(path), val(v)) }
func exists(path string) *Cond          { return leaf(OpExists, attr(path)) }

type names = map[string]string
type values = map[string]types.AttributeValue

// TestGolden compiles builder input and checks the exact expression texts,
// names and values. Each case's inputs go through ONE Builder, in order: a
// *Cond through Cond, a []Path through Projection, a Path through Name.
func TestGolden(t *testing.T) {
	tests := []struct {
		name   string
		in     []any
		want   []string
		names  names
		values values
	}{
		{"eq", []any{eq("a", 1)},
			[]string{"#n0 = :v0"}, names{"#n0": "a"}, values{":v0": num("1")}},
		{"eq string", []any{eq("a", "x")},
			[]string{"#n0 = :v0"}, names{"#n0": "a"}, values{":v0": str("x")}},
		{"ne", []any{leaf(OpNe, attr("a"), val(1))},
			[]string{"#n0 <> :v0"}, names{"#n0": "a"}, values{":v0": num("1")}},
		{"lt", []any{leaf(OpLt, attr("a"), val(1))},
			[]string{"#n0 < :v0"}, names{"#n0": "a"}, values{":v0": num("1")}},
		{"le", []any{leaf(OpLe, attr("a"), val(1))},
			[]string{"#n0 <= :v0"}, names{"#n0": "a"}, values{":v0": num("1")}},
		{"gt", []any{leaf(OpGt, attr("a"), val(1))},
			[]string{"#n0 > :v0"}, names{"#n0": "a"}, values{":v0": num("1")}},
		{"ge", []any{leaf(OpGe, attr("a"), val(1))},
			[]string{"#n0 >= :v0"}, names{"#n0": "a"}, values{":v0": num("1")}},
		{"between", []any{leaf(OpBetween, attr("a"), val(1), val(9))},
			[]string{"#n0 BETWEEN :v0 AND :v1"}, names{"#n0": "a"}, values{":v0": num("1"), ":v1": num("9")}},
		{"in", []any{leaf(OpIn, attr("a"), val(1), val(2))},
			[]string{"#n0 IN (:v0, :v1)"}, names{"#n0": "a"}, values{":v0": num("1"), ":v1": num("2")}},
		{"in one value", []any{leaf(OpIn, attr("a"), val("x"))},
			[]string{"#n0 IN (:v0)"}, names{"#n0": "a"}, values{":v0": str("x")}},
		{"in with attribute", []any{leaf(OpIn, attr("a"), val(1), attr("b"))},
			[]string{"#n0 IN (:v0, #n1)"}, names{"#n0": "a", "#n1": "b"}, values{":v0": num("1")}},
		{"begins_with", []any{leaf(OpBeginsWith, attr("sk"), val("2024-05"))},
			[]string{"begins_with(#n0, :v0)"}, names{"#n0": "sk"}, values{":v0": str("2024-05")}},
		{"contains", []any{leaf(OpContains, attr("tags"), val("red"))},
			[]string{"contains(#n0, :v0)"}, names{"#n0": "tags"}, values{":v0": str("red")}},
		{"contains attribute", []any{leaf(OpContains, attr("tags"), attr("fav"))},
			[]string{"contains(#n0, #n1)"}, names{"#n0": "tags", "#n1": "fav"}, nil},
		{"exists", []any{exists("a")},
			[]string{"attribute_exists(#n0)"}, names{"#n0": "a"}, nil},
		{"not exists", []any{leaf(OpNotExists, attr("a"))},
			[]string{"attribute_not_exists(#n0)"}, names{"#n0": "a"}, nil},
		{"attribute_type", []any{leaf(OpIsType, attr("a"), val("NS"))},
			[]string{"attribute_type(#n0, :v0)"}, names{"#n0": "a"}, values{":v0": str("NS")}},
		{"nested path", []any{eq("a.b[2].c", 1)},
			[]string{"#n0.#n1[2].#n2 = :v0"}, names{"#n0": "a", "#n1": "b", "#n2": "c"}, values{":v0": num("1")}},
		{"repeated name in a path", []any{eq("a.b.a[0][1]", 1)},
			[]string{"#n0.#n1.#n0[0][1] = :v0"}, names{"#n0": "a", "#n1": "b"}, values{":v0": num("1")}},
		{"attribute to attribute", []any{leaf(OpGt, attr("a"), attr("b.c"))},
			[]string{"#n0 > #n1.#n2"}, names{"#n0": "a", "#n1": "b", "#n2": "c"}, nil},
		{"size left", []any{leaf(OpGt, size("a"), val(3))},
			[]string{"size(#n0) > :v0"}, names{"#n0": "a"}, values{":v0": num("3")}},
		{"size right", []any{leaf(OpLt, attr("a"), size("b[1]"))},
			[]string{"#n0 < size(#n1[1])"}, names{"#n0": "a", "#n1": "b"}, nil},
		{"size both", []any{leaf(OpEq, size("a"), size("b"))},
			[]string{"size(#n0) = size(#n1)"}, names{"#n0": "a", "#n1": "b"}, nil},
		{"size between", []any{leaf(OpBetween, size("a"), val(1), val(5))},
			[]string{"size(#n0) BETWEEN :v0 AND :v1"}, names{"#n0": "a"}, values{":v0": num("1"), ":v1": num("5")}},
		{"value on the left", []any{leaf(OpLt, val(1), attr("a"))},
			[]string{":v0 < #n0"}, names{"#n0": "a"}, values{":v0": num("1")}},
		{"reserved words", []any{and(eq("name", "x"), eq("size", 1), exists("status"))},
			[]string{"#n0 = :v0 AND #n1 = :v1 AND attribute_exists(#n2)"},
			names{"#n0": "name", "#n1": "size", "#n2": "status"}, values{":v0": str("x"), ":v1": num("1")}},
		{"and", []any{and(leaf(OpGe, attr("rating"), val(8)), leaf(OpNotExists, attr("deleted")))},
			[]string{"#n0 >= :v0 AND attribute_not_exists(#n1)"}, names{"#n0": "rating", "#n1": "deleted"}, values{":v0": num("8")}},
		{"and flattened", []any{and(and(eq("a", 1), eq("b", 2)), eq("c", 3), and(eq("d", 4), and(eq("e", 5))))},
			[]string{"#n0 = :v0 AND #n1 = :v1 AND #n2 = :v2 AND #n3 = :v3 AND #n4 = :v4"},
			names{"#n0": "a", "#n1": "b", "#n2": "c", "#n3": "d", "#n4": "e"},
			values{":v0": num("1"), ":v1": num("2"), ":v2": num("3"), ":v3": num("4"), ":v4": num("5")}},
		{"or flattened", []any{or(eq("a", 1), or(or(eq("b", 2), eq("c", 3))))},
			[]string{"#n0 = :v0 OR #n1 = :v1 OR #n2 = :v2"},
			names{"#n0": "a", "#n1": "b", "#n2": "c"}, values{":v0": num("1"), ":v1": num("2"), ":v2": num("3")}},
		{"or inside and", []any{and(or(eq("a", 1), eq("b", 2)), leaf(OpGt, attr("c"), val(3)))},
			[]string{"(#n0 = :v0 OR #n1 = :v1) AND #n2 > :v2"},
			names{"#n0": "a", "#n1": "b", "#n2": "c"}, values{":v0": num("1"), ":v1": num("2"), ":v2": num("3")}},
		{"and inside or", []any{or(and(eq("a", 1), eq("b", 2)), eq("c", 3))},
			[]string{"(#n0 = :v0 AND #n1 = :v1) OR #n2 = :v2"},
			names{"#n0": "a", "#n1": "b", "#n2": "c"}, values{":v0": num("1"), ":v1": num("2"), ":v2": num("3")}},
		{"single sub", []any{and(exists("a")), or(and(or(exists("b"))))},
			[]string{"attribute_exists(#n0)", "attribute_exists(#n1)"}, names{"#n0": "a", "#n1": "b"}, nil},
		{"single-sub chain ends in a junction", []any{and(or(and(exists("a"), exists("b"))))},
			[]string{"attribute_exists(#n0) AND attribute_exists(#n1)"}, names{"#n0": "a", "#n1": "b"}, nil},
		{"single-sub or flattens into and", []any{and(exists("a"), or(and(exists("b"), exists("c"))))},
			[]string{"attribute_exists(#n0) AND attribute_exists(#n1) AND attribute_exists(#n2)"},
			names{"#n0": "a", "#n1": "b", "#n2": "c"}, nil},
		{"not function", []any{not(exists("a")), not(leaf(OpBeginsWith, attr("b"), val("x")))},
			[]string{"NOT attribute_exists(#n0)", "NOT begins_with(#n1, :v0)"},
			names{"#n0": "a", "#n1": "b"}, values{":v0": str("x")}},
		{"not comparison", []any{not(eq("a", 1))},
			[]string{"NOT (#n0 = :v0)"}, names{"#n0": "a"}, values{":v0": num("1")}},
		{"not and", []any{not(and(eq("a", 1), eq("b", 2)))},
			[]string{"NOT (#n0 = :v0 AND #n1 = :v1)"}, names{"#n0": "a", "#n1": "b"}, values{":v0": num("1"), ":v1": num("2")}},
		{"not single-sub or of a function", []any{not(or(exists("a")))},
			[]string{"NOT attribute_exists(#n0)"}, names{"#n0": "a"}, nil},
		{"not not", []any{not(not(exists("a")))},
			[]string{"NOT (NOT attribute_exists(#n0))"}, names{"#n0": "a"}, nil},
		{"not inside and", []any{and(not(eq("a", 1)), eq("b", 2))},
			[]string{"NOT (#n0 = :v0) AND #n1 = :v1"}, names{"#n0": "a", "#n1": "b"}, values{":v0": num("1"), ":v1": num("2")}},
		{"deep mix", []any{or(and(eq("a", 1), not(or(eq("b", 2), eq("c", 3)))), eq("d", 4))},
			[]string{"(#n0 = :v0 AND NOT (#n1 = :v1 OR #n2 = :v2)) OR #n3 = :v3"},
			names{"#n0": "a", "#n1": "b", "#n2": "c", "#n3": "d"},
			values{":v0": num("1"), ":v1": num("2"), ":v2": num("3"), ":v3": num("4")}},
		{"between and in inside and", []any{and(leaf(OpBetween, attr("a"), val(1), val(2)), leaf(OpIn, attr("b"), val(3), val(4)))},
			[]string{"#n0 BETWEEN :v0 AND :v1 AND #n1 IN (:v2, :v3)"}, names{"#n0": "a", "#n1": "b"},
			values{":v0": num("1"), ":v1": num("2"), ":v2": num("3"), ":v3": num("4")}},
		{"depth-first order and name reuse", []any{or(and(eq("a", 1), eq("b", 2)), and(eq("c", 3), eq("a", 4)))},
			[]string{"(#n0 = :v0 AND #n1 = :v1) OR (#n2 = :v2 AND #n0 = :v3)"},
			names{"#n0": "a", "#n1": "b", "#n2": "c"},
			values{":v0": num("1"), ":v1": num("2"), ":v2": num("3"), ":v3": num("4")}},
		{"condition then projection", []any{and(eq("a", 1), exists("b.c")), []Path{mustPath("b"), mustPath("a"), mustPath("d.c"), mustPath("e[1]")}},
			[]string{"#n0 = :v0 AND attribute_exists(#n1.#n2)", "#n1, #n0, #n3.#n2, #n4[1]"},
			names{"#n0": "a", "#n1": "b", "#n2": "c", "#n3": "d", "#n4": "e"}, values{":v0": num("1")}},
		{"key condition then filter", []any{and(eq("pk", "u1"), leaf(OpBeginsWith, attr("sk"), val("o#"))), leaf(OpGt, attr("total"), val(10)), Path{name("pk")}},
			[]string{"#n0 = :v0 AND begins_with(#n1, :v1)", "#n2 > :v2", "#n0"},
			names{"#n0": "pk", "#n1": "sk", "#n2": "total"}, values{":v0": str("u1"), ":v1": str("o#"), ":v2": num("10")}},
		{"name with a dot via NamePath", []any{leaf(OpEq, Operand{Path: NamePath("a.b")}, val(1)), eq("a.b", 2), []Path{NamePath("a.b")}},
			[]string{"#n0 = :v0", "#n1.#n2 = :v1", "#n0"},
			names{"#n0": "a.b", "#n1": "a", "#n2": "b"}, values{":v0": num("1"), ":v1": num("2")}},
		{"name", []any{mustPath("x.y[3]"), mustPath("y"), NamePath("z")},
			[]string{"#n0.#n1[3]", "#n1", "#n2"}, names{"#n0": "x", "#n1": "y", "#n2": "z"}, nil},
		{"empty projection", []any{[]Path(nil)}, []string{""}, nil, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			b := Builder{Encode: testEncode}
			var got []string
			for _, in := range tt.in {
				switch in := in.(type) {
				case *Cond:
					s, err := b.Cond(in)
					if err != nil {
						t.Fatalf("Cond: %v", err)
					}
					got = append(got, s)
				case []Path:
					got = append(got, b.Projection(in))
				case Path:
					got = append(got, b.Name(in))
				default:
					t.Fatalf("bad input %T", in)
				}
			}
			if !reflect.DeepEqual(got, tt.want) {
				t.Errorf("text:\n got %q\nwant %q", got, tt.want)
			}
			if gotNames := b.Names(); !reflect.DeepEqual(gotNames, tt.names) {
				t.Errorf("names:\n got %v\nwant %v", gotNames, tt.names)
			}
			if gotValues := b.Values(); !reflect.DeepEqual(gotValues, tt.values) {
				t.Errorf("values:\n got %#v\nwant %#v", gotValues, tt.values)
			}

			// Deterministic: a fresh Builder yields the same text again.
			b2 := Builder{Encode: testEncode}
			for i, in := range tt.in {
				if c, ok := in.(*Cond); ok {
					if s, _ := b2.Cond(c); s != tt.want[i] {
						t.Errorf("second compile of input %d = %q, want %q", i, s, tt.want[i])
					}
				} else {
					break
				}
			}
		})
	}
}

// TestManyPlaceholders goes past the precomputed placeholders and past the
// linear name lookup.
func TestManyPlaceholders(t *testing.T) {
	const n = 70
	subs := make([]*Cond, n)
	var want strings.Builder
	for i := range subs {
		subs[i] = eq("a"+strconv.Itoa(i), i)
		if i > 0 {
			want.WriteString(" OR ")
		}
		want.WriteString("#n" + strconv.Itoa(i) + " = :v" + strconv.Itoa(i))
	}
	b := Builder{Encode: testEncode}
	got, err := b.Cond(or(subs...))
	if err != nil {
		t.Fatal(err)
	}
	if got != want.String() {
		t.Errorf("text:\n got %q\nwant %q", got, want.String())
	}
	names, values := b.Names(), b.Values()
	if len(names) != n || len(values) != n {
		t.Fatalf("got %d names, %d values, want %d each", len(names), len(values), n)
	}
	if names["#n65"] != "a65" || !reflect.DeepEqual(values[":v69"], num("69")) {
		t.Errorf("#n65 = %q, :v69 = %#v", names["#n65"], values[":v69"])
	}
	if s := b.Name(mustPath("a3.a66[2]")); s != "#n3.#n66[2]" {
		t.Errorf("Name after the index was built = %q", s)
	}
	if s := b.Name(NamePath("new")); s != "#n70" {
		t.Errorf("new name = %q, want #n70", s)
	}
	if s := b.Value(num("1")); s != ":v70" {
		t.Errorf("Value = %q, want :v70", s)
	}

	// IN accepts exactly 100 values.
	args := []Operand{attr("x")}
	for i := range MaxInValues {
		args = append(args, val(i))
	}
	b = Builder{Encode: testEncode}
	got, err = b.Cond(leaf(OpIn, args...))
	if err != nil {
		t.Fatal(err)
	}
	if !strings.HasPrefix(got, "#n0 IN (:v0, :v1, ") || !strings.HasSuffix(got, ", :v99)") || len(b.Values()) != 100 {
		t.Errorf("IN with 100 values = %q", got)
	}
}

func TestValueNoDedupe(t *testing.T) {
	var b Builder
	av := num("1")
	if a, c := b.Value(av), b.Value(av); a != ":v0" || c != ":v1" {
		t.Errorf("Value twice = %q, %q", a, c)
	}
	if b.Names() != nil {
		t.Error("Names should be nil when empty")
	}
	if got := b.Values(); len(got) != 2 || got[":v0"] != av || got[":v1"] != av {
		t.Errorf("Values = %v", got)
	}
}

func TestNameAndProjectionSkipInvalidPaths(t *testing.T) {
	var b Builder
	if s := b.Name(nil); s != "" {
		t.Errorf("Name(nil) = %q", s)
	}
	if s := b.Name(Path{index(1)}); s != "" {
		t.Errorf("Name(index-first) = %q", s)
	}
	if s := b.Projection([]Path{nil, mustPath("a"), NamePath(""), mustPath("b")}); s != "#n0, #n1" {
		t.Errorf("Projection = %q", s)
	}
	if b.Values() != nil {
		t.Error("Values should be nil when empty")
	}
}

// TestEncoderArguments checks the path and op the encoder is given.
func TestEncoderArguments(t *testing.T) {
	type call struct {
		path string
		op   Op
		v    any
	}
	tests := []struct {
		name string
		cond *Cond
		want []call
	}{
		{"eq", eq("a.b[1]", 1), []call{{"a.b[1]", OpEq, 1}}},
		{"value left", leaf(OpLt, val(1), attr("a")), []call{{"", OpLt, 1}}},
		{"size left", leaf(OpGt, size("a"), val(3)), []call{{"", OpGt, 3}}},
		{"between", leaf(OpBetween, attr("a"), val(1), val(2)), []call{{"a", OpBetween, 1}, {"a", OpBetween, 2}}},
		{"in", leaf(OpIn, attr("a"), val("x"), val("y")), []call{{"a", OpIn, "x"}, {"a", OpIn, "y"}}},
		{"contains", leaf(OpContains, attr("tags"), val("t")), []call{{"tags", OpContains, "t"}}},
		{"begins_with", leaf(OpBeginsWith, attr("s"), val("p")), []call{{"s", OpBeginsWith, "p"}}},
		{"attribute_type is not encoded", leaf(OpIsType, attr("a"), val("S")), nil},
		{"order", and(eq("a", 1), not(eq("b", 2))), []call{{"a", OpEq, 1}, {"b", OpEq, 2}}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var got []call
			b := Builder{Encode: func(p Path, op Op, v any) (types.AttributeValue, error) {
				got = append(got, call{p.String(), op, v})
				return testEncode(p, op, v)
			}}
			if _, err := b.Cond(tt.cond); err != nil {
				t.Fatal(err)
			}
			if !reflect.DeepEqual(got, tt.want) {
				t.Errorf("calls = %v, want %v", got, tt.want)
			}
		})
	}
}

func TestCondErrors(t *testing.T) {
	many := []Operand{attr("a")}
	for i := range MaxInValues + 1 {
		many = append(many, val(i))
	}
	errEncode := errors.New("boom")
	failing := func(Path, Op, any) (types.AttributeValue, error) { return nil, errEncode }
	nilEncoder := func(Path, Op, any) (types.AttributeValue, error) { return nil, nil }
	deep := exists("a")
	for range MaxDepth + 1 {
		deep = not(deep)
	}
	cyclic := &Cond{Op: OpAnd}
	cyclic.Subs = []*Cond{cyclic, cyclic}

	tests := []struct {
		name   string
		cond   *Cond
		encode ValueEncoder // testEncode when nil, unless noEncoder
		noEnc  bool
		want   error
		path   string // for a *ValueError: its path
	}{
		{name: "nil cond", cond: nil, want: ErrNilCond},
		{name: "nil sub", cond: and(exists("a"), nil), want: ErrNilCond},
		{name: "nil not sub", cond: not(nil), want: ErrNilCond},
		{name: "zero op", cond: &Cond{Args: []Operand{attr("a")}}, want: ErrUnknownOp},
		{name: "unknown op", cond: &Cond{Op: 99, Args: []Operand{attr("a")}}, want: ErrUnknownOp},
		{name: "eq one arg", cond: leaf(OpEq, attr("a")), want: ErrArgCount},
		{name: "eq three args", cond: leaf(OpEq, attr("a"), val(1), val(2)), want: ErrArgCount},
		{name: "ge no args", cond: leaf(OpGe), want: ErrArgCount},
		{name: "between two args", cond: leaf(OpBetween, attr("a"), val(1)), want: ErrArgCount},
		{name: "begins_with one arg", cond: leaf(OpBeginsWith, attr("a")), want: ErrArgCount},
		{name: "contains three args", cond: leaf(OpContains, attr("a"), val(1), val(2)), want: ErrArgCount},
		{name: "exists two args", cond: leaf(OpExists, attr("a"), attr("b")), want: ErrArgCount},
		{name: "not_exists no args", cond: leaf(OpNotExists), want: ErrArgCount},
		{name: "attribute_type one arg", cond: leaf(OpIsType, attr("a")), want: ErrArgCount},
		{name: "in no args", cond: leaf(OpIn), want: ErrArgCount},
		{name: "in no values", cond: leaf(OpIn, attr("a")), want: ErrInCount},
		{name: "in 101 values", cond: leaf(OpIn, many...), want: ErrInCount},
		{name: "leaf with subs", cond: &Cond{Op: OpEq, Args: []Operand{attr("a"), val(1)}, Subs: []*Cond{exists("b")}}, want: ErrSubCount},
		{name: "not no subs", cond: not(), want: ErrSubCount},
		{name: "not two subs", cond: not(exists("a"), exists("b")), want: ErrSubCount},
		{name: "not with args", cond: &Cond{Op: OpNot, Args: []Operand{attr("a")}, Subs: []*Cond{exists("a")}}, want: ErrArgCount},
		{name: "and no subs", cond: and(), want: ErrSubCount},
		{name: "or no subs", cond: or(), want: ErrSubCount},
		{name: "nested empty or", cond: and(exists("a"), or()), want: ErrSubCount},
		{name: "and with args", cond: &Cond{Op: OpAnd, Args: []Operand{attr("a")}, Subs: []*Cond{exists("a"), exists("b")}}, want: ErrArgCount},
		{name: "empty path", cond: leaf(OpEq, Operand{}, val(1)), want: ErrEmptyPath},
		{name: "empty path right", cond: leaf(OpEq, attr("a"), Operand{}), want: ErrEmptyPath},
		{name: "empty path exists", cond: leaf(OpExists, Operand{}), want: ErrEmptyPath},
		{name: "empty path size", cond: leaf(OpGt, Operand{Size: true}, val(1)), want: ErrEmptyPath},
		{name: "empty name", cond: leaf(OpEq, Operand{Path: NamePath("")}, val(1)), want: ErrInvalidPath},
		{name: "index first", cond: leaf(OpExists, Operand{Path: Path{index(0)}}), want: ErrInvalidPath},
		{name: "negative index", cond: leaf(OpExists, Operand{Path: Path{name("a"), index(-1)}}), want: ErrInvalidPath},
		{name: "bad type code", cond: leaf(OpIsType, attr("a"), val("X")), want: ErrTypeCode},
		{name: "lowercase type code", cond: leaf(OpIsType, attr("a"), val("s")), want: ErrTypeCode},
		{name: "non-string type code", cond: leaf(OpIsType, attr("a"), val(1)), want: ErrTypeCode},
		{name: "type code as path", cond: leaf(OpIsType, attr("a"), attr("S")), want: ErrTypeCode},
		{name: "no encoder", cond: eq("a", 1), noEnc: true, want: ErrNoEncoder},
		{name: "no encoder deep", cond: and(exists("a"), not(leaf(OpIn, attr("b"), val(1)))), noEnc: true, want: ErrNoEncoder},
		{name: "encoder error", cond: leaf(OpGe, attr("price"), val(1)), encode: failing, want: errEncode, path: "price"},
		{name: "encoder error size", cond: leaf(OpGe, size("items"), val(1)), encode: failing, want: errEncode, path: "items"},
		{name: "encoder error value left", cond: leaf(OpGe, val(1), attr("price")), encode: failing, want: errEncode, path: "price"},
		{name: "unsupported value", cond: eq("price", 1.5), want: errUnsupported, path: "price"},
		{name: "encoder returns nil", cond: eq("price", 1), encode: nilEncoder, want: ErrNilEncoded, path: "price"},
		{name: "value in begins_with", cond: leaf(OpBeginsWith, val("a"), val("b")), want: ErrNeedPath},
		{name: "value in contains", cond: leaf(OpContains, val("a"), attr("b")), want: ErrNeedPath},
		{name: "value in exists", cond: leaf(OpExists, val("a")), want: ErrNeedPath},
		{name: "value in not_exists", cond: leaf(OpNotExists, val("a")), want: ErrNeedPath},
		{name: "value in attribute_type", cond: leaf(OpIsType, val("a"), val("S")), want: ErrNeedPath},
		{name: "size in begins_with", cond: leaf(OpBeginsWith, size("a"), val("b")), want: ErrNeedPath},
		{name: "size in exists", cond: leaf(OpExists, size("a")), want: ErrNeedPath},
		{name: "size of a value", cond: leaf(OpGt, Operand{Value: 1, IsValue: true, Size: true}, val(1)), want: ErrSizeOfValue},
		{name: "size of a value right", cond: leaf(OpGt, attr("a"), Operand{Value: 1, IsValue: true, Size: true}), want: ErrSizeOfValue},
		{name: "too deep", cond: deep, want: ErrTooDeep},
		{name: "cyclic", cond: cyclic, want: ErrTooDeep},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			b := Builder{Encode: tt.encode}
			if b.Encode == nil && !tt.noEnc {
				b.Encode = testEncode
			}
			// Something registered before: a failed call must leave it untouched.
			b.Name(mustPath("pre"))
			b.Value(num("0"))
			got, err := b.Cond(tt.cond)
			if err == nil {
				t.Fatalf("Cond = %q, want error %v", got, tt.want)
			}
			if got != "" {
				t.Errorf("Cond returned text %q with its error", got)
			}
			if !errors.Is(err, tt.want) {
				t.Fatalf("error %v, want errors.Is %v", err, tt.want)
			}
			if tt.path != "" {
				var ve *ValueError
				if !errors.As(err, &ve) {
					t.Fatalf("error %T, want *ValueError", err)
				}
				if ve.Path.String() != tt.path {
					t.Errorf("ValueError.Path = %q, want %q", ve.Path, tt.path)
				}
			} else {
				var ce *CondError
				if !errors.As(err, &ce) {
					t.Fatalf("error %T, want *CondError", err)
				}
			}
			if n, v := b.Names(), b.Values(); len(n) != 1 || len(v) != 1 {
				t.Errorf("after a failed Cond: names %v, values %v; want only the earlier ones", n, v)
			}
			// The Builder is still usable and continues where it was.
			b.Encode = testEncode
			if s, err := b.Cond(eq("z", 1)); err != nil || s != "#n1 = :v1" {
				t.Errorf("Cond after failure = %q, %v", s, err)
			}
		})
	}
}

// TestRollbackWithIndex covers rollback once names are looked up by map.
func TestRollbackWithIndex(t *testing.T) {
	b := Builder{Encode: testEncode}
	for i := range linearNames + 4 {
		b.Name(NamePath("a" + strconv.Itoa(i)))
	}
	_, err := b.Cond(and(eq("new1", 1), eq("a3", 2), leaf(OpIsType, attr("new2"), val("bad"))))
	if !errors.Is(err, ErrTypeCode) {
		t.Fatalf("err = %v", err)
	}
	if len(b.Names()) != linearNames+4 || b.Values() != nil {
		t.Fatalf("rollback left names %v values %v", b.Names(), b.Values())
	}
	s, err := b.Cond(and(eq("new2", 1), eq("a3", 2)))
	want := "#n" + strconv.Itoa(linearNames+4) + " = :v0 AND #n3 = :v1"
	if err != nil || s != want {
		t.Errorf("Cond = %q, %v; want %q", s, err, want)
	}
}

func TestOpString(t *testing.T) {
	for op, want := range map[Op]string{OpEq: "=", OpNe: "<>", OpIn: "IN", OpIsType: "attribute_type", OpNot: "NOT", 0: "Op(0)", 200: "Op(200)"} {
		if got := op.String(); got != want {
			t.Errorf("Op(%d).String() = %q, want %q", op, got, want)
		}
	}
}

// TestRollbackPastInline covers names and values held past the Builder's
// in-place storage (fewNames, fewValues): a failed Cond that registered
// some in place and some beyond leaves exactly the earlier ones, and later
// placeholders continue from there.
func TestRollbackPastInline(t *testing.T) {
	b := Builder{Encode: testEncode}
	var subs []*Cond
	for i := range fewNames - 2 {
		subs = append(subs, eq("a"+strconv.Itoa(i), i))
	}
	if _, err := b.Cond(and(subs...)); err != nil {
		t.Fatal(err)
	}
	names, values := b.Names(), b.Values()
	if len(names) != fewNames-2 || len(values) != fewNames-2 {
		t.Fatalf("names %v values %v", names, values)
	}
	_, err := b.Cond(and(eq("x1", 1), eq("x2", 2), eq("x3", 3), eq("x4", 4), leaf(OpIsType, attr("x5"), val("bad"))))
	if !errors.Is(err, ErrTypeCode) {
		t.Fatalf("err = %v", err)
	}
	if n, v := b.Names(), b.Values(); !reflect.DeepEqual(n, names) || !reflect.DeepEqual(v, values) {
		t.Fatalf("rollback left names %v values %v, want %v %v", n, v, names, values)
	}
	s, err := b.Cond(and(eq("y1", 1), eq("y2", 2), eq("y3", 3), eq("a0", 0)))
	want := "#n6 = :v6 AND #n7 = :v7 AND #n8 = :v8 AND #n0 = :v9"
	if err != nil || s != want {
		t.Fatalf("Cond = %q, %v; want %q", s, err, want)
	}
	n := b.Names()
	for i, w := range []string{"a0", "a5", "y1", "y2", "y3"} {
		ph := []string{"#n0", "#n5", "#n6", "#n7", "#n8"}[i]
		if n[ph] != w {
			t.Errorf("Names()[%s] = %q, want %q", ph, n[ph], w)
		}
	}
	if len(n) != 9 || len(b.Values()) != 10 {
		t.Errorf("names %v values %v", n, b.Values())
	}
}
