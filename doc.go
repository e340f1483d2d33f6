// Package dynantic maps Go structs to Amazon DynamoDB items.
//
// A model is a plain struct whose fields carry `dynamo` tags naming the
// attribute and its role, and optional `validate` tags
// (go-playground/validator) checked before every write:
//
//	type Product struct {
//		ID    string  `dynamo:"product_id,pk"`
//		Name  string  `dynamo:"name" validate:"required"`
//		Price float64 `dynamo:"price" validate:"gte=0"`
//	}
//
//	func (Product) TableName() string { return "products" }
//
// A DB wraps an aws-sdk-go-v2 DynamoDB client (New) or loads the default AWS
// configuration (Open). A Table[T] is the typed handle of one table; it checks
// the model once, when it is made, and is safe for concurrent use:
//
//	db, err := dynantic.Open(ctx)
//	products := dynantic.MustTable[Product](db)
//	err = products.Save(ctx, &Product{ID: "p1", Name: "Widget", Price: 29.99})
//	p, err := products.Get(ctx, dynantic.Key("p1"))
//
// # Tags
//
// `dynamo:"name,opt,opt=value"` names the attribute (the Go field name when
// empty) and takes the options pk, sk, gsi_pk=Index, gsi_sk=Index,
// lsi_sk=Index, discriminator, omitempty, set, unixtime, version, created,
// updated, ttl and auto; `dynamo:"-"` skips a field. Embedded structs are
// flattened. A model without a partition key, with two, with duplicate
// attribute names or with an unsupported key type is a *SchemaError from
// NewTable.
//
// # Encoding
//
// Numbers of every Go type round-trip exactly (NaN and infinities are
// rejected; an integer that overflows its field is a decoding error), and
// Number keeps any DynamoDB number exactly. time.Time is stored as a
// fixed-width UTC string (2006-01-02T15:04:05.000000000Z) so that string
// order is time order, or as epoch seconds with unixtime or ttl. Nil pointers,
// slices and maps are omitted; empty non-nil slices and maps are stored as
// empty lists and maps; empty sets are omitted. Custom types implement
// Marshaler and Unmarshaler (or the attributevalue package's interfaces).
//
// # Conditions
//
// Attr builds conditions that compile to DynamoDB condition expressions with
// #name and :value placeholders: Attr("rating").Gte(8).And(Attr("deleted").NotExists()).
// Attribute names are checked against the model before any request
// (ErrUnknownAttribute).
//
// # Queries and scans
//
// Query reads one partition in sort key order, QueryIndex a GSI or LSI, Scan
// the whole table (in parallel with Segments). Chain a sort key condition
// (Eq, BeginsWith, Between, Gt, Gte, Lt, Lte), Filter, Limit, Reverse,
// Project, then a terminal: All, First, Iter (an iter.Seq2 that reads page
// by page), Page (stateless pagination with an opaque cursor, signed with
// WithCursorSecret) or Count:
//
//	big, err := orders.Query("customer-456").BeginsWith("2024-").
//		Filter(dynantic.Attr("total").Gte(50)).Limit(10).All(ctx)
//	page, err := orders.Query("customer-456").Limit(20).Page(ctx, cursor)
//
// Limit counts the items returned, whatever a filter discards, and a cursor
// resumes right after the last item returned.
//
// # Indexes
//
// A GSI may have a multi-attribute key: up to four partition-key and four
// sort-key attributes, each tagged with its position (gsi_pk=ByRegion:1,
// gsi_pk=ByRegion:2, gsi_sk=ByRegion:1). QueryIndex then takes one value per
// partition attribute and the sort conditions follow the declared order:
//
//	listings.QueryIndex("ByRegion", "EU", 1).Eq("shoes").Gte(100).All(ctx)
//
// ScanIndex reads a whole index. WithIndexProjection declares what an index
// stores (AllAttributes, KeysOnly, Include); reading it fills only those
// fields, and Hydrate reads the full items from the table.
//
// # Updates
//
// Table.Update changes attributes of one item in one UpdateItem request,
// without reading it first; every action is checked against the model
// before the request:
//
//	users.Update(dynantic.Key("user-123", "john@example.com")).
//		Add("login_count", 1).Set("status", "active").Execute(ctx)
//
// Table.Patch writes chosen fields of a struct as Save would write them.
//
// # Special fields
//
// A version field makes Save, Patch and Update (with Version) optimistic:
// a stale write fails with ErrVersionConflict. created and updated fields are
// set from the DB's clock (WithClock), ttl fields are epoch seconds
// (HideExpired hides expired items from reads), and empty auto fields get a
// UUIDv7.
//
// # Batches and transactions
//
// BatchSave, BatchDelete and BatchGet write or read any number of items with
// BatchWriteItem and BatchGetItem requests sent concurrently, validating
// everything before the first request and retrying unprocessed items and
// throttling with backoff; what is still not written comes back in a
// *BatchError that lists exactly those items. NewBatchWriter buffers writes
// and sends them in the background. DB.Tx runs the TxSave, TxCreate,
// TxDelete and TxCheck actions of several tables atomically, and DB.GetTx
// reads items as of one point in time; a cancelled transaction is a
// *TransactionCanceledError with one reason per action.
//
// # Polymorphism and single-table design
//
// A Poly is a table whose items are of several variants, told apart by the
// base type's discriminator attribute. Variants embed the base; reads return
// each item as a pointer to its variant, ready for a type switch, and writes
// store the variant's discriminator value:
//
//	animals := dynantic.MustPoly[Animal](db, dynantic.Variant[Dog]("DOG"), dynantic.Variant[Cat]("CAT"))
//	all, err := animals.Scan().All(ctx) // []any of *Dog and *Cat
//	dogs := dynantic.MustVariantTable[Dog](animals) // a Table[Dog] that reads only dogs
//
// KeyTemplate builds key attributes from fields for single-table designs
// ("CUSTOMER#{CustomerID}", "ORDER#{Placed}#{OrderID}"): formatted on
// write, parsed back on read, and used by keys and queries in terms of the
// fields (orders.Query(customerID).BeginsWith("2024-05")).
//
// # Items outside the handle and streams
//
// Table.Encode returns the item Save would store, Table.Decode and
// Poly.Decode decode items read by other means. DynamoDB stream records
// become typed changes (Change[T], PolyChange: kind, Old, New, keys,
// TTLExpired, ChangedAttributes) with DecodeRecord, ReadStream (a reader
// for development and tests) or, in AWS Lambda, package lambdaevents.
//
// # Errors
//
// Callers branch with errors.Is on ErrNotFound, ErrAlreadyExists,
// ErrConditionFailed, ErrVersionConflict, ErrInvalidCursor,
// ErrUnknownAttribute, ErrInvalidKey, ErrUnknownIndex, ErrInvalidUpdate,
// ErrInvalidCondition, ErrNilItem, ErrNilContext, ErrUnknownVariant and
// ErrTableNotFound (a missing table, from any call), and read detail
// with errors.As on *SchemaError, *ValidationError, *CodecError,
// *ConditionFailedError, *OpError and *UnknownVariantError. Typed errors unwrap to the SDK's
// errors. Open fails at once with ErrNoRegion or ErrNoCredentials, in one
// sentence saying what to set.
//
// # Testing
//
// Package memdynamo is an in-memory DynamoDB that needs nothing but Go:
// dynantic.New(memdynamo.New().Client()) is a DB for a test or a demo.
// Package dynamotest runs a package's tests on such an engine by default,
// and on DynamoDB Local or AWS when the environment selects them.
package dynantic
