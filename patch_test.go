package dynantic_test

import (
	"context"
	"errors"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb/types"

	"github.com/dynantic/dynantic"
)

// TestPatch: the named attributes are written as Save would write them
// (omitted values removed, zero values stored), nothing else is touched.
func TestPatch(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	profiles := newTable[UserProfile](t, e, dynantic.AllowUnknownAttributes())
	ctx := context.Background()
	p := newUserProfile()
	p.Nick, p.LoginCount, p.History = ptr("bob"), 5, []string{"h"}
	if err := profiles.Save(ctx, p); err != nil {
		t.Fatal(err)
	}
	// An attribute written by another program.
	if _, err := profiles.Update(userProfileKey).Set("legacy", "keep").Execute(ctx); err != nil {
		t.Fatal(err)
	}

	patch := &UserProfile{UserID: "user-123", Email: "john@example.com", Stock: 3, History: []string{}}
	before := e.requests.n.Load()
	if _, err := profiles.Patch(patch, "nick", "tags", "login_count", "note", "stock", "history").Execute(ctx); err != nil {
		t.Fatal(err)
	}
	if n := e.requests.n.Load() - before; n != 1 {
		t.Errorf("Patch sent %d requests", n)
	}
	raw := storedItem(t, e, profiles.Name(), userProfileRawKey())
	for _, gone := range []string{"nick", "tags", "note"} {
		if raw[gone] != nil {
			t.Errorf("%s: a nil/empty/omitempty value was not removed: %v", gone, raw[gone])
		}
	}
	if avN(raw, "login_count") != "0" || avN(raw, "stock") != "3" {
		t.Errorf("zero values are stored as Save stores them: %v", raw)
	}
	if l, ok := raw["history"].(*types.AttributeValueMemberL); !ok || len(l.Value) != 0 {
		t.Errorf("an empty non-nil list is stored as an empty list: %v", raw["history"])
	}
	if avS(raw, "name") != "John" || avS(raw, "legacy") != "keep" || avS(raw, "category") != "gold" {
		t.Errorf("attributes not named were touched: %v", raw)
	}

	// More actions, a condition and a return value chain as on any update.
	patch.Stock = 8
	got, err := profiles.Patch(patch, "stock").Add("login_count", 2).If(dynantic.Attr("name").Eq("John")).
		Return(dynantic.ReturnAllNew).Execute(ctx)
	if err != nil || got.Stock != 8 || got.LoginCount != 2 || got.Name != "John" {
		t.Fatalf("chained patch: %+v %v", got, err)
	}
	_, err = profiles.Patch(patch, "stock").If(dynantic.Attr("name").Eq("Jane")).Execute(ctx)
	if !errors.Is(err, dynantic.ErrConditionFailed) {
		t.Fatalf("patch with a false condition: %v", err)
	}

	// Bad input: nothing is sent.
	bad := []struct {
		name  string
		u     *dynantic.Update[UserProfile]
		check func(error) bool
	}{
		{"required field empty", profiles.Patch(patch, "name"), func(err error) bool {
			var ve *dynantic.ValidationError
			return errors.As(err, &ve) && ve.Fields[0].Attribute == "name" && ve.Fields[0].Tag == "required"
		}},
		{"invalid nested struct", profiles.Patch(&UserProfile{UserID: "u", Email: "e@x.io", Address: PostalAddress{Zip: "1"}}, "address"), func(err error) bool {
			var ve *dynantic.ValidationError
			return errors.As(err, &ve) && ve.Fields[0].Field == "Address.City"
		}},
		{"key attribute", profiles.Patch(patch, "email"), func(err error) bool { return errors.Is(err, dynantic.ErrInvalidUpdate) }},
		{"unknown attribute", profiles.Patch(patch, "legacy"), func(err error) bool { return errors.Is(err, dynantic.ErrUnknownAttribute) }},
		{"no attributes", profiles.Patch(patch), func(err error) bool { return errors.Is(err, dynantic.ErrInvalidUpdate) }},
		{"twice the same", profiles.Patch(patch, "stock", "stock"), func(err error) bool { return errors.Is(err, dynantic.ErrInvalidUpdate) }},
		{"nil item", profiles.Patch(nil, "stock"), func(err error) bool { return err != nil }},
		{"empty key", profiles.Patch(&UserProfile{UserID: "u"}, "stock"), func(err error) bool { return errors.Is(err, dynantic.ErrInvalidKey) }},
		{"managed attribute", nil, nil},
	}
	docs := newTable[VersionedDoc](t, e)
	for _, b := range bad {
		noRequests(t, e, func() {
			if b.u == nil {
				_, err := docs.Patch(&VersionedDoc{ID: "d"}, "updated").Execute(ctx)
				if !errors.Is(err, dynantic.ErrInvalidUpdate) {
					t.Errorf("%s: %v", b.name, err)
				}
				return
			}
			if _, err := b.u.Execute(ctx); !b.check(err) {
				t.Errorf("%s: unexpected error %v", b.name, err)
			}
		})
	}

	// Patch of an item that does not exist creates it with the key and the
	// named attributes (UpdateItem's upsert), unlike Save not validating the
	// rest of the struct.
	if _, err := profiles.Patch(&UserProfile{UserID: "u2", Email: "u2@example.com", Stock: 1}, "stock").Execute(ctx); err != nil {
		t.Fatal(err)
	}
	out, err := e.client.GetItem(ctx, &dynamodb.GetItemInput{TableName: aws.String(profiles.Name()), Key: map[string]types.AttributeValue{
		"user_id": &types.AttributeValueMemberS{Value: "u2"}, "email": &types.AttributeValueMemberS{Value: "u2@example.com"}}})
	if err != nil || len(out.Item) != 3 || avN(out.Item, "stock") != "1" {
		t.Fatalf("patched new item: %v %v", out.Item, err)
	}
}
