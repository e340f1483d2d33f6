package expression

import (
	"errors"
	"reflect"
	"strings"
	"testing"

	"github.com/dynantic/dynantic/memdynamo/internal/value"
	"github.com/dynantic/dynantic/memdynamo/internal/wire"
)

func num(s string) value.Value { return value.N(value.MustDecimal(s)) }

// testValues are the placeholder values of the unit tests.
func testValues() map[string]value.Value {
	return map[string]value.Value{":s": value.S("x"), ":n": num("1"), ":n2": num("2"),
		":l": value.L([]value.Value{value.S("z")}), ":ss": value.SS("a"), ":t": value.S("SS")}
}

var testNames = map[string]string{"#a": "a", "#n": "name", "#d": "a.b"}

// newCtx returns a context with the names and values an expression uses (so that CheckUnused
// passes).
func newCtx(t *testing.T, expr string) *Context {
	t.Helper()
	names, values := map[string]string{}, map[string]value.Value{}
	for k, v := range testNames {
		if strings.Contains(expr, k) {
			names[k] = v
		}
	}
	for k, v := range testValues() {
		if strings.Contains(expr+" ", k+" ") || strings.Contains(expr, k+")") || strings.Contains(expr, k+",") {
			values[k] = v
		}
	}
	ctx, err := NewContext(names, values)
	if err != nil {
		t.Fatal(err)
	}
	return ctx
}

func TestConditionRendering(t *testing.T) {
	for _, tc := range []struct{ in, want string }{
		{"a = :s", "a = :s"},
		{"a = :s OR b = :s AND NOT c = :s", "(a = :s OR (b = :s AND (NOT c = :s)))"},
		{"a = :s AND b = :s OR c = :s", "((a = :s AND b = :s) OR c = :s)"},
		{"a = :s OR b = :s OR c = :s", "((a = :s OR b = :s) OR c = :s)"},
		{"NOT NOT a = :s", "(NOT (NOT a = :s))"},
		{"NOT (a = :s OR b = :s)", "(NOT (a = :s OR b = :s))"},
		{"#a.#n[2].c <> :s", "a.name[2].c <> :s"},
		{"#d = :s", "a.b = :s"},
		{"a BETWEEN :n AND :n2", "a BETWEEN :n AND :n2"},
		{"a IN (:s, b, :n)", "a IN (:s, b, :n)"},
		{"size(a) > :n", "size(a) > :n"},
		{"(size(a)) >= :n", "size(a) >= :n"},
		{"begins_with(a, :s) AND contains(b, :s)", "(begins_with(a, :s) AND contains(b, :s))"},
		{"(attribute_exists(a))", "attribute_exists(a)"},
		{"attribute_type(a, :t)", "attribute_type(a, :t)"},
		{"(a) = (:s)", "a = :s"},
		{"a = b and c = d", "(a = b AND c = d)"},
		{"l[0][1] < :n", "l[0][1] < :n"},
	} {
		ctx := newCtx(t, tc.in)
		c, err := ctx.Condition(ConditionExpression, tc.in)
		if err != nil {
			t.Errorf("%q: %v", tc.in, err)
			continue
		}
		if got := c.String(); got != tc.want {
			t.Errorf("%q renders %q, want %q", tc.in, got, tc.want)
		}
		if err := ctx.CheckUnused(); err != nil {
			t.Errorf("%q: %v", tc.in, err)
		}
	}
}

func TestUpdateRendering(t *testing.T) {
	for _, tc := range []struct{ in, want string }{
		{"SET a = :s", "SET a = :s"},
		{"SET a = b + :n, c = (:n - d) REMOVE e ADD f :n DELETE g :ss", "SET a = (b + :n), SET c = (:n - d), REMOVE e, ADD f :n, DELETE g :ss"},
		{"remove c.b[1] set #a = if_not_exists(#a, :n)", "REMOVE c.b[1], SET a = if_not_exists(a, :n)"},
		{"SET l = list_append(if_not_exists(l, :l), :l)", "SET l = list_append(if_not_exists(l, :l), :l)"},
	} {
		u, err := newCtx(t, tc.in).Update(tc.in)
		if err != nil {
			t.Errorf("%q: %v", tc.in, err)
			continue
		}
		if got := u.String(); got != tc.want {
			t.Errorf("%q renders %q, want %q", tc.in, got, tc.want)
		}
	}
}

// TestErrorsAreValidationExceptions checks the error type every parse error has.
func TestErrorsAreValidationExceptions(t *testing.T) {
	ctx, _ := NewContext(nil, nil)
	for _, f := range []func() error{
		func() error { _, err := ctx.Condition(FilterExpression, "a = "); return err },
		func() error { _, err := ctx.Update("SET a"); return err },
		func() error { _, err := ctx.Projection("a,,b"); return err },
		func() error { _, err := ctx.KeyCondition("a = :v"); return err },
	} {
		err := f()
		var we *wire.Error
		if !errors.As(err, &we) || we.Type != "ValidationException" {
			t.Errorf("error %v is not a ValidationException", err)
		}
	}
}

// TestUnusedAcrossExpressions checks that placeholders used by any expression of a request count.
func TestUnusedAcrossExpressions(t *testing.T) {
	names := map[string]string{"#a": "a", "#b": "b", "#c": "c"}
	values := map[string]value.Value{":x": value.S("x"), ":y": value.S("y")}
	ctx, err := NewContext(names, values)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := ctx.Update("SET #a = :x"); err != nil {
		t.Fatal(err)
	}
	if _, err := ctx.Condition(ConditionExpression, "#b = :y"); err != nil {
		t.Fatal(err)
	}
	err = ctx.CheckUnused()
	if err == nil || !strings.Contains(err.Error(), "ExpressionAttributeNames unused in expressions: keys: {#c}") {
		t.Fatalf("CheckUnused = %v, want #c unused", err)
	}
	if _, err := ctx.Projection("#c"); err != nil {
		t.Fatal(err)
	}
	if err := ctx.CheckUnused(); err != nil {
		t.Fatalf("CheckUnused = %v after every placeholder was used", err)
	}
}

func TestJavaOrder(t *testing.T) {
	// DynamoDB lists {#c, #b}, {:v, :w}, {#1, #b}: the order of a java.util.HashMap.
	for _, tc := range [][]string{{"#c", "#b"}, {":v", ":w"}, {"#1", "#b"}} {
		in := []string{tc[1], tc[0]}
		if got := javaOrder(in); !reflect.DeepEqual(got, tc) {
			t.Errorf("javaOrder = %v, want %v", got, tc)
		}
	}
	if got := javaHash("😀"); got != 0x1F8E5*0+55357*31+56832 {
		t.Errorf("javaHash over surrogates = %d", got)
	}
}

func TestValidKeys(t *testing.T) {
	for k, ok := range map[string]bool{"#a": true, "#a_1": true, "#1": true, " #a ": true, "#": false, "a": false,
		"#a.b": false, "#\u00e9": false, "##a": false} {
		if ValidNameKey(k) != ok {
			t.Errorf("ValidNameKey(%q) = %v", k, !ok)
		}
		v := strings.Replace(k, "#", ":", -1)
		if ValidValueKey(v) != ok {
			t.Errorf("ValidValueKey(%q) = %v", v, !ok)
		}
	}
	err := InvalidValueError(":v", "Supplied AttributeValue is empty, must contain exactly one of the supported datatypes")
	want := "ExpressionAttributeValues contains invalid value: Supplied AttributeValue is empty, must contain exactly one of the supported datatypes for key :v"
	var we *wire.Error
	if !errors.As(err, &we) || we.Message != want {
		t.Errorf("InvalidValueError = %v", err)
	}
}

func TestKeyConditionParts(t *testing.T) {
	schema := KeySchema{Hash: []KeyAttr{{"pk", value.KindS}}, Range: []KeyAttr{{"sk", value.KindN}}}
	vals := map[string]value.Value{":p": value.S("p"), ":a": num("1"), ":b": num("9")}
	for _, tc := range []struct {
		expr string
		want []KeyPart
	}{
		{"pk = :p", []KeyPart{{"pk", KeyEQ, []value.Value{value.S("p")}}}},
		{":p = pk AND :a < sk", []KeyPart{{"pk", KeyEQ, []value.Value{value.S("p")}}, {"sk", KeyGT, []value.Value{num("1")}}}},
		{"sk BETWEEN :a AND :b AND pk = :p", []KeyPart{{"pk", KeyEQ, []value.Value{value.S("p")}}, {"sk", KeyBetween, []value.Value{num("1"), num("9")}}}},
		{"pk = :p AND sk <= :b", []KeyPart{{"pk", KeyEQ, []value.Value{value.S("p")}}, {"sk", KeyLE, []value.Value{num("9")}}}},
		{"pk = :p AND :b >= sk", []KeyPart{{"pk", KeyEQ, []value.Value{value.S("p")}}, {"sk", KeyLE, []value.Value{num("9")}}}},
	} {
		used := map[string]value.Value{}
		for k, v := range vals {
			if strings.Contains(tc.expr, k) {
				used[k] = v
			}
		}
		ctx, _ := NewContext(nil, used)
		k, err := ctx.KeyCondition(tc.expr)
		if err != nil {
			t.Fatalf("%q: %v", tc.expr, err)
		}
		hash, rng, err := k.Match(schema)
		if err != nil {
			t.Fatalf("%q: %v", tc.expr, err)
		}
		got := append(hash, rng...)
		if len(got) != len(tc.want) {
			t.Fatalf("%q: parts %v, want %v", tc.expr, got, tc.want)
		}
		for i := range got {
			g, w := got[i], tc.want[i]
			if g.Name != w.Name || g.Op != w.Op || len(g.Values) != len(w.Values) {
				t.Errorf("%q: part %d = %v, want %v", tc.expr, i, g, w)
				continue
			}
			for j := range g.Values {
				if !value.Equal(g.Values[j], w.Values[j]) {
					t.Errorf("%q: part %d value %d = %v, want %v", tc.expr, i, j, g.Values[j], w.Values[j])
				}
			}
		}
	}
	// A multi-attribute key: the parts come back in schema order, whatever the written order.
	multi := KeySchema{Hash: []KeyAttr{{"a", value.KindS}, {"b", value.KindN}}, Range: []KeyAttr{{"c", value.KindS}, {"d", value.KindN}}}
	ctx, _ := NewContext(nil, map[string]value.Value{":s": value.S("s"), ":n": num("1")})
	k, err := ctx.KeyCondition("d > :n AND c = :s AND b = :n AND a = :s")
	if err != nil {
		t.Fatal(err)
	}
	hash, rng, err := k.Match(multi)
	if err != nil {
		t.Fatal(err)
	}
	if len(hash) != 2 || hash[0].Name != "a" || hash[1].Name != "b" || len(rng) != 2 || rng[0].Name != "c" ||
		rng[1].Name != "d" || rng[1].Op != KeyGT {
		t.Errorf("multi-attribute parts: %v %v", hash, rng)
	}
}

func TestUpdateResultHelpers(t *testing.T) {
	fixture := decodeItem(t, []byte(fixtureJSON))
	ctx, _ := NewContext(nil, map[string]value.Value{":n": num("7")})
	u, err := ctx.Update("SET m.z = :n, l[0] = :n REMOVE s")
	if err != nil {
		t.Fatal(err)
	}
	if got := u.Attributes(); !reflect.DeepEqual(got, []string{"m", "l", "s"}) {
		t.Errorf("Attributes = %v", got)
	}
	after, err := u.Apply(fixture, "pk")
	if err != nil {
		t.Fatal(err)
	}
	if _, ok := fixture["s"]; !ok {
		t.Fatal("Apply modified its input")
	}
	newPart := u.Changed().Apply(after)
	want := decodeItem(t, []byte(`{"m":{"M":{"z":{"N":"7"}}},"l":{"L":[{"N":"7"}]}}`))
	if !value.Equal(value.M(newPart), value.M(want)) {
		t.Errorf("UPDATED_NEW = %s", value.AppendItemJSON(nil, newPart))
	}
	oldPart := u.Changed().Apply(fixture)
	want = decodeItem(t, []byte(`{"l":{"L":[{"N":"1"}]},"s":{"S":"hello"}}`))
	if !value.Equal(value.M(oldPart), value.M(want)) {
		t.Errorf("UPDATED_OLD = %s", value.AppendItemJSON(nil, oldPart))
	}
	whole := u.Changed().ApplyWhole(after)
	if !value.Equal(whole["m"], after["m"]) || !value.Equal(whole["l"], after["l"]) || len(whole) != 2 {
		t.Errorf("ApplyWhole = %s", value.AppendItemJSON(nil, whole))
	}
	if _, err := u.Apply(fixture, "m"); err == nil || !strings.Contains(err.Error(), "Cannot update attribute m") {
		t.Errorf("updating a key attribute: %v", err)
	}
	// An upsert: the update applied to the key alone.
	created, err := u.Apply(map[string]value.Value{"pk": value.S("k")}, "pk")
	if err == nil {
		t.Errorf("SET m.z on a missing m succeeded: %s", value.AppendItemJSON(nil, created))
	}
}

func TestConditionAttributes(t *testing.T) {
	ctx := newCtx(t, "#a.b = :s OR size(c[1]) > :n AND NOT a = d")
	c, err := ctx.Condition(FilterExpression, "#a.b = :s OR size(c[1]) > :n AND NOT a = d")
	if err != nil {
		t.Fatal(err)
	}
	if got := c.Attributes(); !reflect.DeepEqual(got, []string{"a", "c", "d"}) {
		t.Errorf("Attributes = %v", got)
	}
	p, err := newCtx(t, "x.y, z[0], x.w").Projection("x.y, z[0], x.w")
	if err != nil {
		t.Fatal(err)
	}
	if got := p.Attributes(); !reflect.DeepEqual(got, []string{"x", "z"}) {
		t.Errorf("projection Attributes = %v", got)
	}
}

func TestReservedWords(t *testing.T) {
	// The documented list has 573 words; DynamoDB Local enforces all but CONVERT.
	if len(reserved) != 573 {
		t.Errorf("%d reserved words, want 573", len(reserved))
	}
	for w := range reserved {
		if len(w) > maxReservedLen {
			t.Errorf("reserved word %q is longer than maxReservedLen", w)
		}
		if !isReserved(strings.ToUpper(w)) || !isReserved(w) {
			t.Errorf("isReserved(%q) is false", w)
		}
	}
	for _, w := range []string{"pk", "sk", "a", "namez", "statusx", "localtimestampx"} {
		if isReserved(w) {
			t.Errorf("isReserved(%q) is true", w)
		}
	}
}

// TestConcurrentUse runs one parsed condition, update, projection and key condition from many
// goroutines (go test -race checks that evaluation does not write to them).
func TestConcurrentUse(t *testing.T) {
	fixture := decodeItem(t, []byte(fixtureJSON))
	values := map[string]value.Value{":n": num("1"), ":s": value.S("a"), ":p": value.S("p1")}
	ctx, _ := NewContext(nil, values)
	c, err := ctx.Condition(ConditionExpression, "n > :n AND contains(ss, :s) OR size(l) = :n")
	if err != nil {
		t.Fatal(err)
	}
	u, err := ctx.Update("SET n = n + :n, m.b.c = :s REMOVE l[0]")
	if err != nil {
		t.Fatal(err)
	}
	p, err := ctx.Projection("m.b, l[1], s")
	if err != nil {
		t.Fatal(err)
	}
	k, err := ctx.KeyCondition("pk = :p")
	if err != nil {
		t.Fatal(err)
	}
	done := make(chan error, 32)
	for g := 0; g < 32; g++ {
		go func() {
			for i := 0; i < 50; i++ {
				if !c.Eval(fixture) {
					done <- errors.New("condition false")
					return
				}
				out, err := u.Apply(fixture, "pk")
				if err != nil {
					done <- err
					return
				}
				if len(p.Apply(out)) != 3 {
					done <- errors.New("projection lost an attribute")
					return
				}
				if _, _, err := k.Match(keySchemas["hash"]); err != nil {
					done <- err
					return
				}
			}
			done <- nil
		}()
	}
	for g := 0; g < 32; g++ {
		if err := <-done; err != nil {
			t.Fatal(err)
		}
	}
}
