package dynantic

import (
	"context"
	"fmt"
	"reflect"
	"strconv"
	"strings"
	"unsafe"

	"github.com/aws/aws-sdk-go-v2/service/dynamodb"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb/types"

	"github.com/dynantic/dynantic/internal/expr"
)

// ReturnValue says what an Update's Execute returns: nothing, or the item
// (all attributes, or only the updated ones) as it was before or after the
// update (ReturnValues of UpdateItem).
type ReturnValue string

// The ReturnValue modes.
const (
	// ReturnNone returns nothing: Execute's *T is nil. The default.
	ReturnNone ReturnValue = "NONE"
	// ReturnAllOld returns the whole item as it was before the update (nil
	// if there was none).
	ReturnAllOld ReturnValue = "ALL_OLD"
	// ReturnAllNew returns the whole item as it is after the update.
	ReturnAllNew ReturnValue = "ALL_NEW"
	// ReturnUpdatedOld returns the updated attributes as they were before
	// the update; the other fields of the *T are zero.
	ReturnUpdatedOld ReturnValue = "UPDATED_OLD"
	// ReturnUpdatedNew returns the updated attributes as they are after the
	// update; the other fields of the *T are zero.
	ReturnUpdatedNew ReturnValue = "UPDATED_NEW"
)

// Computed is a value that DynamoDB computes from the stored item when an
// update runs, for Set: Attr("stock").Minus(1) is stock - 1,
// Attr("total").Plus(Attr("tax")) is total + tax. Make it with AttrRef.Plus
// and AttrRef.Minus.
type Computed struct {
	fn   expr.SetFn
	a, b any // AttrRef or a Go value
	err  error
}

// Plus is the attribute's number plus v (a number, or another AttrRef),
// for Set. DynamoDB rejects the update when the attribute is missing; Add
// treats a missing number as 0.
func (a AttrRef) Plus(v any) Computed { return Computed{fn: expr.SetPlus, a: a, b: v, err: a.err} }

// Minus is the attribute's number minus v (a number, or another AttrRef),
// for Set. DynamoDB rejects the update when the attribute is missing.
func (a AttrRef) Minus(v any) Computed { return Computed{fn: expr.SetMinus, a: a, b: v, err: a.err} }

// Update is a builder for one UpdateItem request: it changes some
// attributes of one item without reading it first, atomically
// (https://docs.aws.amazon.com/amazondynamodb/latest/APIReference/API_UpdateItem.html).
// Make it with Table.Update (or Table.Patch), chain actions, and finish
// with Execute.
//
// Each chain method checks its input against the model at once: the
// attribute must be in the model (unless the table has
// AllowUnknownAttributes; of a nested path only the top-level name is
// checked), must not be the table's partition or sort key nor a field the
// library manages (version, created, updated), the value must fit the
// field's Go type (converted without loss, encoded with the field's own
// codec), the action must fit the field's kind (Add: a number or a set;
// Delete: a set; Append, Prepend: a list; Plus, Minus: a number), and a
// value that becomes the attribute's value (Set, SetIfNotExists, Remove's
// zero value, Patch) must pass the field's validate tag. The first failure
// is kept and returned by Execute; nothing is sent. Two actions on the same
// or overlapping paths (a and a.b, a and a[1]) are an error too.
//
// Like UpdateItem, an Update creates the item when no item has the key
// (with the key and the updated attributes only, and without running the
// model's full validation); add If(Attr(pk).Exists()) to update only
// existing items. An Update may be executed again (a retry); it is not safe
// for concurrent use.
type Update[T any] struct {
	t *Table[T]
	u updateCore
}

// updateCore is the non-generic state and logic of an Update.
type updateCore struct {
	t     *table
	op    string // "Update" or "Patch"
	key   ItemKey
	keyAV map[string]types.AttributeValue // Patch: the item's key
	item  unsafe.Pointer                  // Patch: the item, for version and updated
	// The actions in the order given: the first four in place (a typical
	// update then allocates nothing for them), the rest in more.
	first    [4]expr.Action
	nFirst   int
	more     []expr.Action
	cond     Condition
	ret      ReturnValue
	showItem bool
	check    versionCheck
	capacity *Capacity // WithCapacity
	err      error
}

// Update starts an update of the item with the given key
// (https://docs.aws.amazon.com/amazondynamodb/latest/APIReference/API_UpdateItem.html).
// See Update for the checks its methods make; Execute sends it and returns
// the errors.
func (t *Table[T]) Update(key ItemKey) *Update[T] {
	return &Update[T]{t: t, u: updateCore{t: t.table, op: "Update", key: key}}
}

// Set sets the attribute (or nested path, e.g. "address.city" or
// "lines[2].qty") to v. v may also be a Computed (Attr("stock").Minus(1))
// or another attribute (Attr("other"): a copy). A value that Save would
// omit (nil, a nil pointer, slice or map, an empty set, a zero omitempty
// value) removes the attribute instead, so that Set and Save store the same
// thing.
func (u *Update[T]) Set(attr string, v any) *Update[T] { u.u.set(attr, v); return u }

// SetIfNotExists sets the attribute to v only if the item does not have it
// yet (if_not_exists).
func (u *Update[T]) SetIfNotExists(attr string, v any) *Update[T] {
	u.u.setIfNotExists(attr, v)
	return u
}

// Add adds v to a number attribute (a missing attribute counts as 0), or
// adds the elements of v to a set attribute (creating it if missing). For a
// set, v may be a set of the field's type or a single element.
func (u *Update[T]) Add(attr string, v any) *Update[T] {
	u.u.addDelete(expr.ActAdd, "Add", attr, v)
	return u
}

// Delete removes the elements of v (a set of the field's type, or a single
// element) from a set attribute.
func (u *Update[T]) Delete(attr string, v any) *Update[T] {
	u.u.addDelete(expr.ActDelete, "Delete", attr, v)
	return u
}

// Remove removes the attributes (or nested paths; "tags[0]" removes a list
// element). A field whose validate tag rejects its zero value (required,
// gte=1...) cannot be removed.
func (u *Update[T]) Remove(attrs ...string) *Update[T] {
	for _, a := range attrs {
		u.u.remove(a)
	}
	return u
}

// Append appends the elements of v (a list of the field's type, or a single
// element) to a list attribute, creating the list if missing.
func (u *Update[T]) Append(attr string, v any) *Update[T] { u.u.listAppend(attr, v, false); return u }

// Prepend puts the elements of v (a list of the field's type, or a single
// element) in front of a list attribute, creating the list if missing.
func (u *Update[T]) Prepend(attr string, v any) *Update[T] { u.u.listAppend(attr, v, true); return u }

// If makes the update conditional: it happens only if c is true for the
// stored item, and otherwise fails with an error matching
// ErrConditionFailed. Several If calls are combined with AND, and with the
// version check.
func (u *Update[T]) If(c Condition) *Update[T] { u.u.cond = And(u.u.cond, c); return u }

// Return chooses what Execute returns (ReturnNone by default).
func (u *Update[T]) Return(r ReturnValue) *Update[T] {
	switch r {
	case ReturnNone, ReturnAllOld, ReturnAllNew, ReturnUpdatedOld, ReturnUpdatedNew:
		u.u.ret = r
	default:
		u.u.fail(&updateError{msg: fmt.Sprintf("dynantic: %s: %s: unknown ReturnValue %q", u.u.t.model.Name, u.u.op, string(r))})
	}
	return u
}

// ReturnItemOnConditionFailure asks DynamoDB to return the stored item when
// the condition fails, in ConditionFailedError.Item and .Current, as the
// write option of the same name does for Save and Delete.
func (u *Update[T]) ReturnItemOnConditionFailure() *Update[T] { u.u.showItem = true; return u }

// WithCapacity adds what Execute costs to *c (see the WithCapacity option).
// An Update given to a Tx with it is an error: give WithCapacity to the Tx.
func (u *Update[T]) WithCapacity(c *Capacity) *Update[T] { u.u.capacity = c; return u }

// Version makes the update conditional on the stored item's version field
// being expected (optimistic locking); 0 means the item must not have a
// version yet. A stale version fails with an error matching
// ErrVersionConflict (and ErrConditionFailed). Without Version, an update
// of a versioned model increments the version without checking it. It is
// an error for a model without a version field.
func (u *Update[T]) Version(expected int64) *Update[T] {
	c := &u.u
	switch {
	case c.t.special.version == nil:
		c.fail(&updateError{msg: "dynantic: " + c.t.model.Name + ": Version: the model has no version field"})
	case expected < 0:
		c.fail(&updateError{msg: fmt.Sprintf("dynantic: %s: Version: negative version %d", c.t.model.Name, expected)})
	default:
		c.check = versionCheck{on: true, expected: expected}
	}
	return u
}

// Execute sends the update (UpdateItem,
// https://docs.aws.amazon.com/amazondynamodb/latest/APIReference/API_UpdateItem.html)
// and returns what Return asked for, decoded into a *T (nil for
// ReturnNone, and for ReturnAllOld when there was no item).
// Errors: before any request, the first error of the chain (ErrInvalidKey,
// ErrUnknownAttribute, ErrInvalidUpdate, *ValidationError, *CodecError);
// then *ConditionFailedError (matching ErrConditionFailed, and
// ErrVersionConflict for a stale version), *OpError. If the update succeeds
// but the returned attributes do not decode into T, the error is a
// *CodecError and the write has happened.
//
// With Version, an update whose retry (after an unanswered attempt) fails
// its condition because the unanswered attempt was applied succeeds; when
// that cannot be checked, the error matches ErrUnknownOutcome instead of
// ErrVersionConflict (see ErrUnknownOutcome).
func (u *Update[T]) Execute(ctx context.Context) (*T, error) {
	if ctx == nil {
		return nil, ErrNilContext
	}
	c := &u.u
	in, writes, actions, err := c.build()
	if err != nil {
		return nil, err
	}
	var watch *attemptWatch // with Version only: to recognise an own write
	if c.check.on {
		watch = newAttemptWatch()
	}
	in.ReturnConsumedCapacity = c.capacity.rcc()
	var out *dynamodb.UpdateItemOutput
	err = c.t.call(ctx, "UpdateItem", in.Key, nil, func() (err error) {
		out, err = c.t.db.client.UpdateItem(ctx, in, watch.options()...)
		if err == nil {
			c.capacity.answered(out.ConsumedCapacity)
		}
		return err
	})
	if err != nil {
		own, oerr := c.ownUpdate(watch, err, actions)
		switch {
		case oerr != nil:
			return nil, oerr
		case own == nil:
			return nil, u.t.failed(c.op, "UpdateItem", err, false, c.check, c.showItem)
		}
		out = own // an unanswered attempt applied this update
	}
	if c.item != nil {
		c.t.writeBack(c.item, writes)
	}
	if len(out.Attributes) == 0 {
		return nil, nil
	}
	item := new(T)
	if err := c.t.decodeItem(out.Attributes, unsafe.Pointer(item)); err != nil {
		return nil, err
	}
	return item, nil
}

// request builds the UpdateItem input, and the values to copy back into a
// patched item on success.
func (c *updateCore) request() (*dynamodb.UpdateItemInput, []fieldWrite, error) {
	in, writes, _, err := c.build()
	return in, writes, err
}

// build is request, also returning the actions sent (the caller's and the
// library's own).
func (c *updateCore) build() (*dynamodb.UpdateItemInput, []fieldWrite, []expr.Action, error) {
	if c.err != nil {
		return nil, nil, nil, c.err
	}
	t := c.t
	if c.nFirst == 0 {
		return nil, nil, nil, &updateError{msg: "dynantic: " + t.model.Name + ": " + c.op + " without any action"}
	}
	// The input, its expression strings and the key's string values share
	// one allocation.
	r := new(updateRequest)
	key := c.keyAV
	if key == nil {
		var err error
		if key, err = t.keyIn(c.key, &r.slots); err != nil {
			return nil, nil, nil, err
		}
	}
	// Capped at its length, so the stamps stampUpdate may append go to a new
	// array and the actions stay as they were for another Execute.
	actions := c.first[:c.nFirst:c.nFirst]
	if c.more != nil {
		actions = make([]expr.Action, 0, c.nFirst+len(c.more)+3) // room for the stamps
		actions = append(append(actions, c.first[:c.nFirst]...), c.more...)
	}
	actions, writes, err := t.stampUpdate(actions, c.check, c.item != nil)
	if err != nil {
		return nil, nil, nil, err
	}
	cond := And(c.cond, t.versionCond(c.check))
	if v := t.variant; v != nil && v.value != "" {
		// A variant handle's update stores its discriminator (an update of
		// a missing key creates the item) and applies only to an item of
		// its own variant.
		actions = append(actions, expr.Action{Kind: expr.ActSet, Path: expr.NamePath(v.disc.Name), A: expr.UpdateOperand{Value: &types.AttributeValueMemberS{Value: v.value}}})
		cond = And(cond, v.guard)
	}
	// The update and condition texts are written into one buffer, and the
	// input and its two expression strings share one allocation.
	b := t.builder()
	var w strings.Builder
	reserve := 0
	if cond.err == nil {
		reserve = b.ReserveCond(cond.c)
	}
	if err := b.AppendUpdate(&w, actions, reserve); err != nil {
		return nil, nil, nil, &updateError{msg: "dynantic: " + t.model.Name + ": " + c.op, cause: err}
	}
	n := w.Len()
	in := &r.in
	in.TableName, in.Key, in.UpdateExpression = &t.name, key, &r.text // r is new: see Table.delete
	if !cond.IsZero() {
		if err := t.condTo(b, &w, cond); err != nil {
			return nil, nil, nil, err
		}
		in.ConditionExpression = &r.cond
		if c.showItem || c.check.on {
			in.ReturnValuesOnConditionCheckFailure = types.ReturnValuesOnConditionCheckFailureAllOld
		}
	}
	all := w.String()
	r.text, r.cond = all[:n], all[n:]
	in.ExpressionAttributeNames = b.SharedNames() // read-only, see SharedNames
	in.ExpressionAttributeValues = b.Values()
	if c.ret != "" && c.ret != ReturnNone {
		in.ReturnValues = types.ReturnValue(c.ret)
	}
	return in, writes, actions, nil
}

// updateRequest is an UpdateItem input allocated together with its
// expression strings.
type updateRequest struct {
	in         dynamodb.UpdateItemInput
	text, cond string
	slots      keySlots
}

// add appends an action.
func (c *updateCore) add(a expr.Action) {
	if c.nFirst < len(c.first) {
		c.first[c.nFirst] = a
		c.nFirst++
		return
	}
	c.more = append(c.more, a)
}

func (c *updateCore) fail(err error) {
	if c.err == nil {
		c.err = err
	}
}

// bad records an update the model does not allow.
func (c *updateCore) bad(method, attr, msg string) {
	c.fail(&updateError{msg: fmt.Sprintf("dynantic: %s: %s %q: %s", c.t.model.Name, method, attr, msg)})
}

// target resolves the attribute an action writes: its path, and the
// model's field when the path starts at one (nil for attributes outside the
// model). It records the error and reports false when the attribute cannot
// be written.
func (c *updateCore) target(method, attr string) (expr.Path, *fieldInfo, bool) {
	if c.err != nil {
		return nil, nil, false
	}
	p, fi := c.t.fieldPath(attr)
	if fi == nil {
		a := Attr(attr)
		if a.err != nil {
			c.fail(&updateError{msg: fmt.Sprintf("dynantic: %s: %s", c.t.model.Name, method), cause: a.err})
			return nil, nil, false
		}
		var err error
		if p, err = c.t.path(a.exprPath()); err != nil {
			c.fail(err)
			return nil, nil, false
		}
		fi = c.t.special.fields[p.Top()]
	}
	if fi != nil && !c.writable(method, attr, fi) {
		return nil, nil, false
	}
	return p, fi, true
}

// writable records an error and reports false when model field fi may not
// be written by an update: a table key, or a field the library manages.
func (c *updateCore) writable(method, attr string, fi *fieldInfo) bool {
	switch {
	case fi.key:
		c.bad(method, attr, "key attribute "+fi.fc.Name+" cannot be updated (it identifies the item)")
		return false
	case fi.managed != "":
		c.bad(method, attr, "the "+fi.managed+" attribute is written by dynantic on every write")
		return false
	}
	return true
}

// value encodes v for the attribute at p. For a path that is a model
// attribute, v is converted to the field's Go type (see toField; with elem,
// a single element of a set or list is accepted) and encoded with the
// field's codec, and the converted value is returned for validation;
// anywhere else v is encoded by its own type. A nil attribute value means v
// is omitted by the empty-value rules.
func (c *updateCore) value(method, attr string, p expr.Path, fi *fieldInfo, v any, elem bool) (types.AttributeValue, reflect.Value, bool) {
	if fi == nil || len(p) > 1 {
		if v == nil || isNilValue(reflect.ValueOf(v)) {
			return nil, reflect.Value{}, true
		}
		av, why, err := c.t.encodeInside(p, v) // checked against the Go types inside the field
		if err != nil {
			c.fail(&updateError{msg: fmt.Sprintf("dynantic: %s: %s %q", c.t.model.Name, method, attr), cause: err})
			return nil, reflect.Value{}, false
		}
		if why != "" {
			c.bad(method, attr, why)
			return nil, reflect.Value{}, false
		}
		return av, reflect.Value{}, true
	}
	rv, err := toField(fi.fc.Type, reflect.ValueOf(v), elem)
	if err != nil {
		c.bad(method, attr, err.Error())
		return nil, reflect.Value{}, false
	}
	if !rv.IsValid() {
		return nil, rv, true
	}
	var av types.AttributeValue
	if reflect.TypeOf(v) == fi.fc.Type {
		av, err = fi.fc.EncodeAny(v) // v itself: no copy
	} else {
		av, err = fi.fc.EncodeValue(rv)
	}
	if err != nil {
		c.fail(&updateError{msg: fmt.Sprintf("dynantic: %s: %s %q", c.t.model.Name, method, attr), cause: err})
		return nil, reflect.Value{}, false
	}
	return av, rv, true
}

func isNilValue(v reflect.Value) bool {
	switch v.Kind() {
	case reflect.Pointer, reflect.Map, reflect.Slice, reflect.Interface:
		return v.IsNil()
	}
	return false
}

// topLevel reports whether p is exactly the model field fi (not a path
// inside it, not an attribute outside the model).
func topLevel(p expr.Path, fi *fieldInfo) bool { return fi != nil && len(p) == 1 }

// actionKinds says which kinds of attribute an action takes, in words and
// as a test of an encoded value (for attributes whose Go type is unknown).
type actionKinds struct {
	kinds []fieldKind
	want  string
	ok    func(types.AttributeValue) bool
}

var (
	numberOrSet = actionKinds{[]fieldKind{kindNumber, kindSet}, "a number or a set", func(av types.AttributeValue) bool { return isNumberAV(av) || isSetAV(av) }}
	setOnly     = actionKinds{[]fieldKind{kindSet}, "a set", isSetAV}
	listOnly    = actionKinds{[]fieldKind{kindList}, "a list", isListAV}
	numberOnly  = actionKinds{[]fieldKind{kindNumber}, "a number", isNumberAV}
)

// needKind records an error unless the attribute at p can take the action:
// for a model field, by its Go type; elsewhere, by the encoded value (nil
// when there is none yet).
func (c *updateCore) needKind(method, attr string, p expr.Path, fi *fieldInfo, av types.AttributeValue, k actionKinds) bool {
	if topLevel(p, fi) && fi.kind != kindAny {
		for _, want := range k.kinds {
			if fi.kind == want {
				return true
			}
		}
		c.bad(method, attr, fmt.Sprintf("%s takes %s; field %s (%s) is %s", method, k.want, fi.fc.GoName, fi.fc.Type, kindNames[fi.kind]))
		return false
	}
	if av != nil && !k.ok(av) {
		c.bad(method, attr, fmt.Sprintf("%s takes %s, got %s", method, k.want, avType(av)))
		return false
	}
	return true
}

func avType(av types.AttributeValue) string {
	switch av.(type) {
	case *types.AttributeValueMemberS:
		return "a string (S)"
	case *types.AttributeValueMemberN:
		return "a number (N)"
	case *types.AttributeValueMemberB:
		return "binary (B)"
	case *types.AttributeValueMemberBOOL:
		return "a bool"
	case *types.AttributeValueMemberNULL:
		return "NULL"
	case *types.AttributeValueMemberL:
		return "a list (L)"
	case *types.AttributeValueMemberM:
		return "a map (M)"
	case *types.AttributeValueMemberSS, *types.AttributeValueMemberNS, *types.AttributeValueMemberBS:
		return "a set"
	}
	return "an unknown value"
}

func (c *updateCore) set(attr string, v any) {
	switch x := v.(type) {
	case Computed:
		c.setComputed(attr, x)
		return
	case AttrRef:
		c.setCopy(attr, x)
		return
	}
	p, fi, ok := c.target("Set", attr)
	if !ok {
		return
	}
	av, rv, ok := c.value("Set", attr, p, fi, v, false)
	if !ok {
		return
	}
	if topLevel(p, fi) {
		if err := c.t.checkValue(fi, rv); err != nil {
			c.fail(err)
			return
		}
	}
	c.setOrRemove(p, av)
}

// setOrRemove sets the attribute at p to av, or removes it when av is nil
// (the value is omitted by the empty-value rules), as Save would.
func (c *updateCore) setOrRemove(p expr.Path, av types.AttributeValue) {
	if av == nil {
		c.add(expr.Action{Kind: expr.ActRemove, Path: p})
		return
	}
	c.add(expr.Action{Kind: expr.ActSet, Path: p, A: expr.UpdateOperand{Value: av}})
}

func (c *updateCore) setIfNotExists(attr string, v any) {
	p, fi, ok := c.target("SetIfNotExists", attr)
	if !ok {
		return
	}
	av, rv, ok := c.value("SetIfNotExists", attr, p, fi, v, false)
	if !ok {
		return
	}
	if av == nil {
		c.bad("SetIfNotExists", attr, "no value (nil or empty)")
		return
	}
	if topLevel(p, fi) {
		if err := c.t.checkValue(fi, rv); err != nil {
			c.fail(err)
			return
		}
	}
	c.add(expr.Action{Kind: expr.ActSet, Path: p, A: expr.UpdateOperand{Path: p, IfNotExists: av}})
}

func (c *updateCore) addDelete(kind expr.ActionKind, method, attr string, v any) {
	p, fi, ok := c.target(method, attr)
	if !ok {
		return
	}
	k := numberOrSet
	if kind == expr.ActDelete {
		k = setOnly
	}
	if !c.needKind(method, attr, p, fi, nil, k) {
		return
	}
	av, _, ok := c.value(method, attr, p, fi, v, topLevel(p, fi) && fi.kind == kindSet)
	if !ok {
		return
	}
	if av == nil {
		c.bad(method, attr, "no value (nil or an empty set)")
		return
	}
	if !c.needKind(method, attr, p, nil, av, k) {
		return
	}
	c.add(expr.Action{Kind: kind, Path: p, A: expr.UpdateOperand{Value: av}})
}

func (c *updateCore) remove(attr string) {
	p, fi, ok := c.target("Remove", attr)
	if !ok {
		return
	}
	if topLevel(p, fi) {
		if err := c.t.checkValue(fi, reflect.Value{}); err != nil {
			c.fail(err)
			return
		}
	}
	c.add(expr.Action{Kind: expr.ActRemove, Path: p})
}

var emptyList = &types.AttributeValueMemberL{Value: []types.AttributeValue{}}

func (c *updateCore) listAppend(attr string, v any, prepend bool) {
	method := "Append"
	if prepend {
		method = "Prepend"
	}
	p, fi, ok := c.target(method, attr)
	if !ok || !c.needKind(method, attr, p, fi, nil, listOnly) {
		return
	}
	av, _, ok := c.value(method, attr, p, fi, v, topLevel(p, fi))
	if !ok {
		return
	}
	if av == nil {
		c.bad(method, attr, "no value (nil)")
		return
	}
	if !c.needKind(method, attr, p, nil, av, listOnly) {
		return
	}
	list := expr.UpdateOperand{Path: p, IfNotExists: emptyList}
	a, b := list, expr.UpdateOperand{Value: av}
	if prepend {
		a, b = b, a
	}
	c.add(expr.Action{Kind: expr.ActSet, Path: p, Fn: expr.SetListAppend, A: a, B: b})
}

// source resolves an attribute read by a Set (a copy, or an operand of
// Plus/Minus), checking it against the model like a condition's.
func (c *updateCore) source(method, attr string, r AttrRef, kind fieldKind) (expr.Path, *fieldInfo, bool) {
	if r.err != nil {
		c.fail(&updateError{msg: fmt.Sprintf("dynantic: %s: %s %q", c.t.model.Name, method, attr), cause: r.err})
		return nil, nil, false
	}
	if r.size {
		c.bad(method, attr, "size() cannot be used in an update")
		return nil, nil, false
	}
	p, err := c.t.path(r.exprPath())
	if err != nil {
		c.fail(err)
		return nil, nil, false
	}
	fi := c.t.special.fields[p.Top()]
	if kind != kindOther && topLevel(p, fi) && fi.kind != kind && fi.kind != kindAny {
		c.bad(method, attr, fmt.Sprintf("%s (%s) is %s, not %s", fi.fc.Name, fi.fc.Type, kindNames[fi.kind], kindNames[kind]))
		return nil, nil, false
	}
	return p, fi, true
}

func (c *updateCore) setCopy(attr string, from AttrRef) {
	p, fi, ok := c.target("Set", attr)
	if !ok {
		return
	}
	src, sfi, ok := c.source("Set", attr, from, kindOther)
	if !ok {
		return
	}
	if topLevel(p, fi) && topLevel(src, sfi) && fi.fc.Type != sfi.fc.Type && fi.kind != kindAny {
		c.bad("Set", attr, fmt.Sprintf("cannot copy %s (%s) into %s (%s)", sfi.fc.Name, sfi.fc.Type, fi.fc.Name, fi.fc.Type))
		return
	}
	c.add(expr.Action{Kind: expr.ActSet, Path: p, A: expr.UpdateOperand{Path: src}})
}

func (c *updateCore) setComputed(attr string, x Computed) {
	method := "Set"
	if x.fn == expr.SetPlus {
		method = "Plus"
	} else if x.fn == expr.SetMinus {
		method = "Minus"
	}
	p, fi, ok := c.target(method, attr)
	if !ok || !c.needKind(method, attr, p, fi, nil, numberOnly) {
		return
	}
	if x.err != nil {
		c.fail(&updateError{msg: fmt.Sprintf("dynantic: %s: %s %q", c.t.model.Name, method, attr), cause: x.err})
		return
	}
	var ops [2]expr.UpdateOperand
	for i, o := range [2]any{x.a, x.b} {
		if r, isRef := o.(AttrRef); isRef {
			src, _, ok := c.source(method, attr, r, kindNumber)
			if !ok {
				return
			}
			ops[i].Path = src
			continue
		}
		av, _, ok := c.value(method, attr, p, fi, o, false)
		if !ok {
			return
		}
		if av == nil || !isNumberAV(av) {
			c.bad(method, attr, "needs a number, got "+describe(o))
			return
		}
		ops[i].Value = av
	}
	c.add(expr.Action{Kind: expr.ActSet, Path: p, Fn: x.fn, A: ops[0], B: ops[1]})
}

func describe(v any) string {
	if v == nil {
		return "nil"
	}
	return reflect.TypeOf(v).String() + " " + strconv.Quote(fmt.Sprint(v))
}
