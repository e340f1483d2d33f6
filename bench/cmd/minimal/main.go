// Command minimal is the smallest useful program using dynantic: open the
// default AWS configuration, make one table handle, read one item. run.sh
// reports its binary size (against cmd/minimalsdk, the same program on the
// raw SDK) and its package initialisation (GODEBUG=inittrace=1). It only
// sends the request when MINIMAL_RUN is set, so it can be run anywhere.
package main

import (
	"context"
	"fmt"
	"os"

	"github.com/dynantic/dynantic"
)

// Product is the model.
type Product struct {
	ID    string  `dynamo:"product_id,pk"`
	Name  string  `dynamo:"name" validate:"required"`
	Price float64 `dynamo:"price" validate:"gte=0"`
}

func main() {
	ctx := context.Background()
	db, err := dynantic.Open(ctx)
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	products := dynantic.MustTable[Product](db, dynantic.WithTableName("products"))
	if os.Getenv("MINIMAL_RUN") == "" {
		return
	}
	p, err := products.Get(ctx, dynantic.Key("prod-1"))
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	p.Price++
	if err := products.Save(ctx, p); err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	fmt.Println(p.Name, p.Price)
}
