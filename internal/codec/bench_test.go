package codec

import (
	"reflect"
	"strconv"
	"testing"
	"time"
	"unsafe"

	"github.com/aws/aws-sdk-go-v2/service/dynamodb/types"
)

// small is the 4-field benchmark model.
type small struct {
	ID     string `dynamo:"id,pk"`
	Name   string `dynamo:"name"`
	Count  int    `dynamo:"count"`
	Active bool   `dynamo:"active"`
}

type address struct {
	Street string `dynamo:"street"`
	City   string `dynamo:"city"`
	Zip    int    `dynamo:"zip"`
}

// medium is the ~18-field benchmark model.
type medium struct {
	ID      string            `dynamo:"id,pk"`
	SK      string            `dynamo:"sk,sk"`
	Name    string            `dynamo:"name"`
	Email   string            `dynamo:"email,omitempty"`
	Age     int               `dynamo:"age"`
	Score   float64           `dynamo:"score"`
	Small   int8              `dynamo:"small"`
	Big     uint64            `dynamo:"big"`
	Ratio   float32           `dynamo:"ratio"`
	Active  bool              `dynamo:"active"`
	Created time.Time         `dynamo:"created"`
	Expires time.Time         `dynamo:"expires,ttl"`
	Tags    []string          `dynamo:"tags,set"`
	Items   []string          `dynamo:"items"`
	Attrs   map[string]string `dynamo:"attrs"`
	Address address           `dynamo:"address"`
	Manager *string           `dynamo:"manager"`
	Balance testNumber        `dynamo:"balance"`
}

func sampleSmall() small {
	return small{ID: "user#123", Name: "Ada Lovelace", Count: 1815, Active: true}
}

func sampleMedium() medium {
	return medium{
		ID: "user#123", SK: "profile", Name: "Ada Lovelace", Email: "ada@example.com",
		Age: 36, Score: 98.25, Small: -7, Big: 1 << 40, Ratio: 0.5, Active: true,
		Created: time.Date(2024, 5, 6, 7, 8, 9, 123456789, time.UTC),
		Expires: time.Unix(1800000000, 0).UTC(),
		Tags:    []string{"admin", "math", "poet"},
		Items:   []string{"engine", "notes"},
		Attrs:   map[string]string{"lang": "en", "tz": "UTC"},
		Address: address{Street: "1 St James's Square", City: "London", Zip: 1234},
		Manager: ptrOf("Babbage"),
		Balance: "1234.5678",
	}
}

// Hand-written, reflection-free codecs of the same models: the floor. They use
// the same primitives (number/time formatting and parsing) as the plans, so
// the ratio measures the plans' own overhead.

func handEncodeSmall(v *small) map[string]types.AttributeValue {
	return map[string]types.AttributeValue{
		"id":     &types.AttributeValueMemberS{Value: v.ID},
		"name":   &types.AttributeValueMemberS{Value: v.Name},
		"count":  &types.AttributeValueMemberN{Value: strconv.Itoa(v.Count)},
		"active": &types.AttributeValueMemberBOOL{Value: v.Active},
	}
}

func handDecodeSmall(m map[string]types.AttributeValue, v *small) error {
	if a, ok := m["id"].(*types.AttributeValueMemberS); ok {
		v.ID = a.Value
	}
	if a, ok := m["name"].(*types.AttributeValueMemberS); ok {
		v.Name = a.Value
	}
	if a, ok := m["count"].(*types.AttributeValueMemberN); ok {
		n, err := strconv.Atoi(a.Value)
		if err != nil {
			return err
		}
		v.Count = n
	}
	if a, ok := m["active"].(*types.AttributeValueMemberBOOL); ok {
		v.Active = a.Value
	}
	return nil
}

func handEncodeMedium(v *medium) (map[string]types.AttributeValue, error) {
	m := make(map[string]types.AttributeValue, 18)
	m["id"] = &types.AttributeValueMemberS{Value: v.ID}
	m["sk"] = &types.AttributeValueMemberS{Value: v.SK}
	m["name"] = &types.AttributeValueMemberS{Value: v.Name}
	if v.Email != "" {
		m["email"] = &types.AttributeValueMemberS{Value: v.Email}
	}
	m["age"] = &types.AttributeValueMemberN{Value: strconv.Itoa(v.Age)}
	s, err := formatFloat(v.Score, 64)
	if err != nil {
		return nil, err
	}
	m["score"] = &types.AttributeValueMemberN{Value: s}
	m["small"] = &types.AttributeValueMemberN{Value: strconv.FormatInt(int64(v.Small), 10)}
	m["big"] = &types.AttributeValueMemberN{Value: strconv.FormatUint(v.Big, 10)}
	if s, err = formatFloat(float64(v.Ratio), 32); err != nil {
		return nil, err
	}
	m["ratio"] = &types.AttributeValueMemberN{Value: s}
	m["active"] = &types.AttributeValueMemberBOOL{Value: v.Active}
	if s, err = formatTime(v.Created); err != nil {
		return nil, err
	}
	m["created"] = &types.AttributeValueMemberS{Value: s}
	if !v.Expires.IsZero() {
		m["expires"] = &types.AttributeValueMemberN{Value: strconv.FormatInt(v.Expires.Unix(), 10)}
	}
	if len(v.Tags) > 0 {
		for i := range v.Tags {
			for j := range i {
				if v.Tags[i] == v.Tags[j] {
					return nil, encErr("duplicate")
				}
			}
		}
		m["tags"] = &types.AttributeValueMemberSS{Value: append([]string(nil), v.Tags...)}
	}
	if v.Items != nil {
		l := make([]types.AttributeValue, len(v.Items))
		for i, it := range v.Items {
			l[i] = &types.AttributeValueMemberS{Value: it}
		}
		m["items"] = &types.AttributeValueMemberL{Value: l}
	}
	if v.Attrs != nil {
		am := make(map[string]types.AttributeValue, len(v.Attrs))
		for k, x := range v.Attrs {
			am[k] = &types.AttributeValueMemberS{Value: x}
		}
		m["attrs"] = &types.AttributeValueMemberM{Value: am}
	}
	m["address"] = &types.AttributeValueMemberM{Value: map[string]types.AttributeValue{
		"street": &types.AttributeValueMemberS{Value: v.Address.Street},
		"city":   &types.AttributeValueMemberS{Value: v.Address.City},
		"zip":    &types.AttributeValueMemberN{Value: strconv.Itoa(v.Address.Zip)},
	}}
	if v.Manager != nil {
		m["manager"] = &types.AttributeValueMemberS{Value: *v.Manager}
	}
	if v.Balance != "" {
		if msg := checkNumber(string(v.Balance)); msg != "" {
			return nil, encErr(msg)
		}
		m["balance"] = &types.AttributeValueMemberN{Value: string(v.Balance)}
	}
	return m, nil
}

func handDecodeMedium(m map[string]types.AttributeValue, v *medium) error {
	str := func(name string, dst *string) {
		if a, ok := m[name].(*types.AttributeValueMemberS); ok {
			*dst = a.Value
		}
	}
	str("id", &v.ID)
	str("sk", &v.SK)
	str("name", &v.Name)
	str("email", &v.Email)
	if a, ok := m["age"].(*types.AttributeValueMemberN); ok {
		n, err := strconv.ParseInt(a.Value, 10, 64)
		if err != nil {
			return err
		}
		v.Age = int(n)
	}
	if a, ok := m["score"].(*types.AttributeValueMemberN); ok {
		f, err := strconv.ParseFloat(a.Value, 64)
		if err != nil {
			return err
		}
		v.Score = f
	}
	if a, ok := m["small"].(*types.AttributeValueMemberN); ok {
		n, err := strconv.ParseInt(a.Value, 10, 8)
		if err != nil {
			return err
		}
		v.Small = int8(n)
	}
	if a, ok := m["big"].(*types.AttributeValueMemberN); ok {
		n, err := strconv.ParseUint(a.Value, 10, 64)
		if err != nil {
			return err
		}
		v.Big = n
	}
	if a, ok := m["ratio"].(*types.AttributeValueMemberN); ok {
		f, err := strconv.ParseFloat(a.Value, 32)
		if err != nil {
			return err
		}
		v.Ratio = float32(f)
	}
	if a, ok := m["active"].(*types.AttributeValueMemberBOOL); ok {
		v.Active = a.Value
	}
	if a, ok := m["created"].(*types.AttributeValueMemberS); ok {
		t, err := parseTime(a.Value)
		if err != nil {
			return err
		}
		v.Created = t
	}
	if a, ok := m["expires"].(*types.AttributeValueMemberN); ok {
		n, err := strconv.ParseInt(a.Value, 10, 64)
		if err != nil {
			return err
		}
		v.Expires = time.Unix(n, 0).UTC()
	}
	if a, ok := m["tags"].(*types.AttributeValueMemberSS); ok {
		v.Tags = append(make([]string, 0, len(a.Value)), a.Value...)
	}
	if a, ok := m["items"].(*types.AttributeValueMemberL); ok {
		v.Items = make([]string, len(a.Value))
		for i, x := range a.Value {
			if s, ok := x.(*types.AttributeValueMemberS); ok {
				v.Items[i] = s.Value
			}
		}
	}
	if a, ok := m["attrs"].(*types.AttributeValueMemberM); ok {
		v.Attrs = make(map[string]string, len(a.Value))
		for k, x := range a.Value {
			if s, ok := x.(*types.AttributeValueMemberS); ok {
				v.Attrs[k] = s.Value
			}
		}
	}
	if a, ok := m["address"].(*types.AttributeValueMemberM); ok {
		if s, ok := a.Value["street"].(*types.AttributeValueMemberS); ok {
			v.Address.Street = s.Value
		}
		if s, ok := a.Value["city"].(*types.AttributeValueMemberS); ok {
			v.Address.City = s.Value
		}
		if n, ok := a.Value["zip"].(*types.AttributeValueMemberN); ok {
			z, err := strconv.Atoi(n.Value)
			if err != nil {
				return err
			}
			v.Address.Zip = z
		}
	}
	if a, ok := m["manager"].(*types.AttributeValueMemberS); ok {
		s := a.Value
		v.Manager = &s
	}
	if a, ok := m["balance"].(*types.AttributeValueMemberN); ok {
		if msg := checkNumber(a.Value); msg != "" {
			return decErr(msg)
		}
		v.Balance = testNumber(a.Value)
	}
	return nil
}

func TestHandWrittenAgrees(t *testing.T) {
	s := sampleSmall()
	got, err := encodeStruct(&s)
	if err != nil || !reflect.DeepEqual(got, handEncodeSmall(&s)) {
		t.Fatalf("small: %s vs %s (%v)", dump(got), dump(handEncodeSmall(&s)), err)
	}
	m := sampleMedium()
	got, err = encodeStruct(&m)
	want, _ := handEncodeMedium(&m)
	if err != nil || !reflect.DeepEqual(got, want) {
		t.Fatalf("medium: %s\nvs %s (%v)", dump(got), dump(want), err)
	}
	var a, b medium
	if err := decodeStruct(want, &a); err != nil {
		t.Fatal(err)
	}
	if err := handDecodeMedium(want, &b); err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(a, b) || !reflect.DeepEqual(a, m) {
		t.Fatalf("decode: %+v\nvs %+v", a, b)
	}
}

// Allocation counts reached by the plans. Decoding equals the hand-written
// floor (the counts include the decoded struct itself: the plans allocate
// nothing beyond the output). Encoding is below it: the S, N and BOOL values
// of a struct's scalar fields share one array per type (7 -> 6 and 42 -> 34
// against the hand-written 7 and 42).
const (
	allocsEncodeSmall  = 6
	allocsDecodeSmall  = 1
	allocsEncodeMedium = 34
	allocsDecodeMedium = 6
)

func TestAllocs(t *testing.T) {
	if testing.Short() || raceEnabled {
		t.Skip("allocation counts differ under -race")
	}
	s, m := sampleSmall(), sampleMedium()
	ps, pm := mustPlan(t, reflect.TypeFor[small]()), mustPlan(t, reflect.TypeFor[medium]())
	itemS, _ := ps.Encode(unsafe.Pointer(&s))
	itemM, _ := pm.Encode(unsafe.Pointer(&m))
	check := func(name string, want int, got, floor float64) {
		t.Logf("%s: %v allocs (hand-written %v)", name, got, floor)
		if got > float64(want) {
			t.Errorf("%s: %v allocs, want at most %d", name, got, want)
		}
		if got > floor*1.2 {
			t.Errorf("%s: %v allocs, more than 1.2x the hand-written %v", name, got, floor)
		}
	}
	check("encode small", allocsEncodeSmall,
		testing.AllocsPerRun(100, func() { sink, _ = ps.Encode(unsafe.Pointer(&s)) }),
		testing.AllocsPerRun(100, func() { sink = handEncodeSmall(&s) }))
	check("decode small", allocsDecodeSmall,
		testing.AllocsPerRun(100, func() { v := new(small); _ = ps.Decode(itemS, unsafe.Pointer(v)); sink = v }),
		testing.AllocsPerRun(100, func() { v := new(small); _ = handDecodeSmall(itemS, v); sink = v }))
	check("encode medium", allocsEncodeMedium,
		testing.AllocsPerRun(100, func() { sink, _ = pm.Encode(unsafe.Pointer(&m)) }),
		testing.AllocsPerRun(100, func() { sink, _ = handEncodeMedium(&m) }))
	check("decode medium", allocsDecodeMedium,
		testing.AllocsPerRun(100, func() { v := new(medium); _ = pm.Decode(itemM, unsafe.Pointer(v)); sink = v }),
		testing.AllocsPerRun(100, func() { v := new(medium); _ = handDecodeMedium(itemM, v); sink = v }))
}

var sink any

func BenchmarkCodec(b *testing.B) {
	s, m := sampleSmall(), sampleMedium()
	ps, pm := mustPlan(b, reflect.TypeFor[small]()), mustPlan(b, reflect.TypeFor[medium]())
	itemS, _ := ps.Encode(unsafe.Pointer(&s))
	itemM, _ := pm.Encode(unsafe.Pointer(&m))
	b.Run("EncodeSmall/plan", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			sink, _ = ps.Encode(unsafe.Pointer(&s))
		}
	})
	b.Run("EncodeSmall/hand", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			sink = handEncodeSmall(&s)
		}
	})
	b.Run("DecodeSmall/plan", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			v := new(small)
			_ = ps.Decode(itemS, unsafe.Pointer(v))
			sink = v
		}
	})
	b.Run("DecodeSmall/hand", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			v := new(small)
			_ = handDecodeSmall(itemS, v)
			sink = v
		}
	})
	b.Run("EncodeMedium/plan", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			sink, _ = pm.Encode(unsafe.Pointer(&m))
		}
	})
	b.Run("EncodeMedium/hand", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			sink, _ = handEncodeMedium(&m)
		}
	})
	b.Run("DecodeMedium/plan", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			v := new(medium)
			_ = pm.Decode(itemM, unsafe.Pointer(v))
			sink = v
		}
	})
	b.Run("DecodeMedium/hand", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			v := new(medium)
			_ = handDecodeMedium(itemM, v)
			sink = v
		}
	})
}

// BenchmarkItemSize is the cost of sizing an item before a put (Save
// checks every item against the 400 KB limit).
func BenchmarkItemSize(b *testing.B) {
	m := sampleMedium()
	item, err := mustPlan(b, reflect.TypeFor[medium]()).Encode(unsafe.Pointer(&m))
	if err != nil {
		b.Fatal(err)
	}
	b.ReportAllocs()
	for b.Loop() {
		sink = ItemSize(item)
	}
}
