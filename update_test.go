package dynantic_test

import (
	"context"
	"errors"
	"reflect"
	"slices"
	"sort"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb/types"

	"github.com/dynantic/dynantic"
)

// UserProfile exercises every update action.
type UserProfile struct {
	UserID     string            `dynamo:"user_id,pk"`
	Email      string            `dynamo:"email,sk" validate:"email"`
	Name       string            `dynamo:"name" validate:"required"`
	LoginCount int               `dynamo:"login_count"`
	Status     string            `dynamo:"status" validate:"omitempty,oneof=active inactive banned"`
	Stock      int               `dynamo:"stock" validate:"gte=0"`
	Balance    uint8             `dynamo:"balance"`
	Score      float64           `dynamo:"score"`
	Exact      dynantic.Number   `dynamo:"exact"`
	Nick       *string           `dynamo:"nick"`
	Tags       []string          `dynamo:"tags,set"`
	Lucky      map[int]struct{}  `dynamo:"lucky"`
	History    []string          `dynamo:"history"`
	Prefs      map[string]string `dynamo:"prefs"`
	Address    PostalAddress     `dynamo:"address"`
	Category   string            `dynamo:"category,gsi_pk=ByCategory"`
	Seen       time.Time         `dynamo:"seen"`
	Note       string            `dynamo:"note,omitempty"`
	Min        int               `dynamo:"min" validate:"ltefield=Max"`
	Max        int               `dynamo:"max"`
}

type PostalAddress struct {
	City  string   `dynamo:"city" validate:"required"`
	Zip   string   `dynamo:"zip"`
	Lines []string `dynamo:"lines"`
}

// HitCounter is the smallest model with a number to count.
type HitCounter struct {
	ID string `dynamo:"id,pk"`
	N  int    `dynamo:"n"`
}

func newUserProfile() *UserProfile {
	return &UserProfile{UserID: "user-123", Email: "john@example.com", Name: "John", Stock: 10, Score: 1.5,
		Tags: []string{"a", "b"}, Prefs: map[string]string{"lang": "en"}, Address: PostalAddress{City: "Oslo"},
		Note: "hello", Category: "gold"}
}

var userProfileKey = dynantic.Key("user-123", "john@example.com")

// storedItem reads the stored item with the SDK, bypassing the library.
func storedItem(t *testing.T, e *env, table string, key map[string]types.AttributeValue) map[string]types.AttributeValue {
	t.Helper()
	out, err := e.client.GetItem(context.Background(), &dynamodb.GetItemInput{TableName: aws.String(table), Key: key, ConsistentRead: aws.Bool(true)})
	if err != nil {
		t.Fatal(err)
	}
	return out.Item
}

func userProfileRawKey() map[string]types.AttributeValue {
	return map[string]types.AttributeValue{
		"user_id": &types.AttributeValueMemberS{Value: "user-123"},
		"email":   &types.AttributeValueMemberS{Value: "john@example.com"},
	}
}

func sortedCopy(s []string) []string { s = slices.Clone(s); sort.Strings(s); return s }

// TestUpdateEachAction applies every action alone, one request each, and
// checks the stored item after each.
func TestUpdateEachAction(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	profiles := newTable[UserProfile](t, e)
	ctx := context.Background()
	if err := profiles.Save(ctx, newUserProfile()); err != nil {
		t.Fatal(err)
	}
	steps := []struct {
		name  string
		build func(*dynantic.Update[UserProfile]) *dynantic.Update[UserProfile]
		check func(p *UserProfile, raw map[string]types.AttributeValue) bool
	}{
		{"Set", func(u *dynantic.Update[UserProfile]) *dynantic.Update[UserProfile] { return u.Set("status", "active") },
			func(p *UserProfile, _ map[string]types.AttributeValue) bool { return p.Status == "active" }},
		{"Set pointer field from a plain value", func(u *dynantic.Update[UserProfile]) *dynantic.Update[UserProfile] { return u.Set("nick", "bob") },
			func(p *UserProfile, _ map[string]types.AttributeValue) bool { return p.Nick != nil && *p.Nick == "bob" }},
		{"Set nil removes", func(u *dynantic.Update[UserProfile]) *dynantic.Update[UserProfile] { return u.Set("nick", nil) },
			func(p *UserProfile, raw map[string]types.AttributeValue) bool {
				return p.Nick == nil && raw["nick"] == nil
			}},
		{"Set converts numbers losslessly", func(u *dynantic.Update[UserProfile]) *dynantic.Update[UserProfile] {
			return u.Set("balance", int64(200)).Set("score", 2)
		}, func(p *UserProfile, _ map[string]types.AttributeValue) bool { return p.Balance == 200 && p.Score == 2 }},
		{"Set time", func(u *dynantic.Update[UserProfile]) *dynantic.Update[UserProfile] {
			return u.Set("seen", time.Date(2024, 5, 1, 10, 0, 0, 0, time.UTC))
		}, func(p *UserProfile, raw map[string]types.AttributeValue) bool {
			s, _ := raw["seen"].(*types.AttributeValueMemberS)
			return p.Seen.Equal(time.Date(2024, 5, 1, 10, 0, 0, 0, time.UTC)) && s != nil && s.Value == "2024-05-01T10:00:00.000000000Z"
		}},
		{"Set an empty omitempty value removes", func(u *dynantic.Update[UserProfile]) *dynantic.Update[UserProfile] { return u.Set("note", "") },
			func(_ *UserProfile, raw map[string]types.AttributeValue) bool { return raw["note"] == nil }},
		{"SetIfNotExists on a missing attribute", func(u *dynantic.Update[UserProfile]) *dynantic.Update[UserProfile] {
			return u.SetIfNotExists("note", "first")
		}, func(p *UserProfile, _ map[string]types.AttributeValue) bool { return p.Note == "first" }},
		{"SetIfNotExists keeps a present attribute", func(u *dynantic.Update[UserProfile]) *dynantic.Update[UserProfile] {
			return u.SetIfNotExists("note", "second")
		}, func(p *UserProfile, _ map[string]types.AttributeValue) bool { return p.Note == "first" }},
		{"Add to a number", func(u *dynantic.Update[UserProfile]) *dynantic.Update[UserProfile] { return u.Add("login_count", 1) },
			func(p *UserProfile, _ map[string]types.AttributeValue) bool { return p.LoginCount == 1 }},
		{"Add a negative number", func(u *dynantic.Update[UserProfile]) *dynantic.Update[UserProfile] {
			return u.Add("login_count", int8(-3))
		},
			func(p *UserProfile, _ map[string]types.AttributeValue) bool { return p.LoginCount == -2 }},
		{"Add one element to a set", func(u *dynantic.Update[UserProfile]) *dynantic.Update[UserProfile] { return u.Add("tags", "x") },
			func(p *UserProfile, _ map[string]types.AttributeValue) bool {
				return slices.Equal(sortedCopy(p.Tags), []string{"a", "b", "x"})
			}},
		{"Add a set to a set", func(u *dynantic.Update[UserProfile]) *dynantic.Update[UserProfile] {
			return u.Add("tags", []string{"y", "z"})
		},
			func(p *UserProfile, raw map[string]types.AttributeValue) bool {
				_, isSet := raw["tags"].(*types.AttributeValueMemberSS)
				return isSet && slices.Equal(sortedCopy(p.Tags), []string{"a", "b", "x", "y", "z"})
			}},
		{"Add to a missing number set", func(u *dynantic.Update[UserProfile]) *dynantic.Update[UserProfile] { return u.Add("lucky", 7) },
			func(p *UserProfile, raw map[string]types.AttributeValue) bool {
				_, isSet := raw["lucky"].(*types.AttributeValueMemberNS)
				_, has := p.Lucky[7]
				return isSet && has && len(p.Lucky) == 1
			}},
		{"Delete from a set", func(u *dynantic.Update[UserProfile]) *dynantic.Update[UserProfile] {
			return u.Delete("tags", []string{"x", "y"})
		},
			func(p *UserProfile, _ map[string]types.AttributeValue) bool {
				return slices.Equal(sortedCopy(p.Tags), []string{"a", "b", "z"})
			}},
		{"Delete one element", func(u *dynantic.Update[UserProfile]) *dynantic.Update[UserProfile] { return u.Delete("tags", "z") },
			func(p *UserProfile, _ map[string]types.AttributeValue) bool {
				return slices.Equal(sortedCopy(p.Tags), []string{"a", "b"})
			}},
		{"Remove", func(u *dynantic.Update[UserProfile]) *dynantic.Update[UserProfile] { return u.Remove("note", "prefs") },
			func(p *UserProfile, raw map[string]types.AttributeValue) bool {
				return p.Note == "" && p.Prefs == nil && raw["note"] == nil && raw["prefs"] == nil
			}},
		{"Append to a missing list", func(u *dynantic.Update[UserProfile]) *dynantic.Update[UserProfile] { return u.Append("history", "a") },
			func(p *UserProfile, _ map[string]types.AttributeValue) bool {
				return slices.Equal(p.History, []string{"a"})
			}},
		{"Append a list", func(u *dynantic.Update[UserProfile]) *dynantic.Update[UserProfile] {
			return u.Append("history", []string{"b", "c"})
		},
			func(p *UserProfile, _ map[string]types.AttributeValue) bool {
				return slices.Equal(p.History, []string{"a", "b", "c"})
			}},
		{"Prepend", func(u *dynantic.Update[UserProfile]) *dynantic.Update[UserProfile] { return u.Prepend("history", "z") },
			func(p *UserProfile, _ map[string]types.AttributeValue) bool {
				return slices.Equal(p.History, []string{"z", "a", "b", "c"})
			}},
		{"Remove a list element", func(u *dynantic.Update[UserProfile]) *dynantic.Update[UserProfile] { return u.Remove("history[1]") },
			func(p *UserProfile, _ map[string]types.AttributeValue) bool {
				return slices.Equal(p.History, []string{"z", "b", "c"})
			}},
		{"Minus", func(u *dynantic.Update[UserProfile]) *dynantic.Update[UserProfile] {
			return u.Set("stock", dynantic.Attr("stock").Minus(1))
		}, func(p *UserProfile, _ map[string]types.AttributeValue) bool { return p.Stock == 9 }},
		{"Plus", func(u *dynantic.Update[UserProfile]) *dynantic.Update[UserProfile] {
			return u.Set("stock", dynantic.Attr("stock").Plus(uint16(5)))
		}, func(p *UserProfile, _ map[string]types.AttributeValue) bool { return p.Stock == 14 }},
		{"Plus another attribute", func(u *dynantic.Update[UserProfile]) *dynantic.Update[UserProfile] {
			return u.Set("score", dynantic.Attr("score").Plus(dynantic.Attr("stock")))
		}, func(p *UserProfile, _ map[string]types.AttributeValue) bool { return p.Score == 16 }},
		{"Copy an attribute", func(u *dynantic.Update[UserProfile]) *dynantic.Update[UserProfile] {
			return u.Set("category", dynantic.Attr("status"))
		}, func(p *UserProfile, _ map[string]types.AttributeValue) bool { return p.Category == "active" }},
		{"Number from Go numbers", func(u *dynantic.Update[UserProfile]) *dynantic.Update[UserProfile] { return u.Set("exact", 12) },
			func(p *UserProfile, _ map[string]types.AttributeValue) bool { return p.Exact == "12" }},
		{"Add to a Number", func(u *dynantic.Update[UserProfile]) *dynantic.Update[UserProfile] { return u.Add("exact", 0.5) },
			func(p *UserProfile, _ map[string]types.AttributeValue) bool { return p.Exact == "12.5" }},
		{"Set nested paths", func(u *dynantic.Update[UserProfile]) *dynantic.Update[UserProfile] {
			return u.Set("address.city", "Paris").Set("address.lines", []string{"l1", "l2"})
		}, func(p *UserProfile, _ map[string]types.AttributeValue) bool {
			return p.Address.City == "Paris" && slices.Equal(p.Address.Lines, []string{"l1", "l2"})
		}},
		{"Set a list element and a new map key", func(u *dynantic.Update[UserProfile]) *dynantic.Update[UserProfile] {
			return u.Set("address.lines[1]", "L2").Set("address.zip", "75001")
		}, func(p *UserProfile, _ map[string]types.AttributeValue) bool {
			return slices.Equal(p.Address.Lines, []string{"l1", "L2"}) && p.Address.Zip == "75001"
		}},
		{"Append to a nested list", func(u *dynantic.Update[UserProfile]) *dynantic.Update[UserProfile] {
			return u.Append("address.lines", []string{"l3"})
		}, func(p *UserProfile, _ map[string]types.AttributeValue) bool {
			return slices.Equal(p.Address.Lines, []string{"l1", "L2", "l3"})
		}},
		{"Set a whole struct", func(u *dynantic.Update[UserProfile]) *dynantic.Update[UserProfile] {
			return u.Set("address", PostalAddress{City: "Rome"})
		}, func(p *UserProfile, _ map[string]types.AttributeValue) bool {
			return reflect.DeepEqual(p.Address, PostalAddress{City: "Rome"})
		}},
		{"Set an index key", func(u *dynantic.Update[UserProfile]) *dynantic.Update[UserProfile] {
			return u.Set("category", "silver")
		},
			func(p *UserProfile, _ map[string]types.AttributeValue) bool { return p.Category == "silver" }},
		{"Set an empty index key removes it (sparse index)", func(u *dynantic.Update[UserProfile]) *dynantic.Update[UserProfile] {
			return u.Set("category", "")
		}, func(_ *UserProfile, raw map[string]types.AttributeValue) bool { return raw["category"] == nil }},
		{"Cross-field tags are not checked on one value", func(u *dynantic.Update[UserProfile]) *dynantic.Update[UserProfile] {
			return u.Set("min", 5)
		}, func(p *UserProfile, _ map[string]types.AttributeValue) bool { return p.Min == 5 }},
	}
	for _, s := range steps {
		before := e.requests.n.Load()
		if _, err := s.build(profiles.Update(userProfileKey)).Execute(ctx); err != nil {
			t.Fatalf("%s: %v", s.name, err)
		}
		if n := e.requests.n.Load() - before; n != 1 {
			t.Errorf("%s: %d requests, want 1", s.name, n)
		}
		got, err := profiles.Get(ctx, userProfileKey, dynantic.Consistent())
		if err != nil {
			t.Fatalf("%s: %v", s.name, err)
		}
		if !s.check(got, storedItem(t, e, profiles.Name(), userProfileRawKey())) {
			t.Fatalf("%s: stored item is %+v", s.name, got)
		}
	}
}

// TestUpdateCombined sends the seed's update and then every kind of action
// in one request.
func TestUpdateCombined(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	profiles := newTable[UserProfile](t, e)
	ctx := context.Background()
	p := newUserProfile()
	p.Lucky = map[int]struct{}{7: {}, 8: {}}
	if err := profiles.Save(ctx, p); err != nil {
		t.Fatal(err)
	}
	// users.update(pk, sk).add(login_count, 1).set(status, "active").execute()
	if _, err := profiles.Update(userProfileKey).Add("login_count", 1).Set("status", "active").Execute(ctx); err != nil {
		t.Fatal(err)
	}
	before := e.requests.n.Load()
	got, err := profiles.Update(userProfileKey).
		Set("name", "Johnny").
		SetIfNotExists("nick", "jj").
		Set("stock", dynantic.Attr("stock").Minus(3)).
		Add("login_count", 1).
		Add("tags", "c").
		Delete("lucky", 7).
		Remove("note").
		Append("history", []string{"login"}).
		Set("prefs.theme", "dark").
		Return(dynantic.ReturnAllNew).
		Execute(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if n := e.requests.n.Load() - before; n != 1 {
		t.Errorf("%d requests for one update", n)
	}
	want := newUserProfile()
	want.Name, want.Nick, want.Stock, want.LoginCount, want.Status = "Johnny", ptr("jj"), 7, 2, "active"
	want.Tags, want.Note, want.History = []string{"a", "b", "c"}, "", []string{"login"}
	want.Lucky = map[int]struct{}{8: {}}
	want.Prefs = map[string]string{"lang": "en", "theme": "dark"}
	got.Tags = sortedCopy(got.Tags)
	if !reflect.DeepEqual(got, want) {
		t.Fatalf("after the combined update:\n got %+v\nwant %+v", got, want)
	}
	stored, _ := profiles.Get(ctx, userProfileKey)
	stored.Tags = sortedCopy(stored.Tags)
	if !reflect.DeepEqual(stored, want) {
		t.Fatalf("stored %+v", stored)
	}
}

// TestUpdateCreatesItem: like UpdateItem, an update of a missing key
// creates the item; If(Attr(pk).Exists()) prevents it.
func TestUpdateCreatesItem(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	counters := newTable[HitCounter](t, e)
	ctx := context.Background()
	_, err := counters.Update(dynantic.Key("c1")).Add("n", 1).If(dynantic.Attr("id").Exists()).Execute(ctx)
	if !errors.Is(err, dynantic.ErrConditionFailed) {
		t.Fatalf("update of a missing item with Exists: %v", err)
	}
	if _, err := counters.Get(ctx, dynantic.Key("c1")); !errors.Is(err, dynantic.ErrNotFound) {
		t.Fatalf("conditional update created the item: %v", err)
	}
	c, err := counters.Update(dynantic.Key("c1")).Add("n", 5).Return(dynantic.ReturnAllNew).Execute(ctx)
	if err != nil || c.ID != "c1" || c.N != 5 {
		t.Fatalf("upsert: %+v %v", c, err)
	}
}

// TestUpdateReturnValues decodes every ReturnValue mode into *T.
func TestUpdateReturnValues(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	profiles := newTable[UserProfile](t, e)
	ctx := context.Background()
	if err := profiles.Save(ctx, newUserProfile()); err != nil {
		t.Fatal(err)
	}
	step := 0
	run := func(r dynantic.ReturnValue) *UserProfile {
		t.Helper()
		step++
		got, err := profiles.Update(userProfileKey).Add("login_count", 1).Set("status", "active").Return(r).Execute(ctx)
		if err != nil {
			t.Fatalf("%s: %v", r, err)
		}
		return got
	}
	if got := run(dynantic.ReturnNone); got != nil {
		t.Errorf("NONE returned %+v", got)
	}
	if got, err := profiles.Update(userProfileKey).Add("login_count", 1).Execute(ctx); got != nil || err != nil {
		t.Errorf("default (NONE) returned %+v, %v", got, err)
	}
	old := run(dynantic.ReturnAllOld) // login_count 2 → 3
	if old.LoginCount != 2 || old.Name != "John" || old.Stock != 10 || old.Status != "active" {
		t.Errorf("ALL_OLD: %+v", old)
	}
	all := run(dynantic.ReturnAllNew) // 3 → 4
	if all.LoginCount != 4 || all.Name != "John" || all.Address.City != "Oslo" {
		t.Errorf("ALL_NEW: %+v", all)
	}
	upOld := run(dynantic.ReturnUpdatedOld) // 4 → 5
	if !reflect.DeepEqual(upOld, &UserProfile{LoginCount: 4, Status: "active"}) {
		t.Errorf("UPDATED_OLD: %+v", upOld)
	}
	upNew := run(dynantic.ReturnUpdatedNew) // 5 → 6
	if !reflect.DeepEqual(upNew, &UserProfile{LoginCount: 6, Status: "active"}) {
		t.Errorf("UPDATED_NEW: %+v", upNew)
	}
	// ALL_OLD of an item that did not exist is nil.
	got, err := profiles.Update(dynantic.Key("new", "new@example.com")).Set("name", "N").Return(dynantic.ReturnAllOld).Execute(ctx)
	if got != nil || err != nil {
		t.Errorf("ALL_OLD of a new item: %+v, %v", got, err)
	}
}

// TestUpdateConcurrentAdd: 50 goroutines add 1 each; none is lost.
func TestUpdateConcurrentAdd(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	counters := newTable[HitCounter](t, e)
	ctx := context.Background()
	const n = 50
	var wg sync.WaitGroup
	errs := make(chan error, n)
	for range n {
		wg.Add(1)
		go func() {
			defer wg.Done()
			_, err := counters.Update(dynantic.Key("hits")).Add("n", 1).Execute(ctx)
			errs <- err
		}()
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		if err != nil {
			t.Fatal(err)
		}
	}
	c, err := counters.Get(ctx, dynantic.Key("hits"), dynantic.Consistent())
	if err != nil || c.N != n {
		t.Fatalf("counter = %+v, %v; want %d", c, err, n)
	}
}

// TestUpdateConditions: If on Update, combined with AND, and the stored
// item on failure only when asked.
func TestUpdateConditions(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	profiles := newTable[UserProfile](t, e)
	ctx := context.Background()
	if err := profiles.Save(ctx, newUserProfile()); err != nil {
		t.Fatal(err)
	}
	// Decrement stock only while some is left.
	sell := func(n int) error {
		_, err := profiles.Update(userProfileKey).
			Set("stock", dynantic.Attr("stock").Minus(n)).
			If(dynantic.Attr("stock").Gte(n)).
			If(dynantic.Attr("status").Ne("banned")).
			Execute(ctx)
		return err
	}
	if err := sell(4); err != nil {
		t.Fatal(err)
	}
	err := sell(7)
	var cf *dynantic.ConditionFailedError
	if !errors.Is(err, dynantic.ErrConditionFailed) || errors.Is(err, dynantic.ErrVersionConflict) || !errors.As(err, &cf) {
		t.Fatalf("overselling: %v", err)
	}
	if cf.Item != nil || cf.Current != nil || cf.Op != "Update" {
		t.Errorf("stored item returned without being asked: %+v", cf)
	}
	_, err = profiles.Update(userProfileKey).Set("stock", dynantic.Attr("stock").Minus(7)).
		If(dynantic.Attr("stock").Gte(7)).ReturnItemOnConditionFailure().Execute(ctx)
	if !errors.As(err, &cf) || cf.Current.(*UserProfile).Stock != 6 {
		t.Fatalf("ReturnItemOnConditionFailure: %v %+v", err, cf)
	}
	if p, _ := profiles.Get(ctx, userProfileKey); p.Stock != 6 {
		t.Fatalf("stock %d after a failed conditional update", p.Stock)
	}
	if _, err := profiles.Update(userProfileKey).Set("status", "banned").Execute(ctx); err != nil {
		t.Fatal(err)
	}
	if err := sell(1); !errors.Is(err, dynantic.ErrConditionFailed) {
		t.Fatalf("second If is not ANDed: %v", err)
	}
}

// TestUpdateBadInput: every input the model forbids is an error before any
// request, naming the model and the attribute.
func TestUpdateBadInput(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	profiles := newTable[UserProfile](t, e)
	docs := newTable[VersionedDoc](t, e)
	ctx := context.Background()
	u := func() *dynantic.Update[UserProfile] { return profiles.Update(userProfileKey) }
	isInvalid := func(err error) bool { return errors.Is(err, dynantic.ErrInvalidUpdate) }
	isValidation := func(field, tag string) func(error) bool {
		return func(err error) bool {
			var ve *dynantic.ValidationError
			return errors.As(err, &ve) && len(ve.Fields) == 1 && ve.Fields[0].Field == field && ve.Fields[0].Tag == tag
		}
	}
	cases := []struct {
		name  string
		u     *dynantic.Update[UserProfile]
		check func(error) bool
		attr  string // the error text names it (with the model)
	}{
		{"unknown attribute", u().Set("nmae", "x"), func(err error) bool { return errors.Is(err, dynantic.ErrUnknownAttribute) }, "nmae"},
		{"unknown attribute in Remove", u().Remove("note", "bogus"), func(err error) bool { return errors.Is(err, dynantic.ErrUnknownAttribute) }, "bogus"},
		{"unknown top of a nested path", u().Set("adress.city", "x"), func(err error) bool { return errors.Is(err, dynantic.ErrUnknownAttribute) }, "adress"},
		{"unknown attribute in a condition", u().Set("name", "x").If(dynantic.Attr("nope").Exists()), func(err error) bool { return errors.Is(err, dynantic.ErrUnknownAttribute) }, "nope"},
		{"unknown source of Minus", u().Set("stock", dynantic.Attr("stok").Minus(1)), func(err error) bool { return errors.Is(err, dynantic.ErrUnknownAttribute) }, "stok"},
		{"partition key", u().Set("user_id", "other"), isInvalid, "user_id"},
		{"sort key", u().Remove("email"), isInvalid, "email"},
		{"sort key via Add", u().Add("email", "x"), isInvalid, "email"},
		{"string into a number", u().Set("stock", "ten"), isInvalid, "stock"},
		{"fraction into an int", u().Set("stock", 1.5), isInvalid, "stock"},
		{"overflow", u().Set("balance", 300), isInvalid, "balance"},
		{"number into a string", u().Set("name", 5), isInvalid, "name"},
		{"wrong set element", u().Add("tags", 5), isInvalid, "tags"},
		{"Add on a string", u().Add("name", "x"), isInvalid, "name"},
		{"Add on a list", u().Add("history", "x"), isInvalid, "history"},
		{"Add nil", u().Add("login_count", nil), isInvalid, "login_count"},
		{"Add an empty set", u().Add("tags", []string{}), isInvalid, "tags"},
		{"Delete on a number", u().Delete("login_count", 1), isInvalid, "login_count"},
		{"Append on a set", u().Append("tags", "x"), isInvalid, "tags"},
		{"Append on a number", u().Append("stock", 1), isInvalid, "stock"},
		{"Prepend a wrong element", u().Prepend("history", 1), isInvalid, "history"},
		{"Append a non-list to a nested path", u().Append("address.lines", 5), isInvalid, "address.lines"},
		{"Add a string to a nested path", u().Add("prefs.x", "s"), isInvalid, "prefs.x"},
		{"Minus on a string", u().Set("name", dynantic.Attr("name").Minus(1)), isInvalid, "name"},
		{"Minus of a string field", u().Set("stock", dynantic.Attr("name").Minus(1)), isInvalid, "name"},
		{"Minus a string", u().Set("stock", dynantic.Attr("stock").Minus("1")), isInvalid, "stock"},
		{"copy between types", u().Set("name", dynantic.Attr("stock")), isInvalid, "stock"},
		{"size in an update", u().Set("stock", dynantic.Attr("tags").Size()), isInvalid, "stock"},
		{"SetIfNotExists nil", u().SetIfNotExists("nick", nil), isInvalid, "nick"},
		{"NaN", u().Set("score", nanFloat()), func(err error) bool {
			var ce *dynantic.CodecError
			return isInvalid(err) && errors.As(err, &ce)
		}, "score"},
		{"same attribute twice", u().Set("name", "a").Set("name", "b"), isInvalid, "name"},
		{"overlapping paths", u().Set("address", PostalAddress{City: "x"}).Set("address.city", "y"), isInvalid, "address.city"},
		{"list and element", u().Remove("history[1]").Append("history", "x"), isInvalid, "history"},
		{"no actions", u(), isInvalid, ""},
		{"bad ReturnValue", u().Set("name", "x").Return("EVERYTHING"), isInvalid, "EVERYTHING"},
		{"validate tag", u().Set("stock", -1), isValidation("Stock", "gte"), "Stock"},
		{"validate oneof", u().Set("status", "sleeping"), isValidation("Status", "oneof"), "Status"},
		{"validate SetIfNotExists", u().SetIfNotExists("stock", -5), isValidation("Stock", "gte"), "Stock"},
		{"Remove a required field", u().Remove("name"), isValidation("Name", "required"), "Name"},
		{"Set a required field to empty", u().Set("name", ""), isValidation("Name", "required"), "Name"},
		{"validate a struct value", u().Set("address", PostalAddress{Zip: "1"}), isValidation("Address.City", "required"), "Address.City"},
		{"empty Attr", u().Set("", 1), func(err error) bool { return err != nil }, ""},
		{"malformed path", u().Set("address..city", 1), func(err error) bool { return err != nil }, "address..city"},
		{"bad key", profiles.Update(dynantic.Key("user-123")).Set("name", "x"), func(err error) bool { return errors.Is(err, dynantic.ErrInvalidKey) }, "email"},
		{"first error kept", u().Set("stock", "x").Set("nmae", 1), func(err error) bool {
			return isInvalid(err) && !errors.Is(err, dynantic.ErrUnknownAttribute)
		}, "stock"},
	}
	for _, c := range cases {
		noRequests(t, e, func() {
			_, err := c.u.Execute(ctx)
			if !c.check(err) {
				t.Errorf("%s: unexpected error %v", c.name, err)
				return
			}
			if !strings.Contains(err.Error(), "UserProfile") && c.name != "empty Attr" && c.name != "malformed path" && c.name != "bad key" {
				t.Errorf("%s: error does not name the model: %v", c.name, err)
			}
			if !strings.Contains(err.Error(), c.attr) {
				t.Errorf("%s: error does not name %q: %v", c.name, c.attr, err)
			}
		})
	}
	// Managed attributes, and Version on a model without one.
	managed := []struct {
		name string
		u    *dynantic.Update[VersionedDoc]
	}{
		{"version", docs.Update(dynantic.Key("d")).Set("version", 3)},
		{"created", docs.Update(dynantic.Key("d")).Remove("created")},
		{"updated", docs.Update(dynantic.Key("d")).Set("updated", time.Now())},
		{"negative Version", docs.Update(dynantic.Key("d")).Set("body", "x").Version(-1)},
	}
	for _, c := range managed {
		noRequests(t, e, func() {
			if _, err := c.u.Execute(ctx); !errors.Is(err, dynantic.ErrInvalidUpdate) || !strings.Contains(err.Error(), "VersionedDoc") {
				t.Errorf("%s: %v", c.name, err)
			}
		})
	}
	noRequests(t, e, func() {
		if _, err := u().Set("name", "x").Version(1).Execute(ctx); !errors.Is(err, dynantic.ErrInvalidUpdate) {
			t.Errorf("Version on an unversioned model: %v", err)
		}
	})
}

func nanFloat() float64 { z := 0.0; return z / z }

// TestUpdateUnknownAttributesAllowed: with AllowUnknownAttributes, values
// for attributes outside the model are encoded by their own type.
func TestUpdateUnknownAttributesAllowed(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	counters := newTable[HitCounter](t, e, dynantic.AllowUnknownAttributes())
	ctx := context.Background()
	_, err := counters.Update(dynantic.Key("c")).Set("legacy", "v").Add("hits", 2).Add("labels", map[string]struct{}{"x": {}}).Execute(ctx)
	if err != nil {
		t.Fatal(err)
	}
	raw := storedItem(t, e, counters.Name(), map[string]types.AttributeValue{"id": &types.AttributeValueMemberS{Value: "c"}})
	if avS(raw, "legacy") != "v" || avN(raw, "hits") != "2" || !reflect.DeepEqual(raw["labels"], &types.AttributeValueMemberSS{Value: []string{"x"}}) {
		t.Fatalf("raw item %v", raw)
	}
	// Without a model field saying so, a []string is a list, not a set.
	noRequests(t, e, func() {
		for _, v := range []any{"s", []string{"x"}} {
			if _, err := counters.Update(dynantic.Key("c")).Add("other", v).Execute(ctx); !errors.Is(err, dynantic.ErrInvalidUpdate) {
				t.Errorf("Add of %T to an unknown attribute: %v", v, err)
			}
		}
	})
}

// TestUpdatePathRulesMatchDynamoDB sends pairs of SET paths straight to
// DynamoDB and checks that it rejects as overlapping exactly the pairs that
// Update refuses before sending.
func TestUpdatePathRulesMatchDynamoDB(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	profiles := newTable[UserProfile](t, e, dynantic.AllowUnknownAttributes())
	ctx := context.Background()
	p := newUserProfile()
	p.History = []string{"a", "b", "c"}
	p.Prefs = map[string]string{"b": "1", "c": "2"}
	if err := profiles.Save(ctx, p); err != nil {
		t.Fatal(err)
	}
	pairs := []struct{ a, b string }{
		{"history", "history[1]"}, {"history[1]", "history[2]"}, {"history[1]", "history[1]"},
		{"prefs.b", "prefs.c"}, {"prefs.b", "prefs[0]"}, {"prefs", "prefs.b"}, {"prefs.b", "prefsx"},
	}
	for _, pr := range pairs {
		local := profiles.Update(userProfileKey).Set(pr.a, "v").Set(pr.b, "w")
		before := e.requests.n.Load()
		_, err := local.Execute(ctx)
		sent := e.requests.n.Load() - before
		refused := errors.Is(err, dynantic.ErrInvalidUpdate)
		if refused != (sent == 0) {
			t.Fatalf("%v: refused=%v but %d requests", pr, refused, sent)
		}
		names := map[string]string{}
		expr := func(s string) string {
			var b strings.Builder
			for i, part := range strings.Split(s, ".") {
				if i > 0 {
					b.WriteByte('.')
				}
				name, idx, _ := strings.Cut(part, "[")
				names["#"+name] = name
				b.WriteString("#" + name)
				if idx != "" {
					b.WriteString("[" + idx)
				}
			}
			return b.String()
		}
		text := "SET " + expr(pr.a) + " = :v, " + expr(pr.b) + " = :w"
		_, rawErr := e.client.UpdateItem(ctx, &dynamodb.UpdateItemInput{
			TableName: aws.String(profiles.Name()), Key: userProfileRawKey(), UpdateExpression: aws.String(text),
			ExpressionAttributeNames: names,
			ExpressionAttributeValues: map[string]types.AttributeValue{
				":v": &types.AttributeValueMemberS{Value: "v"}, ":w": &types.AttributeValueMemberS{Value: "w"}},
		})
		dynamoRefused := rawErr != nil && (strings.Contains(rawErr.Error(), "overlap") || strings.Contains(rawErr.Error(), "conflict"))
		if refused != dynamoRefused {
			t.Errorf("%v: Update refused=%v (%v), DynamoDB refused=%v (%v)", pr, refused, err, dynamoRefused, rawErr)
		}
		if !dynamoRefused && rawErr != nil {
			t.Errorf("%v: DynamoDB: %v", pr, rawErr)
		}
	}
}
