package dynantic

import (
	"context"
	"log/slog"
	"net"
	"net/url"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
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
	DescribeTimeToLive(context.Context, *dynamodb.DescribeTimeToLiveInput, ...func(*dynamodb.Options)) (*dynamodb.DescribeTimeToLiveOutput, error)
	UpdateTable(context.Context, *dynamodb.UpdateTableInput, ...func(*dynamodb.Options)) (*dynamodb.UpdateTableOutput, error)
}

var _ API = (*dynamodb.Client)(nil)

// DB is a DynamoDB client with the library's settings. Make one per process
// and share it; it is safe for concurrent use. Table handles are made from it
// with NewTable or MustTable.
type DB struct {
	client API
	opts   options
	wire   wireState // the per-call options of reads (wire.go)
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
	wire        *bool            // WithWireDecoding; DYNANTIC_WIRE when nil
}

// Option configures a DB.
type Option func(*options)

// WithTablePrefix prepends prefix to every table name (e.g. "dev-"), so that
// environments can share an account.
func WithTablePrefix(prefix string) Option { return func(o *options) { o.tablePrefix = prefix } }

// WithLogger logs every request at debug level: the operation, the table,
// the duration, a hash of the key (key_hash) and the error. Key and item
// values are never logged unless WithUnsafeLogValues is also given.
// key_hash is keyed with a secret made once per process, so it tells log
// lines about the same item apart within a process (across all its DBs) but
// cannot be reversed by hashing likely keys, and differs after a restart.
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
	db.initWire()
	return db
}

// Open loads the default AWS configuration (environment, shared files, IAM
// role; WithLoadOptions adds to it) and returns a DB for it. It fails at once,
// with one sentence saying what to set, when there is no region
// (ErrNoRegion) or no credentials (ErrNoCredentials): it resolves the
// credentials once, bounded by ctx, and the client then reuses them.
//
// The SDK honours AWS_ENDPOINT_URL_DYNAMODB, so pointing it at DynamoDB Local
// needs no code: with an endpoint set and no region configured, the region
// is us-east-1; with an endpoint on this machine (localhost, 127.0.0.0/8,
// ::1) and no credentials configured, Open uses the development credentials
// "local"/"local" (those of package dynamotest, so both see the same
// DynamoDB Local database) and resolves nothing over the network.
func Open(ctx context.Context, opts ...Option) (*DB, error) {
	if ctx == nil {
		return nil, ErrNilContext
	}
	var o options
	for _, fn := range opts {
		fn(&o)
	}
	if o.cursorErr != nil {
		return nil, o.cursorErr
	}
	cfg, err := config.LoadDefaultConfig(ctx, o.loadOptions...)
	if err != nil {
		return nil, &configError{msg: "dynantic: Open: cannot load the AWS configuration: " + oneLine(err), cause: err}
	}
	local := false
	client := dynamodb.NewFromConfig(cfg, func(co *dynamodb.Options) {
		if co.BaseEndpoint == nil {
			return
		}
		if co.Region == "" {
			co.Region = "us-east-1"
		}
		if local = isLoopback(*co.BaseEndpoint); local && !credentialsConfigured(cfg) {
			co.Credentials = localCredentials
		}
	})
	co := client.Options()
	if co.Region == "" {
		return nil, &configError{msg: "dynantic: Open: no AWS region: set AWS_REGION (or region in your AWS profile), " +
			"or AWS_ENDPOINT_URL_DYNAMODB for DynamoDB Local", kind: ErrNoRegion}
	}
	if !local {
		if err := checkCredentials(ctx, co.Credentials, credentialsConfigured(cfg)); err != nil {
			return nil, err
		}
	}
	return New(client, opts...), nil
}

// localCredentials are the development credentials of an endpoint on this
// machine, the same as package dynamotest's.
var localCredentials = aws.CredentialsProviderFunc(func(context.Context) (aws.Credentials, error) {
	return aws.Credentials{AccessKeyID: "local", SecretAccessKey: "local", Source: "dynantic (local endpoint)"}, nil
})

// checkCredentials resolves the credentials once, so that Open fails when
// there are none instead of the first request, seconds later. configured
// tells a failing source apart from none at all.
func checkCredentials(ctx context.Context, p aws.CredentialsProvider, configured bool) error {
	const what = "set AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY, or AWS_PROFILE to a profile of ~/.aws/config " +
		"(run aws sso login first for SSO), or run with an IAM role"
	if p == nil {
		return &configError{msg: "dynantic: Open: no AWS credentials: " + what, kind: ErrNoCredentials}
	}
	_, err := p.Retrieve(ctx)
	switch {
	case err == nil:
		return nil
	case ctx.Err() != nil:
		return &configError{msg: "dynantic: Open: resolving AWS credentials: " + ctx.Err().Error(), kind: ctx.Err(), cause: err}
	case configured:
		return &configError{msg: "dynantic: Open: the configured AWS credentials cannot be loaded (" + oneLine(err) + "): " + what,
			kind: ErrNoCredentials, cause: err}
	}
	return &configError{msg: "dynantic: Open: no AWS credentials found: " + what, kind: ErrNoCredentials, cause: err}
}

// credentialsConfigured reports whether the configuration names a source of
// credentials: a provider given with WithLoadOptions, keys or a web identity
// token in the environment, a container endpoint, or a profile with keys,
// a role, SSO, a login session or a credential process. Otherwise the SDK's
// last resort is the EC2 instance metadata service (the network).
func credentialsConfigured(cfg aws.Config) bool {
	for _, src := range cfg.ConfigSources {
		switch c := src.(type) {
		case config.LoadOptions:
			if c.Credentials != nil {
				return true
			}
		case config.EnvConfig:
			if c.Credentials.HasKeys() || c.WebIdentityTokenFilePath != "" ||
				c.ContainerCredentialsEndpoint != "" || c.ContainerCredentialsRelativePath != "" {
				return true
			}
		case config.SharedConfig:
			if c.Credentials.HasKeys() || c.Source != nil || c.RoleARN != "" || c.CredentialSource != "" ||
				c.WebIdentityTokenFile != "" || c.SSOSessionName != "" || c.SSOStartURL != "" ||
				c.LoginSession != "" || c.CredentialProcess != "" {
				return true
			}
		}
	}
	return false
}

// isLoopback reports whether endpoint's host is this machine: localhost,
// 127.0.0.0/8 or ::1.
func isLoopback(endpoint string) bool {
	u, err := url.Parse(endpoint)
	if err != nil {
		return false
	}
	h := u.Hostname()
	if h == "localhost" {
		return true
	}
	ip := net.ParseIP(h)
	return ip != nil && ip.IsLoopback()
}

// configError is a failure of Open: one sentence, matching a sentinel
// (ErrNoRegion, ErrNoCredentials), with the SDK's error underneath.
type configError struct {
	msg         string
	kind, cause error
}

func (e *configError) Error() string { return e.msg }

func (e *configError) Unwrap() []error {
	var errs []error
	for _, err := range []error{e.kind, e.cause} {
		if err != nil {
			errs = append(errs, err)
		}
	}
	return errs
}

// Client returns the wrapped DynamoDB client, for calls the library does not
// make.
func (db *DB) Client() API { return db.client }
