package expression

import (
	"errors"
	"testing"

	"github.com/dynantic/dynantic/memdynamo/internal/value"
	"github.com/dynantic/dynantic/memdynamo/internal/wire"
)

// FuzzExpressions parses arbitrary text as every kind of expression: it must never panic, every
// error must be a ValidationException, and whatever parses must evaluate (condition), apply
// (update, projection) and match (key condition) on the fixture item without panicking.
func FuzzExpressions(f *testing.F) {
	for _, c := range handCases() {
		f.Add(c.Expr)
	}
	for _, s := range []string{"", " ", "((((", "))))", "a[", "#", ":", "\xff\xfe", "a = :s\x00", "é = 😀",
		"SET a = b + c - d", "a.b.c.d.e.f.g.h.i.j.k.l.m.n.o.p.q.r.s.t.u.v.w.x.y.z.a.b.c.d.e.f.g = :s"} {
		f.Add(s)
	}
	names := map[string]string{}
	for k, v := range stdNames {
		names[k] = v
	}
	values := map[string]value.Value{}
	for k, v := range stdValues {
		values[k] = decodeValue(f, v)
	}
	fixture := decodeItem(f, []byte(fixtureJSON))
	schemas := []KeySchema{keySchemas["hash"], keySchemas["hashrange"], keySchemas["multi"]}
	f.Fuzz(func(t *testing.T, text string) {
		check := func(err error) bool {
			if err == nil {
				return true
			}
			var we *wire.Error
			if !errors.As(err, &we) || we.Type != "ValidationException" || we.Message == "" {
				t.Fatalf("%q: error %v is not a ValidationException", text, err)
			}
			return false
		}
		ctx, err := NewContext(names, values)
		if err != nil {
			t.Fatal(err)
		}
		if c, err := ctx.Condition(ConditionExpression, text); check(err) {
			c.Eval(fixture)
			c.Eval(nil)
			_ = c.String()
			_ = c.Attributes()
		}
		if u, err := ctx.Update(text); check(err) {
			if out, err := u.Apply(fixture, "pk"); check(err) {
				u.Changed().Apply(out)
				u.Changed().ApplyWhole(out)
			}
			_, err := u.Apply(nil)
			check(err)
			_ = u.String()
		}
		if p, err := ctx.Projection(text); check(err) {
			p.Apply(fixture)
		}
		if k, err := ctx.KeyCondition(text); check(err) {
			for _, s := range schemas {
				_, _, err := k.Match(s)
				check(err)
			}
		}
		check(ctx.CheckUnused())
	})
}

func decodeValue(t testing.TB, data string) value.Value {
	item := decodeItem(t, []byte(`{"v":`+data+`}`))
	return item["v"]
}
