package dynantic

import (
	"context"
	"crypto/hmac"
	"crypto/rand"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"log/slog"
	"math"
	"reflect"
	"sort"
	"strings"
	"sync"
	"sync/atomic"
	"time"
	"unsafe"

	"github.com/aws/aws-sdk-go-v2/service/dynamodb/types"

	"github.com/dynantic/dynantic/internal/codec"
	"github.com/dynantic/dynantic/internal/expr"
	"github.com/dynantic/dynantic/internal/schema"
)

// Table is the typed handle of one DynamoDB table whose items are T. Make it
// once with NewTable or MustTable and share it: it is safe for concurrent
// use, and the model is checked when it is made.
type Table[T any] struct {
	*table
}

// table is the non-generic core of Table[T]: everything that does not need
// to know T at compile time lives here, so each model adds little code.
type table struct {
	db       *DB
	name     string
	model    *schema.Model
	plan     *codec.Plan
	pk, sk   *codec.FieldCodec
	validate bool
	allowAny bool
	special  *special          // special fields and update checks (special.go)
	enc      expr.ValueEncoder // t.encodeValue, made once rather than per request
	variant  *variantInfo      // key templates and discriminator (variant.go); nil for plain tables
	// indexKeys are the key attributes of secondary indexes that are not
	// the table's keys, whose lengths items are checked for.
	indexKeys []*codec.FieldCodec
	// stream is the WithStream view type (streamreader.go); "" for none.
	stream types.StreamViewType
	// keep caches keepNames (wiredirect.go).
	keep atomic.Pointer[keepLists]
}

type tableOptions struct {
	name        string
	allowAny    bool
	hideExpired bool
	templates   []templateSpec // KeyTemplate
	// stream is WithStream's view type.
	stream types.StreamViewType
	// projections are the WithIndexProjection options (index.go); inPoly
	// defers checking those the model alone cannot (NewPoly checks them).
	projections []projectionSpec
	inPoly      bool
}

// TableOption configures a table handle.
type TableOption func(*tableOptions)

// WithTableName sets the table name. Without it the item type must have a
// TableName() string method. The DB's prefix (WithTablePrefix) is added
// either way.
func WithTableName(name string) TableOption { return func(o *tableOptions) { o.name = name } }

// AllowUnknownAttributes lets conditions, projections and updates name
// attributes that the model does not declare (for items written by other
// programs). By default such a name is ErrUnknownAttribute.
func AllowUnknownAttributes() TableOption { return func(o *tableOptions) { o.allowAny = true } }

// tableNamer is the optional method a model uses to name its table.
type tableNamer interface{ TableName() string }

// NewTable checks T as a model and returns its table handle. An invalid
// model is a *SchemaError naming the type and the field; a DB made with an
// option it cannot use (WithCursorSecret with a short key) is an error
// matching ErrInvalidOption.
func NewTable[T any](db *DB, opts ...TableOption) (*Table[T], error) {
	t, err := newTable(db, reflect.TypeFor[T](), opts)
	if err != nil {
		return nil, err
	}
	return &Table[T]{t}, nil
}

// MustTable is NewTable for package-level handles: it panics with NewTable's
// error (the *SchemaError of an invalid model), at start-up rather than at
// request time.
func MustTable[T any](db *DB, opts ...TableOption) *Table[T] {
	t, err := NewTable[T](db, opts...)
	if err != nil {
		panic(err)
	}
	return t
}

func newTable(db *DB, rt reflect.Type, opts []TableOption) (*table, error) {
	if db == nil {
		return nil, &SchemaError{Model: rt.String(), Msg: "nil *DB"}
	}
	if err := db.optionErr(); err != nil {
		return nil, err
	}
	var o tableOptions
	for _, fn := range opts {
		fn(&o)
	}
	m, err := schema.Build(rt)
	if err != nil {
		return nil, err
	}
	if err := applyProjections(m, o.projections, o.allowAny, o.inPoly); err != nil {
		return nil, err
	}
	plan, err := codec.PlanFor(rt)
	if err != nil {
		return nil, err
	}
	name := o.name
	if name == "" {
		if n, ok := reflect.New(rt).Interface().(tableNamer); ok {
			name = n.TableName()
		}
	}
	if name == "" {
		return nil, &SchemaError{Model: m.Name, Msg: "no table name: give the type a TableName() string method or pass WithTableName"}
	}
	if err := o.streamErr(m.Name); err != nil {
		return nil, err
	}
	name = db.opts.tablePrefix + name
	if len(name) < 3 || len(name) > 255 {
		return nil, &SchemaError{Model: m.Name, Msg: fmt.Sprintf("table name %q must be 3 to 255 characters", name)}
	}
	t := &table{db: db, name: name, model: m, plan: plan, allowAny: o.allowAny,
		pk: plan.Field(m.PK.Name), stream: o.stream}
	if m.SK != nil {
		t.sk = plan.Field(m.SK.Name)
	}
	for _, f := range plan.Fields() {
		if f.Opts.IsKey() && !f.Opts.PK && !f.Opts.SK {
			t.indexKeys = append(t.indexKeys, f)
		}
	}
	_, isDefault := db.opts.validator.(defaultValidator)
	t.validate = !isDefault || hasValidation(rt)
	t.special = newSpecial(t, &o)
	t.enc = t.encodeValue
	if err := t.setTemplates(o.templates); err != nil {
		return nil, err
	}
	return t, nil
}

// Name returns the table's name, prefix included.
func (t *Table[T]) Name() string { return t.name }

// ItemKey is the primary key of one item: its partition key value and, for
// tables with a sort key, its sort key value. Make it with Key.
type ItemKey struct {
	pk  any
	sk  any                             // the sort key, when nsk > 0
	nsk int                             // how many sort keys Key was given (more than one is an error)
	enc map[string]types.AttributeValue // KeyOf: the key as stored
	err error                           // KeyOf: why the key could not be built
}

// Key returns the key of an item: Key(pk) for tables without a sort key,
// Key(pk, sk) for tables with one. Values are checked against the model's key
// types when used: a missing or empty part, a wrongly typed value, a string
// that is not valid UTF-8, a value longer than DynamoDB takes (2048 bytes
// for a partition key, 1024 for a sort key), or a sort key for a table
// without one is ErrInvalidKey before any request. A sort key of 0 is a
// real value.
func Key(partition any, sort ...any) ItemKey {
	// The sort key is copied out of the variadic slice, so that the slice
	// does not escape: a Key(pk, sk) call allocates no slice.
	k := ItemKey{pk: partition, nsk: len(sort)}
	if len(sort) > 0 {
		k.sk = sort[0]
	}
	return k
}

// key encodes k against the table's key schema.
func (t *table) key(k ItemKey) (map[string]types.AttributeValue, error) { return t.keyIn(k, nil) }

// keySlots is room for the attribute values of a key's two parts when they
// are strings (the usual case), allocated with the request that carries the
// key instead of one by one.
type keySlots [2]types.AttributeValueMemberS

// keyIn is key, putting string key parts in slots when it is not nil.
func (t *table) keyIn(k ItemKey, slots *keySlots) (map[string]types.AttributeValue, error) {
	var pkDst, skDst *types.AttributeValueMemberS
	if slots != nil {
		pkDst, skDst = &slots[0], &slots[1]
	}
	if k.err != nil || k.enc != nil {
		return t.storedKey(k)
	}
	if k.pk == nil {
		return nil, t.keyErr("missing partition key " + t.pk.Name)
	}
	if k.nsk > 1 {
		return nil, t.keyErr(fmt.Sprintf("Key takes one sort key, got %d", k.nsk))
	}
	if t.sk == nil && k.nsk == 1 {
		return nil, t.keyErr("the table has no sort key, but the key has one")
	}
	if t.sk != nil && k.nsk == 0 && !t.constantKey(t.sk) {
		return nil, t.keyErr("missing sort key " + t.sk.Name)
	}
	out := make(map[string]types.AttributeValue, 2)
	av, err := t.keyPart(t.pk, k.pk, pkDst)
	if err != nil {
		return nil, err
	}
	out[t.pk.Name] = av
	if t.sk != nil {
		if av, err = t.keyPart(t.sk, k.sk, skDst); err != nil {
			return nil, err
		}
		out[t.sk.Name] = av
	}
	return out, nil
}

// keyValue converts v to the key field's type and encodes it with the
// field's own codec. The zero value of an index key field (omitempty in
// items) is encoded too: in a key it is a real value. A string value is
// written into dst when dst is not nil.
func (t *table) keyValue(f *codec.FieldCodec, v any, dst *types.AttributeValueMemberS) (types.AttributeValue, error) {
	var av types.AttributeValue
	var err error
	if reflect.TypeOf(v) == f.Type {
		ok := false
		if dst != nil {
			av, ok, err = f.EncodeKeyTo(v, dst)
		}
		if !ok {
			av, err = f.EncodeKeyAny(v) // no copy of the value
		}
	} else {
		rv, cerr := convertTo(reflect.ValueOf(v), f.Type)
		if cerr != nil {
			return nil, t.keyErr(fmt.Sprintf("key %s: %v", f.Name, cerr))
		}
		av, err = f.EncodeKey(rv)
	}
	if err != nil {
		return nil, err
	}
	if isEmptyKey(av) {
		return nil, t.keyErr("key " + f.Name + " is empty (DynamoDB keys cannot be empty)")
	}
	if err := t.checkKeyLen(f, av); err != nil {
		return nil, err
	}
	return av, nil
}

// DynamoDB's limits on the length of a key value (string or binary; a
// number key is at most 21 bytes): a partition key, of the table or of an
// index, 2048 bytes; a sort key 1024.
const (
	maxPartitionKey = 2048
	maxSortKey      = 1024
)

// keyLimit is the longest value key field f may hold: 1024 bytes if it is
// the sort key of the table or of any index, else 2048.
func keyLimit(f *schema.Field) int {
	if f.Opts.SK || len(f.Opts.GSISK) > 0 || len(f.Opts.LSISK) > 0 {
		return maxSortKey
	}
	return maxPartitionKey
}

// checkKeyLen reports a key value longer than DynamoDB takes for field f,
// as ErrInvalidKey.
func (t *table) checkKeyLen(f *codec.FieldCodec, av types.AttributeValue) error {
	n := 0
	switch v := av.(type) {
	case *types.AttributeValueMemberS:
		n = len(v.Value)
	case *types.AttributeValueMemberB:
		n = len(v.Value)
	default:
		return nil
	}
	if max := keyLimit(&f.Field); n > max {
		role := "partition"
		if max == maxSortKey {
			role = "sort"
		}
		return t.keyErr(fmt.Sprintf("key %s (field %s) is %d bytes long; DynamoDB takes at most %d bytes for a %s key", f.Name, f.GoName, n, max, role))
	}
	return nil
}

// convertTo converts v to type want when the conversion keeps its meaning:
// same type, string kind to string kind, number to number without overflow
// or lost fraction, []byte to []byte. Anything else is an error naming both
// types.
func convertTo(v reflect.Value, want reflect.Type) (reflect.Value, error) {
	if !v.IsValid() {
		return v, fmt.Errorf("want %s, got nil", want)
	}
	if v.Type() == want {
		return v, nil
	}
	bad := func() error { return fmt.Errorf("want %s, got %s", want, v.Type()) }
	if schema.IsNumber(want) || schema.IsNumber(v.Type()) || schema.IsTime(want) || schema.IsTime(v.Type()) {
		return v, bad()
	}
	wk, vk := want.Kind(), v.Kind()
	switch {
	case wk == reflect.String && vk == reflect.String,
		wk == reflect.Slice && vk == reflect.Slice && want.Elem().Kind() == reflect.Uint8 && v.Type().Elem().Kind() == reflect.Uint8:
		return v.Convert(want), nil
	case isNumberKind(wk) && isNumberKind(vk):
		out := reflect.New(want).Elem()
		var ok bool
		switch {
		case wk >= reflect.Int && wk <= reflect.Int64:
			var x int64
			if x, ok = asInt64(v); ok && !want.OverflowInt(x) {
				out.SetInt(x)
				return out, nil
			}
		case wk >= reflect.Uint && wk <= reflect.Uint64:
			var x uint64
			if x, ok = asUint64(v); ok && !want.OverflowUint(x) {
				out.SetUint(x)
				return out, nil
			}
		default:
			f := asFloat64(v)
			if !want.OverflowFloat(f) {
				out.SetFloat(f)
				return out, nil
			}
		}
		return v, fmt.Errorf("%v does not fit in %s", v, want)
	}
	return v, bad()
}

func isNumberKind(k reflect.Kind) bool {
	return schema.IsInteger(k) || k == reflect.Float32 || k == reflect.Float64
}

func asInt64(v reflect.Value) (int64, bool) {
	switch {
	case v.CanInt():
		return v.Int(), true
	case v.CanUint():
		u := v.Uint()
		return int64(u), u <= math.MaxInt64
	}
	f := v.Float()
	return int64(f), f == math.Trunc(f) && f >= math.MinInt64 && f < math.MaxInt64
}

func asUint64(v reflect.Value) (uint64, bool) {
	switch {
	case v.CanUint():
		return v.Uint(), true
	case v.CanInt():
		i := v.Int()
		return uint64(i), i >= 0
	}
	f := v.Float()
	return uint64(f), f == math.Trunc(f) && f >= 0 && f < math.MaxUint64
}

func asFloat64(v reflect.Value) float64 {
	switch {
	case v.CanInt():
		return float64(v.Int())
	case v.CanUint():
		return float64(v.Uint())
	}
	return v.Float()
}

func isEmptyKey(av types.AttributeValue) bool {
	switch v := av.(type) {
	case nil:
		return true
	case *types.AttributeValueMemberS:
		return v.Value == ""
	case *types.AttributeValueMemberB:
		return len(v.Value) == 0
	case *types.AttributeValueMemberN:
		return v.Value == ""
	}
	return false
}

// Encoding errors of key attributes match ErrInvalidKey (a *CodecError
// that errors.Is(err, ErrInvalidKey) recognises).
var _ = codec.SetKeyError(ErrInvalidKey)

func (t *table) keyErr(msg string) error {
	return &inputError{"dynantic: " + t.model.Name + ": " + msg, ErrInvalidKey}
}

// itemKey reads the primary key out of an encoded item.
func (t *table) itemKey(item map[string]types.AttributeValue) (map[string]types.AttributeValue, error) {
	if err := t.checkItemKey(item); err != nil {
		return nil, err
	}
	key := make(map[string]types.AttributeValue, 2)
	for _, f := range [...]*codec.FieldCodec{t.pk, t.sk} {
		if f != nil {
			key[f.Name] = item[f.Name]
		}
	}
	return key, nil
}

// checkItemKey reports an encoded item whose key attributes are missing or
// empty, without building the key, or whose key or index key attributes
// are longer than DynamoDB takes.
func (t *table) checkItemKey(item map[string]types.AttributeValue) error {
	for _, f := range [...]*codec.FieldCodec{t.pk, t.sk} {
		if f == nil {
			continue
		}
		av := item[f.Name]
		if isEmptyKey(av) {
			return t.keyErr(fmt.Sprintf("key %s (field %s) is empty (DynamoDB keys cannot be empty)", f.Name, f.GoName))
		}
		if err := t.checkKeyLen(f, av); err != nil {
			return err
		}
	}
	for _, f := range t.indexKeys {
		if av := item[f.Name]; av != nil {
			if err := t.checkKeyLen(f, av); err != nil {
				return err
			}
		}
	}
	return nil
}

// keyOf encodes just the key fields of the struct at p (templated ones
// built from their fields, without changing the struct).
func (t *table) keyOf(p unsafe.Pointer) (map[string]types.AttributeValue, error) {
	item := make(map[string]types.AttributeValue, 2)
	for _, f := range [...]*codec.FieldCodec{t.pk, t.sk} {
		if f == nil {
			continue
		}
		if kt := t.template(f.Name); kt != nil {
			s, err := t.formatStruct(kt, p)
			if err != nil {
				return nil, err
			}
			item[f.Name] = &types.AttributeValueMemberS{Value: s}
			continue
		}
		av, err := f.EncodeFrom(p)
		if err != nil {
			return nil, err
		}
		item[f.Name] = av
	}
	return t.itemKey(item)
}

// field returns the codec of a top-level attribute: the item type's own, or
// on a Poly's table core, that of the variant that declares it.
func (t *table) field(name string) *codec.FieldCodec {
	if f := t.plan.Field(name); f != nil {
		return f
	}
	if t.variant != nil {
		return t.variant.fields[name]
	}
	return nil
}

// builder returns an expression builder whose values are encoded with the
// codec of the attribute they are compared with.
func (t *table) builder() *expr.Builder {
	return &expr.Builder{Encode: t.enc}
}

// encodeValue encodes a condition value. A value of the attribute's own Go
// type is encoded with the attribute's codec (so a time.Time compared with a
// unixtime field becomes epoch seconds); anything else by its own type.
func (t *table) encodeValue(path expr.Path, op expr.Op, v any) (types.AttributeValue, error) {
	return t.encodeOperand(path, op, v) // condcheck.go: also checks that v fits the attribute
}

// cond checks c's attribute names against the model and compiles it into b.
func (t *table) cond(b *expr.Builder, c Condition) (string, error) {
	if c.err != nil {
		return "", c.err
	}
	if c.c == nil {
		return "", nil
	}
	resolved, err := t.resolve(c.c)
	if err != nil {
		return "", err
	}
	if err := t.checkCond(resolved, 0); err != nil {
		return "", err
	}
	text, err := b.Cond(resolved)
	if err != nil {
		return "", t.compileErr(err)
	}
	return text, nil
}

// condTo is cond writing the text to the end of w (see expr.AppendCond).
func (t *table) condTo(b *expr.Builder, w *strings.Builder, c Condition) error {
	if c.err != nil {
		return c.err
	}
	if c.c == nil {
		return nil
	}
	resolved, err := t.resolve(c.c)
	if err != nil {
		return err
	}
	if err := t.checkCond(resolved, 0); err != nil {
		return err
	}
	if err := b.AppendCond(w, resolved); err != nil {
		return t.compileErr(err)
	}
	return nil
}

// resolve checks every path of c against the model: a path whose first name
// is not a model attribute is ErrUnknownAttribute, unless its whole text is
// an attribute name containing a dot, which it then means. It returns c
// itself when nothing needed rewriting.
func (t *table) resolve(c *expr.Cond) (*expr.Cond, error) {
	var out *expr.Cond
	for i, a := range c.Args {
		if a.IsValue {
			continue
		}
		p, err := t.path(a.Path)
		if err != nil {
			return nil, err
		}
		if len(p) != len(a.Path) {
			if out == nil {
				cp := *c
				cp.Args = append([]expr.Operand(nil), c.Args...)
				out = &cp
			}
			out.Args[i].Path = p
		}
	}
	subsCopied := false
	for i, s := range c.Subs {
		r, err := t.resolve(s)
		if err != nil {
			return nil, err
		}
		if r == s {
			continue
		}
		if out == nil {
			cp := *c
			out = &cp
		}
		if !subsCopied {
			out.Subs = append([]*expr.Cond(nil), c.Subs...)
			subsCopied = true
		}
		out.Subs[i] = r
	}
	if out == nil {
		return c, nil
	}
	return out, nil
}

// path resolves one attribute path against the model.
func (t *table) path(p expr.Path) (expr.Path, error) {
	if len(p) == 0 {
		return nil, &inputError{"dynantic: " + t.model.Name + ": empty attribute path", ErrUnknownAttribute}
	}
	if len(p) > 1 {
		// A model attribute whose name has a dot wins over a nested path.
		if whole := p.String(); t.model.Field(whole) != nil {
			return expr.NamePath(whole), nil
		}
	}
	if t.model.Field(p[0].Name) != nil {
		return p, nil
	}
	if t.allowAny {
		return p, nil
	}
	return nil, t.unknown(p.Top())
}

func (t *table) unknown(name string) error {
	return &inputError{fmt.Sprintf("dynantic: %s has no attribute %q", t.model.Name, name), ErrUnknownAttribute}
}

// attrPaths parses and resolves attribute names given as strings (Project).
func (t *table) attrPaths(names []string) ([]expr.Path, error) {
	paths := make([]expr.Path, 0, len(names))
	for _, n := range names {
		a := Attr(n)
		if a.err != nil {
			return nil, pathErr("Project", a.err, ErrInvalidQuery)
		}
		p, err := t.path(a.exprPath())
		if err != nil {
			return nil, err
		}
		paths = append(paths, p)
	}
	return paths, nil
}

// call runs one DynamoDB request, logging it at debug level when a logger
// is set.
func (t *table) call(ctx context.Context, op string, key map[string]types.AttributeValue, item map[string]types.AttributeValue, fn func() error) error {
	if !t.logging(ctx) {
		return fn()
	}
	l := t.db.opts.logger
	start := time.Now()
	err := fn()
	attrs := make([]slog.Attr, 0, 6)
	attrs = append(attrs, slog.String("op", op), slog.String("table", t.name), slog.Duration("duration", time.Since(start)))
	if key != nil {
		if t.db.opts.logValues {
			attrs = append(attrs, slog.String("key", renderItem(key)))
		} else {
			attrs = append(attrs, slog.String("key_hash", hashKey(key)))
		}
	}
	if item != nil && t.db.opts.logValues {
		attrs = append(attrs, slog.String("item", renderItem(item)))
	}
	if err != nil {
		attrs = append(attrs, slog.String("error", err.Error()))
	}
	l.LogAttrs(ctx, slog.LevelDebug, "dynantic "+op, attrs...)
	return err
}

// logging reports whether requests are logged (a logger enabled at debug
// level), so that what only the log needs is made only then.
func (t *table) logging(ctx context.Context) bool {
	l := t.db.opts.logger
	return l != nil && l.Enabled(ctx, slog.LevelDebug)
}

// hashKey is a short digest of a key that tells log lines about the same
// item apart without revealing the key: the first 8 bytes of HMAC-SHA256
// under logHashKey. Unkeyed, a hash of a guessable key (an email, a
// sequential ID) is reversed by hashing candidates; keyed with a secret
// made per process, it cannot be. The same key hashes alike in every DB
// of a process, and differently in another process.
func hashKey(key map[string]types.AttributeValue) string {
	h := hmac.New(sha256.New, logHashKey())
	h.Write([]byte(renderItem(key)))
	return hex.EncodeToString(h.Sum(nil)[:8])
}

// logHashKey is the key of hashKey: 32 random bytes, made on first use.
var logHashKey = sync.OnceValue(func() []byte {
	k := make([]byte, 32)
	_, _ = rand.Read(k) // crypto/rand.Read does not fail (it crashes the program instead)
	return k
})

// renderItem renders attribute values in a compact, deterministic form.
func renderItem(item map[string]types.AttributeValue) string {
	var b strings.Builder
	renderMap(&b, item)
	return b.String()
}

func renderMap(b *strings.Builder, m map[string]types.AttributeValue) {
	names := make([]string, 0, len(m))
	for n := range m {
		names = append(names, n)
	}
	sort.Strings(names)
	b.WriteByte('{')
	for i, n := range names {
		if i > 0 {
			b.WriteByte(',')
		}
		fmt.Fprintf(b, "%q:", n)
		renderAV(b, m[n])
	}
	b.WriteByte('}')
}

func renderAV(b *strings.Builder, av types.AttributeValue) {
	switch v := av.(type) {
	case *types.AttributeValueMemberS:
		fmt.Fprintf(b, "%q", v.Value)
	case *types.AttributeValueMemberN:
		b.WriteString(v.Value)
	case *types.AttributeValueMemberBOOL:
		fmt.Fprint(b, v.Value)
	case *types.AttributeValueMemberNULL:
		b.WriteString("null")
	case *types.AttributeValueMemberB:
		fmt.Fprintf(b, "b%q", hex.EncodeToString(v.Value))
	case *types.AttributeValueMemberSS:
		fmt.Fprintf(b, "SS%q", v.Value)
	case *types.AttributeValueMemberNS:
		fmt.Fprintf(b, "NS%v", v.Value)
	case *types.AttributeValueMemberBS:
		fmt.Fprintf(b, "BS(%d)", len(v.Value))
	case *types.AttributeValueMemberL:
		b.WriteByte('[')
		for i, e := range v.Value {
			if i > 0 {
				b.WriteByte(',')
			}
			renderAV(b, e)
		}
		b.WriteByte(']')
	case *types.AttributeValueMemberM:
		renderMap(b, v.Value)
	default:
		b.WriteString("?")
	}
}
