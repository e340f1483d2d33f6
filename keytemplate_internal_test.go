package dynantic

import (
	"reflect"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/service/dynamodb/types"

	"github.com/dynantic/dynantic/internal/codec"
	"github.com/dynantic/dynantic/internal/schema"
)

func TestTimeWidth(t *testing.T) {
	if len(codec.TimeLayout) != schema.TimeWidth {
		t.Fatalf("schema.TimeWidth = %d, codec.TimeLayout has %d characters", schema.TimeWidth, len(codec.TimeLayout))
	}
}

// FuzzFieldText checks that the texts of template fields parse back to the
// values they were made from, and that any text that parses formats back to
// itself (so a key read and written again is unchanged).
func FuzzFieldText(f *testing.F) {
	parts := []*schema.Part{
		{Kind: schema.PartInt, Width: 19},
		{Kind: schema.PartInt, Width: 4},
		{Kind: schema.PartUint, Width: 5},
		{Kind: schema.PartUint, Width: 20},
		{Kind: schema.PartTime, Width: schema.TimeWidth},
	}
	types := []reflect.Type{reflect.TypeFor[int64](), reflect.TypeFor[int16](), reflect.TypeFor[uint16](), reflect.TypeFor[uint64](), reflect.TypeFor[time.Time]()}
	f.Add(uint8(0), int64(42), "0000000000000000042")
	f.Add(uint8(1), int64(-1), "0999")
	f.Add(uint8(2), int64(65535), "65536")
	f.Add(uint8(4), int64(1714557600123456789), "2024-05-01T10:00:00.123456789Z")
	f.Add(uint8(4), int64(0), "2024-02-30T10:00:00.000000000Z")
	f.Fuzz(func(t *testing.T, which uint8, n int64, text string) {
		i := int(which) % len(parts)
		p, typ := parts[i], types[i]
		v := reflect.New(typ).Elem()
		switch typ.Kind() {
		case reflect.Int64, reflect.Int16:
			if v.OverflowInt(n) {
				return
			}
			v.SetInt(n)
		case reflect.Uint16, reflect.Uint64:
			if n < 0 || v.OverflowUint(uint64(n)) {
				return
			}
			v.SetUint(uint64(n))
		default:
			v.Set(reflect.ValueOf(time.Unix(0, n).UTC()))
		}
		if s, empty, err := fieldText(v, p); err == nil && !empty {
			back := reflect.New(typ).Elem()
			if err := setFieldText(back, p, s); err != nil || !back.Equal(v) {
				t.Fatalf("%v: text %q parses to %v, %v", v, s, back, err)
			}
		}
		if len(text) != p.Width {
			return
		}
		got := reflect.New(typ).Elem()
		if err := setFieldText(got, p, text); err != nil {
			return
		}
		if s, _, err := fieldText(got, p); err != nil || s != text {
			t.Fatalf("%q parses to %v, which formats to %q, %v", text, got, s, err)
		}
	})
}

type kfaItem struct {
	PK   string `dynamo:"pk,pk"`
	SK   string `dynamo:"sk,sk"`
	User string `dynamo:"-"`
	N    int    `dynamo:"-"`
}

// An ItemKey rebuilt from a stored key (batch and transaction reports) can
// be used again on a table with key templates.
func TestKeyFromAttrsTemplated(t *testing.T) {
	tbl, err := newTable(New(nil), reflect.TypeFor[kfaItem](), []TableOption{WithTableName("kfa"),
		KeyTemplate("pk", "U#{User}"), KeyTemplate("sk", "N#{N:4}")})
	if err != nil {
		t.Fatal(err)
	}
	want, err := tbl.key(Key("u1", 7))
	if err != nil {
		t.Fatal(err)
	}
	if want["pk"].(*types.AttributeValueMemberS).Value != "U#u1" || want["sk"].(*types.AttributeValueMemberS).Value != "N#0007" {
		t.Fatalf("key: %v", renderItem(want))
	}
	got, err := tbl.key(tbl.keyFromAttrs(want))
	if err != nil || renderItem(got) != renderItem(want) {
		t.Fatalf("key of keyFromAttrs = %v, %v; want %v", renderItem(got), err, renderItem(want))
	}
}
