package dynantic_test

import (
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/dynantic/dynantic"
)

// Models for NewPoly's schema errors.

type NoDisc struct {
	ID string `dynamo:"id,pk"`
}

type NoDiscVariant struct {
	NoDisc
	X int `dynamo:"x"`
}

type KeyDisc struct {
	Type string `dynamo:"type,pk,discriminator"`
}

type KeyDiscVariant struct{ KeyDisc }

type IndexSortDisc struct {
	ID    string `dynamo:"id,pk"`
	Group string `dynamo:"grp,gsi_pk=ByGroup"`
	Type  string `dynamo:"type,discriminator,gsi_sk=ByGroup"`
}

type IndexSortDiscVariant struct{ IndexSortDisc }

type IntDisc struct {
	ID   string `dynamo:"id,pk"`
	Type int    `dynamo:"type,discriminator"`
}

type NotAnAnimal struct {
	AnimalID string `dynamo:"animal_id,pk"`
	Type     string `dynamo:"type,discriminator"`
}

type PtrDog struct {
	*Animal
	Breed string `dynamo:"breed"`
}

// SortedDog adds a sort key the base does not have.
type SortedDog struct {
	Animal
	Seq int `dynamo:"seq,sk"`
}

type TTLDog struct {
	Animal
	Gone time.Time `dynamo:"gone,ttl"`
}

type IndexDogA struct {
	Animal
	Owner string `dynamo:"owner,gsi_pk=ByOwner"`
}

type IndexDogB struct {
	Animal
	Owner int `dynamo:"owner_id,gsi_pk=ByOwner"`
}

type Puppy struct {
	Dog
	Age int `dynamo:"age"`
}

func TestNewPolySchemaErrors(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	dog, cat := dynantic.Variant[Dog]("DOG"), dynantic.Variant[Cat]("CAT")
	tests := []struct {
		name string
		new  func() error
		want string
	}{
		{"no discriminator", func() error {
			_, err := dynantic.NewPoly[NoDisc](e.db, dynantic.WithTableName("t_no_disc"), dynantic.Variant[NoDiscVariant]("X"))
			return err
		}, "needs a discriminator"},
		{"discriminator is the table key", func() error {
			_, err := dynantic.NewPoly[KeyDisc](e.db, dynantic.WithTableName("t_key"), dynantic.Variant[KeyDiscVariant]("X"))
			return err
		}, "cannot be a table key"},
		{"discriminator is an index sort key", func() error {
			_, err := dynantic.NewPoly[IndexSortDisc](e.db, dynantic.WithTableName("t_ix"), dynantic.Variant[IndexSortDiscVariant]("X"))
			return err
		}, "index sort key"},
		{"discriminator is not a string", func() error {
			_, err := dynantic.NewPoly[IntDisc](e.db, dynantic.WithTableName("t_int"))
			return err
		}, "must be a string"},
		{"no variants", func() error { _, err := dynantic.NewPoly[Animal](e.db); return err }, "no variants"},
		{"empty value", func() error { _, err := dynantic.NewPoly[Animal](e.db, dynantic.Variant[Dog]("")); return err }, "empty discriminator value"},
		{"value twice", func() error {
			_, err := dynantic.NewPoly[Animal](e.db, dog, dynantic.Variant[Cat]("DOG"))
			return err
		}, `"DOG" is registered twice`},
		{"type twice", func() error {
			_, err := dynantic.NewPoly[Animal](e.db, dog, dynantic.Variant[Dog]("HOUND"))
			return err
		}, "Dog is registered twice"},
		{"does not embed the base", func() error {
			_, err := dynantic.NewPoly[Animal](e.db, dog, dynantic.Variant[NotAnAnimal]("X"))
			return err
		}, "does not embed dynantic_test.Animal"},
		{"embeds a pointer to the base", func() error {
			_, err := dynantic.NewPoly[Animal](e.db, dog, dynantic.Variant[PtrDog]("X"))
			return err
		}, "embed Animal by value"},
		{"keys disagree", func() error {
			_, err := dynantic.NewPoly[Animal](e.db, dog, dynantic.Variant[SortedDog]("X"))
			return err
		}, "key or discriminator attributes differ"},
		{"two ttl attributes", func() error {
			_, err := dynantic.NewPoly[Animal](e.db, cat, dynantic.Variant[TTLDog]("X"))
			return err
		}, "disagree on the ttl attribute"},
		{"index declared differently", func() error {
			_, err := dynantic.NewPoly[Animal](e.db, dynantic.Variant[IndexDogA]("A"), dynantic.Variant[IndexDogB]("B"))
			return err
		}, "index ByOwner is declared differently"},
		{"invalid variant model", func() error {
			_, err := dynantic.NewPoly[Animal](e.db, dog, dynantic.Variant[int]("X"))
			return err
		}, "a variant must be a struct type"},
		{"WithTableName on a variant", func() error {
			_, err := dynantic.NewPoly[Animal](e.db, dynantic.Variant[Dog]("DOG", dynantic.WithTableName("x")))
			return err
		}, "WithTableName belongs on NewPoly"},
		{"SkipUnknown and KeepUnknown", func() error {
			_, err := dynantic.NewPoly[Animal](e.db, dog, dynantic.SkipUnknown(), dynantic.KeepUnknown())
			return err
		}, "at most one of SkipUnknown and KeepUnknown"},
		{"template on the base", func() error {
			_, err := dynantic.NewPoly[ShopItem](e.db, dynantic.WithTableName("shop"), dynantic.KeyTemplate("pk", "X#{Type}"), dynantic.Variant[ShopCustomer]("C"))
			return err
		}, "key templates belong to the variants"},
		{"template with an unknown field", func() error {
			_, err := dynantic.NewPoly[ShopItem](e.db, dynantic.WithTableName("shop"), dynantic.Variant[ShopCustomer]("C", dynantic.KeyTemplate("pk", "CUSTOMER#{Nope}")))
			return err
		}, `no field "Nope"`},
		{"template on a non-key attribute", func() error {
			_, err := dynantic.NewPoly[ShopItem](e.db, dynantic.WithTableName("shop"), dynantic.Variant[ShopCustomer]("C", dynantic.KeyTemplate("name", "N#{CustomerID}")))
			return err
		}, "not a key attribute"},
		{"template on a non-string key", func() error {
			_, err := dynantic.NewTable[Order](e.db, dynantic.WithTableName("orders"), dynantic.KeyTemplate("order_id", "O#{CustomerID}"))
			return err
		}, "must be a string field"},
		{"two templates for one attribute", func() error {
			_, err := dynantic.NewPoly[ShopItem](e.db, dynantic.WithTableName("shop"), dynantic.Variant[ShopCustomer]("C",
				dynantic.KeyTemplate("pk", "CUSTOMER#{CustomerID}"), dynantic.KeyTemplate("pk", "C#{CustomerID}")))
			return err
		}, "two key templates for pk"},
		{"template field that is a templated key", func() error {
			_, err := dynantic.NewPoly[ShopItem](e.db, dynantic.WithTableName("shop"), dynantic.Variant[ShopCustomer]("C",
				dynantic.KeyTemplate("pk", "CUSTOMER#{CustomerID}"), dynantic.KeyTemplate("sk", "P#{pk}")))
			return err
		}, "itself a templated key attribute"},
		{"template with a float field", func() error {
			_, err := dynantic.NewPoly[ShopItem](e.db, dynantic.WithTableName("shop"), dynantic.Variant[ShopOrder]("O",
				dynantic.KeyTemplate("sk", "O#{Total}")))
			return err
		}, "template fields must be strings, integers or time.Time"},
	}
	noRequests(t, e, func() {
		for _, tc := range tests {
			err := tc.new()
			var se *dynantic.SchemaError
			if !errors.As(err, &se) || !strings.Contains(err.Error(), tc.want) {
				t.Errorf("%s: got %v, want a *SchemaError containing %q", tc.name, err, tc.want)
			}
		}
		func() {
			defer func() {
				if r := recover(); r == nil {
					t.Error("MustPoly of an invalid base did not panic")
				}
			}()
			dynantic.MustPoly[Animal](e.db)
		}()
		// A variant may embed the base through another variant.
		if _, err := dynantic.NewPoly[Animal](e.db, dog, dynantic.Variant[Puppy]("PUPPY")); err != nil {
			t.Errorf("Puppy embedding Dog: %v", err)
		}
	})
}
