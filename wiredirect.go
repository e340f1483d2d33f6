package dynantic

import (
	"context"
	"reflect"
	"slices"
	"strings"
	"unsafe"

	"github.com/aws/aws-sdk-go-v2/service/dynamodb"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb/types"

	"github.com/dynantic/dynantic/internal/codec"
)

// Direct decoding (issue 14, item 1): for the reads of one Table[T] (Get,
// BatchGet, and the sequential Query and Scan terminals), the wire decoder decodes each
// item of the response straight into a T with the table's compiled plan,
// instead of building the item's attribute value map for the codec to read
// afterwards. Scalar fields (strings, numbers, bools: the codec says which)
// are set from their JSON text; other fields get an attribute value built for
// them alone and the field's own decoder. The SDK's output still gets one
// map per item, holding only the attributes the read looks at after the
// call (keep: the keys a cut page resumes after, templated keys, the ttl of
// HideExpired, a variant's discriminator), so everything downstream of the
// call is unchanged.
//
// A response the direct decoder does not take whole (a value that does not
// fit its field, an attribute given twice, anything the map decoder would
// decline) is decoded again the usual way, and the codec then reports the
// error as it always does: direct decoding changes how fast an answer
// comes, never the answer.

// directKey is the context key of a call's *directTarget.
type directKey struct{}

// directTarget is where one call's items go.
type directTarget struct {
	plan  *codec.Plan
	typ   reflect.Type // the plan's
	table string       // BatchGetItem: the table whose items these are

	// keep names the attributes kept in every item's map; keepAt is an
	// item (-1: none) whose map also keeps atKeep (a page cut after it
	// resumes after its keys). An item with nothing to keep gets a nil map.
	keep   []string
	keepAt int
	atKeep []string

	// Set by the last attempt that decoded directly (nil otherwise): the
	// first of the decoded values, one per item of the response.
	base unsafe.Pointer
}

// noAttributes is the map of a found item with no attribute to keep. It is
// never written to.
var noAttributes = map[string]types.AttributeValue{}

// direct fills dt for a read of t, and reports whether the read can be
// decoded directly: the wire decoder is on, the client is the SDK's (another
// API implementation never calls the protocol), and the plan is narrow
// enough.
func (t *table) direct(dt *directTarget) bool {
	if t.db.wire.get == nil || len(t.plan.Fields()) > codec.MaxDirectFields {
		return false
	}
	if _, ok := t.db.client.(*dynamodb.Client); !ok {
		return false
	}
	*dt = directTarget{plan: t.plan, typ: t.plan.Type(), keep: t.keepNames(keepGet), keepAt: -1}
	return true
}

// directCtx is a call's context carrying its directTarget, made without an
// allocation of its own (it lives in the request's struct).
type directCtx struct {
	context.Context
	dt *directTarget
}

// Value returns the directTarget for directKey, and the parent's values
// otherwise.
func (c *directCtx) Value(key any) any {
	if key == (directKey{}) {
		return c.dt
	}
	return c.Context.Value(key)
}

// alloc allocates n zero values of the plan's type in one array.
func (dt *directTarget) alloc(n int) unsafe.Pointer {
	if n == 1 {
		return reflect.New(dt.typ).UnsafePointer()
	}
	return reflect.MakeSlice(reflect.SliceOf(dt.typ), n, n).UnsafePointer()
}

// at is the i-th decoded value.
func (dt *directTarget) at(i int) unsafe.Pointer {
	if dt == nil || dt.base == nil {
		return nil
	}
	return unsafe.Add(dt.base, uintptr(i)*dt.typ.Size())
}

// The reads that decode directly, for keepNames.
const (
	keepPage  = iota // Query, Scan
	keepGet          // GetItem
	keepBatch        // BatchGetItem
)

// keepNames lists the attributes a read of t looks at in the items it gets
// back, besides decoding them: templated keys (parsed back into their
// fields); for a GetItem or BatchGetItem also the ttl attribute of
// HideExpired and a variant's discriminator (a Query or Scan filters on
// those in DynamoDB); for a BatchGetItem also the table's keys (items are
// matched with keys by them). Computed once (a Poly sets the variant after
// building the table, before any read).
func (t *table) keepNames(read int) []string {
	k := t.keep.Load()
	if k == nil {
		k = new(keepLists)
		if v := t.variant; v != nil {
			for _, kt := range v.templates {
				k[keepPage] = withName(k[keepPage], kt.attr.Name)
			}
		}
		k[keepGet] = k[keepPage]
		if v := t.variant; v != nil && v.value != "" {
			k[keepGet] = withName(k[keepGet], v.disc.Name)
		}
		if s := t.special; s.hideExpired && s.ttl != nil {
			k[keepGet] = withName(k[keepGet], s.ttl.Name)
		}
		k[keepBatch] = k[keepGet]
		for _, f := range [...]*codec.FieldCodec{t.pk, t.sk} {
			if f != nil {
				k[keepBatch] = withName(k[keepBatch], f.Name)
			}
		}
		t.keep.Store(k)
	}
	return k[read]
}

// keepLists are the lists of keepNames, by read.
type keepLists [3][]string

// withName returns names with name added when it is not there yet, without
// writing to names's array (the lists share their prefixes).
func withName(names []string, name string) []string {
	if slices.Contains(names, name) {
		return names
	}
	return append(names[:len(names):len(names)], name)
}

// directItem decodes one item (d.p is a copy of its text) into the value at
// v, and returns the map of its kept attributes. Any trouble is errDecline.
func (d *wireDec) directItem(dt *directTarget, keep []string, v unsafe.Pointer) (map[string]types.AttributeValue, error) {
	if err := d.expect('{'); err != nil {
		return nil, err
	}
	var m map[string]types.AttributeValue
	if len(keep) > 0 {
		m = make(map[string]types.AttributeValue, len(keep))
	}
	if d.peek() == '}' {
		d.i++
		return m, nil
	}
	var seen uint64
	for {
		name, err := d.str()
		if err != nil {
			return nil, err
		}
		if err := d.expect(':'); err != nil {
			return nil, err
		}
		f := dt.plan.Field(name)
		if f != nil {
			bit := uint64(1) << f.Pos()
			if seen&bit != 0 {
				return nil, errDecline // given twice: the map decoder keeps the last
			}
			seen |= bit
		}
		kept := len(keep) > 0 && slices.Contains(keep, name)
		if f == nil || kept || !d.directScalar(f, v) {
			av, err := d.value(2)
			if err != nil {
				return nil, err
			}
			if kept {
				m[name] = av
			}
			if f != nil && f.DecodeAV(av, v) != nil {
				return nil, errDecline
			}
		}
		if more, err := d.more('}'); err != nil {
			return nil, err
		} else if !more {
			return m, nil
		}
	}
}

// directScalar decodes an S, N or BOOL attribute value at d.i into field f
// of the value at v when the field takes it by its text. It reports false,
// with d.i unmoved, when it does not (another member, another kind of
// field, anything unusual): the caller then decodes the attribute value.
func (d *wireDec) directScalar(f *codec.FieldCodec, v unsafe.Pointer) bool {
	start := d.i
	ok := d.tryScalar(f, v)
	if !ok {
		d.i = start
	}
	return ok
}

func (d *wireDec) tryScalar(f *codec.FieldCodec, v unsafe.Pointer) bool {
	if d.expect('{') != nil {
		return false
	}
	typ, err := d.key()
	if err != nil {
		return false
	}
	switch typ {
	case "S", "N":
		s, err := d.str()
		if err != nil || d.peek() != '}' {
			return false
		}
		var took bool
		if typ == "S" {
			took, err = f.DecodeS(s, v)
		} else {
			took, err = f.DecodeN(s, v)
		}
		if !took || err != nil {
			return false // an error: the attribute value path fails the same way
		}
	case "BOOL":
		var b bool
		switch d.peek() {
		case 't':
			b, err = true, d.literal("true")
		case 'f':
			err = d.literal("false")
		default:
			return false
		}
		if err != nil || d.peek() != '}' || !f.DecodeBOOL(b, v) {
			return false
		}
	default:
		return false
	}
	d.i++ // the '}'
	return true
}

// directItems decodes the array of items at d.i into dt's values (allocated
// once the items are counted) and returns the kept maps.
func (d *wireDec) directItems(dt *directTarget) ([]map[string]types.AttributeValue, error) {
	if d.peek() != '[' {
		return nil, errDecline
	}
	n := arrayLen(d.p, d.i)
	if n < 0 {
		return nil, errDecline
	}
	d.i++
	l := make([]map[string]types.AttributeValue, 0, n)
	if d.peek() == ']' {
		d.i++
		dt.base = dt.alloc(0)
		return l, nil
	}
	base := dt.alloc(n)
	for i := 0; ; i++ {
		if i >= n {
			return nil, errDecline
		}
		keep := dt.keep
		if i == dt.keepAt {
			keep = dt.atKeep
		}
		m, err := d.directOne(dt, keep, unsafe.Add(base, uintptr(i)*dt.typ.Size()))
		if err != nil {
			return nil, err
		}
		l = append(l, m)
		if more, err := d.more(']'); err != nil {
			return nil, err
		} else if !more {
			if len(l) != n {
				return nil, errDecline
			}
			dt.base = base
			return l, nil
		}
	}
}

// directOne decodes the item at d.i into the value at v, through a copy of
// the item's text (its strings keep only the item alive). It repeats item's
// steps: sharing them through a function value made the sub-decoder escape,
// one more allocation per item.
func (d *wireDec) directOne(dt *directTarget, keep []string, v unsafe.Pointer) (map[string]types.AttributeValue, error) {
	if d.peek() != '{' {
		return nil, errDecline
	}
	start := d.i
	end, _ := objectEnd(d.p, start)
	if end < 0 {
		return nil, errDecline
	}
	d.i = end
	if d.ss == nil {
		d.firstSlab()
	}
	sub := wireDec{p: strings.Clone(d.p[start:end]), ss: d.ss, ns: d.ns, bs: d.bs, ms: d.ms, ls: d.ls}
	m, err := sub.directItem(dt, keep, v)
	if err == nil && sub.i != len(sub.p) {
		err = errDecline
	}
	d.ss, d.ns, d.bs, d.ms, d.ls = sub.ss, sub.ns, sub.bs, sub.ms, sub.ls
	return m, err
}

// arrayLen counts the elements of the array that starts at p[i] (commas at
// its own level, outside strings), or returns -1 when it does not end. Like
// objectEnd it does not check the text; the decoder then reads it.
func arrayLen(p string, i int) int {
	depth, n, empty := 0, 0, true
	for ; i < len(p); i++ {
		switch c := p[i]; c {
		case '"':
			empty = false
			for i++; i < len(p) && p[i] != '"'; i++ {
				if p[i] == '\\' {
					i++
				}
			}
		case '{', '[':
			if depth == 1 {
				empty = false
			}
			depth++
		case '}', ']':
			if depth--; depth == 0 {
				if empty {
					return 0
				}
				return n + 1
			}
		case ',':
			if depth == 1 {
				n++
			}
		case ' ', '\t', '\n', '\r':
		default:
			if depth == 1 {
				empty = false
			}
		}
	}
	return -1
}
