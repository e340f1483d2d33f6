package dynantic

import (
	"strconv"
	"strings"
	"testing"

	"github.com/aws/aws-sdk-go-v2/service/dynamodb"
)

// TestWireAllocs keeps the wire decoder's allocations per item current: a
// Query page of 100 items with twelve scalar attributes, a string set, a
// list and a nested map decodes with at most 11 allocations per item (the
// item's text; its map of 15 attributes, which Go allocates in four parts;
// the set's member and slice; the list; the nested map; a share of the
// attribute value chunks), where the SDK's deserializer makes ~70.
func TestWireAllocs(t *testing.T) {
	var b strings.Builder
	b.WriteString(`{"Items":[`)
	for i := range 100 {
		if i > 0 {
			b.WriteString(",")
		}
		n := strconv.Itoa(i)
		b.WriteString(`{"pk":{"S":"user#1"},"sk":{"S":"order#` + n + `"},"name":{"S":"Ada"},"email":{"S":"ada@example.com"},` +
			`"age":{"N":"` + n + `"},"score":{"N":"98.25"},"big":{"N":"1099511627776"},"active":{"BOOL":true},` +
			`"version":{"N":"7"},"created":{"S":"2024-05-06T07:08:09.123456789Z"},"expires":{"N":"1800000000"},` +
			`"manager":{"S":"Babbage"},"tags":{"SS":["admin","math"]},"items":{"L":[{"S":"item"},{"S":"notes"}]},` +
			`"address":{"M":{"street":{"S":"1 St James's Square"},"city":{"S":"London"},"zip":{"N":"1234"}}}}`)
	}
	b.WriteString(`],"Count":100,"ScannedCount":100}`)
	body := b.String()
	var out dynamodb.QueryOutput
	allocs := testing.AllocsPerRun(50, func() {
		d := wireDec{p: body}
		if err := d.decode(&out); err != nil || len(out.Items) != 100 {
			t.Fatalf("decode: %d items, %v", len(out.Items), err)
		}
	})
	per := allocs / 100
	t.Logf("wire decoder: %.0f allocations for 100 items (%.2f per item)", allocs, per)
	if per > 11 {
		t.Errorf("wire decoder: %.2f allocations per item, want at most 11", per)
	}
}
