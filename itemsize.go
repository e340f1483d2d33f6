package dynantic

import (
	"fmt"

	"github.com/aws/aws-sdk-go-v2/service/dynamodb/types"

	"github.com/dynantic/dynantic/internal/codec"
)

// checkSize refuses, before any request, an item larger than DynamoDB's
// 400 KB limit, its size computed by DynamoDB's rule (codec.ItemSize):
// ErrItemTooLarge, naming the model and its largest attribute. Writes
// that do not send whole items (Update) cannot know the stored item's size
// and are left to DynamoDB, whose refusal matches ErrItemTooLarge too.
func (t *table) checkSize(item map[string]types.AttributeValue) error {
	n := codec.ItemSize(item)
	if n <= codec.MaxItemSize {
		return nil
	}
	big, bigN := "", -1
	for name, av := range item {
		if m := len(name) + codec.Size(av); m > bigN || (m == bigN && name < big) {
			big, bigN = name, m
		}
	}
	return &inputError{fmt.Sprintf("dynantic: %s: the item is %d bytes by DynamoDB's size rule, over its limit of %d (400 KB); the largest attribute is %q (%d bytes)",
		t.model.Name, n, codec.MaxItemSize, big, bigN), ErrItemTooLarge}
}
