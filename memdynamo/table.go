package memdynamo

import "sync"

// table is one DynamoDB table and its indexes.
type table struct {
	mu sync.RWMutex
}

// txRecord remembers a TransactWriteItems ClientRequestToken.
type txRecord struct{}
