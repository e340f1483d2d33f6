package dynantic_test

import (
	"errors"
	"time"

	"github.com/dynantic/dynantic"
)

type Product struct {
	ID       string            `dynamo:"product_id,pk"`
	Name     string            `dynamo:"name" validate:"required"`
	Price    float64           `dynamo:"price" validate:"gte=0"`
	Stock    int               `dynamo:"stock"`
	Tags     []string          `dynamo:"tags,set"`
	Attrs    map[string]string `dynamo:"attrs"`
	Rating   *float64          `dynamo:"rating"`
	Status   string            `dynamo:"status,omitempty"`
	Sizes    []int             `dynamo:"size"`
	Dims     Dimensions        `dynamo:"dims"`
	Exact    dynantic.Number   `dynamo:"exact"`
	Data     []byte            `dynamo:"data"`
	Released time.Time         `dynamo:"released"`
	Dotted   string            `dynamo:"a.b"`
}

type Dimensions struct {
	W, H   float64
	Layers []Layer `dynamo:"layers"`
}

type Layer struct {
	Name string `dynamo:"name"`
	Qty  int    `dynamo:"qty"`
}

func (Product) TableName() string { return "products" }

type BlogPost struct {
	PostID      string    `dynamo:"post_id,pk"`
	Title       string    `dynamo:"title" validate:"required"`
	Category    string    `dynamo:"category,gsi_pk=CategoryIndex"`
	PublishedAt time.Time `dynamo:"published_at,gsi_sk=CategoryIndex"`
}

type Order struct {
	CustomerID string    `dynamo:"customer_id,pk"`
	OrderID    int64     `dynamo:"order_id,sk"`
	Total      float64   `dynamo:"total"`
	Placed     time.Time `dynamo:"placed,lsi_sk=ByPlaced"`
	Expires    time.Time `dynamo:"expires,ttl"`
}

type User struct {
	UserID     string `dynamo:"user_id,pk"`
	Email      string `dynamo:"email,sk" validate:"email"`
	Balance    int    `dynamo:"balance"`
	LoginCount int    `dynamo:"login_count"`
	Age        int    `dynamo:"age" validate:"gte=0,lte=150"`
}

// Account has a Validate method for a rule tags cannot say.
type Account struct {
	ID    string `dynamo:"id,pk"`
	Owner string `dynamo:"owner" validate:"required"`
	Min   int    `dynamo:"min"`
	Max   int    `dynamo:"max"`
}

var errMinMax = errors.New("min must not exceed max")

func (a *Account) Validate() error {
	if a.Min > a.Max {
		return errMinMax
	}
	return nil
}
