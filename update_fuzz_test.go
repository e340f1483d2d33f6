package dynantic

import (
	"errors"
	"strings"
	"testing"
	"time"
)

type fuzzAddress struct {
	City string `dynamo:"city" validate:"required"`
}

type fuzzModel struct {
	ID      string            `dynamo:"id,pk"`
	Name    string            `dynamo:"name" validate:"required,max=10"`
	N       int8              `dynamo:"n" validate:"gte=0"`
	F       *float64          `dynamo:"f"`
	Tags    []string          `dynamo:"tags,set"`
	List    []int             `dynamo:"list"`
	Meta    map[string]string `dynamo:"meta"`
	Addr    fuzzAddress       `dynamo:"addr"`
	When    time.Time         `dynamo:"when,unixtime"`
	Version int               `dynamo:"version,version"`
	Dotted  string            `dynamo:"a.b"`
}

// FuzzUpdate builds updates from arbitrary attribute names, values and
// actions: the builder must never panic, and either refuse the input or
// produce an expression.
func FuzzUpdate(f *testing.F) {
	f.Add("name", "x", int64(1), uint8(0))
	f.Add("tags", "t", int64(-3), uint8(2))
	f.Add("addr.city", "", int64(0), uint8(6))
	f.Add("list[2]", "s", int64(200), uint8(5))
	f.Add("a.b", "v", int64(7), uint8(1))
	f.Add("meta..x", "v", int64(7), uint8(3))
	tbl, err := NewTable[fuzzModel](New(nil), WithTableName("fuzz_table"))
	if err != nil {
		f.Fatal(err)
	}
	f.Fuzz(func(t *testing.T, attr, s string, n int64, op uint8) {
		values := []any{s, n, float64(n) / 3, []string{s}, nil, Attr(s), Attr(attr).Plus(n), Attr(s).Minus(s)}
		v := values[int(op>>4)%len(values)]
		u := tbl.Update(Key("id-1"))
		switch op % 9 {
		case 0:
			u.Set(attr, v)
		case 1:
			u.SetIfNotExists(attr, v)
		case 2:
			u.Add(attr, v)
		case 3:
			u.Delete(attr, v)
		case 4:
			u.Remove(attr, s)
		case 5:
			u.Append(attr, v)
		case 6:
			u.Prepend(attr, v)
		case 7:
			u.Set(attr, v).Set(s, n).If(Attr(s).Eq(v))
		case 8:
			u = tbl.Patch(&fuzzModel{ID: "p", Name: s, N: int8(n)}, attr, s)
		}
		in, _, err := u.u.request()
		if err != nil {
			if err.Error() == "" {
				t.Fatal("empty error text")
			}
			var ve *ValidationError
			if !errors.Is(err, ErrInvalidUpdate) && !errors.Is(err, ErrUnknownAttribute) && !errors.As(err, &ve) &&
				!strings.Contains(err.Error(), "path") && !strings.Contains(err.Error(), "Attr") {
				t.Fatalf("unexpected kind of error for %q %q %v op %d: %v", attr, s, v, op, err)
			}
			return
		}
		if in.UpdateExpression == nil || *in.UpdateExpression == "" || len(in.ExpressionAttributeNames) == 0 {
			t.Fatalf("no expression for %q %v op %d", attr, v, op)
		}
		// The version is always incremented.
		if !strings.Contains(*in.UpdateExpression, "ADD ") {
			t.Fatalf("expression %q lacks the version increment", *in.UpdateExpression)
		}
	})
}
