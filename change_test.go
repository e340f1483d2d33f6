package dynantic_test

import (
	"errors"
	"reflect"
	"strconv"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb/types"
	st "github.com/aws/aws-sdk-go-v2/service/dynamodbstreams/types"

	"github.com/dynantic/dynantic"
)

// Stream records here copy the shapes DynamoDB Local returns from
// GetRecords (eventID, eventName, eventSource aws:dynamodb, eventVersion 1.1,
// the dynamodb member with Keys, images, SequenceNumber, SizeBytes and
// StreamViewType) and, for TTL deletions, which DynamoDB Local cannot make
// in a test's time, the userIdentity AWS documents for them: type
// "Service", principalId "dynamodb.amazonaws.com".

func sS(s string) st.AttributeValue { return &st.AttributeValueMemberS{Value: s} }
func sN(s string) st.AttributeValue { return &st.AttributeValueMemberN{Value: s} }

var recordTime = time.Date(2026, 12, 3, 11, 3, 0, 0, time.UTC)

// orderRecord is a record of the orders table (customer_id, order_id).
func orderRecord(id string, kind st.OperationType, view st.StreamViewType, old, new map[string]st.AttributeValue) st.Record {
	return st.Record{
		AwsRegion:    aws.String("ddblocal"),
		EventID:      aws.String(id),
		EventName:    kind,
		EventSource:  aws.String("aws:dynamodb"),
		EventVersion: aws.String("1.1"),
		Dynamodb: &st.StreamRecord{
			ApproximateCreationDateTime: aws.Time(recordTime),
			Keys:                        map[string]st.AttributeValue{"customer_id": sS("c1"), "order_id": sN("7")},
			OldImage:                    old,
			NewImage:                    new,
			SequenceNumber:              aws.String("000000000000000000042"),
			SizeBytes:                   aws.Int64(30),
			StreamViewType:              view,
		},
	}
}

func orderImage(total string, extra ...string) map[string]st.AttributeValue {
	m := map[string]st.AttributeValue{"customer_id": sS("c1"), "order_id": sN("7"), "total": sN(total)}
	for i := 0; i+1 < len(extra); i += 2 {
		m[extra[i]] = sS(extra[i+1])
	}
	return m
}

var ttlIdentity = &st.Identity{Type: aws.String("Service"), PrincipalId: aws.String(dynantic.TTLPrincipal)}

// TestChangeImagesByViewType: each view type's records decode into the
// images it carries, typed; the record's fields come through.
func TestChangeImagesByViewType(t *testing.T) {
	orders := dynantic.MustTable[Order](offlineEnv(t).db, dynantic.WithTableName("orders"))
	old, new := orderImage("9.5"), orderImage("12")
	for _, c := range []struct {
		view             st.StreamViewType
		kind             st.OperationType
		old, new         map[string]st.AttributeValue
		wantOld, wantNew bool
	}{
		{st.StreamViewTypeKeysOnly, st.OperationTypeInsert, nil, nil, false, false},
		{st.StreamViewTypeKeysOnly, st.OperationTypeModify, nil, nil, false, false},
		{st.StreamViewTypeKeysOnly, st.OperationTypeRemove, nil, nil, false, false},
		{st.StreamViewTypeNewImage, st.OperationTypeInsert, nil, new, false, true},
		{st.StreamViewTypeNewImage, st.OperationTypeModify, nil, new, false, true},
		{st.StreamViewTypeNewImage, st.OperationTypeRemove, nil, nil, false, false},
		{st.StreamViewTypeOldImage, st.OperationTypeInsert, nil, nil, false, false},
		{st.StreamViewTypeOldImage, st.OperationTypeModify, old, nil, true, false},
		{st.StreamViewTypeOldImage, st.OperationTypeRemove, old, nil, true, false},
		{st.StreamViewTypeNewAndOldImages, st.OperationTypeInsert, nil, new, false, true},
		{st.StreamViewTypeNewAndOldImages, st.OperationTypeModify, old, new, true, true},
		{st.StreamViewTypeNewAndOldImages, st.OperationTypeRemove, old, nil, true, false},
	} {
		name := string(c.view) + " " + string(c.kind)
		ch, err := dynantic.DecodeRecord(orders, orderRecord("ev-1", c.kind, c.view, c.old, c.new))
		if err != nil {
			t.Errorf("%s: %v", name, err)
			continue
		}
		if ch.Kind.String() != string(c.kind) || ch.EventID != "ev-1" || ch.SequenceNumber != "000000000000000000042" ||
			!ch.ApproximateTime.Equal(recordTime) || string(ch.ViewType) != string(c.view) || ch.TTLExpired() {
			t.Errorf("%s: record fields %+v", name, ch.ChangeRecord)
		}
		if k := ch.Keys; len(k) != 2 || k["customer_id"].(*types.AttributeValueMemberS).Value != "c1" || k["order_id"].(*types.AttributeValueMemberN).Value != "7" {
			t.Errorf("%s: keys %v", name, ch.Keys)
		}
		if (ch.Old != nil) != c.wantOld || (ch.New != nil) != c.wantNew || (ch.OldItem != nil) != c.wantOld || (ch.NewItem != nil) != c.wantNew {
			t.Errorf("%s: Old %v New %v, want old %v new %v", name, ch.Old, ch.New, c.wantOld, c.wantNew)
		}
		if c.wantOld && (ch.Old.CustomerID != "c1" || ch.Old.OrderID != 7 || ch.Old.Total != 9.5) {
			t.Errorf("%s: Old = %+v", name, ch.Old)
		}
		if c.wantNew && ch.New.Total != 12 {
			t.Errorf("%s: New = %+v", name, ch.New)
		}
	}
}

// TestChangeTTLExpiry: a removal by TTL carries DynamoDB's service
// principal; a removal by a request carries no identity.
func TestChangeTTLExpiry(t *testing.T) {
	orders := dynantic.MustTable[Order](offlineEnv(t).db, dynantic.WithTableName("orders"))
	rec := orderRecord("ev-ttl", st.OperationTypeRemove, st.StreamViewTypeNewAndOldImages, orderImage("9.5"), nil)
	rec.UserIdentity = ttlIdentity
	ch, err := dynantic.DecodeRecord(orders, rec)
	if err != nil || !ch.TTLExpired() || ch.Kind != dynantic.ChangeRemove || ch.Old == nil || ch.Old.Total != 9.5 {
		t.Fatalf("TTL removal: %+v, %v", ch, err)
	}
	rec.UserIdentity = nil
	if ch, _ := dynantic.DecodeRecord(orders, rec); ch.TTLExpired() {
		t.Error("a removal without the service identity counted as a TTL expiry")
	}
	rec.UserIdentity = &st.Identity{Type: aws.String("Service"), PrincipalId: aws.String("other.amazonaws.com")}
	if ch, _ := dynantic.DecodeRecord(orders, rec); ch.TTLExpired() {
		t.Error("another service's removal counted as a TTL expiry")
	}
	// DynamoDB Local 3.3.1 records its TTL deletions with this event name
	// and no userIdentity (seen in its GetRecords answers); they are read
	// as DynamoDB writes them.
	rec.UserIdentity, rec.EventName = nil, "UNKNOWN_TO_SDK_VERSION"
	ch, err = dynantic.DecodeRecord(orders, rec)
	if err != nil || !ch.TTLExpired() || ch.Kind != dynantic.ChangeRemove || ch.Old == nil {
		t.Fatalf("DynamoDB Local's TTL removal: %+v, %v", ch, err)
	}
	rec.UserIdentity = &st.Identity{Type: aws.String("User"), PrincipalId: aws.String("x")}
	if _, err := dynantic.DecodeRecord(orders, rec); !errors.Is(err, dynantic.ErrInvalidRecord) {
		t.Errorf("that event name with a user identity: %v, want ErrInvalidRecord", err)
	}
}

func TestChangedAttributes(t *testing.T) {
	rec := func(kind dynantic.ChangeKind, old, new map[string]types.AttributeValue) dynantic.ChangeRecord {
		return dynantic.ChangeRecord{Kind: kind, OldItem: old, NewItem: new}
	}
	n := func(s string) types.AttributeValue { return &types.AttributeValueMemberN{Value: s} }
	ss := func(v ...string) types.AttributeValue { return &types.AttributeValueMemberSS{Value: v} }
	m := func(kv ...any) types.AttributeValue {
		out := map[string]types.AttributeValue{}
		for i := 0; i < len(kv); i += 2 {
			out[kv[i].(string)] = kv[i+1].(types.AttributeValue)
		}
		return &types.AttributeValueMemberM{Value: out}
	}
	old := map[string]types.AttributeValue{
		"pk": sAV("a"), "price": n("9.50"), "tags": ss("x", "y"), "gone": sAV("g"), "same": m("k", n("1")), "nested": m("k", n("1")),
	}
	new := map[string]types.AttributeValue{
		"pk": sAV("a"), "price": n("9.5"), "tags": ss("y", "x"), "added": sAV("n"), "same": m("k", n("1.0")), "nested": m("k", n("2")),
	}
	for _, c := range []struct {
		name string
		r    dynantic.ChangeRecord
		want []string
	}{
		{"modify", rec(dynantic.ChangeModify, old, new), []string{"added", "gone", "nested"}},
		{"modify, no old image", rec(dynantic.ChangeModify, nil, new), nil},
		{"modify, no new image", rec(dynantic.ChangeModify, old, nil), nil},
		{"insert", rec(dynantic.ChangeInsert, nil, new), []string{"added", "nested", "pk", "price", "same", "tags"}},
		{"remove", rec(dynantic.ChangeRemove, old, nil), []string{"gone", "nested", "pk", "price", "same", "tags"}},
		{"keys only", rec(dynantic.ChangeRemove, nil, nil), nil},
	} {
		if got := c.r.ChangedAttributes(); !reflect.DeepEqual(got, c.want) {
			t.Errorf("%s: %v, want %v", c.name, got, c.want)
		}
	}
}

// TestChangeBadRecords: a record that cannot be the table's, or is
// malformed, is a *RecordError naming the record's event ID, never a panic.
func TestChangeBadRecords(t *testing.T) {
	e := offlineEnv(t)
	orders := dynantic.MustTable[Order](e.db, dynantic.WithTableName("orders"))
	good := func() st.Record {
		return orderRecord("ev-bad", st.OperationTypeModify, st.StreamViewTypeNewAndOldImages, orderImage("1"), orderImage("2"))
	}
	deep := sS("leaf")
	for range 40 {
		deep = &st.AttributeValueMemberL{Value: []st.AttributeValue{deep}}
	}
	invalid, codecErr := "invalid", "codec"
	for _, c := range []struct {
		name   string
		change func(*st.Record)
		want   string // invalid: matches ErrInvalidRecord; codec: wraps a *CodecError
	}{
		{"keys of another table", func(r *st.Record) { r.Dynamodb.Keys = map[string]st.AttributeValue{"id": sS("x")} }, invalid},
		{"no sort key", func(r *st.Record) { delete(r.Dynamodb.Keys, "order_id") }, invalid},
		{"an extra key", func(r *st.Record) { r.Dynamodb.Keys["other"] = sS("x") }, invalid},
		{"a mistyped key", func(r *st.Record) { r.Dynamodb.Keys["order_id"] = sS("7") }, invalid},
		{"an empty key", func(r *st.Record) { r.Dynamodb.Keys["customer_id"] = sS("") }, invalid},
		{"no keys", func(r *st.Record) { r.Dynamodb.Keys = nil }, invalid},
		{"missing old image", func(r *st.Record) { r.Dynamodb.OldImage = nil }, invalid},
		{"missing new image", func(r *st.Record) { r.Dynamodb.NewImage = nil }, invalid},
		{"insert with an old image", func(r *st.Record) { r.EventName = st.OperationTypeInsert }, invalid},
		{"remove with a new image", func(r *st.Record) { r.EventName = st.OperationTypeRemove }, invalid},
		{"keys only with images", func(r *st.Record) { r.Dynamodb.StreamViewType = st.StreamViewTypeKeysOnly }, invalid},
		{"new image with an old image", func(r *st.Record) { r.Dynamodb.StreamViewType = st.StreamViewTypeNewImage }, invalid},
		{"unknown view type", func(r *st.Record) { r.Dynamodb.StreamViewType = "ALL" }, invalid},
		{"unknown event name", func(r *st.Record) { r.EventName = "UPSERT" }, invalid},
		{"no dynamodb member", func(r *st.Record) { r.Dynamodb = nil }, invalid},
		{"nil attribute value", func(r *st.Record) { r.Dynamodb.NewImage["total"] = nil }, invalid},
		{"typed nil attribute value", func(r *st.Record) { r.Dynamodb.NewImage["total"] = (*st.AttributeValueMemberN)(nil) }, invalid},
		{"nil inside a list", func(r *st.Record) {
			r.Dynamodb.NewImage["l"] = &st.AttributeValueMemberL{Value: []st.AttributeValue{sS("a"), nil}}
		}, invalid},
		{"nil inside a map", func(r *st.Record) {
			r.Dynamodb.OldImage["m"] = &st.AttributeValueMemberM{Value: map[string]st.AttributeValue{"k": (*st.AttributeValueMemberM)(nil)}}
		}, invalid},
		{"unknown union member", func(r *st.Record) { r.Dynamodb.Keys["order_id"] = &st.UnknownUnionMember{Tag: "X"} }, invalid},
		{"nested too deep", func(r *st.Record) { r.Dynamodb.NewImage["deep"] = deep }, invalid},
		{"image of another table", func(r *st.Record) { r.Dynamodb.NewImage = map[string]st.AttributeValue{"id": sS("x")} }, codecErr},
		{"malformed number", func(r *st.Record) { r.Dynamodb.NewImage["total"] = sN("twelve") }, codecErr},
		{"fraction into an int", func(r *st.Record) { r.Dynamodb.OldImage["order_id"] = sN("7.5") }, codecErr},
		{"string for a number", func(r *st.Record) { r.Dynamodb.OldImage["total"] = sS("1") }, codecErr},
	} {
		rec := good()
		c.change(&rec)
		_, err := dynantic.DecodeRecord(orders, rec)
		var re *dynantic.RecordError
		if !errors.As(err, &re) || re.EventID != "ev-bad" || re.SequenceNumber != "000000000000000000042" && rec.Dynamodb != nil {
			t.Errorf("%s: %v, want a *RecordError naming ev-bad", c.name, err)
			continue
		}
		var ce *dynantic.CodecError
		switch {
		case c.want == invalid && !errors.Is(err, dynantic.ErrInvalidRecord):
			t.Errorf("%s: %v does not match ErrInvalidRecord", c.name, err)
		case c.want == codecErr && (!errors.As(err, &ce) || errors.Is(err, dynantic.ErrInvalidRecord)):
			t.Errorf("%s: %v, want a *CodecError (and not ErrInvalidRecord)", c.name, err)
		}
		t.Logf("%s: %v", c.name, err)
	}
	// A record built by hand with no kind.
	if _, err := orders.DecodeChange(dynantic.ChangeRecord{EventID: "ev-0"}); !errors.Is(err, dynantic.ErrInvalidRecord) {
		t.Errorf("zero kind: %v", err)
	}
}

// TestPolyChange: each image decodes into its own variant; unknown
// variants follow the Poly's option; a variant's Table refuses another
// variant's record.
func TestPolyChange(t *testing.T) {
	e := offlineEnv(t)
	animals := dynantic.MustPoly[Animal](e.db, dynantic.Variant[Dog]("DOG"), dynantic.Variant[Cat]("CAT"))
	rec := func(oldType, newType string) st.Record {
		img := func(typ string) map[string]st.AttributeValue {
			return map[string]st.AttributeValue{"animal_id": sS("a1"), "type": sS(typ), "name": sS("Rex"), "breed": sS("lab"), "lives_remaining": sN("9")}
		}
		return st.Record{EventID: aws.String("ev-" + oldType + "-" + newType), EventName: st.OperationTypeModify, Dynamodb: &st.StreamRecord{
			Keys: map[string]st.AttributeValue{"animal_id": sS("a1")}, OldImage: img(oldType), NewImage: img(newType),
			SequenceNumber: aws.String("1"), StreamViewType: st.StreamViewTypeNewAndOldImages,
		}}
	}
	ch, err := dynantic.DecodeRecord(animals, rec("DOG", "CAT"))
	if err != nil {
		t.Fatal(err)
	}
	dog, isDog := ch.Old.(*Dog)
	cat, isCat := ch.New.(*Cat)
	if !isDog || !isCat || dog.Breed != "lab" || cat.LivesRemaining != 9 || ch.ChangedAttributes()[0] != "type" {
		t.Fatalf("PolyChange: Old %#v New %#v", ch.Old, ch.New)
	}
	var uv *dynantic.UnknownVariantError
	var re *dynantic.RecordError
	if _, err := dynantic.DecodeRecord(animals, rec("DOG", "BIRD")); !errors.As(err, &uv) || !errors.As(err, &re) || re.EventID != "ev-DOG-BIRD" {
		t.Errorf("unknown variant: %v, want a *RecordError wrapping an *UnknownVariantError", err)
	}
	keep := dynantic.MustPoly[Animal](e.db, dynantic.Variant[Dog]("DOG"), dynantic.KeepUnknown())
	if ch, err := dynantic.DecodeRecord(keep, rec("DOG", "BIRD")); err != nil || ch.New.(*dynantic.RawItem).Discriminator != "BIRD" {
		t.Errorf("KeepUnknown: %+v, %v", ch, err)
	}
	skip := dynantic.MustPoly[Animal](e.db, dynantic.Variant[Dog]("DOG"), dynantic.SkipUnknown())
	if ch, err := dynantic.DecodeRecord(skip, rec("DOG", "BIRD")); err != nil || ch.New != nil || ch.Old.(*Dog).Name != "Rex" {
		t.Errorf("SkipUnknown: %+v, %v", ch, err)
	}
	dogs := dynantic.MustVariantTable[Dog](animals)
	if _, err := dynantic.DecodeRecord(dogs, rec("DOG", "CAT")); !errors.Is(err, dynantic.ErrUnknownVariant) || !errors.As(err, &re) {
		t.Errorf("Dog table, record of a cat: %v, want a *RecordError matching ErrUnknownVariant", err)
	}
	if ch, err := dynantic.DecodeRecord(dogs, rec("DOG", "DOG")); err != nil || ch.New.Breed != "lab" {
		t.Errorf("Dog table, record of a dog: %+v, %v", ch, err)
	}
}

func TestChangeKindString(t *testing.T) {
	for _, name := range []string{"INSERT", "MODIFY", "REMOVE"} {
		k, ok := dynantic.ParseChangeKind(name)
		if !ok || k.String() != name {
			t.Errorf("%s: %v %v", name, k, ok)
		}
	}
	if _, ok := dynantic.ParseChangeKind("insert"); ok {
		t.Error("lower-case event name accepted")
	}
	if s := dynantic.ChangeKind(9).String(); s != "ChangeKind("+strconv.Itoa(9)+")" {
		t.Error(s)
	}
}
