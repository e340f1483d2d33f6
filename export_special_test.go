package dynantic

import (
	"time"

	"github.com/aws/aws-sdk-go-v2/service/dynamodb/types"
)

// ExpiredFilter compiles the filter that the reads AND into Query and Scan
// when expired items are hidden, for tests that send it themselves.
func ExpiredFilter[T any](t *Table[T], now time.Time) (string, map[string]string, map[string]types.AttributeValue, error) {
	c := t.expiredFilter(now)
	if c.IsZero() {
		return "", nil, nil, nil
	}
	b := t.builder()
	s, err := t.cond(b, c)
	return s, b.Names(), b.Values(), err
}
