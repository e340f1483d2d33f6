package dynantic

import (
	"errors"
	"fmt"
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/aws/aws-sdk-go-v2/service/dynamodb/types"
	streamstypes "github.com/aws/aws-sdk-go-v2/service/dynamodbstreams/types"

	"github.com/dynantic/dynantic/internal/codec"
	"github.com/dynantic/dynantic/internal/schema"
)

// ErrInvalidRecord matches a stream record that cannot be decoded because
// of its shape: an unknown event name, keys that are not the table's key
// schema (a record of another table), an image the stream view type
// promises but the record lacks (or one the event cannot have), a malformed
// attribute value. It comes wrapped in a *RecordError naming the record.
var ErrInvalidRecord = errors.New("dynantic: invalid stream record")

// ChangeKind is what a stream record says happened to an item.
type ChangeKind uint8

// The kinds of change, DynamoDB Streams' event names.
const (
	ChangeInsert ChangeKind = iota + 1 // INSERT: an item was written where there was none
	ChangeModify                       // MODIFY: an existing item was changed
	ChangeRemove                       // REMOVE: an item was deleted (by a request, or by TTL: see ChangeRecord.TTLExpired)
)

// String returns the DynamoDB event name: INSERT, MODIFY or REMOVE.
func (k ChangeKind) String() string {
	switch k {
	case ChangeInsert:
		return "INSERT"
	case ChangeModify:
		return "MODIFY"
	case ChangeRemove:
		return "REMOVE"
	}
	return "ChangeKind(" + strconv.Itoa(int(k)) + ")"
}

// ParseChangeKind returns the kind of a DynamoDB event name (INSERT,
// MODIFY, REMOVE), and false for anything else.
func ParseChangeKind(eventName string) (ChangeKind, bool) {
	switch eventName {
	case "INSERT":
		return ChangeInsert, true
	case "MODIFY":
		return ChangeModify, true
	case "REMOVE":
		return ChangeRemove, true
	}
	return 0, false
}

// localTTLEventName is the event name of DynamoDB Local's TTL deletions.
const localTTLEventName = "UNKNOWN_TO_SDK_VERSION"

// TTLPrincipal is the userIdentity principal of the stream records of
// items that DynamoDB deleted because their TTL passed (with identity type
// "Service").
const TTLPrincipal = "dynamodb.amazonaws.com"

// ChangeRecord is one DynamoDB stream record, undecoded, whatever it came
// from: the DynamoDB Streams API (DecodeRecord, ReadStream) or a Lambda
// event (package lambdaevents). Change and PolyChange embed it.
//
// Which images a record carries depends on the stream's view type:
//
//	view type            INSERT   MODIFY     REMOVE
//	KEYS_ONLY            -        -          -
//	NEW_IMAGE            New      New        -
//	OLD_IMAGE            -        Old        Old
//	NEW_AND_OLD_IMAGES   New      Old, New   Old
type ChangeRecord struct {
	// EventID identifies the record (eventID); errors name it.
	EventID string
	// Kind is the event: insert, modify or remove.
	Kind ChangeKind
	// SequenceNumber orders the records of one item; it is what a Lambda
	// partial batch response reports (see lambdaevents.Failures).
	SequenceNumber string
	// ApproximateTime is when the change was recorded (UTC), to the second
	// (DynamoDB Local: to the minute); zero when the record has none.
	ApproximateTime time.Time
	// ViewType is the stream's view type; "" when the record does not say.
	ViewType types.StreamViewType
	// Keys are the item's primary key attributes, as stored.
	Keys map[string]types.AttributeValue
	// OldItem is the item before the change, NewItem after it, as stored;
	// nil when the view type does not carry it or there was no item.
	OldItem, NewItem map[string]types.AttributeValue
	// IdentityType and PrincipalID are the record's userIdentity, which
	// DynamoDB sets only on removals made by TTL ("Service",
	// TTLPrincipal); see TTLExpired.
	IdentityType, PrincipalID string
}

// TTLExpired reports whether the record is the removal of an item whose TTL
// had passed, made by DynamoDB itself rather than by a request.
func (r ChangeRecord) TTLExpired() bool {
	return r.Kind == ChangeRemove && r.IdentityType == "Service" && r.PrincipalID == TTLPrincipal
}

// Key returns the item's key (Keys) for Get or Delete on any handle of
// the table.
func (r ChangeRecord) Key() ItemKey { return ItemKey{enc: r.Keys} }

// ChangedAttributes lists, sorted, the top-level attributes whose values
// differ between OldItem and NewItem (added, removed or changed; numbers
// compared by value, sets in any order). For an insert it lists every
// attribute of NewItem, for a removal every attribute of OldItem. It
// returns nil when the record lacks an image it needs (a MODIFY needs both:
// the NEW_AND_OLD_IMAGES view type).
func (r ChangeRecord) ChangedAttributes() []string {
	var names []string
	switch r.Kind {
	case ChangeInsert:
		for n := range r.NewItem {
			names = append(names, n)
		}
	case ChangeRemove:
		for n := range r.OldItem {
			names = append(names, n)
		}
	case ChangeModify:
		if r.OldItem == nil || r.NewItem == nil {
			return nil
		}
		for n, v := range r.OldItem {
			if w, ok := r.NewItem[n]; !ok || !equalAV(v, w) {
				names = append(names, n)
			}
		}
		for n := range r.NewItem {
			if _, ok := r.OldItem[n]; !ok {
				names = append(names, n)
			}
		}
	}
	sort.Strings(names)
	return names
}

// Fail wraps err, a failure to process this record, in a *RecordError
// naming it (lambdaevents.Process does this for its callback's errors).
func (r ChangeRecord) Fail(err error) error {
	return &RecordError{EventID: r.EventID, SequenceNumber: r.SequenceNumber, Err: err}
}

// Change is one stream record decoded into the table's item type T: the
// record (Kind, Keys, SequenceNumber, ...) and the item before (Old) and
// after (New) the change, each nil when the record does not carry it (see
// ChangeRecord for which images each view type carries).
type Change[T any] struct {
	ChangeRecord
	// Old is the item before the change, nil when the record does not
	// carry it; New the item after it, likewise.
	Old, New *T
}

// PolyChange is one stream record of a Poly's table, with each image decoded
// into its own variant (a *Dog in an any), or as the Poly's option for
// unknown variants says: a *RawItem with KeepUnknown, nil with SkipUnknown.
type PolyChange struct {
	ChangeRecord
	// Old is the item before the change as its variant, nil when the
	// record does not carry it; New the item after it, likewise.
	Old, New any
}

// ChangeDecoder decodes stream records into changes: *Table[T] into
// Change[T], *Poly[B] into PolyChange. DecodeRecord and package lambdaevents
// take one.
type ChangeDecoder[C any] interface {
	DecodeChange(ChangeRecord) (C, error)
}

// RecordError reports a stream record that could not be decoded (its cause
// then matches ErrInvalidRecord, or is a *CodecError or an
// *UnknownVariantError) or processed (ChangeRecord.Fail). It unwraps to
// the cause.
type RecordError struct {
	EventID        string // the record's eventID
	SequenceNumber string // the record's sequence number
	Err            error  // the cause
}

// Error describes the failure, naming the record.
func (e *RecordError) Error() string {
	msg := "<nil>"
	if e.Err != nil {
		msg = strings.TrimPrefix(e.Err.Error(), "dynantic: ")
	}
	seq := ""
	if e.SequenceNumber != "" {
		seq = " (sequence number " + e.SequenceNumber + ")"
	}
	return "dynantic: stream record " + strconv.Quote(e.EventID) + seq + ": " + msg
}

// Unwrap returns the cause.
func (e *RecordError) Unwrap() error { return e.Err }

func invalidRecord(msg string) error { return &inputError{"dynantic: " + msg, ErrInvalidRecord} }

// DecodeChange decodes a stream record into a Change of T. The record must
// be of this table: its keys exactly the table's key attributes with their
// types, its images those its kind and view type carry (see ChangeRecord),
// each image decodable as by Decode (on a variant's Table, of that
// variant). Every failure is a *RecordError naming the record, wrapping
// ErrInvalidRecord, a *CodecError or ErrUnknownVariant; nothing panics.
func (t *Table[T]) DecodeChange(r ChangeRecord) (Change[T], error) {
	old, new, err := decodeImages(t.table, r, t.Decode)
	if err != nil {
		return Change[T]{}, err
	}
	return Change[T]{ChangeRecord: r, Old: old, New: new}, nil
}

// DecodeChange decodes a stream record of the Poly's table into a
// PolyChange, each image into its variant (see Poly.Decode for unknown
// variants). The checks and errors are Table.DecodeChange's.
func (p *Poly[B]) DecodeChange(r ChangeRecord) (PolyChange, error) {
	old, new, err := decodeImages(p.t, r, p.Decode)
	if err != nil {
		return PolyChange{}, err
	}
	return PolyChange{ChangeRecord: r, Old: old, New: new}, nil
}

// decodeImages checks r against table t and decodes its images with dec.
func decodeImages[V any](t *table, r ChangeRecord, dec func(map[string]types.AttributeValue) (V, error)) (old, new V, err error) {
	if err = t.checkRecord(&r); err == nil && r.OldItem != nil {
		old, err = dec(r.OldItem)
	}
	if err == nil && r.NewItem != nil {
		new, err = dec(r.NewItem)
	}
	if err != nil {
		return old, new, r.Fail(err)
	}
	return old, new, nil
}

// checkRecord reports a record that cannot be one of table t's: an unknown
// kind, keys of another key schema, images its kind and view type do not
// match.
func (t *table) checkRecord(r *ChangeRecord) error {
	if r.Kind < ChangeInsert || r.Kind > ChangeRemove {
		return invalidRecord(t.model.Name + ": " + "unknown event kind " + r.Kind.String())
	}
	n := 0
	for _, f := range [...]*codec.FieldCodec{t.pk, t.sk} {
		if f == nil {
			continue
		}
		n++
		if !scalarKey(r.Keys[f.Name], schemaType(f)) {
			return t.foreignKeys(r.Keys)
		}
	}
	if len(r.Keys) != n {
		return t.foreignKeys(r.Keys)
	}
	var needOld, needNew, mayOld, mayNew bool
	switch r.ViewType {
	case types.StreamViewTypeKeysOnly:
	case types.StreamViewTypeNewImage:
		mayNew, needNew = true, true
	case types.StreamViewTypeOldImage:
		mayOld, needOld = true, true
	case types.StreamViewTypeNewAndOldImages:
		mayOld, mayNew, needOld, needNew = true, true, true, true
	case "":
		mayOld, mayNew = true, true
	default:
		return invalidRecord(t.model.Name + ": " + "unknown stream view type " + strconv.Quote(string(r.ViewType)))
	}
	switch r.Kind {
	case ChangeInsert:
		mayOld, needOld = false, false
	case ChangeRemove:
		mayNew, needNew = false, false
	}
	for _, im := range [...]struct {
		name      string
		item      map[string]types.AttributeValue
		need, may bool
	}{{"OldImage", r.OldItem, needOld, mayOld}, {"NewImage", r.NewItem, needNew, mayNew}} {
		switch {
		case im.item == nil && im.need:
			return invalidRecord(t.model.Name + ": " + im.name + " missing: " + article(r.Kind.String()) + " record of " + article(string(r.ViewType)) + " stream carries one")
		case im.item != nil && !im.may:
			view := ""
			if r.ViewType != "" {
				view = " of " + article(string(r.ViewType)) + " stream"
			}
			return invalidRecord(t.model.Name + ": " + "unexpected " + im.name + ": " + article(r.Kind.String()) + " record" + view + " carries none")
		}
	}
	return nil
}

// article puts "a" or "an" before an event name or view type.
func article(w string) string {
	if w != "" && strings.ContainsRune("AEIOU", rune(w[0])) {
		return "an " + w
	}
	return "a " + w
}

// schemaType is the DynamoDB scalar type letter of key field f (S, N, B).
func schemaType(f *codec.FieldCodec) byte { return schemaScalar(f)[0] }

// schemaScalar is the DynamoDB scalar type of key field f ("S", "N", "B").
func schemaScalar(f *codec.FieldCodec) string { return schema.ScalarType(f.Type, f.Opts) }

func (t *table) foreignKeys(keys map[string]types.AttributeValue) error {
	var want []string
	for _, f := range [...]*codec.FieldCodec{t.pk, t.sk} {
		if f != nil {
			want = append(want, f.Name+" ("+schemaScalar(f)+")")
		}
	}
	return invalidRecord(t.model.Name + ": the record's keys " + renderItem(keys) + " are not the table's key " +
		strings.Join(want, ", ") + " (a record of another table?)")
}

// DecodeRecord decodes a DynamoDB Streams API record (GetRecords) with a
// Table or a Poly:
//
//	c, err := dynantic.DecodeRecord(orders, rec) // c is a Change[Order]
//
// The record's attribute values are converted from the Streams API's types;
// a malformed one, a record without its dynamodb member or with an unknown
// event name is a *RecordError matching ErrInvalidRecord. Otherwise it is
// d.DecodeChange of the record.
func DecodeRecord[C any](d ChangeDecoder[C], rec streamstypes.Record) (C, error) {
	r, err := fromStreams(rec)
	if err != nil {
		var zero C
		return zero, err
	}
	return d.DecodeChange(r)
}

// fromStreams converts a Streams API record into a ChangeRecord.
func fromStreams(rec streamstypes.Record) (ChangeRecord, error) {
	var r ChangeRecord
	if rec.EventID != nil {
		r.EventID = *rec.EventID
	}
	if rec.UserIdentity != nil {
		r.IdentityType = deref(rec.UserIdentity.Type)
		r.PrincipalID = deref(rec.UserIdentity.PrincipalId)
	}
	sr := rec.Dynamodb
	if sr == nil {
		return r, r.Fail(invalidRecord("the record has no dynamodb member"))
	}
	r.SequenceNumber = deref(sr.SequenceNumber)
	name := string(rec.EventName)
	if name == localTTLEventName && rec.UserIdentity == nil {
		// DynamoDB Local (3.3.1) writes the records of its TTL deletions
		// with this event name (its Java SDK's name for a value it does not
		// know) and no userIdentity; DynamoDB writes REMOVE with the
		// service's identity. Read them as DynamoDB writes them.
		name, r.IdentityType, r.PrincipalID = "REMOVE", "Service", TTLPrincipal
	}
	var ok bool
	if r.Kind, ok = ParseChangeKind(name); !ok {
		return r, r.Fail(invalidRecord("unknown event name " + strconv.Quote(name)))
	}
	if sr.ApproximateCreationDateTime != nil {
		r.ApproximateTime = sr.ApproximateCreationDateTime.UTC()
	}
	r.ViewType = types.StreamViewType(sr.StreamViewType)
	var err error
	if r.Keys, err = fromStreamsMap("Keys", sr.Keys); err == nil {
		if r.OldItem, err = fromStreamsMap("OldImage", sr.OldImage); err == nil {
			r.NewItem, err = fromStreamsMap("NewImage", sr.NewImage)
		}
	}
	if err != nil {
		return r, r.Fail(err)
	}
	return r, nil
}

func deref(s *string) string {
	if s == nil {
		return ""
	}
	return *s
}

// maxRecordDepth bounds the nesting of a converted attribute value: one
// more than DynamoDB stores (32 levels counting the attribute).
const maxRecordDepth = 33

// fromStreamsMap converts the attribute values of one image (nil stays
// nil); an error names the image and the attribute path.
func fromStreamsMap(image string, m map[string]streamstypes.AttributeValue) (map[string]types.AttributeValue, error) {
	if m == nil {
		return nil, nil
	}
	out := make(map[string]types.AttributeValue, len(m))
	for name, av := range m {
		v, err := fromStreamsAV(av, 1)
		if err != nil {
			return nil, invalidRecord(image + ": attribute " + strconv.Quote(name+err.path) + ": " + err.msg)
		}
		out[name] = v
	}
	return out, nil
}

// avError is a conversion failure below an attribute: the path under it
// and what is wrong.
type avError struct{ path, msg string }

// fromStreamsAV converts one Streams API attribute value, copying binary
// values and slices.
func fromStreamsAV(av streamstypes.AttributeValue, depth int) (types.AttributeValue, *avError) {
	if depth > maxRecordDepth {
		return nil, &avError{msg: "nested more than 32 levels deep"}
	}
	null := func() (types.AttributeValue, *avError) {
		return nil, &avError{msg: "a nil attribute value"}
	}
	switch v := av.(type) {
	case *streamstypes.AttributeValueMemberS:
		if v == nil {
			return null()
		}
		return &types.AttributeValueMemberS{Value: v.Value}, nil
	case *streamstypes.AttributeValueMemberN:
		if v == nil {
			return null()
		}
		return &types.AttributeValueMemberN{Value: v.Value}, nil
	case *streamstypes.AttributeValueMemberB:
		if v == nil {
			return null()
		}
		return &types.AttributeValueMemberB{Value: append([]byte(nil), v.Value...)}, nil
	case *streamstypes.AttributeValueMemberBOOL:
		if v == nil {
			return null()
		}
		return &types.AttributeValueMemberBOOL{Value: v.Value}, nil
	case *streamstypes.AttributeValueMemberNULL:
		if v == nil {
			return null()
		}
		return &types.AttributeValueMemberNULL{Value: v.Value}, nil
	case *streamstypes.AttributeValueMemberSS:
		if v == nil {
			return null()
		}
		return &types.AttributeValueMemberSS{Value: append([]string(nil), v.Value...)}, nil
	case *streamstypes.AttributeValueMemberNS:
		if v == nil {
			return null()
		}
		return &types.AttributeValueMemberNS{Value: append([]string(nil), v.Value...)}, nil
	case *streamstypes.AttributeValueMemberBS:
		if v == nil {
			return null()
		}
		bs := make([][]byte, len(v.Value))
		for i, b := range v.Value {
			bs[i] = append([]byte(nil), b...)
		}
		return &types.AttributeValueMemberBS{Value: bs}, nil
	case *streamstypes.AttributeValueMemberL:
		if v == nil {
			return null()
		}
		l := make([]types.AttributeValue, len(v.Value))
		for i, e := range v.Value {
			x, err := fromStreamsAV(e, depth+1)
			if err != nil {
				err.path = "[" + strconv.Itoa(i) + "]" + err.path
				return nil, err
			}
			l[i] = x
		}
		return &types.AttributeValueMemberL{Value: l}, nil
	case *streamstypes.AttributeValueMemberM:
		if v == nil {
			return null()
		}
		m := make(map[string]types.AttributeValue, len(v.Value))
		for k, e := range v.Value {
			x, err := fromStreamsAV(e, depth+1)
			if err != nil {
				err.path = "." + k + err.path
				return nil, err
			}
			m[k] = x
		}
		return &types.AttributeValueMemberM{Value: m}, nil
	case nil:
		return null()
	}
	if u, ok := av.(*streamstypes.UnknownUnionMember); ok && u != nil {
		return nil, &avError{msg: "an attribute value of unknown type " + strconv.Quote(u.Tag)}
	}
	return nil, &avError{msg: fmt.Sprintf("an attribute value of unknown type %T", av)}
}
