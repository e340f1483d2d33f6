package dynantic_test

import (
	"context"
	"errors"
	"reflect"
	"sort"
	"strconv"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb/types"

	"github.com/dynantic/dynantic"
)

// The seed's polymorphism example: animals that are dogs or cats.

type Animal struct {
	AnimalID string `dynamo:"animal_id,pk"`
	Type     string `dynamo:"type,discriminator"`
	Name     string `dynamo:"name" validate:"required"`
}

func (Animal) TableName() string { return "animals" }

type Dog struct {
	Animal
	Breed string `dynamo:"breed" validate:"required"`
}

type Cat struct {
	Animal
	LivesRemaining int       `dynamo:"lives_remaining" validate:"gte=0,lte=9"`
	Expires        time.Time `dynamo:"expires,ttl"`
}

// Bird is not registered.
type Bird struct {
	Animal
	Wingspan float64 `dynamo:"wingspan"`
}

// newPoly makes a fresh polymorphic table named after the test, deleted when
// the test ends.
func newPoly[B any](t *testing.T, e *env, opts ...dynantic.PolyOption) *dynantic.Poly[B] {
	t.Helper()
	opts = append([]dynantic.PolyOption{dynantic.WithTableName(tableName(t))}, opts...)
	p, err := dynantic.NewPoly[B](e.db, opts...)
	if err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	if err := p.CreateTable(ctx); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		if err := p.DeleteTable(context.Background()); err != nil {
			t.Errorf("delete table: %v", err)
		}
	})
	return p
}

func animalsPoly(t *testing.T, e *env, opts ...dynantic.PolyOption) *dynantic.Poly[Animal] {
	t.Helper()
	return newPoly[Animal](t, e, append([]dynantic.PolyOption{dynantic.Variant[Dog]("DOG"), dynantic.Variant[Cat]("CAT")}, opts...)...)
}

// rawGet reads an item with the SDK directly.
func rawGet(t *testing.T, e *env, table string, key map[string]types.AttributeValue) map[string]types.AttributeValue {
	t.Helper()
	out, err := e.client.GetItem(context.Background(), &dynamodb.GetItemInput{TableName: aws.String(table), Key: key})
	if err != nil {
		t.Fatal(err)
	}
	return out.Item
}

func sAV(s string) types.AttributeValue { return &types.AttributeValueMemberS{Value: s} }

func TestPolyAnimals(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	animals := animalsPoly(t, e)
	ctx := context.Background()
	expires := time.Now().Add(48 * time.Hour).Truncate(time.Second).UTC()

	rex := &Dog{Animal: Animal{AnimalID: "a1", Name: "Rex"}, Breed: "lab"}
	tom := &Cat{Animal: Animal{AnimalID: "a2", Name: "Tom"}, LivesRemaining: 9, Expires: expires}
	for _, a := range []any{rex, tom} {
		if err := animals.Save(ctx, a); err != nil {
			t.Fatal(err)
		}
	}
	// Save sets the discriminator, in the struct and in the table.
	if rex.Type != "DOG" || tom.Type != "CAT" {
		t.Fatalf("types after save: %q %q", rex.Type, tom.Type)
	}
	raw := rawGet(t, e, animals.Name(), map[string]types.AttributeValue{"animal_id": sAV("a2")})
	if got := raw["type"].(*types.AttributeValueMemberS).Value; got != "CAT" {
		t.Fatalf("stored type %q", got)
	}
	// The variant's ttl field is stored as epoch seconds, and CreateTable
	// turned TTL on for it.
	if n, ok := raw["expires"].(*types.AttributeValueMemberN); !ok || n.Value != strconv.FormatInt(expires.Unix(), 10) {
		t.Fatalf("stored expires %#v, want N %d", raw["expires"], expires.Unix())
	}
	ttl, err := e.client.DescribeTimeToLive(ctx, &dynamodb.DescribeTimeToLiveInput{TableName: aws.String(animals.Name())})
	if err != nil {
		t.Fatal(err)
	}
	if d := ttl.TimeToLiveDescription; d == nil || aws.ToString(d.AttributeName) != "expires" || d.TimeToLiveStatus != types.TimeToLiveStatusEnabled {
		t.Fatalf("TTL: %+v", ttl.TimeToLiveDescription)
	}

	// A scan returns each item as its own type.
	all, err := animals.Scan().All(ctx)
	if err != nil {
		t.Fatal(err)
	}
	var dogs, cats int
	for _, a := range all {
		switch a := a.(type) {
		case *Dog:
			dogs++
			if !reflect.DeepEqual(a, rex) {
				t.Errorf("dog %+v, want %+v", a, rex)
			}
		case *Cat:
			cats++
			if !reflect.DeepEqual(a, tom) {
				t.Errorf("cat %+v, want %+v", a, tom)
			}
		default:
			t.Errorf("unexpected %T", a)
		}
	}
	if dogs != 1 || cats != 1 {
		t.Fatalf("%d dogs, %d cats", dogs, cats)
	}
	got, err := animals.Get(ctx, dynantic.Key("a2"))
	if c, ok := got.(*Cat); err != nil || !ok || c.LivesRemaining != 9 || !c.Expires.Equal(expires) {
		t.Fatalf("Get = %#v, %v", got, err)
	}
	// Iter and First yield variants too.
	n := 0
	for a, err := range animals.Scan().Iter(ctx) {
		if err != nil {
			t.Fatal(err)
		}
		if _, ok := a.(*Dog); !ok {
			if _, ok := a.(*Cat); !ok {
				t.Fatalf("Iter yielded %T", a)
			}
		}
		n++
	}
	if n != 2 {
		t.Fatalf("Iter yielded %d items", n)
	}

	// Create is insert-only; a failed condition gives the stored variant.
	err = animals.Create(ctx, &Dog{Animal: Animal{AnimalID: "a1", Name: "Other"}, Breed: "pug"})
	if !errors.Is(err, dynantic.ErrAlreadyExists) {
		t.Fatalf("Create of an existing key: %v", err)
	}
	err = animals.Delete(ctx, dynantic.Key("a2"), dynantic.If(dynantic.Attr("lives_remaining").Lt(3)), dynantic.ReturnItemOnConditionFailure())
	var cf *dynantic.ConditionFailedError
	if !errors.As(err, &cf) {
		t.Fatalf("conditional delete: %v", err)
	}
	if c, ok := cf.Current.(*Cat); !ok || c.Name != "Tom" {
		t.Fatalf("Current = %#v", cf.Current)
	}

	// Writes of unregistered types, or of values instead of pointers, are
	// refused before any request; so are invalid variants (own tags).
	noRequests(t, e, func() {
		for _, item := range []any{&Bird{Animal: Animal{AnimalID: "b", Name: "Tweety"}}, Dog{Animal: Animal{AnimalID: "d", Name: "x"}, Breed: "x"}, &Animal{AnimalID: "x", Name: "x"}, 42} {
			if err := animals.Save(ctx, item); !errors.Is(err, dynantic.ErrUnknownVariant) {
				t.Errorf("Save(%T): %v, want ErrUnknownVariant", item, err)
			}
		}
		if err := animals.Save(ctx, nil); err == nil {
			t.Error("Save(nil): no error")
		}
		if err := animals.Save(ctx, (*Dog)(nil)); err == nil {
			t.Error("Save((*Dog)(nil)): no error")
		}
		var ve *dynantic.ValidationError
		err := animals.Save(ctx, &Dog{Animal: Animal{AnimalID: "d", Name: "Fido"}})
		if !errors.As(err, &ve) || len(ve.Fields) != 1 || ve.Model != "Dog" || ve.Fields[0].Field != "Breed" {
			t.Errorf("Save of a dog without breed: %v", err)
		}
		err = animals.Save(ctx, &Cat{Animal: Animal{AnimalID: "c"}, LivesRemaining: 10})
		if !errors.As(err, &ve) || len(ve.Fields) != 2 {
			t.Errorf("Save of a bad cat: %v", err)
		}
		if err := animals.Delete(ctx, animals.KeyOf(&Bird{})); !errors.Is(err, dynantic.ErrUnknownVariant) {
			t.Errorf("Delete(KeyOf(bird)): %v", err)
		}
	})
}

func TestVariantTable(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	animals := animalsPoly(t, e)
	ctx := context.Background()
	dogs := dynantic.MustVariantTable[Dog](animals)
	cats, err := dynantic.VariantTable[Cat](animals)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := dynantic.VariantTable[Bird](animals); !errors.Is(err, dynantic.ErrUnknownVariant) {
		t.Fatalf("VariantTable[Bird]: %v", err)
	}
	// Interleave cats and dogs so that Limit on a filtered read matters.
	for i := range 10 {
		id := "a" + strconv.Itoa(i)
		if i%3 == 0 {
			err = dogs.Save(ctx, &Dog{Animal: Animal{AnimalID: id, Name: "dog" + id}, Breed: "lab"})
		} else {
			err = cats.Save(ctx, &Cat{Animal: Animal{AnimalID: id, Name: "cat" + id}, LivesRemaining: i % 9})
		}
		if err != nil {
			t.Fatal(err)
		}
	}
	// The typed handle's Save set the discriminator.
	if a, err := animals.Get(ctx, dynantic.Key("a3")); err != nil {
		t.Fatal(err)
	} else if _, ok := a.(*Dog); !ok {
		t.Fatalf("a3 is %T", a)
	}

	all, err := dogs.Scan().All(ctx)
	if err != nil {
		t.Fatal(err)
	}
	var ids []string
	for _, d := range all {
		if d.Type != "DOG" || d.Breed != "lab" {
			t.Errorf("dog handle returned %+v", d)
		}
		ids = append(ids, d.AnimalID)
	}
	sort.Strings(ids)
	if !reflect.DeepEqual(ids, []string{"a0", "a3", "a6", "a9"}) {
		t.Fatalf("dogs: %v", ids)
	}
	// Limit counts the items returned, not the items read: with one item per
	// request, a Limit of 2 must still find two dogs among the cats.
	two, err := dogs.Scan().PageSize(1).Limit(2).All(ctx)
	if err != nil || len(two) != 2 {
		t.Fatalf("Limit(2): %d dogs, %v", len(two), err)
	}
	if n, err := dogs.Scan().Count(ctx); err != nil || n != 4 {
		t.Fatalf("dogs Count = %d, %v", n, err)
	}
	if n, err := cats.Scan().Count(ctx); err != nil || n != 6 {
		t.Fatalf("cats Count = %d, %v", n, err)
	}
	if n, err := animals.Scan().Count(ctx); err != nil || n != 10 {
		t.Fatalf("animals Count = %d, %v", n, err)
	}
	// Paging the dogs one by one yields each exactly once.
	var paged []string
	cursor := ""
	for range 20 {
		page, err := dogs.Scan().PageSize(2).Limit(1).Page(ctx, cursor)
		if err != nil {
			t.Fatal(err)
		}
		for _, d := range page.Items {
			paged = append(paged, d.AnimalID)
		}
		if cursor = page.Cursor; !page.HasMore {
			break
		}
	}
	sort.Strings(paged)
	if !reflect.DeepEqual(paged, ids) {
		t.Fatalf("paged dogs %v, want %v", paged, ids)
	}

	// Get through the wrong handle is ErrNotFound; through the right one, the
	// item (a projection still tells the variant).
	if _, err := dogs.Get(ctx, dynantic.Key("a1")); !errors.Is(err, dynantic.ErrNotFound) {
		t.Fatalf("dogs.Get(cat) = %v", err)
	}
	if _, err := dogs.Get(ctx, dynantic.Key("a1"), dynantic.Project("name")); !errors.Is(err, dynantic.ErrNotFound) {
		t.Fatalf("dogs.Get(cat, Project) = %v", err)
	}
	if c, err := cats.Get(ctx, dynantic.Key("a1"), dynantic.Project("name")); err != nil || c.Name != "cata1" || c.LivesRemaining != 0 {
		t.Fatalf("cats.Get(Project) = %+v, %v", c, err)
	}
	// A filter on a variant's own attribute, ANDed with the discriminator.
	few, err := cats.Scan().Filter(dynantic.Attr("lives_remaining").Gte(5)).All(ctx)
	if err != nil || len(few) != 3 {
		t.Fatalf("cats with >= 5 lives: %d, %v", len(few), err)
	}
	// The Poly accepts filters on any variant's attributes.
	labs, err := animals.Scan().Filter(dynantic.Attr("breed").Eq("lab")).All(ctx)
	if err != nil || len(labs) != 4 {
		t.Fatalf("animals with breed lab: %d, %v", len(labs), err)
	}
	noRequests(t, e, func() {
		if _, err := animals.Scan().Filter(dynantic.Attr("colour").Eq("x")).All(ctx); !errors.Is(err, dynantic.ErrUnknownAttribute) {
			t.Errorf("filter on an undeclared attribute: %v", err)
		}
	})

	// A dog handle does not delete a cat: the cat is left alone, as a
	// missing item would be.
	if err := dogs.Delete(ctx, dynantic.Key("a1")); err != nil {
		t.Fatalf("dogs.Delete(cat) = %v", err)
	}
	if _, err := cats.Get(ctx, dynantic.Key("a1")); err != nil {
		t.Fatalf("the cat is gone: %v", err)
	}
	if err := dogs.Delete(ctx, dynantic.Key("a0")); err != nil {
		t.Fatal(err)
	}
	if _, err := animals.Get(ctx, dynantic.Key("a0")); !errors.Is(err, dynantic.ErrNotFound) {
		t.Fatalf("the dog is still there: %v", err)
	}
	if err := dogs.Delete(ctx, dynantic.Key("missing")); err != nil {
		t.Fatalf("dogs.Delete(missing) = %v", err)
	}
	// A dog's own failed condition is still reported.
	err = dogs.Delete(ctx, dynantic.Key("a3"), dynantic.If(dynantic.Attr("breed").Eq("pug")))
	var cf *dynantic.ConditionFailedError
	if !errors.As(err, &cf) || cf.Item != nil {
		t.Fatalf("dogs.Delete with a false condition = %v (item %v)", err, cf)
	}
	err = dogs.Delete(ctx, dynantic.Key("a3"), dynantic.If(dynantic.Attr("breed").Eq("pug")), dynantic.ReturnItemOnConditionFailure())
	if !errors.As(err, &cf) || cf.Current.(*Dog).Name != "doga3" {
		t.Fatalf("dogs.Delete with ReturnItemOnConditionFailure = %v", err)
	}
	// DeleteItem through the Poly uses the item's variant.
	if err := animals.DeleteItem(ctx, &Cat{Animal: Animal{AnimalID: "a3"}}); err != nil {
		t.Fatal(err)
	}
	if _, err := dogs.Get(ctx, dynantic.Key("a3")); err != nil {
		t.Fatalf("Poly.DeleteItem(&Cat) deleted a dog: %v", err)
	}
	if err := animals.DeleteItem(ctx, &Dog{Animal: Animal{AnimalID: "a3"}}); err != nil {
		t.Fatal(err)
	}
	if _, err := dogs.Get(ctx, dynantic.Key("a3")); !errors.Is(err, dynantic.ErrNotFound) {
		t.Fatalf("after DeleteItem: %v", err)
	}
}

// putRaw writes an item with the SDK, bypassing the library.
func putRaw(t *testing.T, e *env, table string, item map[string]types.AttributeValue) {
	t.Helper()
	if _, err := e.client.PutItem(context.Background(), &dynamodb.PutItemInput{TableName: aws.String(table), Item: item}); err != nil {
		t.Fatal(err)
	}
}

func TestPolyUnknownVariants(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	animals := animalsPoly(t, e)
	ctx := context.Background()
	name := animals.Name()
	for i := range 6 {
		id := "a" + strconv.Itoa(i)
		if err := animals.Save(ctx, &Dog{Animal: Animal{AnimalID: id, Name: "d"}, Breed: "lab"}); err != nil {
			t.Fatal(err)
		}
	}
	putRaw(t, e, name, map[string]types.AttributeValue{"animal_id": sAV("b1"), "type": sAV("BIRD"), "name": sAV("Tweety")})
	putRaw(t, e, name, map[string]types.AttributeValue{"animal_id": sAV("b2"), "name": sAV("nobody")})
	putRaw(t, e, name, map[string]types.AttributeValue{"animal_id": sAV("b3"), "type": &types.AttributeValueMemberN{Value: "1"}})

	// Default: an error naming the value and the key.
	_, err := animals.Scan().All(ctx)
	var uv *dynantic.UnknownVariantError
	if !errors.As(err, &uv) || !errors.Is(err, dynantic.ErrUnknownVariant) || uv.Attribute != "type" {
		t.Fatalf("Scan with unknown variants: %v", err)
	}
	_, err = animals.Get(ctx, dynantic.Key("b1"))
	if !errors.As(err, &uv) || uv.Value != "BIRD" || uv.Missing || uv.Model != "Animal" ||
		!reflect.DeepEqual(uv.Key, map[string]types.AttributeValue{"animal_id": sAV("b1")}) {
		t.Fatalf("Get(bird): %#v", err)
	}
	t.Log(err)
	for _, id := range []string{"b2", "b3"} {
		_, err = animals.Get(ctx, dynantic.Key(id))
		if !errors.As(err, &uv) || !uv.Missing {
			t.Fatalf("Get(%s without a string type): %v", id, err)
		}
	}
	// Iter yields the error once and stops.
	errs := 0
	for _, err := range animals.Scan().Iter(ctx) {
		if err != nil {
			errs++
		}
	}
	if errs != 1 {
		t.Fatalf("Iter yielded %d errors", errs)
	}
	// The typed handles never see the unknown items.
	dogs := dynantic.MustVariantTable[Dog](animals)
	if all, err := dogs.Scan().All(ctx); err != nil || len(all) != 6 {
		t.Fatalf("dogs: %d, %v", len(all), err)
	}

	// SkipUnknown: as if the unknown items were not there, also for Limit,
	// Page and Count.
	skip := dynantic.MustPoly[Animal](e.db, dynantic.WithTableName(name), dynantic.Variant[Dog]("DOG"), dynantic.Variant[Cat]("CAT"), dynantic.SkipUnknown())
	all, err := skip.Scan().All(ctx)
	if err != nil || len(all) != 6 {
		t.Fatalf("SkipUnknown Scan: %d, %v", len(all), err)
	}
	if n, err := skip.Scan().Count(ctx); err != nil || n != 6 {
		t.Fatalf("SkipUnknown Count = %d, %v", n, err)
	}
	seen := map[string]int{}
	cursor := ""
	for range 20 {
		page, err := skip.Scan().Limit(4).PageSize(3).Page(ctx, cursor)
		if err != nil {
			t.Fatal(err)
		}
		if len(page.Items) > 4 {
			t.Fatalf("page of %d items", len(page.Items))
		}
		for _, a := range page.Items {
			seen[a.(*Dog).AnimalID]++
		}
		if cursor = page.Cursor; !page.HasMore {
			break
		}
	}
	if len(seen) != 6 {
		t.Fatalf("paged %v", seen)
	}
	for id, n := range seen {
		if n != 1 {
			t.Fatalf("%s seen %d times", id, n)
		}
	}
	if _, err := skip.Get(ctx, dynantic.Key("b1")); !errors.Is(err, dynantic.ErrNotFound) {
		t.Fatalf("SkipUnknown Get(bird) = %v", err)
	}

	// KeepUnknown: raw items.
	keep := dynantic.MustPoly[Animal](e.db, dynantic.WithTableName(name), dynantic.Variant[Dog]("DOG"), dynantic.Variant[Cat]("CAT"), dynantic.KeepUnknown())
	all, err = keep.Scan().All(ctx)
	if err != nil || len(all) != 9 {
		t.Fatalf("KeepUnknown Scan: %d, %v", len(all), err)
	}
	raws := map[string]string{}
	for _, a := range all {
		if r, ok := a.(*dynantic.RawItem); ok {
			raws[r.Item["animal_id"].(*types.AttributeValueMemberS).Value] = r.Discriminator
		}
	}
	if !reflect.DeepEqual(raws, map[string]string{"b1": "BIRD", "b2": "", "b3": ""}) {
		t.Fatalf("raw items: %v", raws)
	}
	if r, err := keep.Get(ctx, dynantic.Key("b1")); err != nil || r.(*dynantic.RawItem).Item["name"].(*types.AttributeValueMemberS).Value != "Tweety" {
		t.Fatalf("KeepUnknown Get = %#v, %v", r, err)
	}
}

// Base is itself a variant; and NewPoly's schema errors.

type Vehicle struct {
	ID   string `dynamo:"id,pk"`
	Kind string `dynamo:"kind,discriminator"`
}

type Truck struct {
	Vehicle
	Load int `dynamo:"load"`
}

func TestPolyBaseAsVariant(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	vehicles := newPoly[Vehicle](t, e, dynantic.Variant[Vehicle]("VEHICLE"), dynantic.Variant[Truck]("TRUCK"))
	ctx := context.Background()
	if err := vehicles.Save(ctx, &Vehicle{ID: "v1"}); err != nil {
		t.Fatal(err)
	}
	if err := vehicles.Save(ctx, &Truck{Vehicle: Vehicle{ID: "v2"}, Load: 7}); err != nil {
		t.Fatal(err)
	}
	v, err := vehicles.Get(ctx, dynantic.Key("v1"))
	if got, ok := v.(*Vehicle); err != nil || !ok || got.Kind != "VEHICLE" {
		t.Fatalf("Get(v1) = %#v, %v", v, err)
	}
	v, err = vehicles.Get(ctx, dynantic.Key("v2"))
	if got, ok := v.(*Truck); err != nil || !ok || got.Load != 7 || got.Kind != "TRUCK" {
		t.Fatalf("Get(v2) = %#v, %v", v, err)
	}
}

// Pets are told apart by a discriminator that is also a GSI partition key.
type Pet struct {
	ID   string `dynamo:"id,pk"`
	Kind string `dynamo:"kind,discriminator,gsi_pk=ByKind"`
}

type Hamster struct {
	Pet
	Wheel bool `dynamo:"wheel"`
}

type Fish struct {
	Pet
	Water string `dynamo:"water"`
}

func TestPolyDiscriminatorIndex(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	pets := newPoly[Pet](t, e, dynantic.Variant[Hamster]("HAMSTER"), dynantic.Variant[Fish]("FISH"), dynantic.SkipUnknown())
	ctx := context.Background()
	for i, p := range []any{&Hamster{Pet: Pet{ID: "p1"}, Wheel: true}, &Fish{Pet: Pet{ID: "p2"}, Water: "salt"}, &Fish{Pet: Pet{ID: "p3"}, Water: "fresh"}} {
		if err := pets.Save(ctx, p); err != nil {
			t.Fatal(i, err)
		}
	}
	putRaw(t, e, pets.Name(), map[string]types.AttributeValue{"id": sAV("p4"), "kind": sAV("SNAKE")})

	// Querying the index by the discriminator needs no filter (DynamoDB would
	// refuse one on the index key); unknown kinds are left out all the same.
	fish, err := pets.QueryIndex("ByKind", "FISH").All(ctx)
	if err != nil || len(fish) != 2 {
		t.Fatalf("ByKind FISH: %v, %v", fish, err)
	}
	if snakes, err := pets.QueryIndex("ByKind", "SNAKE").All(ctx); err != nil || len(snakes) != 0 {
		t.Fatalf("ByKind SNAKE: %v, %v", snakes, err)
	}
	fishes := dynantic.MustVariantTable[Fish](pets)
	if got, err := fishes.QueryIndex("ByKind", "FISH").All(ctx); err != nil || len(got) != 2 {
		t.Fatalf("fishes ByKind FISH: %v, %v", got, err)
	}
	noRequests(t, e, func() {
		if _, err := fishes.QueryIndex("ByKind", "HAMSTER").All(ctx); !errors.Is(err, dynantic.ErrInvalidKey) {
			t.Errorf("fishes ByKind HAMSTER: %v", err)
		}
	})
	// A parallel scan decodes every variant too (and skips the snake).
	all, err := pets.Scan().Segments(3).All(ctx)
	if err != nil || len(all) != 3 {
		t.Fatalf("Segments(3): %v, %v", all, err)
	}
}
