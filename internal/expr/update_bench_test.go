package expr

import (
	"testing"

	"github.com/aws/aws-sdk-go-v2/service/dynamodb/types"
)

var (
	statusPath = NamePath("status")
	stockPath  = NamePath("stock")
	loginPath  = NamePath("login_count")
	tempPath   = NamePath("temp")
)

// compileUpdateRequest is everything an UpdateItem request needs from the
// package for a four-action update with a two-clause condition: both texts
// and both maps. The update's values arrive encoded, as the root package
// passes them.
func compileUpdateRequest() (string, string, map[string]string, map[string]types.AttributeValue, error) {
	actions := [...]Action{
		{Kind: ActSet, Path: statusPath, A: UpdateOperand{Value: &types.AttributeValueMemberS{Value: "active"}}},
		{Kind: ActSet, Path: stockPath, Fn: SetMinus, A: UpdateOperand{Path: stockPath}, B: UpdateOperand{Value: &types.AttributeValueMemberN{Value: "1"}}},
		{Kind: ActAdd, Path: loginPath, A: UpdateOperand{Value: &types.AttributeValueMemberN{Value: "1"}}},
		{Kind: ActRemove, Path: tempPath},
	}
	b := Builder{Encode: testEncode}
	u, err := b.Update(actions[:])
	if err != nil {
		return "", "", nil, nil, err
	}
	c, err := b.Cond(twoClauses)
	return u, c, b.Names(), b.Values(), err
}

var sinkU string

func BenchmarkUpdateFourActionsTwoClauses(b *testing.B) {
	b.ReportAllocs()
	for b.Loop() {
		u, c, n, v, err := compileUpdateRequest()
		if err != nil {
			b.Fatal(err)
		}
		sinkU, sinkS, sinkN, sinkV = u, c, n, v
	}
}

// BenchmarkHandWrittenUpdate is the same request built by hand with string
// concatenation, the baseline for BenchmarkUpdateFourActionsTwoClauses.
func BenchmarkHandWrittenUpdate(b *testing.B) {
	b.ReportAllocs()
	status, stock, login, temp, rating, deleted := "status", "stock", "login_count", "temp", "rating", "deleted"
	for b.Loop() {
		r, err := testEncode(nil, OpGe, 8)
		if err != nil {
			b.Fatal(err)
		}
		sinkU = "SET #" + status + " = :" + status + ", #" + stock + " = #" + stock + " - :" + stock +
			" ADD #" + login + " :" + login + " REMOVE #" + temp
		sinkS = "#" + rating + " >= :" + rating + " AND attribute_not_exists(#" + deleted + ")"
		sinkN = map[string]string{"#" + status: status, "#" + stock: stock, "#" + login: login,
			"#" + temp: temp, "#" + rating: rating, "#" + deleted: deleted}
		sinkV = map[string]types.AttributeValue{
			":" + status: &types.AttributeValueMemberS{Value: "active"},
			":" + stock:  &types.AttributeValueMemberN{Value: "1"},
			":" + login:  &types.AttributeValueMemberN{Value: "1"},
			":" + rating: r,
		}
	}
}

// allocsUpdateRequest is the measured allocation count of
// compileUpdateRequest: the three encoded update values, the update text,
// the condition's encoded value and text, and the two maps (header and one
// group each); the Builder holds its first names and values in place.
const allocsUpdateRequest = 10

func TestAllocsUpdateRequest(t *testing.T) {
	if testing.Short() {
		t.Skip("allocation counts are checked in full runs")
	}
	got := testing.AllocsPerRun(200, func() {
		u, c, n, v, err := compileUpdateRequest()
		if err != nil {
			t.Fatal(err)
		}
		sinkU, sinkS, sinkN, sinkV = u, c, n, v
	})
	if got > allocsUpdateRequest {
		t.Errorf("four-action update + two-clause condition: %v allocs per run, want <= %d", got, allocsUpdateRequest)
	}
	u, c, n, v, _ := compileUpdateRequest()
	if u != "SET #n0 = :v0, #n1 = #n1 - :v1 REMOVE #n2 ADD #n3 :v2" || c != "#n4 >= :v3 AND attribute_not_exists(#n5)" || len(n) != 6 || len(v) != 4 {
		t.Errorf("compiled %q / %q with %d names, %d values", u, c, len(n), len(v))
	}
}
