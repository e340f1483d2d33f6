package dynantic

import (
	"errors"
	"fmt"
	"math"
	"reflect"
	"strconv"
	"time"
	"unsafe"

	"github.com/aws/aws-sdk-go-v2/service/dynamodb/types"
	"github.com/google/uuid"

	"github.com/dynantic/dynantic/internal/codec"
	"github.com/dynantic/dynantic/internal/expr"
)

// This file holds the behaviour of the special fields (version, created,
// updated, ttl, auto) shared by Save, Create, Update and Patch.

// WithClock sets the clock that created and updated timestamps, and the
// expired-item check of HideExpired, read. The default is time.Now. Tests use
// it to control time without sleeping.
func WithClock(now func() time.Time) Option { return func(o *options) { o.now = now } }

// now is the DB's clock.
func (db *DB) now() time.Time {
	if db.opts.now != nil {
		return db.opts.now()
	}
	return time.Now()
}

// HideExpired makes reads treat items whose ttl attribute is at or before
// the current time (to the second) as absent, although DynamoDB has not yet
// deleted them (it does so within days): Get returns ErrNotFound for them.
// It has no effect on models without a ttl field.
func HideExpired() TableOption { return func(o *tableOptions) { o.hideExpired = true } }

// special is what writes need to know about a table's special fields and
// attributes, computed once when the handle is made.
type special struct {
	version, created, updated, ttl *codec.FieldCodec
	auto                           []*codec.FieldCodec
	hideExpired                    bool
	// fields describes every top-level attribute for update checks.
	fields map[string]*fieldInfo
	// vars checks one value against a validate tag; nil when the DB's
	// Validator cannot (a custom Validator without a Var method).
	vars varValidator
}

func newSpecial(t *table, o *tableOptions) *special {
	s := &special{hideExpired: o.hideExpired, fields: make(map[string]*fieldInfo, len(t.model.Fields))}
	m := t.model
	if m.Version != nil {
		s.version = t.plan.Field(m.Version.Name)
	}
	if m.Created != nil {
		s.created = t.plan.Field(m.Created.Name)
	}
	if m.Updated != nil {
		s.updated = t.plan.Field(m.Updated.Name)
	}
	if m.TTL != nil {
		s.ttl = t.plan.Field(m.TTL.Name)
	}
	for _, f := range m.Auto {
		s.auto = append(s.auto, t.plan.Field(f.Name))
	}
	if v, ok := t.db.opts.validator.(varValidator); ok {
		s.vars = v
	}
	for _, fc := range t.plan.Fields() {
		s.fields[fc.Name] = newFieldInfo(t, fc, s)
	}
	return s
}

// fieldPtr returns a pointer to field f of the struct at p, or nil when f is
// reached through an embedded pointer that is nil.
func (t *table) fieldPtr(p unsafe.Pointer, f *codec.FieldCodec) unsafe.Pointer {
	if !f.ViaPtr {
		return unsafe.Add(p, f.Offset)
	}
	st := t.model.Type
	for i, x := range f.Index {
		sf := st.Field(x)
		p = unsafe.Add(p, sf.Offset)
		if i == len(f.Index)-1 {
			break
		}
		st = sf.Type
		if st.Kind() == reflect.Pointer {
			p = *(*unsafe.Pointer)(p)
			if p == nil {
				return nil
			}
			st = st.Elem()
		}
	}
	return p
}

// fieldValue is the settable reflect.Value of field f of the struct at p, or
// the invalid Value when f sits behind a nil embedded pointer.
func (t *table) fieldValue(p unsafe.Pointer, f *codec.FieldCodec) reflect.Value {
	fp := t.fieldPtr(p, f)
	if fp == nil {
		return reflect.Value{}
	}
	return reflect.NewAt(f.Type, fp).Elem()
}

// fillAuto puts a new UUIDv7 into every empty auto field of the struct at p.
// The IDs stay in the struct even if the write then fails, so that a retry
// writes the same item.
func (t *table) fillAuto(p unsafe.Pointer) error {
	for _, f := range t.special.auto {
		v := t.fieldValue(p, f)
		if !v.IsValid() || v.String() != "" {
			continue
		}
		id, err := uuid.NewV7()
		if err != nil {
			return fmt.Errorf("dynantic: %s.%s: generating an auto ID: %w", t.model.Name, f.GoName, err)
		}
		v.SetString(id.String())
	}
	return nil
}

// fieldWrite is a managed attribute value that a successful write copies
// into the caller's struct.
type fieldWrite struct {
	f  *codec.FieldCodec
	av types.AttributeValue
}

// versionCheck is the optimistic-locking condition of one write: the
// version the caller expects the stored item to have (0: no version yet).
type versionCheck struct {
	on       bool
	expected int64
}

// versionCond is the condition of c: attribute_not_exists(version) for
// expected version 0 (the item does not exist, or predates the version
// field), version = expected otherwise.
func (t *table) versionCond(c versionCheck) Condition {
	if !c.on {
		return Condition{}
	}
	p := expr.NamePath(t.special.version.Name)
	if c.expected == 0 {
		return Condition{c: &expr.Cond{Op: expr.OpNotExists, Args: []expr.Operand{{Path: p}}}}
	}
	return Condition{c: &expr.Cond{Op: expr.OpEq, Args: []expr.Operand{{Path: p}, {Value: c.expected, IsValue: true}}}}
}

// isVersionConflict tells, from the item DynamoDB returned with a failed
// condition (nil when there was none), whether the version check is what
// failed rather than the caller's own condition.
func (t *table) isVersionConflict(c versionCheck, stored map[string]types.AttributeValue) bool {
	if !c.on {
		return false
	}
	if len(stored) == 0 {
		return c.expected != 0
	}
	var v int64
	if n, ok := stored[t.special.version.Name].(*types.AttributeValueMemberN); ok {
		v, _ = strconv.ParseInt(n.Value, 10, 64)
	}
	return v != c.expected
}

// failed turns a failed write's SDK error into the library's errors, marking
// a version conflict and dropping the stored item unless the caller asked
// for it (it may have been fetched only to tell a conflict apart).
func (t *Table[T]) failed(op, apiOp string, err error, create bool, c versionCheck, showItem bool) error {
	err = t.writeErr(op, apiOp, err, create)
	var cf *ConditionFailedError
	if errors.As(err, &cf) {
		cf.versionConflict = t.isVersionConflict(c, cf.Item)
		if !showItem {
			cf.Item, cf.Current = nil, nil
		}
	}
	return err
}

// readVersion reads the version field of the struct at p.
func (t *table) readVersion(p unsafe.Pointer) (int64, reflect.Value, error) {
	v := t.fieldValue(p, t.special.version)
	if !v.IsValid() {
		return 0, v, nil
	}
	if v.CanInt() {
		return v.Int(), v, nil
	}
	u := v.Uint()
	if u > math.MaxInt64 {
		return 0, v, &updateError{msg: fmt.Sprintf("dynantic: %s.%s: version %d is too large", t.model.Name, t.special.version.GoName, u)}
	}
	return int64(u), v, nil
}

// timeAV encodes now for a created or updated field (time.Time or
// *time.Time, possibly unixtime).
func timeAV(f *codec.FieldCodec, now time.Time) (types.AttributeValue, error) {
	rv := reflect.ValueOf(now)
	if f.Type.Kind() == reflect.Pointer {
		p := reflect.New(f.Type.Elem())
		p.Elem().Set(rv)
		rv = p
	}
	return f.EncodeValue(rv)
}

// isZeroTime reports whether a created field (time.Time or *time.Time) is
// unset.
func isZeroTime(v reflect.Value) bool {
	if !v.IsValid() {
		return true
	}
	if v.Kind() == reflect.Pointer {
		if v.IsNil() {
			return true
		}
		v = v.Elem()
	}
	return v.Interface().(time.Time).IsZero()
}

func numberAV(n int64) types.AttributeValue {
	return &types.AttributeValueMemberN{Value: strconv.FormatInt(n, 10)}
}

// stampPut sets the managed attributes of an encoded item for Save and
// Create, and returns the version check and what to copy back into the
// struct once the write succeeds:
//   - updated: now;
//   - created: the struct's value if set, else now (PutItem replaces the
//     whole item, so if_not_exists cannot apply; a struct read from the table
//     carries the original time);
//   - version: the struct's version + 1, on condition that the stored item
//     still has the struct's version (Save; Create only requires that no
//     item exists).
//
// Every put passes here last, so the complete item's size is checked here
// too (checkSize).
func (t *table) stampPut(p unsafe.Pointer, item map[string]types.AttributeValue, create bool) (versionCheck, []fieldWrite, error) {
	check, writes, err := t.stamp(p, item, create)
	if err == nil {
		err = t.checkSize(item)
	}
	return check, writes, err
}

func (t *table) stamp(p unsafe.Pointer, item map[string]types.AttributeValue, create bool) (versionCheck, []fieldWrite, error) {
	s := t.special
	if s.version == nil && s.created == nil && s.updated == nil {
		return versionCheck{}, nil, nil
	}
	var writes []fieldWrite
	var check versionCheck
	now := t.db.now()
	if s.updated != nil {
		av, err := timeAV(s.updated, now)
		if err != nil {
			return check, nil, err
		}
		item[s.updated.Name] = av
		writes = append(writes, fieldWrite{s.updated, av})
	}
	if s.created != nil && isZeroTime(t.fieldValue(p, s.created)) {
		av, err := timeAV(s.created, now)
		if err != nil {
			return check, nil, err
		}
		item[s.created.Name] = av
		writes = append(writes, fieldWrite{s.created, av})
	}
	if s.version != nil {
		cur, v, err := t.readVersion(p)
		if err != nil {
			return check, nil, err
		}
		if cur < 0 {
			return check, nil, &updateError{msg: fmt.Sprintf("dynantic: %s.%s: negative version %d", t.model.Name, s.version.GoName, cur)}
		}
		next := cur + 1
		if v.IsValid() && ((v.CanInt() && v.OverflowInt(next)) || (v.CanUint() && v.OverflowUint(uint64(next)))) {
			return check, nil, &updateError{msg: fmt.Sprintf("dynantic: %s.%s: version %d cannot be incremented in %s", t.model.Name, s.version.GoName, cur, v.Type())}
		}
		av := numberAV(next)
		item[s.version.Name] = av
		writes = append(writes, fieldWrite{s.version, av})
		check = versionCheck{on: !create, expected: cur}
	}
	return check, writes, nil
}

// stampUpdate appends the managed actions of an update: SET updated = now,
// SET created = if_not_exists(created, now), ADD version 1. For a Patch
// (patch set) it also returns the values to copy back into the item: the
// updated time, and the new version when the version was checked.
func (t *table) stampUpdate(actions []expr.Action, c versionCheck, patch bool) ([]expr.Action, []fieldWrite, error) {
	s := t.special
	var writes []fieldWrite
	if s.updated != nil || s.created != nil {
		now := t.db.now()
		if s.updated != nil {
			av, err := timeAV(s.updated, now)
			if err != nil {
				return nil, nil, err
			}
			actions = append(actions, expr.Action{Kind: expr.ActSet, Path: expr.NamePath(s.updated.Name), A: expr.UpdateOperand{Value: av}})
			if patch {
				writes = append(writes, fieldWrite{s.updated, av})
			}
		}
		if s.created != nil {
			av, err := timeAV(s.created, now)
			if err != nil {
				return nil, nil, err
			}
			p := expr.NamePath(s.created.Name)
			actions = append(actions, expr.Action{Kind: expr.ActSet, Path: p, A: expr.UpdateOperand{Path: p, IfNotExists: av}})
		}
	}
	if s.version != nil {
		actions = append(actions, expr.Action{Kind: expr.ActAdd, Path: expr.NamePath(s.version.Name), A: expr.UpdateOperand{Value: numberAV(1)}})
		if patch && c.on {
			writes = append(writes, fieldWrite{s.version, numberAV(c.expected + 1)})
		}
	}
	return actions, writes, nil
}

// writeBack copies managed values into the struct at p after a successful
// write.
func (t *table) writeBack(p unsafe.Pointer, writes []fieldWrite) {
	for _, w := range writes {
		if v := t.fieldValue(p, w.f); v.IsValid() {
			_ = w.f.DecodeValue(w.av, v) // our own encoding: it decodes
		}
	}
}

// expiredFilter is the condition that keeps only items not yet expired at
// now: attribute_not_exists(ttl) OR ttl > now (epoch seconds), the filter
// AWS recommends for reads. It is the zero Condition when the table does not
// hide expired items (see HideExpired) or the model has no ttl field. Query
// and Scan AND it into their filter.
func (t *table) expiredFilter(now time.Time) Condition {
	s := t.special
	if !s.hideExpired || s.ttl == nil {
		return Condition{}
	}
	p := expr.NamePath(s.ttl.Name)
	return Or(
		Condition{c: &expr.Cond{Op: expr.OpNotExists, Args: []expr.Operand{{Path: p}}}},
		Condition{c: &expr.Cond{Op: expr.OpGt, Args: []expr.Operand{{Path: p}, {Value: now.Unix(), IsValue: true}}}},
	)
}

// expired reports whether a read item is expired and must be hidden: the
// same rule as expiredFilter, applied to an item already fetched.
func (t *table) expired(item map[string]types.AttributeValue, now time.Time) bool {
	s := t.special
	if !s.hideExpired || s.ttl == nil {
		return false
	}
	n, ok := item[s.ttl.Name].(*types.AttributeValueMemberN)
	if !ok {
		return false
	}
	if sec, err := strconv.ParseInt(n.Value, 10, 64); err == nil {
		return sec <= now.Unix()
	}
	f, err := strconv.ParseFloat(n.Value, 64)
	return err == nil && f <= float64(now.Unix())
}

// projectTTL adds the ttl attribute to a projection when expired items are
// hidden, so that Get can tell; added says the caller must drop it from the
// result again.
func (t *table) projectTTL(paths []expr.Path) (out []expr.Path, added bool) {
	s := t.special
	if !s.hideExpired || s.ttl == nil {
		return paths, false
	}
	for _, p := range paths {
		if p.Top() == s.ttl.Name {
			return paths, false
		}
	}
	return append(paths, expr.NamePath(s.ttl.Name)), true
}

// hideRead applies HideExpired to an item returned by GetItem: it reports
// whether the item is to be treated as absent, and drops the ttl attribute
// when only projectTTL asked for it.
func (t *table) hideRead(item map[string]types.AttributeValue, addedTTL bool) bool {
	if s := t.special; s.hideExpired && s.ttl != nil && t.expired(item, t.db.now()) {
		return true // (the clock is read only for tables that hide expired items)
	}
	if addedTTL {
		delete(item, t.special.ttl.Name)
	}
	return false
}
