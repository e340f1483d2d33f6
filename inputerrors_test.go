package dynantic_test

import (
	"context"
	"errors"
	"math"
	"testing"

	"github.com/dynantic/dynantic"
)

// TestReadInputErrorsMatchable: every input error of a read chain, a
// condition or a projection matches a sentinel with errors.Is, and nothing is
// sent.
func TestReadInputErrorsMatchable(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	posts := newTable[BlogPost](t, e)
	orders := newTable[Order](t, e)
	free := newTable[Product](t, e, dynantic.AllowUnknownAttributes())
	ctx := context.Background()
	many := make([]any, 101)
	for i := range many {
		many[i] = i
	}
	count := func(q interface {
		Count(context.Context) (int, error)
	}) func() error {
		return func() error { _, err := q.Count(ctx); return err }
	}
	cases := []struct {
		name string
		run  func() error
		want error
	}{
		{"Consistent on a GSI", count(posts.QueryIndex("CategoryIndex", "go").Consistent()), dynantic.ErrInvalidQuery},
		{"Limit(0) on a Query", count(orders.Query("c").Limit(0)), dynantic.ErrInvalidQuery},
		{"Limit(-1) on a Scan", count(orders.Scan().Limit(-1)), dynantic.ErrInvalidQuery},
		{"PageSize(0)", count(orders.Query("c").PageSize(0)), dynantic.ErrInvalidQuery},
		{"PageSize too large", count(orders.Scan().PageSize(math.MaxInt32 + 1)), dynantic.ErrInvalidQuery},
		{"Segments(0)", count(orders.Scan().Segments(0)), dynantic.ErrInvalidQuery},
		{"Segments above MaxSegments", count(orders.Scan().Segments(dynantic.MaxSegments + 1)), dynantic.ErrInvalidQuery},
		{"Page on Segments", func() error { _, err := orders.Scan().Segments(2).Page(ctx, ""); return err }, dynantic.ErrInvalidQuery},
		{"Project()", func() error { _, err := orders.Query("c").Project().All(ctx); return err }, dynantic.ErrInvalidQuery},
		{"Project of a malformed path", func() error { _, err := orders.Scan().Project("total..x").All(ctx); return err }, dynantic.ErrInvalidQuery},
		{"Project of an empty name", func() error { _, err := orders.Scan().Project("").All(ctx); return err }, dynantic.ErrInvalidQuery},
		{"Project of invalid UTF-8", func() error { _, err := free.Scan().Project("na\xffme").All(ctx); return err }, dynantic.ErrInvalidQuery},
		{"Get Project of invalid UTF-8", func() error {
			_, err := free.Get(ctx, dynantic.Key("p"), dynantic.Project("\xff"))
			return err
		}, dynantic.ErrInvalidQuery},
		{"Attr(\"\")", count(orders.Query("c").Filter(dynantic.Attr("").Eq(1))), dynantic.ErrInvalidCondition},
		{"Attr of a malformed path", count(orders.Scan().Filter(dynantic.Attr("a..b").Eq(1))), dynantic.ErrInvalidCondition},
		{"Attr of invalid UTF-8", count(free.Scan().Filter(dynantic.Attr("na\xffme").Eq(1))), dynantic.ErrInvalidCondition},
		{"invalid UTF-8 inside a path", func() error {
			return free.Save(ctx, sampleProduct("u"), dynantic.If(dynantic.Attr("attrs.\xfe").Exists()))
		}, dynantic.ErrInvalidCondition},
		{"invalid UTF-8 on the right", count(free.Scan().Filter(dynantic.Attr("stock").Lt(dynantic.Attr("\xff")))), dynantic.ErrInvalidCondition},
		{"In()", count(orders.Scan().Filter(dynantic.Attr("total").In())), dynantic.ErrInvalidCondition},
		{"In of 101 values", count(orders.Scan().Filter(dynantic.Attr("total").In(many...))), dynantic.ErrInvalidCondition},
		{"Not of nothing", count(orders.Scan().Filter(dynantic.Not(dynantic.Condition{}))), dynantic.ErrInvalidCondition},
		{"IsType of a bad code", func() error {
			return free.Save(ctx, sampleProduct("i"), dynantic.If(dynantic.Attr("name").IsType("STRING")))
		}, dynantic.ErrInvalidCondition},
		{"update path of invalid UTF-8", func() error {
			_, err := free.Update(dynantic.Key("p")).Set("na\xffme", 1).Execute(ctx)
			return err
		}, dynantic.ErrInvalidUpdate},
		{"Remove of invalid UTF-8", func() error {
			_, err := free.Update(dynantic.Key("p")).Remove("attrs.\xff").Execute(ctx)
			return err
		}, dynantic.ErrInvalidUpdate},
		{"Plus of a bad path", func() error {
			_, err := free.Update(dynantic.Key("p")).Set("stock", dynantic.Attr("").Plus(1)).Execute(ctx)
			return err
		}, dynantic.ErrInvalidUpdate},
	}
	for _, c := range cases {
		noRequests(t, e, func() {
			if err := c.run(); !errors.Is(err, c.want) {
				t.Errorf("%s: got %v, want %v", c.name, err, c.want)
			}
		})
	}
}
