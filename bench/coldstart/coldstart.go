// Package coldstart holds ten distinct models, typical of one service, and
// builds their table handles: what a Lambda function does once per cold
// start. cmd/coldstart runs it in a fresh process; TestColdStart in a test.
package coldstart

import (
	"time"

	"github.com/dynantic/dynantic"
)

// Customer is a profile with a GSI on email.
type Customer struct {
	ID      string    `dynamo:"customer_id,pk"`
	Email   string    `dynamo:"email,gsi_pk=ByEmail" validate:"required,email"`
	Name    string    `dynamo:"name" validate:"required"`
	Created time.Time `dynamo:"created,created"`
	Updated time.Time `dynamo:"updated,updated"`
	Version int64     `dynamo:"version,version"`
}

// Order is an order line collection under a customer.
type Order struct {
	CustomerID string    `dynamo:"customer_id,pk"`
	OrderID    string    `dynamo:"order_id,sk"`
	Placed     time.Time `dynamo:"placed,lsi_sk=ByPlaced"`
	Status     string    `dynamo:"status,gsi_pk=ByStatus"`
	Total      float64   `dynamo:"total" validate:"gte=0"`
	Lines      []Line    `dynamo:"lines"`
}

// Line is an order line.
type Line struct {
	SKU   string  `dynamo:"sku"`
	Qty   int     `dynamo:"qty"`
	Price float64 `dynamo:"price"`
}

// Product is a catalogue entry.
type Product struct {
	ID       string            `dynamo:"product_id,pk"`
	Category string            `dynamo:"category,gsi_pk=ByCategory"`
	Price    dynantic.Number   `dynamo:"price"`
	Tags     []string          `dynamo:"tags,set,omitempty"`
	Attrs    map[string]string `dynamo:"attrs"`
	Images   [][]byte          `dynamo:"images"`
}

// Session is a login session with a TTL.
type Session struct {
	Token   string    `dynamo:"token,pk"`
	UserID  string    `dynamo:"user_id,gsi_pk=ByUser"`
	Expires time.Time `dynamo:"expires,ttl"`
	Data    []byte    `dynamo:"data"`
}

// Event is an append-only audit event.
type Event struct {
	Stream string         `dynamo:"stream,pk"`
	Seq    uint64         `dynamo:"seq,sk"`
	At     time.Time      `dynamo:"at,unixtime"`
	Kind   string         `dynamo:"kind,discriminator"`
	Body   map[string]any `dynamo:"body"`
}

// Counter is an atomic counter.
type Counter struct {
	Name  string `dynamo:"name,pk"`
	Value int64  `dynamo:"value"`
}

// Address is embedded in Shipment.
type Address struct {
	Street string `dynamo:"street"`
	City   string `dynamo:"city"`
	Zip    string `dynamo:"zip"`
}

// Shipment is a parcel with a nested address.
type Shipment struct {
	ID      string   `dynamo:"shipment_id,pk"`
	OrderID string   `dynamo:"order_id,gsi_pk=ByOrder"`
	To      Address  `dynamo:"to"`
	From    *Address `dynamo:"from"`
	Weight  float32  `dynamo:"weight"`
}

// Invoice is a billing document.
type Invoice struct {
	CustomerID string    `dynamo:"customer_id,pk"`
	Number     int       `dynamo:"number,sk"`
	Issued     time.Time `dynamo:"issued"`
	Amount     dynantic.Number
	Paid       bool `dynamo:"paid"`
}

// Setting is a feature flag.
type Setting struct {
	Key     string `dynamo:"key,pk"`
	Enabled bool   `dynamo:"enabled"`
	Rollout uint8  `dynamo:"rollout" validate:"lte=100"`
}

// Review is a product review.
type Review struct {
	ProductID string    `dynamo:"product_id,pk"`
	ReviewID  string    `dynamo:"review_id,sk,auto"`
	Rating    int       `dynamo:"rating,gsi_sk=ByRating"`
	Product   string    `dynamo:"product,gsi_pk=ByRating"`
	Text      string    `dynamo:"text,omitempty"`
	At        time.Time `dynamo:"at"`
}

// Models is the number of models BuildTables builds handles for.
const Models = 10

// BuildTables builds the table handles of the ten models and returns the
// time it took.
func BuildTables(db *dynantic.DB) (time.Duration, error) {
	start := time.Now()
	for _, build := range []func(*dynantic.DB) error{
		table[Customer]("customers"), table[Order]("orders"), table[Product]("products"),
		table[Session]("sessions"), table[Event]("events"), table[Counter]("counters"),
		table[Shipment]("shipments"), table[Invoice]("invoices"), table[Setting]("settings"),
		table[Review]("reviews"),
	} {
		if err := build(db); err != nil {
			return 0, err
		}
	}
	return time.Since(start), nil
}

func table[T any](name string) func(*dynantic.DB) error {
	return func(db *dynantic.DB) error {
		_, err := dynantic.NewTable[T](db, dynantic.WithTableName(name))
		return err
	}
}
