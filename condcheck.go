package dynantic

import (
	"bytes"
	"errors"
	"reflect"
	"strconv"
	"strings"
	"sync"

	"github.com/aws/aws-sdk-go-v2/service/dynamodb/types"

	"github.com/dynantic/dynantic/internal/codec"
	"github.com/dynantic/dynantic/internal/expr"
	"github.com/dynantic/dynantic/internal/schema"
)

// This file checks conditions and filters against the model before any
// request: every value must have the DynamoDB type of the attribute it is
// compared with, every operator must exist for the attribute's type, and
// Between's bounds must be in order. A condition that would silently be
// false (price < "50" when price is a number) or that DynamoDB would reject
// is ErrInvalidCondition instead.
//
// The type of an attribute comes from the Go type of its field: top-level
// fields, and inside them the fields of nested structs, the elements of
// slices and arrays and the values of maps, as deep as the Go types go.
// Interfaces (any), types with custom marshalers, attributes outside the
// model (AllowUnknownAttributes) and names a nested struct does not declare
// are unknown: any value fits them, and only DynamoDB's own rules are
// checked (Lt compares numbers, strings or binary; BeginsWith takes a string
// or binary prefix; Between's bounds share a type and are in order).

// dynKind is the DynamoDB type a model stores at a path.
type dynKind uint8

const (
	dynAny dynKind = iota // unknown to the model: any value fits
	dynS
	dynN
	dynB
	dynBOOL
	dynNULL
	dynSS
	dynNS
	dynBS
	dynL
	dynM
)

var dynNames = [...]string{
	dynAny: "of any type", dynS: "a string (S)", dynN: "a number (N)", dynB: "binary (B)",
	dynBOOL: "a bool (BOOL)", dynNULL: "NULL (nil)", dynSS: "a string set (SS)", dynNS: "a number set (NS)",
	dynBS: "a binary set (BS)", dynL: "a list (L)", dynM: "a map (M)",
}

func (k dynKind) String() string { return dynNames[k] }

// ordered reports whether DynamoDB orders values of kind k (<, <=, >, >=,
// BETWEEN): numbers, strings and binary.
func (k dynKind) ordered() bool { return k == dynN || k == dynS || k == dynB }

// fits reports whether a value of kind got can be stored where the model
// stores kind want.
func fits(want, got dynKind) bool { return want == dynAny || got == dynAny || want == got }

// avKind is the kind of an encoded value.
func avKind(av types.AttributeValue) dynKind {
	switch av.(type) {
	case *types.AttributeValueMemberS:
		return dynS
	case *types.AttributeValueMemberN:
		return dynN
	case *types.AttributeValueMemberB:
		return dynB
	case *types.AttributeValueMemberBOOL:
		return dynBOOL
	case *types.AttributeValueMemberNULL:
		return dynNULL
	case *types.AttributeValueMemberSS:
		return dynSS
	case *types.AttributeValueMemberNS:
		return dynNS
	case *types.AttributeValueMemberBS:
		return dynBS
	case *types.AttributeValueMemberL:
		return dynL
	case *types.AttributeValueMemberM:
		return dynM
	}
	return dynAny
}

// slot is a Go type as the model stores it: a field's type with its tag
// options, or an element of one. The zero slot is unknown to the model.
type slot struct {
	t    reflect.Type
	fc   *codec.FieldCodec // the field, when the slot is a struct field
	set  bool              // the set option
	num  bool              // the unixtime or ttl option: stored as a number
	k    dynKind           // the kind, when known
	hasK bool
}

func fieldSlot(f *codec.FieldCodec) slot {
	return slot{t: f.Type, fc: f, set: f.Opts.Set, num: f.Opts.UnixTime || f.Opts.TTL}
}

// fieldKinds caches the kind of every top-level field met in a condition.
var fieldKinds sync.Map // *codec.FieldCodec → dynKind

// kind is the DynamoDB type of the values stored in the slot, following the
// codec's rules.
func (s slot) kind() dynKind {
	if s.hasK {
		return s.k
	}
	if s.fc != nil {
		if k, ok := fieldKinds.Load(s.fc); ok {
			return k.(dynKind)
		}
		k := s.goKind()
		fieldKinds.Store(s.fc, k)
		return k
	}
	return s.goKind()
}

func (s slot) elemType() reflect.Type {
	t := s.t
	for t != nil && t.Kind() == reflect.Pointer {
		t = t.Elem()
	}
	return t
}

func (s slot) goKind() dynKind {
	t := s.elemType()
	switch {
	case t == nil || t.Kind() == reflect.Interface || schema.HasMarshaler(t):
		return dynAny
	case s.set:
		if t.Kind() == reflect.Map {
			return setKind(t.Key())
		}
		return setKind(t.Elem())
	case s.num:
		return dynN
	case schema.IsTime(t):
		return dynS
	case schema.IsNumber(t):
		return dynN
	}
	switch t.Kind() {
	case reflect.Bool:
		return dynBOOL
	case reflect.String:
		return dynS
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64,
		reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64,
		reflect.Float32, reflect.Float64:
		return dynN
	case reflect.Slice, reflect.Array:
		if e := t.Elem(); e.Kind() == reflect.Uint8 && !schema.HasMarshaler(e) {
			return dynB
		}
		return dynL
	case reflect.Map:
		if e := t.Elem(); e.Kind() == reflect.Struct && e.NumField() == 0 {
			return setKind(t.Key())
		}
		return dynM
	case reflect.Struct:
		return dynM
	}
	return dynAny
}

func setKind(elem reflect.Type) dynKind {
	switch schema.ScalarType(elem, schema.Options{}) {
	case "S":
		return dynSS
	case "N":
		return dynNS
	case "B":
		return dynBS
	}
	return dynAny
}

// step is the slot of one element of a path inside s, and false when s
// cannot have it (a name inside a list, an index inside a map, anything
// inside a string).
func (s slot) step(e expr.PathElem) (slot, bool) {
	t := s.elemType()
	switch s.kind() {
	case dynAny:
		return slot{}, true
	case dynL:
		return slot{t: t.Elem()}, e.IsIndex
	case dynM:
		if e.IsIndex {
			return slot{}, false
		}
		if t.Kind() == reflect.Map {
			return slot{t: t.Elem()}, true
		}
		if plan, err := codec.PlanFor(t); err == nil {
			if f := plan.Field(e.Name); f != nil {
				return fieldSlot(f), true
			}
		}
		return slot{}, true // a name the struct does not declare: unknown
	}
	return slot{}, false
}

// elem is the kind Contains looks for in s: a substring of a string, a
// member of a set, an element of a list.
func (s slot) elem() dynKind {
	switch s.kind() {
	case dynS, dynSS:
		return dynS
	case dynNS:
		return dynN
	case dynBS:
		return dynB
	case dynL:
		return slot{t: s.elemType().Elem()}.kind()
	}
	return dynAny
}

// condErr is a condition the model refuses.
func (t *table) condErr(msg string) error {
	return &inputError{"dynantic: " + t.model.Name + ": " + msg, ErrInvalidCondition}
}

// slotOf is the slot of a (resolved) attribute path, or why the model
// cannot have it.
func (t *table) slotOf(p expr.Path) (slot, string) {
	var s slot
	if fi := t.special.fields[p.Top()]; fi != nil {
		s = fieldSlot(fi.fc)
		s.k, s.hasK = fi.dyn, true // computed once per table
	} else if f := t.field(p.Top()); f != nil {
		s = fieldSlot(f) // a Poly variant's attribute
	} else {
		return slot{}, ""
	}
	for i, e := range p[1:] {
		next, ok := s.step(e)
		if !ok {
			what := "element " + strconv.Quote(e.Name)
			if e.IsIndex {
				what = "index [" + strconv.Itoa(e.Index) + "]"
			}
			return slot{}, p[:i+1].String() + " is " + s.kind().String() + ", which has no " + what
		}
		s = next
	}
	return s, ""
}

// pathSlot is slotOf for a condition.
func (t *table) pathSlot(p expr.Path) (slot, error) {
	s, why := t.slotOf(p)
	if why != "" {
		return slot{}, t.condErr("condition on " + strconv.Quote(p.String()) + ": " + why)
	}
	return s, nil
}

// encodeInside encodes a value an update writes at a path inside a model
// attribute (or at an attribute outside the model), like a condition value:
// with the codec of the struct field at p when v has its Go type, else by
// its own type. It returns why the value does not fit there, if it does
// not.
func (t *table) encodeInside(p expr.Path, v any) (types.AttributeValue, string, error) {
	s, why := t.slotOf(p)
	if why != "" {
		return nil, why, nil
	}
	if s.fc != nil && reflect.TypeOf(v) == s.fc.Type {
		if av, err := s.fc.EncodeAny(v); err != nil || av != nil {
			return av, "", err
		}
	}
	av, err := codec.Marshal(v)
	if err != nil {
		return nil, "", err
	}
	if k, got := s.kind(), avKind(av); !fits(k, got) {
		return nil, p.String() + " is " + k.String() + ", got " + got.String(), nil
	}
	return av, "", nil
}

// operandSlot is the slot of an attribute operand; size(...) is a number.
func (t *table) operandSlot(a expr.Operand) (slot, dynKind, error) {
	s, err := t.pathSlot(a.Path)
	if err != nil {
		return slot{}, 0, err
	}
	k := s.kind()
	if !a.Size {
		return s, k, nil
	}
	switch k {
	case dynN, dynBOOL, dynNULL:
		return slot{}, 0, t.condErr("Size of " + strconv.Quote(a.Path.String()) + ", which is " + k.String() +
			" (size works on strings, binary, sets, lists and maps)")
	}
	return slot{}, dynN, nil
}

// checkCond checks every leaf of a resolved condition against the model
// (see the top of this file). Values compared with an attribute are checked
// by encodeOperand as the builder encodes them; this pass checks what the
// builder cannot see: operators, attributes compared with attributes,
// values compared with a size(...), and the order of Between's bounds.
func (t *table) checkCond(c *expr.Cond, depth int) error {
	if c == nil || depth > expr.MaxDepth {
		return nil // the builder reports these
	}
	for _, s := range c.Subs {
		if err := t.checkCond(s, depth+1); err != nil {
			return err
		}
	}
	if len(c.Args) == 0 || c.Args[0].IsValue || len(c.Args[0].Path) == 0 {
		return nil
	}
	lhs := c.Args[0]
	if !lhs.Size && len(lhs.Path) == 1 {
		// The common leaves need nothing here: a top-level attribute that
		// exists or is compared for equality with values, which are
		// checked as they are encoded.
		switch c.Op {
		case expr.OpExists, expr.OpNotExists, expr.OpIsType:
			return nil
		case expr.OpEq, expr.OpNe, expr.OpIn:
			if allValues(c.Args[1:]) {
				return nil
			}
		}
	}
	ls, lk, err := t.operandSlot(lhs)
	if err != nil {
		return err
	}
	where := func() string { return describeOperand(lhs) }
	switch c.Op {
	case expr.OpLt, expr.OpLe, expr.OpGt, expr.OpGe, expr.OpBetween:
		if lk != dynAny && !lk.ordered() {
			return t.condErr(opName(c.Op) + " on " + where() + ", which is " + lk.String() + " (DynamoDB orders only numbers, strings and binary)")
		}
	case expr.OpBeginsWith:
		if lk != dynAny && lk != dynS && lk != dynB {
			return t.condErr("BeginsWith on " + where() + ", which is " + lk.String() + " (it works on strings and binary)")
		}
	case expr.OpContains:
		switch lk {
		case dynAny, dynS, dynSS, dynNS, dynBS, dynL:
		default:
			return t.condErr("Contains on " + where() + ", which is " + lk.String() + " (it works on strings, sets and lists)")
		}
	case expr.OpExists, expr.OpNotExists, expr.OpIsType:
		return nil
	}
	want := lk
	if c.Op == expr.OpContains {
		want = ls.elem()
	}
	for _, a := range c.Args[1:] {
		if a.IsValue {
			continue
		}
		_, k, err := t.operandSlot(a)
		if err != nil {
			return err
		}
		if !fits(want, k) {
			return t.condErr(opName(c.Op) + " compares " + where() + ", " + lk.String() + ", with " +
				describeOperand(a) + ", " + k.String() + ": always false")
		}
	}
	if !lhs.Size && c.Op != expr.OpBetween {
		return nil
	}
	// Values the builder encodes without the attribute at hand (it passes
	// no path for a size(...)), and Between's bounds, which are compared.
	var encPath expr.Path
	if !lhs.Size {
		encPath = lhs.Path
	}
	var bounds [2]types.AttributeValue
	for i, a := range c.Args[1:] {
		if !a.IsValue {
			continue
		}
		av, err := t.encodeOperand(encPath, c.Op, a.Value)
		if err != nil {
			return err
		}
		if lhs.Size {
			if err := t.fitValue(lhs, slot{}, dynN, c.Op, av); err != nil {
				return err
			}
		}
		if c.Op == expr.OpBetween && i < 2 {
			bounds[i] = av
		}
	}
	if c.Op == expr.OpBetween && bounds[0] != nil && bounds[1] != nil {
		return t.checkBounds(where(), bounds[0], bounds[1], t.condErr)
	}
	return nil
}

func allValues(args []expr.Operand) bool {
	for _, a := range args {
		if !a.IsValue {
			return false
		}
	}
	return true
}

// checkBounds refuses Between bounds of two types, or in the wrong order
// by DynamoDB's ordering (numbers by value, strings by their UTF-8 bytes,
// binary by unsigned bytes); DynamoDB rejects both.
func (t *table) checkBounds(where string, lo, hi types.AttributeValue, fail func(string) error) error {
	lk, hk := avKind(lo), avKind(hi)
	if lk != hk {
		return fail("Between on " + where + ": the bounds are " + lk.String() + " and " + hk.String() + " (they must have one type)")
	}
	if compareAV(lo, hi) > 0 {
		return fail("Between on " + where + ": the lower bound " + renderValue(lo) + " is above the upper bound " + renderValue(hi))
	}
	return nil
}

// compareAV orders two values of one ordered kind as DynamoDB does; 0 for
// other kinds.
func compareAV(a, b types.AttributeValue) int {
	switch x := a.(type) {
	case *types.AttributeValueMemberN:
		return codec.CompareNumbers(x.Value, b.(*types.AttributeValueMemberN).Value)
	case *types.AttributeValueMemberS:
		return strings.Compare(x.Value, b.(*types.AttributeValueMemberS).Value) // Go compares strings bytewise: UTF-8 order
	case *types.AttributeValueMemberB:
		return bytes.Compare(x.Value, b.(*types.AttributeValueMemberB).Value)
	}
	return 0
}

func renderValue(av types.AttributeValue) string {
	var b strings.Builder
	renderAV(&b, av)
	return b.String()
}

// encodeOperand encodes a value compared with the attribute at path (nil
// when the attribute is not at hand) and checks that it fits the attribute.
// A value of the Go type of the struct field it is compared with is encoded
// with that field's codec (so a time.Time compared with a unixtime field
// becomes epoch seconds), anything else by its own type. A string prefix
// for BeginsWith on a binary attribute becomes its bytes.
func (t *table) encodeOperand(path expr.Path, op expr.Op, v any) (types.AttributeValue, error) {
	if path == nil {
		return codec.Marshal(v)
	}
	s, err := t.pathSlot(path)
	if err != nil {
		return nil, err
	}
	if s.fc != nil && op != expr.OpContains && op != expr.OpBeginsWith && v != nil && reflect.TypeOf(v) == s.fc.Type {
		av, err := s.fc.EncodeAny(v)
		if err != nil || av != nil {
			return av, err // the field's own type fits by construction
		}
	}
	k := s.kind()
	if str, ok := v.(string); ok && op == expr.OpBeginsWith && k == dynB {
		return &types.AttributeValueMemberB{Value: []byte(str)}, nil
	}
	av, err := codec.Marshal(v)
	if err != nil {
		return nil, err
	}
	return av, t.fitValue(expr.Operand{Path: path}, s, k, op, av)
}

// fitValue checks a value compared with the attribute a (slot s, kind k).
func (t *table) fitValue(a expr.Operand, s slot, k dynKind, op expr.Op, av types.AttributeValue) error {
	got := avKind(av)
	want := k
	switch op {
	case expr.OpLt, expr.OpLe, expr.OpGt, expr.OpGe, expr.OpBetween:
		if !got.ordered() {
			return t.condErr(opName(op) + " on " + describeOperand(a) + " with " + got.String() + " (DynamoDB orders only numbers, strings and binary)")
		}
	case expr.OpBeginsWith:
		if got != dynS && got != dynB {
			return t.condErr("BeginsWith on " + describeOperand(a) + " with " + got.String() + " (it takes a string or binary prefix)")
		}
	case expr.OpContains:
		want = s.elem()
	}
	if fits(want, got) {
		return nil
	}
	what := describeOperand(a) + ", which is " + k.String()
	if op == expr.OpContains {
		return t.condErr("Contains on " + what + ", needs " + want.String() + ", got " + got.String())
	}
	return t.condErr(opName(op) + " on " + what + ", needs a value of that type, got " + got.String() + " " + renderValue(av))
}

func describeOperand(a expr.Operand) string {
	s := strconv.Quote(a.Path.String())
	if a.Size {
		return "Size(" + s + ")"
	}
	return s
}

// opName is the chain method that makes op.
func opName(op expr.Op) string {
	switch op {
	case expr.OpEq:
		return "Eq"
	case expr.OpNe:
		return "Ne"
	case expr.OpLt:
		return "Lt"
	case expr.OpLe:
		return "Lte"
	case expr.OpGt:
		return "Gt"
	case expr.OpGe:
		return "Gte"
	case expr.OpBetween:
		return "Between"
	case expr.OpIn:
		return "In"
	case expr.OpBeginsWith:
		return "BeginsWith"
	case expr.OpContains:
		return "Contains"
	}
	return op.String()
}

// keyInFilter returns the first of keys that the filter c names, or "".
// DynamoDB refuses a Query filter on a key attribute of the table or index
// read (they belong in the key condition).
func (t *table) keyInFilter(c *expr.Cond, depth int, keys ...string) string {
	if c == nil || depth > expr.MaxDepth {
		return ""
	}
	for _, a := range c.Args {
		if a.IsValue || len(a.Path) == 0 {
			continue
		}
		p, err := t.path(a.Path)
		if err != nil || len(p) == 0 {
			continue // reported when the filter is compiled
		}
		for _, k := range keys {
			if k != "" && p.Top() == k {
				return k
			}
		}
	}
	for _, s := range c.Subs {
		if k := t.keyInFilter(s, depth+1, keys...); k != "" {
			return k
		}
	}
	return ""
}

// compileErr turns an error of the expression builder into the library's:
// a value that does not fit its attribute comes back as is (it matches
// ErrInvalidCondition, or is a *CodecError for a value that cannot be
// encoded), a malformed condition matches ErrInvalidCondition.
func (t *table) compileErr(err error) error {
	var ve *expr.ValueError
	if errors.As(err, &ve) {
		var ie *inputError
		if errors.As(ve.Err, &ie) {
			return ie
		}
		return err
	}
	return t.condErr(err.Error())
}
