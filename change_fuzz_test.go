package dynantic_test

import (
	"errors"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	st "github.com/aws/aws-sdk-go-v2/service/dynamodbstreams/types"

	"github.com/dynantic/dynantic"
)

// recordGen builds a stream record from fuzz bytes: event names, view
// types, keys and images right, wrong and malformed, attribute values of
// every type (and nil, typed nil, unknown members), nested.
type recordGen struct{ b []byte }

func (g *recordGen) next() byte {
	if len(g.b) == 0 {
		return 0
	}
	c := g.b[0]
	g.b = g.b[1:]
	return c
}

func (g *recordGen) str() string {
	n := int(g.next() % 6)
	if n > len(g.b) {
		n = len(g.b)
	}
	s := string(g.b[:n])
	g.b = g.b[n:]
	return s
}

var fuzzNames = []string{"customer_id", "order_id", "total", "placed", "expires", "animal_id", "type", "name", "breed", "lives_remaining"}
var fuzzNumbers = []string{"0", "7", "-1.5", "1e3", "9.99E+125", "x", "", "1e400", "99999999999999999999"}
var fuzzStrings = []string{"c1", "", "DOG", "CAT", "2024-05-03T10:00:00.000000000Z", "\xff"}

func (g *recordGen) name() string {
	if c := g.next(); c < 200 {
		return fuzzNames[int(c)%len(fuzzNames)]
	}
	return g.str()
}

func (g *recordGen) av(depth int) st.AttributeValue {
	switch g.next() % 16 {
	case 0, 1:
		return &st.AttributeValueMemberS{Value: fuzzStrings[int(g.next())%len(fuzzStrings)]}
	case 2:
		return &st.AttributeValueMemberS{Value: g.str()}
	case 3, 4:
		return &st.AttributeValueMemberN{Value: fuzzNumbers[int(g.next())%len(fuzzNumbers)]}
	case 5:
		return &st.AttributeValueMemberB{Value: []byte(g.str())}
	case 6:
		return &st.AttributeValueMemberBOOL{Value: g.next()%2 == 0}
	case 7:
		return &st.AttributeValueMemberNULL{Value: true}
	case 8:
		return &st.AttributeValueMemberSS{Value: []string{g.str(), g.str()}}
	case 9:
		return &st.AttributeValueMemberNS{Value: []string{fuzzNumbers[int(g.next())%len(fuzzNumbers)]}}
	case 10:
		return &st.AttributeValueMemberBS{Value: [][]byte{[]byte(g.str())}}
	case 11:
		l := &st.AttributeValueMemberL{}
		for n := int(g.next() % 4); n > 0 && depth < 40; n-- {
			l.Value = append(l.Value, g.av(depth+1))
		}
		return l
	case 12:
		m := &st.AttributeValueMemberM{Value: map[string]st.AttributeValue{}}
		for n := int(g.next() % 4); n > 0 && depth < 40; n-- {
			m.Value[g.name()] = g.av(depth + 1)
		}
		return m
	case 13:
		return nil
	case 14:
		return (*st.AttributeValueMemberS)(nil)
	}
	return &st.UnknownUnionMember{Tag: g.str()}
}

func (g *recordGen) image(keys map[string]st.AttributeValue) map[string]st.AttributeValue {
	if g.next()%3 == 0 {
		return nil
	}
	m := map[string]st.AttributeValue{}
	if g.next()%4 != 0 {
		for k, v := range keys {
			m[k] = v
		}
	}
	for n := int(g.next() % 6); n > 0; n-- {
		m[g.name()] = g.av(1)
	}
	return m
}

func (g *recordGen) record() st.Record {
	rec := st.Record{EventID: aws.String("ev-" + g.str())}
	rec.EventName = []st.OperationType{"INSERT", "MODIFY", "REMOVE", "", "UPSERT"}[int(g.next())%5]
	if g.next()%16 == 0 {
		return rec // no dynamodb member
	}
	if g.next()%4 == 0 {
		rec.UserIdentity = &st.Identity{Type: aws.String("Service"), PrincipalId: aws.String(dynantic.TTLPrincipal)}
	}
	keys := map[string]st.AttributeValue{}
	switch g.next() % 4 {
	case 0:
		keys["customer_id"], keys["order_id"] = &st.AttributeValueMemberS{Value: "c1"}, &st.AttributeValueMemberN{Value: "7"}
	case 1:
		keys["animal_id"] = &st.AttributeValueMemberS{Value: "a1"}
	default:
		for n := int(g.next() % 3); n > 0; n-- {
			keys[g.name()] = g.av(1)
		}
	}
	rec.Dynamodb = &st.StreamRecord{
		Keys:           keys,
		SequenceNumber: aws.String(g.str()),
		StreamViewType: []st.StreamViewType{"KEYS_ONLY", "NEW_IMAGE", "OLD_IMAGE", "NEW_AND_OLD_IMAGES", "", "ALL"}[int(g.next())%6],
		OldImage:       g.image(keys),
		NewImage:       g.image(keys),
	}
	return rec
}

// FuzzDecodeRecord: whatever the record, decoding it into a Table's,
// a Poly's or a variant's changes never panics; a failure is a
// *RecordError naming the record; a success has exactly the record's
// images.
func FuzzDecodeRecord(f *testing.F) {
	f.Add([]byte{})
	f.Add([]byte{1, 'a', 1, 2, 3, 0, 0, 3, 1, 0, 5, 2, 3, 1, 1, 1, 9, 0, 4, 1})
	f.Add([]byte{0, 1, 4, 7, 1, 5, 1, 1, 2, 3, 3, 200, 12, 3, 0, 12, 1, 1, 7, 8})
	f.Add([]byte("\x02\x05hello\x01\x01\x03\x02\x0b\x03\x0c\x02\x00\x07\x0f\x0e\x0d"))
	db := dynantic.New(nil) // decoding sends nothing
	orders := dynantic.MustTable[Order](db, dynantic.WithTableName("orders"))
	animals := dynantic.MustPoly[Animal](db, dynantic.Variant[Dog]("DOG"), dynantic.Variant[Cat]("CAT"))
	keep := dynantic.MustPoly[Animal](db, dynantic.Variant[Dog]("DOG"), dynantic.KeepUnknown())
	dogs := dynantic.MustVariantTable[Dog](animals)
	f.Fuzz(func(t *testing.T, data []byte) {
		g := &recordGen{b: data}
		rec := g.record()
		check := func(what string, err error, old, new bool) {
			if err != nil {
				var re *dynantic.RecordError
				if !errors.As(err, &re) || re.EventID != *rec.EventID {
					t.Fatalf("%s: %v is not a *RecordError naming %q", what, err, *rec.EventID)
				}
				return
			}
			if rec.Dynamodb == nil || old != (rec.Dynamodb.OldImage != nil) || new != (rec.Dynamodb.NewImage != nil) {
				t.Fatalf("%s: decoded images old %v new %v from %+v", what, old, new, rec.Dynamodb)
			}
		}
		c, err := dynantic.DecodeRecord(orders, rec)
		check("Table", err, c.Old != nil, c.New != nil)
		p, err := dynantic.DecodeRecord(animals, rec)
		check("Poly", err, p.Old != nil, p.New != nil)
		k, err := dynantic.DecodeRecord(keep, rec)
		check("Poly KeepUnknown", err, k.Old != nil, k.New != nil)
		d, err := dynantic.DecodeRecord(dogs, rec)
		check("VariantTable", err, d.Old != nil, d.New != nil)
		if err == nil && (d.Old != nil && d.Old.Type != "DOG" || d.New != nil && d.New.Type != "DOG") {
			t.Fatalf("a Dog handle decoded another variant: %+v", d)
		}
	})
}
