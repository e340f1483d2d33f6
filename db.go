package dynantic

import (
	"context"
	"log/slog"
	"os"
	"time"

	"github.com/aws/aws-sdk-go-v2/config"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb"
)

// API is the part of the DynamoDB client that the library calls.
// *dynamodb.Client satisfies it; a test may wrap one to count or fail calls.
type API interface {
	GetItem(context.Context, *dynamodb.GetItemInput, ...func(*dynamodb.Options)) (*dynamodb.GetItemOutput, error)
	PutItem(context.Context, *dynamodb.PutItemInput, ...func(*dynamodb.Options)) (*dynamodb.PutItemOutput, error)
	UpdateItem(context.Context, *dynamodb.UpdateItemInput, ...func(*dynamodb.Options)) (*dynamodb.UpdateItemOutput, error)
	DeleteItem(context.Context, *dynamodb.DeleteItemInput, ...func(*dynamodb.Options)) (*dynamodb.DeleteItemOutput, error)
	Query(context.Context, *dynamodb.QueryInput, ...func(*dynamodb.Options)) (*dynamodb.QueryOutput, error)
	Scan(context.Context, *dynamodb.ScanInput, ...func(*dynamodb.Options)) (*dynamodb.ScanOutput, error)
	BatchGetItem(context.Context, *dynamodb.BatchGetItemInput, ...func(*dynamodb.Options)) (*dynamodb.BatchGetItemOutput, error)
	BatchWriteItem(context.Context, *dynamodb.BatchWriteItemInput, ...func(*dynamodb.Options)) (*dynamodb.BatchWriteItemOutput, error)
	TransactGetItems(context.Context, *dynamodb.TransactGetItemsInput, ...func(*dynamodb.Options)) (*dynamodb.TransactGetItemsOutput, error)
	TransactWriteItems(context.Context, *dynamodb.TransactWriteItemsInput, ...func(*dynamodb.Options)) (*dynamodb.TransactWriteItemsOutput, error)
	CreateTable(context.Context, *dynamodb.CreateTableInput, ...func(*dynamodb.Options)) (*dynamodb.CreateTableOutput, error)
	DeleteTable(context.Context, *dynamodb.DeleteTableInput, ...func(*dynamodb.Options)) (*dynamodb.DeleteTableOutput, error)
	DescribeTable(context.Context, *dynamodb.DescribeTableInput, ...func(*dynamodb.Options)) (*dynamodb.DescribeTableOutput, error)
	UpdateTimeToLive(context.Context, *dynamodb.UpdateTimeToLiveInput, ...func(*dynamodb.Options)) (*dynamodb.UpdateTimeToLiveOutput, error)
}

var _ API = (*dynamodb.Client)(nil)

// DB is a DynamoDB client with the library's settings. Make one per process
// and share it; it is safe for concurrent use. Table handles are made from it
// with NewTable or MustTable.
type DB struct {
	client API
	opts   options
}

type options struct {
	tablePrefix string
	logger      *slog.Logger
	logValues   bool
	validator   Validator
	loadOptions []func(*config.LoadOptions) error
	cursorKeys  [][]byte         // WithCursorSecret: the signing key first
	cursorErr   error            // WithCursorSecret: a key too short (see DB.optionErr)
	now         func() time.Time // WithClock; time.Now when nil
}

// Option configures a DB.
type Option func(*options)

// WithTablePrefix prepends prefix to every table name (e.g. "dev-"), so that
// environments can share an account.
func WithTablePrefix(prefix string) Option { return func(o *options) { o.tablePrefix = prefix } }

// WithLogger logs every request at debug level: the operation, the table,
// the duration, a hash of the key and the error. Key and item values are
// never logged unless WithUnsafeLogValues is also given.
func WithLogger(l *slog.Logger) Option { return func(o *options) { o.logger = l } }

// WithUnsafeLogValues makes the debug log include keys and item values in
// clear. They may hold personal data: use it in development only.
func WithUnsafeLogValues() Option { return func(o *options) { o.logValues = true } }

// WithValidator replaces the default go-playground validator that checks
// `validate` tags before every write. A *validator.Validate of your own
// satisfies Validator.
func WithValidator(v Validator) Option { return func(o *options) { o.validator = v } }

// WithLoadOptions passes options to config.LoadDefaultConfig in Open (region,
// profile, retryer, ...). New ignores it.
func WithLoadOptions(fns ...func(*config.LoadOptions) error) Option {
	return func(o *options) { o.loadOptions = append(o.loadOptions, fns...) }
}

// New wraps a DynamoDB client. An option it cannot use (WithCursorSecret
// with a short key) is reported by NewTable, MustTable and NewPoly, which
// return its error for every handle of the DB.
func New(client API, opts ...Option) *DB {
	db := &DB{client: client}
	for _, o := range opts {
		o(&db.opts)
	}
	if db.opts.validator == nil {
		db.opts.validator = defaultValidator{}
	}
	return db
}

// Open loads the default AWS configuration (environment, shared files, IAM
// role) and returns a DB for it. The SDK honours AWS_ENDPOINT_URL_DYNAMODB, so
// pointing it at DynamoDB Local needs no code; when that variable is set and
// no region is configured, the region defaults to us-east-1.
func Open(ctx context.Context, opts ...Option) (*DB, error) {
	var o options
	for _, fn := range opts {
		fn(&o)
	}
	if o.cursorErr != nil {
		return nil, o.cursorErr
	}
	cfg, err := config.LoadDefaultConfig(ctx, o.loadOptions...)
	if err != nil {
		return nil, err
	}
	if cfg.Region == "" && os.Getenv("AWS_ENDPOINT_URL_DYNAMODB") != "" {
		cfg.Region = "us-east-1"
	}
	return New(dynamodb.NewFromConfig(cfg), opts...), nil
}

// Client returns the wrapped DynamoDB client, for calls the library does not
// make.
func (db *DB) Client() API { return db.client }
