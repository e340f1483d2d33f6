package dynantic_test

import (
	"context"
	"errors"
	"testing"

	"github.com/aws/aws-sdk-go-v2/service/dynamodb/types"

	"github.com/dynantic/dynantic"
)

// Session uses key templates on a plain table: a composite partition key
// with a zero-padded number, and a sparse GSI key built from a field.
type Session struct {
	PK     string `dynamo:"pk,pk"`
	UserID string `dynamo:"-"`
	Seq    uint32 `dynamo:"-"`
	GSI1   string `dynamo:"gsi1pk,gsi_pk=ByDevice"`
	Device string `dynamo:"device"`
}

func TestKeyTemplatePlainTable(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	sessions := newTable[Session](t, e,
		dynantic.KeyTemplate("pk", "USER#{UserID}#S#{Seq}"),
		dynantic.KeyTemplate("gsi1pk", "DEVICE#{Device}"))
	ctx := context.Background()
	for _, s := range []*Session{{UserID: "u1", Seq: 5, Device: "ios"}, {UserID: "u1", Seq: 6}, {UserID: "u2", Seq: 0, Device: "ios"}} {
		if err := sessions.Save(ctx, s); err != nil {
			t.Fatal(err)
		}
	}
	raw := rawGet(t, e, sessions.Name(), map[string]types.AttributeValue{"pk": sAV("USER#u1#S#0000000005")})
	if raw == nil || raw["gsi1pk"].(*types.AttributeValueMemberS).Value != "DEVICE#ios" {
		t.Fatalf("stored session: %v", raw)
	}
	// An index key template whose fields are empty leaves the attribute out.
	raw = rawGet(t, e, sessions.Name(), map[string]types.AttributeValue{"pk": sAV("USER#u1#S#0000000006")})
	if _, ok := raw["gsi1pk"]; raw == nil || ok {
		t.Fatalf("sparse index key stored: %v", raw)
	}
	got, err := sessions.Get(ctx, dynantic.Key(dynantic.Parts{"u1", 5}))
	if err != nil || got.UserID != "u1" || got.Seq != 5 || got.Device != "ios" {
		t.Fatalf("Get = %+v, %v", got, err)
	}
	ios, err := sessions.QueryIndex("ByDevice", "ios").All(ctx)
	if err != nil || len(ios) != 2 {
		t.Fatalf("ByDevice: %+v, %v", ios, err)
	}
	for _, s := range ios {
		if s.UserID == "" || s.GSI1 != "DEVICE#ios" {
			t.Fatalf("ByDevice item: %+v", s)
		}
	}
	if err := sessions.DeleteItem(ctx, &Session{UserID: "u2", Seq: 0}); err != nil {
		t.Fatal(err)
	}
	if _, err := sessions.Get(ctx, sessions.KeyOf(&Session{UserID: "u2"})); !errors.Is(err, dynantic.ErrNotFound) {
		t.Fatalf("after DeleteItem: %v", err)
	}
	noRequests(t, e, func() {
		if _, err := sessions.Get(ctx, dynantic.Key(dynantic.Parts{"u1", -1})); !errors.Is(err, dynantic.ErrInvalidKey) {
			t.Errorf("negative Seq: %v", err)
		}
		if _, err := sessions.Get(ctx, dynantic.Key("u1")); !errors.Is(err, dynantic.ErrInvalidKey) {
			t.Errorf("missing Seq: %v", err)
		}
		if err := sessions.Save(ctx, &Session{UserID: "u#S#1", Seq: 1}); !errors.Is(err, dynantic.ErrInvalidKey) {
			t.Errorf("separator in UserID: %v", err)
		}
		if _, err := sessions.QueryIndex("ByDevice", "").All(ctx); !errors.Is(err, dynantic.ErrInvalidKey) {
			t.Errorf("empty index key: %v", err)
		}
	})
}
