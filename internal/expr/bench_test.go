package expr

import (
	"strconv"
	"testing"

	"github.com/aws/aws-sdk-go-v2/service/dynamodb/types"
)

// twoClauses is Attr("rating").Gte(8).And(Attr("deleted").NotExists()).
var twoClauses = and(leaf(OpGe, attr("rating"), val(8)), leaf(OpNotExists, attr("deleted")))

// compileTwoClauses is everything a request needs from the package: the
// expression text and both maps.
func compileTwoClauses() (string, map[string]string, map[string]types.AttributeValue, error) {
	b := Builder{Encode: testEncode}
	s, err := b.Cond(twoClauses)
	return s, b.Names(), b.Values(), err
}

var (
	sinkS string
	sinkN map[string]string
	sinkV map[string]types.AttributeValue
)

func BenchmarkCondTwoClauses(b *testing.B) {
	b.ReportAllocs()
	for b.Loop() {
		s, n, v, err := compileTwoClauses()
		if err != nil {
			b.Fatal(err)
		}
		sinkS, sinkN, sinkV = s, n, v
	}
}

// BenchmarkHandWrittenTwoClauses is the same request built by hand with string
// concatenation, the baseline for BenchmarkCondTwoClauses.
func BenchmarkHandWrittenTwoClauses(b *testing.B) {
	b.ReportAllocs()
	rating, deleted := "rating", "deleted"
	for b.Loop() {
		av, err := testEncode(nil, OpGe, 8)
		if err != nil {
			b.Fatal(err)
		}
		sinkS = "#" + rating + " >= :" + rating + " AND attribute_not_exists(#" + deleted + ")"
		sinkN = map[string]string{"#" + rating: rating, "#" + deleted: deleted}
		sinkV = map[string]types.AttributeValue{":" + rating: av}
	}
}

// allocsTwoClauses is the measured allocation count of compileTwoClauses:
// the text, the encoded value, and the two maps (header and one group
// each); the Builder holds its first names and values in place.
const allocsTwoClauses = 6

func TestAllocsTwoClauses(t *testing.T) {
	if testing.Short() {
		t.Skip("allocation counts are checked in full runs")
	}
	got := testing.AllocsPerRun(200, func() {
		s, n, v, err := compileTwoClauses()
		if err != nil {
			t.Fatal(err)
		}
		sinkS, sinkN, sinkV = s, n, v
	})
	if got > allocsTwoClauses {
		t.Errorf("two-clause condition: %v allocs per run, want <= %d", got, allocsTwoClauses)
	}
}

func BenchmarkCondLarge(b *testing.B) {
	subs := make([]*Cond, 20)
	for i := range subs {
		subs[i] = or(eq("a"+strconv.Itoa(i)+".b[1]", i), not(exists("c"+strconv.Itoa(i))))
	}
	c := and(subs...)
	b.ReportAllocs()
	for b.Loop() {
		bl := Builder{Encode: testEncode}
		s, err := bl.Cond(c)
		if err != nil {
			b.Fatal(err)
		}
		sinkS, sinkN, sinkV = s, bl.Names(), bl.Values()
	}
}
