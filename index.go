package dynantic

import (
	"unsafe"

	"context"
	"slices"
	"strconv"
	"strings"

	"github.com/aws/aws-sdk-go-v2/service/dynamodb/types"

	"github.com/dynantic/dynantic/internal/expr"
	"github.com/dynantic/dynantic/internal/schema"
)

// ScanIndex starts a scan of the secondary index named index (a GSI or an
// LSI declared by the model's tags)
// (https://docs.aws.amazon.com/amazondynamodb/latest/APIReference/API_Scan.html#DDB-Scan-request-IndexName):
// every item the index holds, in no particular order, with the chain
// methods and terminals of Scan (Filter, Limit, Project, Segments, Page,
// Iter, All, Count). Its cursors are bound to the index. An index the model
// does not declare is ErrUnknownIndex, and Consistent on a GSI is
// ErrInvalidQuery, from the terminal before any request.
func (t *Table[T]) ScanIndex(index string) *Scan[T] {
	s := &Scan[T]{r: read{t: t.table, scan: true}}
	s.r.setIndex(index)
	return s
}

// setIndex makes the read one of index, or keeps ErrUnknownIndex.
func (r *read) setIndex(index string) {
	if r.index = r.t.model.Index(index); r.index == nil {
		r.fail(r.t.unknownIndex(index))
	}
}

// IndexProjection is what a secondary index stores of each item
// (https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/GSI.html#GSI.Projections):
// every attribute (AllAttributes, the default), only the keys (KeysOnly:
// the table's and the index's), or the keys and some attributes (Include).
// Declare it with WithIndexProjection.
type IndexProjection struct {
	typ   string
	attrs []string
}

// AllAttributes projects every attribute into the index (ProjectionType
// ALL), the default.
func AllAttributes() IndexProjection { return IndexProjection{typ: schema.ProjectAll} }

// KeysOnly projects only the table's and the index's key attributes into
// the index (ProjectionType KEYS_ONLY): the smallest and cheapest index.
func KeysOnly() IndexProjection { return IndexProjection{typ: schema.ProjectKeysOnly} }

// Include projects the key attributes and the named top-level attributes
// into the index (ProjectionType INCLUDE with NonKeyAttributes).
func Include(attrs ...string) IndexProjection {
	return IndexProjection{typ: schema.ProjectInclude, attrs: slices.Clone(attrs)}
}

// projectionSpec is a WithIndexProjection option.
type projectionSpec struct {
	index string
	p     IndexProjection
}

// WithIndexProjection declares what secondary index index stores of each
// item: AllAttributes (the default), KeysOnly or Include(attrs...).
// CreateTableInput and CreateTable declare it. Reading the index (QueryIndex,
// ScanIndex) then fills only the projected fields of T, and a Project or a
// Filter naming an attribute a GSI does not hold is ErrNotProjected before
// any request (an LSI fetches such attributes from the table, at extra read
// cost, so it is allowed there). Hydrate reads the full items.
//
// NewTable (and NewPoly, where the option applies to the table) returns a
// *SchemaError naming the model, the index and the attribute for an index
// the model does not declare, an index given twice, Include without
// attributes, with an attribute the model lacks (unless
// AllowUnknownAttributes), with a key attribute (always projected) or with
// one twice, and more than 100 included attributes over all indexes
// (DynamoDB's limit). On a Poly every non-ALL GSI must project the
// discriminator (Include it), so that its items can be decoded.
func WithIndexProjection(index string, p IndexProjection) TableOption {
	return func(o *tableOptions) { o.projections = append(o.projections, projectionSpec{index, p}) }
}

// maxProjected is DynamoDB's limit on the non-key attributes projected
// into all of a table's secondary indexes together.
const maxProjected = 100

// applyProjections records the WithIndexProjection options in model m's
// indexes. lenient (a Poly's base and variants) skips indexes and
// attributes the model lacks: NewPoly checks them on the whole table.
func applyProjections(m *schema.Model, specs []projectionSpec, allowAny, lenient bool) error {
	fail := func(msg string) error { return &SchemaError{Model: m.Name, Msg: msg} }
	seen := map[string]bool{}
	total := 0
	for _, s := range specs {
		what := "WithIndexProjection(" + strconv.Quote(s.index) + ")"
		if seen[s.index] {
			return fail(what + ": the index's projection is given twice")
		}
		seen[s.index] = true
		ix := m.Index(s.index)
		if ix == nil {
			if lenient {
				continue
			}
			return fail(what + ": the model declares no index " + strconv.Quote(s.index) + " (" + indexList(m) + ")")
		}
		switch s.p.typ {
		case "":
			return fail(what + ": use AllAttributes(), KeysOnly() or Include(attrs...)")
		case schema.ProjectInclude:
			if len(s.p.attrs) == 0 {
				return fail(what + ": Include needs at least one attribute (KeysOnly projects only the keys)")
			}
		}
		dup := map[string]bool{}
		for _, a := range s.p.attrs {
			switch {
			case a == "":
				return fail(what + ": Include of an empty attribute name")
			case dup[a]:
				return fail(what + ": Include names attribute " + strconv.Quote(a) + " twice")
			case ix.KeyOf(a) || a == m.PK.Name || (m.SK != nil && a == m.SK.Name):
				return fail(what + ": Include names key attribute " + strconv.Quote(a) + ", which every index holds anyway")
			case m.Field(a) == nil && !allowAny && !lenient:
				return fail(what + ": Include names attribute " + strconv.Quote(a) + ", which model " + m.Name + " does not declare")
			}
			dup[a] = true
		}
		total += len(s.p.attrs)
		if total > maxProjected {
			return fail(what + ": more than " + strconv.Itoa(maxProjected) + " attributes are included over all indexes (DynamoDB's limit)")
		}
		ix.Projection, ix.Include = s.p.typ, slices.Clone(s.p.attrs)
	}
	return nil
}

func indexList(m *schema.Model) string {
	if len(m.Indexes) == 0 {
		return "it declares none"
	}
	names := make([]string, len(m.Indexes))
	for i, ix := range m.Indexes {
		names[i] = ix.Name
	}
	return "it declares " + strings.Join(names, ", ")
}

// checkPolyProjections checks the projections of a Poly's whole table:
// every one names an index and attributes of some variant, and a non-ALL
// GSI holds the discriminator.
func checkPolyProjections(u *schema.Model, specs []projectionSpec, allowAny bool) error {
	if err := applyProjections(u, specs, allowAny, false); err != nil {
		return err
	}
	d := u.Discriminator
	for _, ix := range u.Indexes {
		if !ix.Local && !ix.Projects(u, d.Name) {
			return &SchemaError{Model: u.Name, Msg: "index " + ix.Name + " projects " + ix.Projection + " without the discriminator " +
				strconv.Quote(d.Name) + ": a Poly could not tell its items' variants (Include(" + strconv.Quote(d.Name) + ", ...))"}
		}
	}
	return nil
}

// checkProjected refuses, for a read of a GSI that does not project ALL,
// a projection or a filter naming an attribute the index does not hold:
// DynamoDB would reject the request (an LSI fetches such attributes from
// the table, so it is allowed there). With Hydrate the projection applies
// to the items read from the table and is not checked here.
func (r *read) checkProjected(filter Condition) error {
	ix := r.index
	if ix == nil || ix.Local || ix.Projection == "" || ix.Projection == schema.ProjectAll {
		return nil
	}
	t := r.t
	holds := func(name string) bool { return ix.Projects(t.model, name) }
	if !r.hydrate && len(r.project) > 0 {
		paths, err := t.attrPaths(r.project)
		if err != nil {
			return err
		}
		for _, p := range paths {
			if !holds(p.Top()) {
				return r.notProjected(p.Top(), "Project")
			}
		}
	}
	if a := t.attrNotIn(filter.c, 0, holds); a != "" {
		return r.notProjected(a, "a filter")
	}
	return nil
}

func (r *read) notProjected(attr, what string) error {
	ix := r.index
	held := ix.Projection
	if ix.Projection == schema.ProjectInclude {
		held += " " + strings.Join(ix.Include, ", ")
	}
	return &inputError{"dynantic: " + r.t.model.Name + ": " + r.op() + " of index " + ix.Name + ": " + what + " names attribute " +
		strconv.Quote(attr) + ", which the index does not project (it holds the keys and " + held +
		"); read the full items with Hydrate, or declare the projection with WithIndexProjection", ErrNotProjected}
}

// attrNotIn returns the first top-level attribute named in c for which
// holds is false, or "".
func (t *table) attrNotIn(c *expr.Cond, depth int, holds func(string) bool) string {
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
		if !holds(p.Top()) {
			return p.Top()
		}
	}
	for _, s := range c.Subs {
		if a := t.attrNotIn(s, depth+1, holds); a != "" {
			return a
		}
	}
	return ""
}

// keysProjection is the projection of a hydrated read: the start-key
// attributes, all a follow-up BatchGetItem needs.
func (rq *request) keysProjection(b *expr.Builder) string {
	paths := make([]expr.Path, len(rq.keyAttrs))
	for i, ka := range rq.keyAttrs {
		paths[i] = expr.NamePath(ka.name)
	}
	return b.Projection(paths)
}

// hydrateSink reads the full items of an index read from the table: it
// collects each page's items (their keys), reads them with BatchGetItem
// (100 keys a request, unprocessed keys retried as BatchGet does), and hands
// them to the inner sink in the page's order. An item deleted between the
// two reads is left out.
type hydrateSink struct {
	ctx      context.Context
	t        *table
	inner    sink
	tmpl     types.KeysAndAttributes
	addedTTL bool
	capacity *Capacity // the read's WithCapacity: the BatchGets count too
	page     []map[string]types.AttributeValue
	want     int // items of the current page
}

// hydrateSink wraps s when r asks for Hydrate.
func (r *read) hydrateSink(ctx context.Context, s sink) (sink, error) {
	if !r.hydrate {
		return s, nil
	}
	tmpl, addedTTL, err := r.t.getTemplate(&readOptions{project: r.project})
	if err != nil {
		return nil, err
	}
	return &hydrateSink{ctx: ctx, t: r.t, inner: s, tmpl: tmpl, addedTTL: addedTTL, capacity: r.capacity}, nil
}

func (h *hydrateSink) grow(n int) { h.want, h.page = n, h.page[:0] }

func (h *hydrateSink) direct() bool { return false }

func (h *hydrateSink) put(item map[string]types.AttributeValue, _ unsafe.Pointer) error {
	h.page = append(h.page, item)
	if len(h.page) < h.want {
		return nil
	}
	return h.flush()
}

func (h *hydrateSink) flush() error {
	t := h.t
	slots := make([]getSlot, 0, len(h.page))
	ids := make(map[string]int, len(h.page))
	order := make([]int, len(h.page))
	for i, item := range h.page {
		key := map[string]types.AttributeValue{t.pk.Name: item[t.pk.Name]}
		if t.sk != nil {
			key[t.sk.Name] = item[t.sk.Name]
		}
		id := t.keyID(key)
		s, ok := ids[id]
		if !ok {
			s = len(slots)
			ids[id] = s
			slots = append(slots, getSlot{key: key})
		}
		order[i] = s
	}
	h.page = h.page[:0]
	o := newBatchOptions(nil)
	o.capacity = h.capacity
	failed, lastErr := t.batchRead(h.ctx, h.tmpl, slots, ids, &o, false)
	if len(failed) > 0 {
		if err := h.ctx.Err(); err != nil {
			return err
		}
		be := &BatchError{Op: "BatchGet", Table: t.name, Err: lastErr}
		for _, s := range failed {
			be.Failed = append(be.Failed, BatchItem{Index: s, Key: t.keyFromAttrs(slots[s].key), KeyAttrs: slots[s].key, Err: slots[s].err})
		}
		return be
	}
	h.inner.grow(len(order))
	for _, s := range order {
		item := slots[s].item
		if item == nil || t.hideRead(item, h.addedTTL) || !t.variant.owns(item) {
			continue
		}
		if err := h.inner.put(item, nil); err != nil {
			return err
		}
	}
	return nil
}
