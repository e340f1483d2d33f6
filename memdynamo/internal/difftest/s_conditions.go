package difftest

import (
	"fmt"
	"strings"
)

// typed is one attribute of the fixture item: its name and value.
type typed struct {
	name string
	v    M
}

// fixture is one attribute of every type; operands equal to them.
var fixture = []typed{
	{"s", S("m")},
	{"n", N("5")},
	{"b", B([]byte("m"))},
	{"t", Bool(true)},
	{"z", Null()},
	{"l", List(S("a"), N("1"))},
	{"m", Map(M{"k": S("v")})},
	{"ss", SS("a", "b")},
	{"ns", NS("1", "2")},
	{"bs", BS([]byte("a"), []byte("b"))},
}

// condBuilder issues filter checks against a table holding one item.
type condBuilder struct {
	*builder
	table string
}

// check appends a Scan whose FilterExpression is expr: Count 1 when the
// condition holds for the fixture item, 0 when not, or an error.
func (c condBuilder) check(expr string, names M, values M, note string) *Step {
	body := M{"TableName": c.table, "FilterExpression": expr, "Select": "COUNT"}
	if len(names) > 0 {
		body["ExpressionAttributeNames"] = names
	}
	if len(values) > 0 {
		body["ExpressionAttributeValues"] = values
	}
	return c.step("Scan", body, note)
}

func (c condBuilder) setup(name string) {
	c.create(name, hk("pk", "S"), nil, nil)
	item := M{"pk": S("x"), "u": S("é😀a"), "e": S(""), "eb": B([]byte{}), "big": N("100"), "neg": N("-1"), "lo": S("a"), "hi": S("z"),
		"nest": Map(M{"a": Map(M{"b": List(N("1"), Map(M{"c": S("deep")}), List(S("x"), S("y")))}), "dot.ted": S("d")}),
		"a.b":  S("dotted name"), "lst": List(S("a"), S("b"), S("c"))}
	for _, f := range fixture {
		item[f.name] = f.v
	}
	c.put(name, item, "the item every condition is checked against")
}

// compareScenario checks every comparator against every pair of types.
func compareScenario() *Scenario {
	c := condBuilder{newScenario("compare", "comparisons: every comparator × every attribute type × every operand type (mismatched types compare false; unordered types are refused as operands), ordering within S, N and B, attribute-to-attribute comparisons"), "cmp"}
	c.setup("cmp")
	ops := []string{"=", "<>", "<", "<=", ">", ">="}
	for _, a := range fixture {
		for _, op := range ops {
			for _, v := range fixture {
				c.check(fmt.Sprintf("%s %s :v", a.name, op), nil, M{":v": v.v}, fmt.Sprintf("%s attribute %s %s operand", typeOf(a.v), op, typeOf(v.v)))
			}
		}
	}
	// Ordering within the ordered types.
	for _, r := range []struct {
		attr string
		vals []M
	}{
		{"s", []M{S("l"), S("m"), S("n"), S("M"), S("mm"), S("")}},
		{"n", []M{N("4.999"), N("5"), N("5.0"), N("6"), N("-5"), N("50")}},
		{"b", []M{B([]byte("l")), B([]byte("m")), B([]byte("n")), B([]byte{0xff}), B([]byte("mm")), B([]byte{})}},
	} {
		for _, op := range ops {
			for _, v := range r.vals {
				c.check(fmt.Sprintf("%s %s :v", r.attr, op), nil, M{":v": v}, "ordering")
			}
		}
	}
	// Attribute against attribute.
	for _, a := range fixture {
		for _, b := range fixture {
			for _, op := range []string{"=", "<>", "<"} {
				c.check(fmt.Sprintf("%s %s %s", a.name, op, b.name), nil, nil, "attribute to attribute")
			}
		}
	}
	for _, op := range ops {
		c.check("nosuch "+op+" :v", nil, M{":v": S("m")}, "a missing attribute")
		c.check(":v "+op+" nosuch", nil, M{":v": S("m")}, "a missing attribute on the right")
		c.check(":a "+op+" :b", nil, M{":a": N("1"), ":b": N("2")}, "two literals")
	}
	c.check("n = :v", nil, M{":v": N("5.00")}, "5 = 5.00")
	c.check("l = :v", nil, M{":v": List(S("a"), N("1.0"))}, "lists compare element by element")
	c.check("l = :v", nil, M{":v": List(N("1"), S("a"))}, "lists compare in order")
	c.check("m = :v", nil, M{":v": Map(M{"k": S("v")})}, "maps compare by content")
	c.check("ss = :v", nil, M{":v": SS("b", "a")}, "sets compare without order")
	c.check("ns = :v", nil, M{":v": NS("2.0", "1")}, "number sets compare by value")
	c.check("e = :v", nil, M{":v": S("")}, "empty string equals empty string")
	c.check("eb = :v", nil, M{":v": B([]byte{})}, "empty binary equals empty binary")
	c.check("u > :v", nil, M{":v": S("é\uffff")}, "string order is UTF-8 byte order")
	return c.done()
}

func typeOf(v M) string {
	for k := range v {
		return k
	}
	return "?"
}

// functionsScenario checks every condition function on every type.
func functionsScenario() *Scenario {
	c := condBuilder{newScenario("functions", "condition functions: attribute_exists, attribute_not_exists, attribute_type, begins_with, contains, size on every type; BETWEEN and IN; nested paths and list indexes"), "fun"}
	c.setup("fun")
	paths := []string{"s", "n", "b", "t", "z", "l", "m", "ss", "ns", "bs", "nosuch", "m.k", "m.nosuch", "l[0]", "l[1]", "l[2]", "nest.a.b[1].c", "nest.a.b[2][1]", "nest.a.b[3]", "s.x", "s[0]", "m[0]", "l.k"}
	for _, p := range paths {
		c.check("attribute_exists("+p+")", nil, nil, "")
		c.check("attribute_not_exists("+p+")", nil, nil, "")
	}
	types := []string{"S", "N", "B", "BOOL", "NULL", "L", "M", "SS", "NS", "BS"}
	for _, f := range fixture {
		for _, t := range types {
			c.check("attribute_type("+f.name+", :t)", nil, M{":t": S(t)}, f.name+" is of type "+t+"?")
		}
	}
	c.check("attribute_type(nosuch, :t)", nil, M{":t": S("S")}, "type of a missing attribute")
	c.check("attribute_type(s, :t)", nil, M{":t": S("STRING")}, "an unknown type name")
	c.check("attribute_type(s, :t)", nil, M{":t": S("s")}, "a type name in lower case")
	c.check("attribute_type(s, :t)", nil, M{":t": N("1")}, "a type that is not a string")
	c.check("attribute_type(s, s)", nil, nil, "a type given by a path")

	// begins_with and contains over every attribute × operand type.
	for _, f := range fixture {
		for _, v := range fixture {
			c.check("begins_with("+f.name+", :v)", nil, M{":v": v.v}, fmt.Sprintf("begins_with(%s, %s)", typeOf(f.v), typeOf(v.v)))
			c.check("contains("+f.name+", :v)", nil, M{":v": v.v}, fmt.Sprintf("contains(%s, %s)", typeOf(f.v), typeOf(v.v)))
		}
	}
	for _, v := range []M{S("a"), S(""), S("é"), S("é😀a"), S("😀"), N("1"), S("b"), B([]byte("a"))} {
		c.check("begins_with(u, :v)", nil, M{":v": v}, "begins_with on a multi-byte string")
		c.check("contains(u, :v)", nil, M{":v": v}, "contains on a multi-byte string")
		c.check("contains(lst, :v)", nil, M{":v": v}, "contains on a list of strings")
		c.check("contains(ss, :v)", nil, M{":v": v}, "contains on a string set")
	}
	c.check("contains(ns, :v)", nil, M{":v": N("2.0")}, "contains on a number set compares by value")
	c.check("contains(l, :v)", nil, M{":v": N("1.00")}, "contains on a list compares by value")
	c.check("contains(s, s)", nil, nil, "contains with a path operand")
	c.check("begins_with(s, s)", nil, nil, "begins_with with a path operand")
	c.check("begins_with(:v, s)", nil, M{":v": S("m")}, "begins_with with a literal first argument")
	c.check("contains(:v, :w)", nil, M{":v": S("mm"), ":w": S("m")}, "contains with a literal first argument")

	// size.
	for _, f := range append(fixture, typed{"u", nil}, typed{"e", nil}, typed{"eb", nil}, typed{"nosuch", nil}, typed{"m.k", nil}, typed{"nest.a.b", nil}) {
		for _, n := range []string{"0", "1", "2", "3", "6"} {
			c.check("size("+f.name+") = :n", nil, M{":n": N(n)}, "size of "+f.name)
		}
	}
	c.check("size(u) = :n", nil, M{":n": N("4")}, "size of é😀a in UTF-16 code units").doc(Documented{Status: 200, Body: M{"Count": 0, "ScannedCount": 1}, Reason: whySize})
	c.check("size(u) = :n", nil, M{":n": N("7")}, "size of é😀a in UTF-8 bytes").doc(Documented{Status: 200, Body: M{"Count": 1, "ScannedCount": 1}, Reason: whySize})
	c.check("size(s) > size(l)", nil, nil, "size against size")
	c.check("size(s) = :v", nil, M{":v": S("1")}, "size compared with a string")
	c.check("size(:v) = :n", nil, M{":v": S("abc"), ":n": N("3")}, "size of a literal")
	c.check("size(s)", nil, nil, "size alone is not a condition")
	c.check("size(s) + :n = :n", nil, M{":n": N("1")}, "arithmetic in a condition")

	// BETWEEN.
	for _, r := range []struct {
		attr   string
		lo, hi M
		note   string
	}{
		{"n", N("1"), N("9"), "inside"},
		{"n", N("5"), N("5"), "on both bounds"},
		{"n", N("6"), N("9"), "below"},
		{"n", N("9"), N("1"), "bounds in the wrong order"},
		{"n", S("1"), S("9"), "string bounds for a number"},
		{"n", N("1"), S("9"), "bounds of two types"},
		{"s", S("a"), S("z"), "strings inside"},
		{"s", S("z"), S("a"), "strings in the wrong order"},
		{"b", B([]byte("a")), B([]byte("z")), "binary inside"},
		{"t", Bool(false), Bool(true), "booleans are not ordered"},
		{"l", List(), List(S("z")), "lists are not ordered"},
		{"nosuch", N("1"), N("9"), "a missing attribute"},
	} {
		c.check(r.attr+" BETWEEN :lo AND :hi", nil, M{":lo": r.lo, ":hi": r.hi}, "BETWEEN "+r.note)
	}
	c.check("n BETWEEN lo AND hi", nil, nil, "BETWEEN with path bounds of another type")
	c.check("s BETWEEN lo AND hi", nil, nil, "BETWEEN with path bounds")
	c.check("n BETWEEN :a", nil, M{":a": N("1")}, "BETWEEN without AND")

	// IN.
	c.check("n IN (:a, :b)", nil, M{":a": N("1"), ":b": N("5")}, "IN, found")
	c.check("n IN (:a, :b)", nil, M{":a": N("1"), ":b": S("5")}, "IN, not found")
	c.check("n IN (:a)", nil, M{":a": N("5")}, "IN with one value")
	c.check("s IN (lo, hi, s)", nil, nil, "IN with paths")
	c.check("l IN (:a)", nil, M{":a": List(S("a"), N("1"))}, "IN with a list value")
	c.check("n IN ()", nil, nil, "IN with no values")
	for _, count := range []int{100, 101} {
		vals := M{}
		var refs []string
		for i := 0; i < count; i++ {
			k := fmt.Sprintf(":v%d", i)
			vals[k] = N(fmt.Sprint(i + 100))
			refs = append(refs, k)
		}
		c.check("n IN ("+strings.Join(refs, ", ")+")", nil, vals, fmt.Sprintf("IN with %d values", count))
	}

	// Logic.
	t, f := "n = :five", "n = :six"
	v := M{":five": N("5"), ":six": N("6")}
	for _, e := range []string{
		t + " AND " + f, t + " OR " + f, "NOT " + t, "NOT " + f, "NOT NOT " + t,
		f + " OR " + t + " AND " + f, "(" + f + " OR " + t + ") AND " + f, f + " AND " + f + " OR " + t,
		"NOT " + f + " AND " + f, "NOT (" + f + " AND " + f + ")", "((" + t + "))",
		t + " and " + t, t + " or " + f, "not " + f, t + " AnD " + t,
	} {
		used := M{}
		for k, val := range v {
			if strings.Contains(e, k) {
				used[k] = val
			}
		}
		c.check(e, nil, used, "precedence: NOT, then AND, then OR")
	}
	c.check("ATTRIBUTE_EXISTS(s)", nil, nil, "function names are case sensitive")
	c.check("Size(s) = :n", nil, M{":n": N("1")}, "function names are case sensitive")
	c.check("s between :a and :b", nil, M{":a": S("a"), ":b": S("z")}, "keywords are not")
	c.check("s in (:a)", nil, M{":a": S("m")}, "keywords are not")
	return c.done()
}

// whySize is the reason of a known difference.
const whySize = "DynamoDB Local counts size() of a string in UTF-16 code units; DynamoDB counts UTF-8 bytes (its size reference: \"a number representing an attribute's size in bytes\"), as it does for every string size"
