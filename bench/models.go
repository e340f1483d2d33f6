// Package bench compares dynantic with the raw aws-sdk-go-v2 (attributevalue
// and expression), guregu/dynamo v2 and hand-written, reflection-free code,
// on the same structs and the same items.
//
// Every model carries both a `dynamo` tag (read by dynantic and by guregu,
// which ignores the options it does not know, such as pk and sk) and a
// `dynamodbav` tag (read by the SDK's attributevalue package), so one value
// is encoded by every implementation. The samples are chosen so that every
// implementation produces the same item, which TestGate checks before any
// number is trusted:
//
//   - times are in UTC with nine fractional digits, where RFC 3339 (the SDK's
//     and guregu's form) and dynantic's fixed-width form coincide; the second
//     time field uses unixtime (N epoch seconds), which all four support;
//   - floats have a short exact decimal form, where the SDK's and guregu's
//     'f' formatting and dynantic's shortest 'g' formatting coincide;
//   - no value is empty, so the peers' different empty-value rules do not
//     come into play.
package bench

import (
	"strconv"
	"time"
)

// Small is the 4-field model.
type Small struct {
	ID     string `dynamo:"id,pk" dynamodbav:"id"`
	Name   string `dynamo:"name" dynamodbav:"name"`
	Count  int    `dynamo:"count" dynamodbav:"count"`
	Active bool   `dynamo:"active" dynamodbav:"active"`
}

// TableName names Small's table.
func (Small) TableName() string { return "bench_small" }

// Address is Medium's nested struct.
type Address struct {
	Street string `dynamo:"street" dynamodbav:"street"`
	City   string `dynamo:"city" dynamodbav:"city"`
	Zip    int    `dynamo:"zip" dynamodbav:"zip"`
}

// Medium is the 18-field model: strings, every number width, bool, two
// times, a string set, a list, a map, a nested struct and a pointer.
type Medium struct {
	ID      string            `dynamo:"id,pk" dynamodbav:"id"`
	SK      string            `dynamo:"sk,sk" dynamodbav:"sk"`
	Name    string            `dynamo:"name" dynamodbav:"name"`
	Email   string            `dynamo:"email,omitempty" dynamodbav:"email,omitempty"`
	Age     int               `dynamo:"age" dynamodbav:"age"`
	Score   float64           `dynamo:"score" dynamodbav:"score"`
	Small   int8              `dynamo:"small" dynamodbav:"small"`
	Big     uint64            `dynamo:"big" dynamodbav:"big"`
	Ratio   float32           `dynamo:"ratio" dynamodbav:"ratio"`
	Active  bool              `dynamo:"active" dynamodbav:"active"`
	Version int64             `dynamo:"version" dynamodbav:"version"`
	Created time.Time         `dynamo:"created" dynamodbav:"created"`
	Expires time.Time         `dynamo:"expires,unixtime" dynamodbav:"expires,unixtime"`
	Tags    []string          `dynamo:"tags,set" dynamodbav:"tags,stringset"`
	Items   []string          `dynamo:"items" dynamodbav:"items"`
	Attrs   map[string]string `dynamo:"attrs" dynamodbav:"attrs"`
	Address Address           `dynamo:"address" dynamodbav:"address"`
	Manager *string           `dynamo:"manager" dynamodbav:"manager,omitempty"`
}

// TableName names Medium's table.
func (Medium) TableName() string { return "bench_medium" }

// Line is one of Large's line items.
type Line struct {
	SKU   string  `dynamo:"sku" dynamodbav:"sku"`
	Name  string  `dynamo:"name" dynamodbav:"name"`
	Qty   int     `dynamo:"qty" dynamodbav:"qty"`
	Price float64 `dynamo:"price" dynamodbav:"price"`
	Gift  bool    `dynamo:"gift" dynamodbav:"gift"`
}

// Large is an order with 50 nested line items.
type Large struct {
	ID       string    `dynamo:"id,pk" dynamodbav:"id"`
	Customer string    `dynamo:"customer" dynamodbav:"customer"`
	Status   string    `dynamo:"status" dynamodbav:"status"`
	Placed   time.Time `dynamo:"placed" dynamodbav:"placed"`
	Total    float64   `dynamo:"total" dynamodbav:"total"`
	Lines    []Line    `dynamo:"lines" dynamodbav:"lines"`
}

// TableName names Large's table.
func (Large) TableName() string { return "bench_large" }

// PageSize is the number of items of the query-page row.
const PageSize = 1000

// SampleSmall returns the Small value every implementation encodes.
func SampleSmall() Small {
	return Small{ID: "user#123", Name: "Ada Lovelace", Count: 1815, Active: true}
}

// SampleMedium returns the Medium value every implementation encodes.
func SampleMedium() Medium {
	manager := "Babbage"
	return Medium{
		ID: "user#123", SK: "profile", Name: "Ada Lovelace", Email: "ada@example.com",
		Age: 36, Score: 98.25, Small: -7, Big: 1 << 40, Ratio: 0.5, Active: true, Version: 7,
		Created: time.Date(2024, 5, 6, 7, 8, 9, 123456789, time.UTC),
		Expires: time.Unix(1800000000, 0).UTC(),
		Tags:    []string{"admin", "math", "poet"},
		Items:   []string{"engine", "notes"},
		Attrs:   map[string]string{"lang": "en", "tz": "UTC"},
		Address: Address{Street: "1 St James's Square", City: "London", Zip: 1234},
		Manager: &manager,
	}
}

// SampleLarge returns the Large value every implementation encodes.
func SampleLarge() Large {
	l := Large{
		ID: "order#2024-0001", Customer: "cust#42", Status: "PLACED",
		Placed: time.Date(2024, 5, 6, 7, 8, 9, 987654321, time.UTC),
		Lines:  make([]Line, 50),
	}
	for i := range l.Lines {
		l.Lines[i] = Line{
			SKU:   "SKU-" + strconv.Itoa(10000+i),
			Name:  "Item number " + strconv.Itoa(i),
			Qty:   1 + i%5,
			Price: float64(100+i) + 0.25,
			Gift:  i%7 == 0,
		}
		l.Total += float64(l.Lines[i].Qty) * l.Lines[i].Price
	}
	return l
}

// SamplePage returns the PageSize values of the query-page row: Medium
// items of one partition, told apart by their sort key.
func SamplePage() []Medium {
	out := make([]Medium, PageSize)
	for i := range out {
		m := SampleMedium()
		m.SK = "order#" + strconv.Itoa(100000+i)
		m.Age = i
		m.Score = float64(i) + 0.5
		m.Version = int64(i)
		m.Created = m.Created.Add(time.Duration(i) * time.Second)
		m.Items = []string{"item " + strconv.Itoa(i), "notes"}
		out[i] = m
	}
	return out
}
