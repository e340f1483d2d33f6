package expression

import (
	"math/rand"
	"strconv"
	"strings"
)

// handCases are the hand-written cases recorded from DynamoDB Local: every rule of the grammar,
// validation and evaluation, and their order.
func handCases() []localCase {
	var cs []localCase
	add := func(op string, exprs ...string) {
		for _, e := range exprs {
			cs = append(cs, mk(op, e))
		}
	}
	// Syntax errors: the token and "near" text DynamoDB reports.
	add("cond", "a = ", "a = = b", "a   =   =   b", "  = a", "=", "a =   ", "a = b c", "a = b  c  d",
		"attribute_exists(a) b", "attribute_exists(a", "attribute_exists a", "a IN b", "a IN (b", "a IN (b,",
		"a IN (b c)", "a BETWEEN b", "a BETWEEN b OR c", "a BETWEEN b AND", "a.b.c", "a", "a.b", "a[1]", "(a)",
		"((a))", "a =", "NOT a", "(a = b", "a = b AND (c", "a = b AND (c = d", "a < = b", "a.b.c = d AND e.f.g",
		"foo(a) = b c", "a = b AND NOT", "a = b OR", "NOT (", "(", ")", ",", "a,b", "a = b, c = d", "SET a = b",
		"a = (b", "a = (b = c)", "a = (b + c)", "size(a + b) = c", "a = size(", "a = size()", "a = size(b,)",
		"a IN ()", "a IN (b,,c)", "a[1", "a[", "a[]", "a.", "a..b", "a.[1]", "a[1]b = c", "a = b.", "a = :s.",
		"a[01] = b", "a[00] = b", "_a = b", "1a = b", "a-b = c", "\u00e9 = b", "a\u00e9 = b", "a.1 = b",
		"a ! b", "a = \"b\"", "1 = 1", "pk IN ()", "pk BETWEEN s", "NOT", "pk = pk AND", "$x = 1",
		"a =\fb", "a =\u00a0b", "in = b", "set = b", "a = set", "a = b]", "a = b[", "a = b[0", "a < b > c",
		"a = b = c", "NOT NOT", "a IN (b) IN (c)", "a BETWEEN b AND c AND d", "a BETWEEN b AND c BETWEEN d AND e",
		"a BETWEEN (b AND c)", "a.in = b", "a.and = b", "a[-1] = b", "a[1.5] = b", "a[x] = b", " ", "a = b && c",
		"a = :s :s", "a = #", "a = :", "a.#", "attribute_exists()", "attribute_exists(a,)", "(a = b))", "((a = b)",
		"a = b)", "a = b AND c", "a = b OR c = ", "NOT NOT NOT a", "size(a) = size(", "a BETWEEN :n AND",
		"a BETWEEN :n :n2", "a IN (:s :s2)", "begins_with(a :s)", "a.b[1][2].c[ = d", "#a.#s[", "#a.",
		"a = :s\r\n AND\t b", "a = b \U0001F600x", "\U0001F600 = a", "a = b \U0001F600\U0001F600", "a.\U0001F600 = b")
	// Valid shapes and precedence.
	add("cond", "a[0] = b", "a1 = b", "a_b = b", "A_1.B_2 = c", "a[ 1 ] = b", "a [1] = b", "a . b = c",
		"a=b", "a<>b", "a = b and c = d", "a=b AnD c=d", "a BeTwEeN b AnD c", "a.b[1][2].c = d",
		"a[1].b[2].c = d", "a = b OR NOT c = d AND e = f", "NOT (a = b) OR (c = d)", "NOT NOT a = b",
		"NOT a = b AND c = d", "a = b OR c = d AND e = f", "(a = b OR c = d) AND e = f", "(a) = b",
		"(a = b) AND (c = d)", "((a = b) AND c = d)", "size((s)) = :n", "a = (:s)", "(:s) = a",
		"a IN ((b), c)", "a BETWEEN (b) AND (c)", "(size(s)) = :n5", "NOT attribute_exists(zz)",
		"attribute_exists (s)", "#a.#s[1] = :s", "a[2147483647] = b")
	// Redundant parentheses against syntax errors.
	add("cond", "((a = b))", "((a)) = b", "((a)) AND b = c", "((a = b)) AND (", "a = ((b)) c",
		"((size(a))) = b", "((size(a))) b", "(a) = ((b)) AND (", "((a)) = b c", "((a)) c", "((a)) =",
		"((a = b)) c", "(((a)) = b) c", "a IN ((b), ((c)), d e", "size(((a))) e", "size(((a)) e",
		"((a)) = b AND (", "a = b AND ((c)) = d AND name = e", "name = b AND ((c)) = d", "((size(a)))",
		"(((a = b)))", "NOT ((a = b))", "((NOT a = b))", "(((a))) = b", "((a) = b)", "((a = b) AND (c = d))",
		"a = b AND ((c = d))", "((attribute_exists(a)))", "(attribute_exists(a))", "((a)) IN (b)")
	// Tree errors: reserved words, functions, list index range; and their order.
	add("cond", "name = pk", "#n = pk", "a.name = b", "a.#n = b", "a[0].name = b", "foo(pk)", "ATTRIBUTE_EXISTS(s)",
		"Size(s) = :n", "size(s)", "attribute_exists(s) = :t", "if_not_exists(s, :s) = :s", "list_append(l, :l) = :l",
		"name = :zz", ":zz = name", "#zz = name", "name = #zz", "name = b AND foo(c)", "foo(name)", "foo(a) AND name = b",
		"a = b AND foo(name)", "size(a) AND b = c", "size(a) AND foo(b)", "attribute_exists(a) = b AND foo(c)",
		"(size(a))", "NOT size(a)", "size(size(s)) = :n", "contains(size(s), :n)", "a[99999999999999999999] = b",
		"a[2147483648] = b", ":zz = a[99999999999]", "a[99999999999] = name", "foo(a[99999999999])",
		"a[99999999999] = b)", "convert = :s", "CONVERT = :s", "Name = :s", "ttl = :s", "data = :s", "key = :s",
		"status = :s", "a.b.status = :s", "size(status) > :n", "contains(list_append(a, b), :s)", "if_not_exists(a)",
		"size(attribute_exists(a)) = :n")
	// Placeholders, operand counts, types and distinctness (post-order).
	add("cond", "size(s) > :zz", "pk = :zz", "#zz = pk", "attribute_exists(:zz)", "a = :zz AND #zz = b",
		"#zz = b AND a = :zz", "attribute_exists(a, :zz)", "a IN (:zz, b)", "a = a AND a = :zz", "size(a) = :zz",
		"#zz.:zz = b", "a.:s = b", ":zz = a.:s", "a.:s.b = c", "pk = pk", "a.b = a.b", "a[0] = a[0]",
		"#a = a", "#d = a.b", "#d = #d", "a = a.b", "a IN (a, b)", "a IN (b, a)", "a BETWEEN a AND b",
		"a BETWEEN b AND a", ":s = :s", "size(s) = size(s)", "begins_with(s, s)", "contains(s, s)",
		"attribute_type(s, s)", "attribute_type(s, #s)", "attribute_exists(s, s)", "attribute_type(s)",
		"begins_with(s)", "contains(s, :s, :s)", "size(s, s) = :n", "attribute_exists(size(s))",
		"attribute_not_exists(:s)", "attribute_type(s, :s)", "attribute_type(s, :n)", "attribute_type(s, :es)",
		"attribute_type(:s, :s)", "attribute_type(:s, :S)", "attribute_type(s, size(s))", "attribute_type(s, :ss)",
		"begins_with(s, :n)", "begins_with(:s, s)", "begins_with(:s, :s)", "begins_with(:n, :s)", "begins_with(:b, :b)",
		"begins_with(:ss, :s)", "begins_with(s, :ss)", "begins_with(s, :nu)", "begins_with(size(s), :s)",
		"contains(:s, :s)", "contains(:n, :n)", "contains(:l, :n)", "contains(s, :ss)", "size(:s) = :n",
		"size(:n) = :n", "size(:t) = :n", "size(:nu) = :n", "size(:l) = :n", "size(:m) = :n", "size(:ss) = :n",
		"size(:b) = :n", ":n < :s", ":n BETWEEN :s AND :n2", ":n BETWEEN :n2 AND :n", "a BETWEEN :n2 AND :n",
		"a BETWEEN :s2 AND :s", "a BETWEEN :n AND :s", "a BETWEEN :ss AND :ss", "a BETWEEN :s AND :s",
		"a BETWEEN :b AND :b1", "a BETWEEN :s AND :t", "a BETWEEN :t AND :t", "a BETWEEN :s AND :l",
		"a BETWEEN :s AND :nu", "a BETWEEN :neg AND :n2", "a BETWEEN :dec AND :n", "a BETWEEN :u AND :s2",
		"a BETWEEN size(b) AND :s", "a BETWEEN :n5 AND size(b)", "a BETWEEN :s AND size(b)",
		"a BETWEEN size(c) AND size(b)", "a BETWEEN :ss AND b", "a BETWEEN b AND :m", "a < :ss", "a < :l",
		"a < :m", "a < :t", "a < :nu", "a = :nu", "a <> :m", "a < :b", ":t < a", "size(a) < :t", "a IN (:m, b)",
		":m IN (a, b)", ":m = a", "n IN (:s, :n)", ":n IN (:s, :n)")
	// Evaluation against the fixture.
	add("cond", "nope <> :n", "nope = :n", "NOT nope = :n", "nope <> nope2", "n <> :n5", "n = :n5", "n <> :s",
		"size(s) = :n5", "size(u) = :n2", "size(b) = :n", "size(l) = :n", "size(m) = :n", "size(ss) = :n2",
		"size(e) = :n", "size(em) = :n", "size(el) = :n", "size(n) = :n", "size(nope) = :n", "NOT size(n) = :n",
		"size(n) <> :n", "contains(l, :n)", "contains(l, :l)", "contains(l, :dec)", "contains(ss, :s)",
		"contains(ss, :ss)", "contains(s, :h)", "contains(s, :es)", "contains(b, :b1)", "contains(m, :s)",
		"contains(ns, :n)", "contains(n, :n)", "contains(nope, :s)", "begins_with(b, :b1)", "begins_with(s, :es)",
		"begins_with(s, :h)", "begins_with(s, :b)", "begins_with(ss, :s)", "n = :n5", "n IN (:s, :n5)",
		"m.a = :n", "m = :m1", "ss = :ss2", "l[2] = :l", "l[1] = :s", "attribute_type(l, :L)",
		"attribute_type(nope, :NULL)", "NOT attribute_type(nope, :NULL)", "attribute_type(nu, :NULL)",
		"attribute_type(ss, :SS)", "attribute_type(m, :M)", "attribute_type(s, :N)", "e BETWEEN :es AND :s",
		"s BETWEEN :n AND :n5", "s < :s2", "s > :s", "b < :b", "n < :e40", "n >= :n5", "n <= :n5", "n > :neg",
		"n BETWEEN :n AND :n5", "n BETWEEN :n5 AND :n5", "s BETWEEN :h AND :s2", "u > :s2", "t = :t", "t = :f",
		"nu = :nu", "attribute_exists(m.b.c)", "attribute_exists(m.b.z)", "attribute_exists(l[2])",
		"attribute_exists(l[3])", "attribute_exists(s.x)", "attribute_exists(l.x)", "attribute_exists(m[0])",
		"attribute_not_exists(m.b.c)", "m.l[1] = :s", "size(m.l) = :n2", "NOT (n = :n5 OR s = :s)",
		"(n = :n5 OR s = :s) AND NOT t = :f", "#u = :s", "attribute_not_exists(#sp)", "l[1] IN (:s, :l)",
		"n BETWEEN :dec AND :big", "n > :tiny")
	// Filters use the same grammar with their own prefix.
	add("filter", "a = ", "name = :s", "n = :n5", "n = :zz", "size(s) = :n5", "((a = b))", "contains(ss, :s)")
	// Limits.
	cs = append(cs, mk("cond", "a = b"+strings.Repeat(" ", 4091)), mk("cond", "a = b"+strings.Repeat(" ", 4092)),
		mk("cond", strings.Repeat("\u00e9", 2100)), mk("cond", "a = b "+strings.Repeat("\u00e9", 5000)),
		mk("cond", strings.Repeat("NOT ", 299)+"a = b"), mk("cond", strings.Repeat("NOT ", 300)+"a = b"),
		mk("cond", strings.Repeat("NOT ", 299)+"attribute_exists(a)"), mk("cond", strings.Repeat("NOT ", 300)+"attribute_exists(a)"),
		mk("cond", strings.Repeat("NOT ", 298)+"size(a) = b"), mk("cond", strings.Repeat("NOT ", 299)+"size(a) = b"),
		mk("cond", strings.Repeat("NOT ", 299)+"a BETWEEN b AND c"), mk("cond", strings.Repeat("NOT ", 300)+"a IN (b, c)"),
		mk("cond", "a = b"+strings.Repeat(" AND a = b", 200)), mk("cond", strings.Repeat("NOT ", 300)+"name = b"),
		mk("cond", strings.Repeat("NOT ", 300)+"a = :zz"), mk("cond", ":zz = b AND "+strings.Repeat("NOT ", 300)+"a = b"),
		mk("cond", "a = a AND "+strings.Repeat("NOT ", 300)+"a = b"), mk("cond", strings.Repeat("NOT ", 300)+"a = b AND a = a"),
		mk("cond", strings.Repeat("a.", 31)+"a = b"), mk("cond", strings.Repeat("a.", 32)+"a = b"),
		mk("cond", strings.Repeat("a.", 32)+"a = :zz"), mk("cond", ":zz = "+strings.Repeat("a.", 32)+"a"),
		mk("cond", strings.Repeat("a.", 32)+"a = name"), mk("cond", "a"+strings.Repeat("[0]", 31)+" = b"),
		mk("cond", "a"+strings.Repeat("[0]", 32)+" = b"), mk("cond", "#zz"+strings.Repeat(".a", 40)+" = b"),
		mk("cond", "a IN ("+inList("b", 100)+")"), mk("cond", "a IN ("+inList("b", 101)+")"),
		mk("cond", "a IN ("+inList("b", 101)+") AND c = :zz"), mk("cond", "c = :zz AND a IN ("+inList("b", 101)+")"),
		mk("cond", "a IN (:zz, "+inList("b", 100)+")"), mk("cond", strings.Repeat("(", 40)+"a = b"+strings.Repeat(")", 40)),
		mk("filter", "a = b"+strings.Repeat(" ", 5000)), mk("proj", "a"+strings.Repeat(" ", 4096)), mk("proj", "a"+strings.Repeat(" ", 4095)),
		mk("update", "SET a = :s"+strings.Repeat(" ", 4087)), mk("update", "SET a = :s"+strings.Repeat(" ", 4086)),
		key("hashrange", "pk = :p"+strings.Repeat(" ", 5000)),
		mk("update", "SET "+actions("a%d=:n+:n", 301)), mk("update", "SET "+actions("a%d=:n+:n", 300)),
		mk("update", "SET "+actions("a%d=:n", 400)), mk("update", "ADD "+actions("a%d :n", 400)),
		mk("update", "SET "+actions("a%d=list_append(l,:l)", 120)+","+actions("c%d=:n+:n", 181)),
		mk("update", "SET "+actions("a%d=list_append(l,:l)", 120)+","+actions("c%d=:n+:n", 180)))
	// Placeholder maps.
	cs = append(cs,
		mk("cond", "a = b").with(map[string]string{"#1": "x"}, nil),
		mk("cond", "a = b").with(map[string]string{"#": "x"}, nil),
		mk("cond", "a = b").with(map[string]string{"#\u00e9": "x"}, nil),
		mk("cond", "a = b").with(map[string]string{"##a": "x"}, nil),
		mk("cond", "a = b").with(map[string]string{"#a-b": "x"}, nil),
		mk("cond", "a = b").with(map[string]string{"#a ": "x"}, nil),
		mk("cond", "a = b").with(map[string]string{" #a": "x"}, nil),
		mk("cond", "a = b").with(map[string]string{"a": "x"}, nil),
		mk("cond", "a = b").with(map[string]string{"#a.b": "x"}, nil),
		mk("cond", "a = b").with(nil, map[string]string{":1": `{"S":"x"}`}),
		mk("cond", "a = b").with(nil, map[string]string{":": `{"S":"x"}`}),
		mk("cond", "a = b").with(nil, map[string]string{"::a": `{"S":"x"}`}),
		mk("cond", "a = b").with(nil, map[string]string{":a ": `{"S":"x"}`}),
		mk("cond", "a = b").with(nil, map[string]string{"a": `{"S":"x"}`}),
		mk("cond", "a = b").with(map[string]string{"#1": "x", "#b": "y"}, map[string]string{":1": `{"S":"x"}`}),
		mk("cond", "a = b").with(map[string]string{"#c": "z", "#b": "y"}, nil),
		mk("cond", "a = b").with(nil, map[string]string{":v": `{"S":"x"}`, ":w": `{"N":"1"}`}),
		mk("cond", "a = #b").with(map[string]string{"#b": ""}, nil),
		mk("cond", "a = b)").with(map[string]string{"#q": "x"}, map[string]string{":q": `{"S":"x"}`}),
		mk("cond", "a = b)").with(map[string]string{"#": "x"}, map[string]string{":": `{"S":"x"}`}),
		mk("cond", "a = b)").with(map[string]string{"#q": ""}, nil),
		mk("cond", "a = :s").with(map[string]string{"#q": ""}, nil),
		mk("cond", "a = b").with(map[string]string{"#q": ""}, map[string]string{":": `{"S":"x"}`}),
		mk("cond", "a = b").with(map[string]string{"#zz": "x"}, map[string]string{":zz": `{"S":"x"}`}),
		mk("cond", "a = b").with(manyNames(20), nil),
		mk("cond", "#k0 = b").with(manyNames(20), nil),
		mk("cond", "a = b").with(manyNames(13), nil),
		mk("cond", "a = b").with(nil, manyValues(30)),
		mk("cond", "a = :v3 AND b = :v17").with(nil, manyValues(30)),
		mk("cond", "#a = :s").with(map[string]string{"#z1": "x", "#A": "y", "#a1": "z", "#B2": "w"}, nil),
		mk("cond", "a = b").with(map[string]string{"#" + strings.Repeat("a", 254): "x"}, nil),
		mk("cond", "a = b").with(map[string]string{"#" + strings.Repeat("a", 255): "x"}, nil),
		mk("cond", "a = b").with(map[string]string{"#" + strings.Repeat("\u00e9", 300): "x"}, nil),
		mk("cond", "a = b").with(map[string]string{" #" + strings.Repeat("a", 254): "x"}, nil),
		mk("cond", "a = b").with(map[string]string{"#" + strings.Repeat("a", 300) + "-": "x"}, nil),
		mk("cond", "a = b").with(nil, map[string]string{":" + strings.Repeat("a", 255): `{"S":"x"}`}),
		mk("cond", "a = b").with(nil, map[string]string{":" + strings.Repeat("a", 254): `{"S":"x"}`}),
		mk("cond", "#k = b").with(map[string]string{"#k": strings.Repeat("x", 65535)}, nil),
		mk("cond", "#k = b").with(map[string]string{"#k": strings.Repeat("x", 65536)}, nil),
		mk("cond", "#k = b").with(map[string]string{"#k": strings.Repeat("\u00e9", 32768)}, nil),
		mk("cond", "#k = b").with(map[string]string{"#k": ""}, map[string]string{":" + strings.Repeat("a", 300): `{"S":"x"}`}),
		mk("cond", "a = b").with(map[string]string{"#b-": "x"}, map[string]string{":" + strings.Repeat("a", 300): `{"S":"x"}`}),
	)
	// Updates.
	add("update", "SET a = :s", "SET a = :s, b = :n", "SET a = :s SET b = :n", "SET a = :s REMOVE b", "REMOVE b SET a = :s",
		"SET a = :s, a = :n", "SET a = :s REMOVE a", "SET m.a = :s REMOVE m", "SET m.a = :s, m.b.c = :s",
		"SET l[0] = :s, l[1] = :s", "SET l[0] = :s REMOVE l[0]", "set a = :s", "SET a = :n + :n", "SET a = :n + :n + :n",
		"SET a = (:n + :n)", "SET a = n + :n", "SET a = s + :n", "SET a = :s + :n", "SET a = n - :n", "SET a = nope + :n",
		"SET a = if_not_exists(nope, :n)", "SET a = if_not_exists(s, :n)", "SET a = if_not_exists(:n, s)",
		"SET a = if_not_exists(s)", "SET a = list_append(l, :l1)", "SET a = list_append(:l1, l)", "SET a = list_append(l, :s)",
		"SET a = list_append(s, :l)", "SET a = list_append(nope, :l)", "SET a = size(s)", "SET a = attribute_exists(s)",
		"SET a = foo(s)", "SET a = if_not_exists(s, :n) + :n", "SET a = list_append(l, list_append(l, :l))",
		"SET a = if_not_exists(if_not_exists(s, :s), :s)", "SET a = if_not_exists(s.x, :s)", "SET a = if_not_exists(l[5], :s)",
		"SET a = :n + if_not_exists(n, :n)", "SET a = (if_not_exists(n, :n)) + :n", "SET a = ((:n))", "SET a = ((:n) + :n)",
		"SET a = ((:n + :n))", "SET a = s", "SET a = m.b", "SET a = nope", "SET a = l[9]",
		"SET a = list_append(if_not_exists(l, :l), :l1)", "SET a = if_not_exists(nope, list_append(l, :l))",
		"SET a = if_not_exists(nope, if_not_exists(l, :l))", "SET a = list_append(list_append(l, :l), :l)",
		"SET a = list_append(:l, :l)", "SET a = if_not_exists(l, :l) + :n", "SET a = :n + if_not_exists(n, list_append(l, :l))",
		"SET a = if_not_exists(n, :n + :n)", "SET a = list_append(l, (:l))", "SET a = if_not_exists((s), :s)",
		"SET a = if_not_exists(s, (:s))", "SET a = list_append(l)", "SET a = list_append(l, :l, :l)",
		"SET a = if_not_exists(s, :s, :s)", "SET a = list_append(size(s), :l)", "SET a = list_append(l, :ss)",
		"SET a = list_append(:n, :l)", "SET a = if_not_exists(name, :s)", "SET a = foo(name)", "SET name = :s",
		"SET a = :l + :n", "SET a = :n + :l", "SET a = list_append(l, :l) + :n", "SET a = if_not_exists(nope, :s) + :n",
		"SET a = :ss - :n", "SET a = :n - :n2", "SET a = size(s) + :n", "SET a = a", "SET a = if_not_exists(a, :s)",
		"SET a.b = a.b", "SET a = if_not_exists(l, :l)[0]", "REMOVE a, a", "ADD a :n, a :n", "ADD a :n DELETE a :ss",
		"DELETE a :ss REMOVE a", "SET a = :s, b = :s REMOVE c, d ADD e :n, f :n DELETE g :ss, h :ss", "SET a = :s,",
		"SET", "REMOVE", "REMOVE a SET", "SET a", "SET a :s", "SET a + :n", "SET :s = a", "ADD :n a", "DELETE a",
		"ADD a", "ADD a b", "ADD a size(b)", "ADD a (:n)", "DELETE a (:ss)", "REMOVE a[0], a[0]", "REMOVE a.b, a",
		"SET a = :s REMOVE b ADD c :n SET d = :s", "REMOVE a.b SET a.c = :s", "ADD n :n", "ADD n :s", "ADD s :n",
		"ADD nope :n", "ADD nope :ss", "ADD ss :ss2", "ADD ss :ns", "ADD ns :ns", "ADD ns :n", "ADD nope :l",
		"ADD l :l", "ADD nope :s", "ADD nope :nu", "ADD n n", "ADD m.a :n", "ADD m.z :n", "ADD m.z.y :n",
		"ADD l[0] :n", "ADD l[5] :n", "ADD n :n, ss :ss", "ADD n :n ADD ss :ss", "DELETE ss :ss", "DELETE ss :s",
		"DELETE nope :ss", "DELETE ns :ss", "DELETE n :n", "DELETE ss :ns", "DELETE s :ss", "DELETE ss :ss2",
		"DELETE bs :bs", "ADD bs :bs", "REMOVE nope", "REMOVE l[5]", "REMOVE l[0], l[1]", "REMOVE m.z",
		"REMOVE m.z.y", "REMOVE s.z", "REMOVE l[0].x", "SET l[5] = :s", "SET l[1] = :s", "SET nope.x = :s",
		"SET nope[0] = :s", "SET s.x = :s", "SET s[0] = :s", "SET m[0] = :s", "SET l.x = :s", "SET m.z = :s",
		"SET m.z.y = :s", "SET pk = :s", "REMOVE pk", "ADD pk :s", "SET pk.x = :s", "ADD pk :n", "DELETE pk :ss",
		"SET l[0] = :s, l[5] = :s, l[9] = :n", "REMOVE l[0], l[5]", "SET l[1] = :s REMOVE l[0]", "REMOVE ss",
		"ADD nope :n, nope2 :n", "ADD a :b", "ADD a :t", "ADD a :m", "ADD a :bs", "DELETE a :l", "DELETE a :m",
		"DELETE a :b", "DELETE a :t", "DELETE a :nu", "DELETE a :bs", "DELETE a :ns", "SET s = n, n = s",
		"SET a = :n, c = a + :n", "SET l[0] = :s REMOVE l[1]", "REMOVE l[1] SET l[0] = :s", "SET l[3] = :s REMOVE l[0]",
		"SET l[0] = :s, l[0] = :n", "SET l[0] = :s, l[1].x = :n", "SET l[0].x = :n", "SET l[1].x = :n",
		"SET m.b.c = :n, m.b = :s", "SET m.a = :s, m.b = :s", "SET m.a = :s, m.a = :s", "SET #a = :s, a = :s",
		"SET a = l[0] + l[0]", "SET a = :n - :n", "SET a = :big + :big", "SET a = :tiny - :n", "SET a = :e40 + :n",
		"SET a = :dec + :dec", "ADD n :neg", "SET a = :tiny - :tiny", "ADD n :big", "SET a = :big - :neg",
		"SET a = :neg - :big", "SET l[9] = :s, l[5] = :s2", "SET l[5] = :s, l[9] = :s2", "SET l[3] = :s, l[4] = :s2",
		"SET l[4] = :s, l[3] = :s2", "SET l[9] = :s REMOVE l[0]", "REMOVE l[0], l[2] SET l[1] = :s, l[7] = :s2",
		"SET l[7] = :s ADD l[5] :n", "ADD l[7] :n SET l[5] = :s", "REMOVE l[3]", "REMOVE l[1], l[5]",
		"SET m.l[5] = :s, m.l[0] = :s2", "SET l[0] = l[2], l[2] = l[0]", "DELETE l[5] :ss", "SET l[5] = l[6]",
		"SET l[5] = if_not_exists(l[6], :s)", "SET l[2][0] = :s", "SET l[2][3] = :s", "REMOVE l[2][0]",
		"SET m.b.c = m.a", "SET em.x = :s", "SET el[0] = :s", "REMOVE em.x, el[0]", "SET t = :nu, nu = :t",
		"SET e = :es", "SET #u = :s", "SET #sp = :n", "REMOVE #d", "SET a = :m1, b = :l1",
		"SET a = list_append(l, l)", "SET a = list_append(:l1, :l1)", "SET a = if_not_exists(nope, :nu)",
		"SET a = m.l[1]", "SET a = ss", "ADD m.l[0] :n", "DELETE m.l :ss")
	// Which runtime error wins: DynamoDB walks the update's path tree in Java HashMap order.
	add("update", "SET z = a.b", "SET z = s.b", "SET z = m[2]", "SET z = l.x", "SET z = m.q.r", "SET z = l[9].x",
		"SET z = l[0].x", "SET z = l[1][0]", "SET e[1].a = :s", "SET e[1].a = nope", "SET s.x = nope",
		"SET s.x = :s, b = nope1", "SET b = nope1, s.x = :s", "SET a.x = :s, b = nope1", "SET b = nope1, a.x = :s",
		"SET z = list_append(b, m[2])", "SET z = list_append(m[2], b)", "SET z = nope + m[2]", "SET z = m[2] + nope",
		"SET z = if_not_exists(s, m[2])", "SET z = if_not_exists(m[2], :s)", "SET z = if_not_exists(a.b, :s)",
		"REMOVE s.x SET b = nope1", "SET b = nope1 REMOVE s.x", "ADD s.x :n SET b = nope1", "SET z = s + :n, s.x = :s",
		"SET s.x = :s, z = s + :n", "SET z = nope, y = s.x", "SET y = s.x, z = nope", "ADD n :ss, z.q :n",
		"ADD z.q :n, n :ss", "ADD s :n, z.q :n", "ADD z.q :n, s :n", "SET a = :s, n = n + :big",
		"SET n = n + :big, a = nope", "SET a = nope1, b = s + :n", "SET a = s + :n, b = nope1", "SET a = s + nope",
		"SET a = nope + s", "SET a = list_append(nope, s)", "SET a = list_append(s, nope)", "SET pk = nope",
		"SET a = nope, pk = :s", "SET a.x = :s, pk = :s", "SET a = if_not_exists(s, nope)",
		"SET a = if_not_exists(nope, nope2)", "SET l[9].x = :s, l[0] = nope", "SET l[0] = nope, l[9].x = :s",
		"SET l[1] = nope, l[0] = s + :n", "SET l[14] = nope, l[15].a = :s", "SET a = size(:zz)",
		"SET a = size(s), b = :zz", "SET b = :zz, a = size(s)", "SET a = size(name)", "SET name = size(a)",
		"SET a = size(s) SET b = :s", "SET a = list_append(l, list_append(l, :l)) SET b = :s", "SET a = foo(s) SET b = :s",
		"SET a = attribute_exists(s), b = :zz", "SET a = :s, a = size(s)", "SET a = :s, a = foo(s)",
		"SET a = :s SET b = name", "SET a = :s SET b = :s SET c = :s", "REMOVE a ADD b :n REMOVE c ADD d :n")
	// Update path overlap and conflict messages (DynamoDB Local's tree walk).
	add("update", "REMOVE a, a SET b = :zz", "SET b = :zz REMOVE a, a", "REMOVE a, a SET b = :s", "SET b = :s REMOVE a, a",
		"SET b = :s, c = :s REMOVE a, a", "REMOVE a, c, a", "SET a = :s, c = :s, a = :s", "ADD a :n REMOVE a",
		"REMOVE a ADD a :n", "DELETE a :ss SET b = :s, a = :s", "SET b = :s, a = :s DELETE a :ss",
		"REMOVE z SET b = :s, a = :s DELETE a :ss", "REMOVE a, b, c, a", "REMOVE x, a, b, c, a",
		"SET x = :s REMOVE a, b, c, a", "REMOVE a, a ADD y :n", "REMOVE b, a ADD y :n, a :n", "SET b = :zz, b = :s",
		"SET b = #zz, b = :s", "SET b = :s, b.c = :zz", "SET b = name, b = :s", "SET b = :s, c = :s, b = :zz",
		"REMOVE a, b, a", "REMOVE b, a, a", "REMOVE a, a, b", "REMOVE a, b, c, d, a", "REMOVE a, b, a, c",
		"REMOVE a.x, b, a", "REMOVE a, b, a.x", "REMOVE a.x, b, c, a", "REMOVE b, a.x, c, a", "REMOVE a.x, b, a.x",
		"REMOVE zz, ab, zz", "REMOVE d, c, b, a, b", "REMOVE a.b, a.c, a.b", "REMOVE a.b, a.c, a",
		"REMOVE a.b, a.c, a.d, a.b", "REMOVE a.b.c, a.b.d, a.b.c", "REMOVE a[1], a[0], a[1]", "REMOVE a[0], a[1], a[0]",
		"REMOVE x.a, y, x.a", "REMOVE y.a, x, y.a", "REMOVE m.zz, m.ab, m.zz", "REMOVE a, q, a", "REMOVE q, a, q",
		"SET a.b = :s, a[0] = :s", "SET a[0] = :s, a.b = :s", "SET a[0] = :s, a[1] = :s, a.b = :s",
		"REMOVE #zz, #zz2", "SET a = :zz REMOVE #zz", "REMOVE #zz SET a = :zz", "SET a = :zz ADD b :zz2",
		"ADD b :zz2 SET a = :zz", "ADD b :s, c :s", "SET a = :s + :n, b = :t + :n", "SET a = if_not_exists(#zz, :zz)",
		"SET a.#zz = :zz", "SET a = #zz.#zz2", "SET a = :zz, b = #zz", "SET a = #zz, b = :zz",
		"REMOVE "+inList("p", 40)+", p7")
	// Projections.
	add("proj", "s", "s, n", "s,s", "m.a, m", "m, m.a", "m.a, m.b", "l[0], l[1]", "l[1], l[0]", "l[0], l[0]", "l[0].a",
		"nope", "m.b.c", "m.nope", "l[5]", "", " ", "s,", ",s", "name", "#zz", "size(s)", ":v", "s n", "s.", "l[0][0]",
		"m.a, m.a.b", "pk, pk", "#a, a", "l[1], l[0], m.b.c, m.a", "l[1], s, l[0]", "m.a[0], m.b", "l[2], l[0]",
		"m.l[1], m.l[0], m.b", "em, el", "em.x", "#u, #sp", "m.b.c, m.b.d", "l[0], l.a", "l.a, l[0]", "#d",
		"l[2][0]", "ss, ns, bs, b, t, nu", "a, b, c, a", "m.zz, m.ab, m.zz", "x.a, y, x.a", "a.b, a[0]",
		strings.Repeat("a.", 32)+"a", inList("q", 120), "s, #n")
	// Key conditions.
	for _, e := range []string{"pk = :p", "pk = :p AND sk = :n", "sk = :n AND pk = :p", "pk = :p AND sk < :n",
		"pk = :p AND sk <= :n", "pk = :p AND sk > :n", "pk = :p AND sk >= :n", "pk = :p AND sk <> :n",
		"pk = :p AND sk BETWEEN :n AND :n2", "pk = :p AND sk BETWEEN :n2 AND :n", "pk = :p AND begins_with(sk, :n)",
		"pk = :p AND begins_with(sk, :s)", "pk = :p AND sk IN (:n)", "pk = :p OR sk = :n", "NOT pk = :p", "(pk = :p)",
		"(pk = :p) AND (sk = :n)", "pk = :p AND (sk = :n)", "(pk = :p AND sk = :n)", "pk < :p", "pk = :n",
		"pk = :p AND sk = :s", "sk = :n", "pk = :p AND pk = :p", "pk = :p AND sk = :n AND sk = :n2", ":p = pk", "pk = pk",
		"pk = :p AND sk = pk", "pk = :p AND x = :n", "x = :p", "pk = :p AND attribute_exists(sk)",
		"pk = :p AND size(sk) = :n", "pk.a = :p", "pk[0] = :p", "attribute_exists(pk)", "pk = :p AND begins_with(:s, sk)",
		"pk = :p AND sk BETWEEN :n AND :s", "pk = :p AND sk = :n AND", "pk = :p AND contains(sk, :n)",
		"begins_with(pk, :p)", "pk = :p AND sk = size(pk)", "pk = :p AND sk = sk", "pk IN (:p)", "pk BETWEEN :p AND :p",
		"#pk = :p", "pk = :p AND #sk = :n", "name = :p", "pk = :p AND sk = :n AND x = :n", "pk <> :p AND x = :n",
		"pk = :p AND sk <> :n AND x IN (:n)", "x IN (:n) AND sk <> :n", "pk = :p AND sk = :n OR x = :n",
		"pk = :p AND x.y = :n", "pk = :p AND sk.y = :n", "pk = :p AND size(sk) = :n AND x = :n", "pk = :p AND sk = :s AND x = :n",
		"pk = :n AND sk = :s", "sk = :s AND pk = :n", "pk = :p AND sk < :s", "sk < :n", "sk BETWEEN :n AND :n2 AND pk = :p",
		"pk = :p AND sk BETWEEN :s AND :s2", "pk < :p AND sk = :n", "pk = :p AND sk = :n AND pk = :p", "pk = :p AND pk = :n",
		":p = :p", ":p = :p AND pk = :p", "pk = :p AND :n = :n", "pk = :p AND begins_with(sk, sk)",
		"pk = :p AND sk BETWEEN sk AND :n", "pk = :p AND sk BETWEEN :n AND pk", "pk = :p AND sk = :n AND sk = :n",
		"(pk = :p AND sk = :n) AND x = :n", "size(pk) = :p AND pk IN (:p)", "pk IN (:p) AND size(pk) = :p",
		":p = :p AND pk.a = :p", "pk.a = :p AND :p = :p", "pk = :p AND :n BETWEEN sk AND :n2", "pk = :p AND :n < sk",
		"pk = :p AND sk = :n AND x.y = :n", "x.y = :n AND pk = :p AND pk = :p", "pk = :p AND pk = :p AND x = :n",
		"pk = :n AND sk < :p", "pk < :n", "x = :p AND sk = :n", "sk = :n AND x = :p", "pk < :p AND x = :n",
		"pk = :p AND sk = :n AND x = :n AND y = :n", "pk = :p AND begins_with(sk, :s) AND x = :n", "begins_with(pk, :n)",
		"pk = :p AND begins_with(sk, :b)", "NOT pk = :p AND size(sk) = :n", "size(sk) = :n AND NOT pk = :p",
		"pk = :p AND (sk = :n OR sk = :n2)", "(pk = :p OR sk = :n) AND size(x) = :n", "size(x) = :n AND (pk = :p OR sk = :n)",
		"pk = pk AND x = :n", "pk = :p AND :n >= sk", "pk = :p AND sk = :zz", "pk = :p AND ((sk = :n))",
		":p = :p AND x <> :s", ":p = :p AND x IN (:p)", "x IN (:p) AND :p = :p", ":p = :p AND size(x) = :p",
		"size(x) = :p AND :p = :p", "pk = :p AND sk = pk AND x <> :p", "pk = :p AND x <> :p AND sk = pk",
		":p = :p AND x.y = :p", ":p = :p AND pk.y = :p", "pk = sk AND x.y = :p", "x.y = :p AND pk = sk",
		":p = :p AND begins_with(:p, x)", "begins_with(:p, x) AND :p = :p", ":n BETWEEN x AND :n AND :p = :p",
		"pk = :p AND x.y = :p AND sk <> :n", "pk = :p AND sk <> :n AND x.y = :p", "x.y = sk", ":n BETWEEN :n AND :n",
		"pk IN (:p) AND pk.y = :p"} {
		cs = append(cs, key("hashrange", e))
	}
	for _, e := range []string{"pk = :p", "pk < :n", "pk = :n", "pk = :p AND pk = :p", "pk = :p AND sk = :n AND x = :n",
		"x = :n", "pk BETWEEN :p AND :p", "x < :n", "pk = :p AND sk = :n", "pk = :p AND x = :n", "x = :n AND pk = :p",
		"begins_with(pk, :p)", "pk.a = :p"} {
		cs = append(cs, key("hash", e))
	}
	for _, e := range []string{"a = :s", "a = :s AND b = :n", "a = :s AND b = :n AND c = :s", "a = :s AND b = :n AND c = :s AND d = :n",
		"a = :s AND b = :n AND c = :s AND d BETWEEN :n AND :n2", "a = :s AND b = :n AND d = :n", "a = :s AND b = :n AND c < :s",
		"a = :s AND b = :n AND c < :s AND d = :n", "a = :s AND b = :n AND begins_with(c, :s)", "b = :n AND a = :s AND d > :n AND c = :s",
		"a = :s AND b = :n AND c = :s AND d = :n AND d = :n", "a = :s AND b = :n AND pk = :s", "a = :s AND b < :n",
		"a = :n AND b = :n", "a < :s AND b = :n", "c = :s AND d = :n", "a = :s AND b = :n AND c = :s AND d = :n AND pk = :s",
		"d = :n", "a = :s AND b = :n AND c > :s AND d > :n", "a = :s AND b = :n AND c = :s AND begins_with(d, :s)",
		"x = :s AND b = :n", "a = :s AND x = :n", "b = :n", "a = :s AND b = :n AND x = :n", "a = :n AND x = :n",
		"a = :n", "a < :n", "x = :n", "a = :s AND b = :n AND c = :n", "a = :s AND b = :n AND c = :n AND d > :n",
		"a = :s AND b = :n AND d > :n AND c = :n", "a = :s AND b = :n AND d = :s", "a = :s AND b BETWEEN :n AND :n",
		"a = :s AND b = :n AND c = :s AND d = :n AND x = :n", "a = :s AND b = :n AND c = :s AND x = :n",
		"a = :s AND c = :s AND d = :n AND x = :n", "b = :n AND d > :n", "a = :s AND b = :n AND c.x = :s",
		"a = :s AND b = :n AND c = :s AND d = :n AND c = :s", "a.x = :s AND b = :n"} {
		cs = append(cs, key("multi", e))
	}
	return cs
}

func inList(prefix string, n int) string {
	parts := make([]string, n)
	for i := range parts {
		parts[i] = prefix + itoa(i)
	}
	return strings.Join(parts, ", ")
}

func itoa(i int) string { return strconv.Itoa(i) }

// actions returns n comma-separated copies of format, %d numbered from 0.
func actions(format string, n int) string {
	parts := make([]string, n)
	for i := range parts {
		parts[i] = strings.Replace(format, "%d", strconv.Itoa(i), 1)
	}
	return strings.Join(parts, ",")
}

func manyNames(n int) map[string]string {
	m := map[string]string{}
	for i := 0; i < n; i++ {
		m["#k"+itoa(i)] = "x"
	}
	return m
}

func manyValues(n int) map[string]string {
	m := map[string]string{}
	for i := 0; i < n; i++ {
		m[":v"+itoa(i)] = `{"S":"x"}`
	}
	return m
}

// ---- generated cases ----

// genSeed seeds the generated cases (EXPR_RECORD_SEED overrides it to check the package on a fresh
// sample).
var genSeed int64 = 11

// gen produces random expressions from the grammar, then mutates some of them, so that the
// goldens cover syntax errors, redundant parentheses and validation order far beyond the
// hand-written cases.
type gen struct{ r *rand.Rand }

func (g gen) pick(xs ...string) string { return xs[g.r.Intn(len(xs))] }

func (g gen) path() string {
	s := g.pick("a", "b", "s", "n", "l", "m", "ss", "t", "e", "#a", "#s", "#m", "x", "nope")
	for g.r.Intn(3) == 0 {
		if g.r.Intn(2) == 0 {
			s += "." + g.pick("a", "b", "c", "#a", "l")
		} else {
			s += "[" + g.pick("0", "1", "2", "5") + "]"
		}
	}
	return s
}

func (g gen) value() string {
	return g.pick(":s", ":s2", ":n", ":n2", ":n5", ":b", ":ss", ":l", ":l1", ":m", ":t", ":nu", ":es", ":S", ":L")
}

func (g gen) operand(depth int) string {
	switch n := g.r.Intn(10); {
	case n < 5:
		return g.path()
	case n < 8:
		return g.value()
	case n < 9 && depth < 3:
		return "size(" + g.operand(depth+1) + ")"
	default:
		if depth < 3 {
			return "(" + g.operand(depth+1) + ")"
		}
		return g.path()
	}
}

func (g gen) cond(depth int) string {
	n := g.r.Intn(12)
	if depth > 3 {
		n %= 6
	}
	switch n {
	case 0, 1, 2:
		return g.operand(0) + " " + g.pick("=", "<>", "<", "<=", ">", ">=") + " " + g.operand(0)
	case 3:
		return g.operand(0) + " BETWEEN " + g.operand(0) + " AND " + g.operand(0)
	case 4:
		k := 1 + g.r.Intn(3)
		ops := make([]string, k)
		for i := range ops {
			ops[i] = g.operand(0)
		}
		return g.operand(0) + " IN (" + strings.Join(ops, ", ") + ")"
	case 5:
		switch g.r.Intn(5) {
		case 0:
			return "attribute_exists(" + g.operand(1) + ")"
		case 1:
			return "attribute_not_exists(" + g.path() + ")"
		case 2:
			return "attribute_type(" + g.operand(1) + ", " + g.pick(":S", ":N", ":L", ":s", ":n") + ")"
		case 3:
			return "begins_with(" + g.operand(1) + ", " + g.operand(1) + ")"
		default:
			return "contains(" + g.operand(1) + ", " + g.operand(1) + ")"
		}
	case 6, 7:
		return g.cond(depth+1) + " AND " + g.cond(depth+1)
	case 8:
		return g.cond(depth+1) + " OR " + g.cond(depth+1)
	case 9:
		return "NOT " + g.cond(depth+1)
	default:
		return "(" + g.cond(depth+1) + ")"
	}
}

func (g gen) setValue() string {
	switch g.r.Intn(8) {
	case 0, 1, 2:
		return g.operand(2)
	case 3:
		return g.operand(2) + " " + g.pick("+", "-") + " " + g.operand(2)
	case 4:
		return "if_not_exists(" + g.path() + ", " + g.operand(2) + ")"
	case 5:
		return "list_append(" + g.operand(2) + ", " + g.operand(2) + ")"
	case 6:
		return "(" + g.setValue() + ")"
	default:
		return "(" + g.operand(2) + " + " + g.operand(2) + ")"
	}
}

func (g gen) update() string {
	var secs []string
	for i := 0; i == 0 || (i < 4 && g.r.Intn(2) == 0); i++ {
		kw := g.pick("SET", "SET", "REMOVE", "ADD", "DELETE")
		var acts []string
		for j := 0; j == 0 || (j < 3 && g.r.Intn(2) == 0); j++ {
			switch kw {
			case "SET":
				acts = append(acts, g.path()+" = "+g.setValue())
			case "REMOVE":
				acts = append(acts, g.path())
			default:
				acts = append(acts, g.path()+" "+g.value())
			}
		}
		secs = append(secs, kw+" "+strings.Join(acts, ", "))
	}
	return strings.Join(secs, " ")
}

func (g gen) projection() string {
	k := 1 + g.r.Intn(4)
	ps := make([]string, k)
	for i := range ps {
		ps[i] = g.path()
	}
	return strings.Join(ps, ", ")
}

var mutationTokens = []string{"(", ")", ",", ".", "[", "]", "=", "<", ">", "+", "-", "AND", "OR", "NOT", "BETWEEN",
	"IN", "SET", "size", "a", ":s", "#a", "0", "01", "!", "\u00e9", "#", ":", "name"}

// mutate applies one or two token edits: delete, duplicate, insert or swap.
func (g gen) mutate(s string) string {
	toks := strings.Fields(strings.NewReplacer("(", " ( ", ")", " ) ", ",", " , ", "[", " [ ", "]", " ] ").Replace(s))
	for n := 1 + g.r.Intn(2); n > 0 && len(toks) > 0; n-- {
		i := g.r.Intn(len(toks))
		switch g.r.Intn(4) {
		case 0:
			toks = append(toks[:i], toks[i+1:]...)
		case 1:
			toks = append(toks[:i+1], toks[i:]...)
		case 2:
			toks = append(toks[:i], append([]string{g.pick(mutationTokens...)}, toks[i:]...)...)
		default:
			if i+1 < len(toks) {
				toks[i], toks[i+1] = toks[i+1], toks[i]
			}
		}
	}
	var b strings.Builder
	for i, t := range toks {
		if i > 0 {
			b.WriteString(g.pick(" ", " ", "", "  "))
		}
		b.WriteString(t)
	}
	return b.String()
}

// parenOperand, parenCond and parenSet generate parenthesis-heavy expressions: where DynamoDB's
// redundant-parentheses check and its parser's look-ahead interact.
func (g gen) parenOperand(d int) string {
	r := g.r.Float64()
	switch {
	case d < 4 && r < 0.35:
		return "(" + g.parenOperand(d+1) + ")"
	case d < 4 && r < 0.5:
		return "size(" + g.parenOperand(d+1) + ")"
	}
	return g.pick("a", "b.c", ":s", ":n", "l[0]")
}

func (g gen) parenCond(d int) string {
	r := g.r.Float64()
	switch {
	case d < 4 && r < 0.3:
		return "(" + g.parenCond(d+1) + ")"
	case d < 4 && r < 0.4:
		return g.parenCond(d+1) + g.pick(" AND ", " OR ") + g.parenCond(d+1)
	case d < 4 && r < 0.45:
		return "NOT " + g.parenCond(d+1)
	case r < 0.55:
		arg := g.parenOperand(d + 1)
		if g.r.Intn(2) == 0 {
			arg += ", :s"
		}
		return g.pick("attribute_exists", "begins_with", "size") + "(" + arg + ")"
	case r < 0.65:
		return g.parenOperand(d) + " BETWEEN " + g.parenOperand(d) + " AND " + g.parenOperand(d)
	case r < 0.7:
		return g.parenOperand(d) + " IN (" + g.parenOperand(d) + ", " + g.parenOperand(d) + ")"
	}
	return g.parenOperand(d) + " " + g.pick("=", "<", "<>") + " " + g.parenOperand(d)
}

func (g gen) parenSet(d int) string {
	r := g.r.Float64()
	switch {
	case d < 4 && r < 0.3:
		return "(" + g.parenSet(d+1) + ")"
	case r < 0.5:
		return g.parenOperand(2) + g.pick(" + ", " - ") + g.parenOperand(2)
	case r < 0.6:
		return "if_not_exists(a, " + g.parenOperand(3) + ")"
	}
	return g.parenOperand(2)
}

func generatedCases() []localCase {
	g := gen{r: rand.New(rand.NewSource(genSeed))}
	var cs []localCase
	for i := 0; i < 900; i++ {
		e := g.cond(0)
		if i%2 == 1 {
			e = g.mutate(e)
		}
		op := "cond"
		if i%5 == 0 {
			op = "filter"
		}
		cs = append(cs, mk(op, e))
	}
	for i := 0; i < 700; i++ {
		e := g.update()
		if i%3 == 1 {
			e = g.mutate(e)
		}
		cs = append(cs, mk("update", e))
	}
	for i := 0; i < 250; i++ {
		e := g.projection()
		if i%3 == 1 {
			e = g.mutate(e)
		}
		cs = append(cs, mk("proj", e))
	}
	for i := 0; i < 800; i++ {
		op, e := "cond", g.parenCond(0)
		if i%2 == 1 {
			op, e = "update", "SET q = "+g.parenSet(0)
		}
		if g.r.Intn(5) < 3 {
			e = g.mutate(e)
		}
		cs = append(cs, mk(op, e))
	}
	for i := 0; i < 250; i++ {
		var leaves []string
		for j := 0; j == 0 || (j < 3 && g.r.Intn(2) == 0); j++ {
			attr := g.pick("pk", "sk", "x", "pk", "sk", ":p")
			switch g.r.Intn(4) {
			case 0:
				leaves = append(leaves, attr+" BETWEEN "+g.value()+" AND "+g.value())
			case 1:
				leaves = append(leaves, "begins_with("+attr+", "+g.pick(":s", ":n", ":p")+")")
			default:
				leaves = append(leaves, attr+" "+g.pick("=", "=", "<", ">=", "<>")+" "+g.pick(":p", ":n", ":n2", ":s", "sk"))
			}
		}
		e := strings.Join(leaves, g.pick(" AND ", " AND ", " OR "))
		if i%4 == 1 {
			e = g.mutate(e)
		}
		cs = append(cs, key(g.pick("hashrange", "hashrange", "hash"), e))
	}
	// Multi-attribute GSI keys: which rule DynamoDB applies first.
	for i := 0; i < 300; i++ {
		var leaves []string
		for j := 1 + g.r.Intn(5); j > 0; j-- {
			attr := g.pick("a", "b", "c", "d", "a", "b", "c", "d", "x", "pk")
			val := g.pick(":s", ":n", ":s", ":n", ":b")
			switch r := g.r.Float64(); {
			case r < 0.6:
				leaves = append(leaves, attr+" = "+val)
			case r < 0.75:
				leaves = append(leaves, attr+" "+g.pick("<", ">=", "<=")+" "+val)
			case r < 0.85:
				leaves = append(leaves, attr+" BETWEEN "+g.pick(":n", ":s")+" AND "+g.pick(":n2", ":s"))
			default:
				leaves = append(leaves, "begins_with("+attr+", "+g.pick(":s", ":b")+")")
			}
		}
		cs = append(cs, key("multi", strings.Join(leaves, " AND ")))
	}
	return cs
}
