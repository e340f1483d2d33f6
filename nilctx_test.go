package dynantic_test

import (
	"context"
	"errors"
	"fmt"
	"reflect"
	"strings"
	"testing"

	"github.com/dynantic/dynantic"
)

// TestNilContext calls every exported method that takes a context.Context,
// found by reflection on each handle and builder type, with a nil one: each
// must return an error matching ErrNilContext (an Iter yields it), never
// panic, and send nothing.
func TestNilContext(t *testing.T) {
	e := offlineEnv(t)
	ctx := context.Background()
	products := dynantic.MustTable[Product](e.db)
	animals := dynantic.MustPoly[Animal](e.db, dynantic.Variant[Dog]("DOG"), dynantic.Variant[Cat]("CAT"))
	dogs := dynantic.MustVariantTable[Dog](animals)
	dog := &Dog{Animal: Animal{AnimalID: "a1", Name: "Rex"}, Breed: "lab"}
	writer := products.NewBatchWriter(ctx)
	defer writer.Close(ctx)

	// A valid value for every parameter the methods take besides ctx (and
	// their options, left out).
	args := map[reflect.Type]any{
		reflect.TypeFor[dynantic.ItemKey]():   dynantic.Key("p1"),
		reflect.TypeFor[[]dynantic.ItemKey](): []dynantic.ItemKey{dynantic.Key("p1")},
		reflect.TypeFor[*Product]():           sampleProduct("p1"),
		reflect.TypeFor[[]*Product]():         []*Product{sampleProduct("p1")},
		reflect.TypeFor[*Dog]():               dog,
		reflect.TypeFor[[]*Dog]():             []*Dog{dog},
		reflect.TypeFor[any]():                dog,
		reflect.TypeFor[string]():             "", // a cursor
	}
	receivers := []any{
		products,
		products.Query("p1"),
		products.Scan(),
		products.Scan().Segments(2),
		products.Update(dynantic.Key("p1")).Set("stock", 1),
		writer,
		e.db.Tx().Add(products.TxSave(sampleProduct("p1"))),
		e.db.GetTx().Add(products.TxGet(dynantic.Key("p1"))),
		animals,
		animals.Query("a1"),
		animals.Scan(),
		dogs,
	}
	ctxType := reflect.TypeFor[context.Context]()
	checked := 0
	for _, r := range receivers {
		rv := reflect.ValueOf(r)
		for i := 0; i < rv.NumMethod(); i++ {
			m, mt := rv.Method(i), rv.Type().Method(i)
			if m.Type().NumIn() == 0 || m.Type().In(0) != ctxType {
				continue
			}
			name := strings.ReplaceAll(fmt.Sprintf("%T.%s", r, mt.Name), "github.com/dynantic/dynantic_test.", "")
			in := []reflect.Value{reflect.Zero(ctxType)}
			for j := 1; j < m.Type().NumIn(); j++ {
				pt := m.Type().In(j)
				if m.Type().IsVariadic() && j == m.Type().NumIn()-1 {
					break
				}
				a, ok := args[pt]
				if !ok {
					t.Fatalf("%s: no test argument of type %v: add one", name, pt)
				}
				in = append(in, reflect.ValueOf(a))
			}
			t.Run(name, func(t *testing.T) {
				noRequests(t, e, func() {
					for _, err := range callErrors(t, ctx, m, in) {
						if !errors.Is(err, dynantic.ErrNilContext) {
							t.Errorf("got %v, want an error matching ErrNilContext", err)
						}
					}
				})
			})
			checked++
		}
	}
	if checked < 40 {
		t.Errorf("checked %d methods; the receivers above have more", checked)
	}

	t.Run("Open", func(t *testing.T) {
		//lint:ignore SA1012 a nil context is what is tested
		if _, err := dynantic.Open(nil); !errors.Is(err, dynantic.ErrNilContext) {
			t.Errorf("Open(nil): %v", err)
		}
	})
}

// callErrors calls m with in and returns the errors it reports: its error
// result, the error an iterator yields first, and for a BatchWriter made
// with a nil context, the errors of its Save, Flush and Close (given a good
// context).
func callErrors(t *testing.T, ctx context.Context, m reflect.Value, in []reflect.Value) (errs []error) {
	t.Helper()
	defer func() {
		if r := recover(); r != nil {
			t.Fatalf("panic: %v", r)
		}
	}()
	out := m.Call(in)
	errType := reflect.TypeFor[error]()
	for _, o := range out {
		switch {
		case o.Type() == errType:
			err, _ := o.Interface().(error)
			errs = append(errs, err)
		case o.Kind() == reflect.Func && o.Type().NumIn() == 1 && o.Type().In(0).Kind() == reflect.Func:
			// iter.Seq2[V, error]: take the first error yielded.
			var got error
			yield := reflect.MakeFunc(o.Type().In(0), func(a []reflect.Value) []reflect.Value {
				if err, ok := a[1].Interface().(error); ok && got == nil {
					got = err
				}
				return []reflect.Value{reflect.ValueOf(false)}
			})
			o.Call([]reflect.Value{yield})
			errs = append(errs, got)
		case o.Type() == reflect.TypeFor[*dynantic.BatchWriter[Product]]():
			w := o.Interface().(*dynantic.BatchWriter[Product])
			errs = append(errs, w.Save(ctx, sampleProduct("p2")), w.Delete(ctx, dynantic.Key("p2")), w.Flush(ctx), w.Close(ctx))
		case o.Type() == reflect.TypeFor[*dynantic.BatchWriter[Dog]]():
			w := o.Interface().(*dynantic.BatchWriter[Dog])
			d := &Dog{Animal: Animal{AnimalID: "a2", Name: "Rex"}, Breed: "lab"}
			errs = append(errs, w.Save(ctx, d), w.Delete(ctx, dynantic.Key("a2")), w.Flush(ctx), w.Close(ctx))
		default:
			if o.Kind() != reflect.Pointer && o.Kind() != reflect.Slice && o.Kind() != reflect.Interface && o.Kind() != reflect.Int && o.Kind() != reflect.Struct {
				t.Fatalf("result of type %v: teach callErrors about it", o.Type())
			}
		}
	}
	if len(errs) == 0 {
		t.Fatalf("no error result")
	}
	return errs
}
