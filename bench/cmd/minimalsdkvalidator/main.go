// Command minimalsdkvalidator is cmd/minimalsdk plus a go-playground
// validator check before the write, as dynantic does: it tells how much of
// cmd/minimal's size is the validator's.
package main

import (
	"context"
	"fmt"
	"os"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/config"
	"github.com/aws/aws-sdk-go-v2/feature/dynamodb/attributevalue"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb/types"
	"github.com/go-playground/validator/v10"
)

// Product is the model.
type Product struct {
	ID    string  `dynamodbav:"product_id"`
	Name  string  `dynamodbav:"name" validate:"required"`
	Price float64 `dynamodbav:"price" validate:"gte=0"`
}

func main() {
	ctx := context.Background()
	cfg, err := config.LoadDefaultConfig(ctx)
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	client := dynamodb.NewFromConfig(cfg)
	if os.Getenv("MINIMAL_RUN") == "" {
		return
	}
	out, err := client.GetItem(ctx, &dynamodb.GetItemInput{
		TableName: aws.String("products"),
		Key:       map[string]types.AttributeValue{"product_id": &types.AttributeValueMemberS{Value: "prod-1"}},
	})
	if err != nil || out.Item == nil {
		fmt.Fprintln(os.Stderr, "get:", err)
		os.Exit(1)
	}
	var p Product
	if err := attributevalue.UnmarshalMap(out.Item, &p); err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	p.Price++
	if err := validator.New(validator.WithRequiredStructEnabled()).Struct(&p); err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	item, err := attributevalue.MarshalMap(&p)
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	if _, err := client.PutItem(ctx, &dynamodb.PutItemInput{TableName: aws.String("products"), Item: item}); err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	fmt.Println(p.Name, p.Price)
}
