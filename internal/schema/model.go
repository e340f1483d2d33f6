package schema

import (
	"reflect"
	"sort"
	"strconv"
)

// MaxKeyAttrs is how many partition-key attributes, and how many sort-key
// attributes, a GSI may have (DynamoDB's multi-attribute keys).
const MaxKeyAttrs = 4

// Projection types of a secondary index (DynamoDB's ProjectionType).
const (
	ProjectAll      = "ALL"
	ProjectKeysOnly = "KEYS_ONLY"
	ProjectInclude  = "INCLUDE"
)

// Index is a secondary index declared by a model's tags.
type Index struct {
	Name  string
	Local bool     // LSI: shares the table's partition key
	PK    []*Field // partition-key attributes in declared order (an LSI: the table's)
	SK    []*Field // sort-key attributes in declared order; empty for none
	// Projection is ALL (the default), KEYS_ONLY or INCLUDE; Include lists
	// INCLUDE's non-key attributes.
	Projection string
	Include    []string
}

// Multi reports whether the index has a multi-attribute key.
func (ix *Index) Multi() bool { return len(ix.PK) > 1 || len(ix.SK) > 1 }

// KeyOf reports whether attribute name is one of the index's key attributes.
func (ix *Index) KeyOf(name string) bool {
	for _, f := range ix.PK {
		if f.Name == name {
			return true
		}
	}
	for _, f := range ix.SK {
		if f.Name == name {
			return true
		}
	}
	return false
}

// Projects reports whether the index stores top-level attribute name of
// model m's items: every attribute with ALL, else the table's and the
// index's keys and INCLUDE's attributes.
func (ix *Index) Projects(m *Model, name string) bool {
	if ix.Projection == "" || ix.Projection == ProjectAll || ix.KeyOf(name) ||
		name == m.PK.Name || (m.SK != nil && name == m.SK.Name) {
		return true
	}
	for _, a := range ix.Include {
		if a == name {
			return true
		}
	}
	return false
}

// Model is a struct type checked as a table's item type.
type Model struct {
	Type    reflect.Type
	Name    string // Go type name
	Fields  []Field
	PK, SK  *Field
	Indexes []Index // sorted by name

	Discriminator, Version, Created, Updated, TTL *Field
	Auto                                          []*Field

	byName map[string]*Field
}

// Field returns the top-level attribute named name, or nil.
func (m *Model) Field(name string) *Field { return m.byName[name] }

// Index returns the secondary index named name, or nil.
func (m *Model) Index(name string) *Index {
	for i := range m.Indexes {
		if m.Indexes[i].Name == name {
			return &m.Indexes[i]
		}
	}
	return nil
}

// Build checks struct type t as a model and returns it. Problems are
// reported as *Error naming the type and the field.
func Build(t reflect.Type) (*Model, error) {
	if t.Kind() != reflect.Struct {
		return nil, &Error{Model: t.String(), Msg: "a model must be a struct type, not " + t.Kind().String()}
	}
	fields, err := Fields(t)
	if err != nil {
		return nil, err
	}
	m := &Model{Type: t, Name: modelName(t), Fields: fields, byName: make(map[string]*Field, len(fields))}
	fail := func(f *Field, msg string) error {
		name := ""
		if f != nil {
			name = f.GoName
		}
		return &Error{Model: m.Name, Field: name, Msg: msg}
	}
	type keyRef struct {
		f   *Field
		pos int
	}
	type indexParts struct{ pk, sk []keyRef }
	gsis := map[string]*indexParts{}
	lsis := map[string]*Field{}
	one := func(slot **Field, f *Field, what string) error {
		if *slot != nil {
			return fail(f, "second "+what+" field (the first is "+(*slot).GoName+")")
		}
		*slot = f
		return nil
	}
	for i := range m.Fields {
		f := &m.Fields[i]
		m.byName[f.Name] = f
		o := &f.Opts
		if o.PK && o.SK {
			return nil, fail(f, "a field cannot be both pk and sk")
		}
		if o.IsKey() {
			if ScalarType(f.Type, *o) == "" {
				return nil, fail(f, "unsupported key type "+f.Type.String()+" (keys must be strings, numbers or []byte)")
			}
			if len(f.Name) > 255 {
				return nil, fail(f, "key attribute names are limited to 255 bytes")
			}
		}
		if (o.PK || o.SK) && o.OmitEmpty {
			return nil, fail(f, "a table key cannot be omitempty")
		}
		if o.PK {
			if err := one(&m.PK, f, "pk"); err != nil {
				return nil, err
			}
		}
		if o.SK {
			if err := one(&m.SK, f, "sk"); err != nil {
				return nil, err
			}
		}
		for _, ref := range o.GSIPK {
			p := gsis[ref.Name]
			if p == nil {
				p = &indexParts{}
				gsis[ref.Name] = p
			}
			p.pk = append(p.pk, keyRef{f, ref.Pos})
		}
		for _, ref := range o.GSISK {
			p := gsis[ref.Name]
			if p == nil {
				p = &indexParts{}
				gsis[ref.Name] = p
			}
			p.sk = append(p.sk, keyRef{f, ref.Pos})
		}
		for _, ref := range o.LSISK {
			if ref.Pos != 0 {
				return nil, fail(f, "lsi_sk="+ref.Name+":"+strconv.Itoa(ref.Pos)+": a local secondary index has one sort key attribute (multi-attribute keys are for GSIs)")
			}
			if prev := lsis[ref.Name]; prev != nil {
				return nil, fail(f, "second lsi_sk="+ref.Name+" field (the first is "+prev.GoName+")")
			}
			lsis[ref.Name] = f
		}
		if o.Discriminator {
			if f.Type.Kind() != reflect.String {
				return nil, fail(f, "a discriminator must be a string, not "+f.Type.String())
			}
			if err := one(&m.Discriminator, f, "discriminator"); err != nil {
				return nil, err
			}
		}
		if o.Version {
			if !IsInteger(f.Type.Kind()) {
				return nil, fail(f, "a version field must be an integer, not "+f.Type.String())
			}
			if o.IsKey() {
				return nil, fail(f, "a version field cannot be a key")
			}
			if err := one(&m.Version, f, "version"); err != nil {
				return nil, err
			}
		}
		if o.Created || o.Updated {
			if !isTimeOrPtr(f.Type) {
				return nil, fail(f, "created/updated fields must be time.Time or *time.Time, not "+f.Type.String())
			}
			if o.Created && o.Updated {
				return nil, fail(f, "a field cannot be both created and updated")
			}
			slot, what := &m.Created, "created"
			if o.Updated {
				slot, what = &m.Updated, "updated"
			}
			if err := one(slot, f, what); err != nil {
				return nil, err
			}
		}
		if o.TTL {
			if !isTimeOrPtr(f.Type) && !IsInteger(f.Type.Kind()) {
				return nil, fail(f, "a ttl field must be time.Time, *time.Time or an integer (epoch seconds), not "+f.Type.String())
			}
			if o.IsKey() {
				return nil, fail(f, "a ttl field cannot be a key")
			}
			if err := one(&m.TTL, f, "ttl"); err != nil {
				return nil, err
			}
		}
		if o.UnixTime && !isTimeOrPtr(f.Type) {
			return nil, fail(f, "unixtime needs a time.Time or *time.Time field, not "+f.Type.String())
		}
		if o.Auto {
			if f.Type.Kind() != reflect.String {
				return nil, fail(f, "auto needs a string field, not "+f.Type.String())
			}
			m.Auto = append(m.Auto, f)
		}
	}
	if m.PK == nil {
		return nil, fail(nil, `no partition key: tag one field with dynamo:"name,pk"`)
	}
	// order checks the key attributes of one part (partition or sort) of a
	// GSI: one attribute without a position, or up to four with positions
	// 1, 2, ... each once.
	order := func(index, opt string, refs []keyRef) ([]*Field, error) {
		if len(refs) == 1 && refs[0].pos <= 1 {
			return []*Field{refs[0].f}, nil
		}
		tag := opt + "=" + index
		if len(refs) > MaxKeyAttrs {
			return nil, fail(refs[MaxKeyAttrs].f, "index "+index+" has "+strconv.Itoa(len(refs))+" "+opt+" attributes; DynamoDB allows at most "+strconv.Itoa(MaxKeyAttrs))
		}
		out := make([]*Field, len(refs))
		for _, r := range refs {
			switch {
			case r.pos == 0:
				return nil, fail(r.f, "index "+index+" has "+strconv.Itoa(len(refs))+" "+opt+" attributes: each needs its position ("+tag+":1, "+tag+":2, ...), and "+r.f.Name+" has none")
			case r.pos > len(refs):
				return nil, fail(r.f, tag+":"+strconv.Itoa(r.pos)+" on "+r.f.Name+" leaves a gap: index "+index+" has "+strconv.Itoa(len(refs))+" "+opt+" attribute(s), so positions run from 1 to "+strconv.Itoa(len(refs)))
			case out[r.pos-1] != nil:
				return nil, fail(r.f, tag+":"+strconv.Itoa(r.pos)+" is given to both "+out[r.pos-1].Name+" and "+r.f.Name)
			}
			out[r.pos-1] = r.f
		}
		return out, nil
	}
	for name, p := range gsis {
		if len(p.pk) == 0 {
			return nil, fail(p.sk[0].f, "gsi_sk="+name+" without a gsi_pk="+name+" field")
		}
		if _, clash := lsis[name]; clash {
			return nil, fail(p.pk[0].f, "index "+name+" is declared both as a GSI and as an LSI")
		}
		if !validIndexName(name) {
			return nil, fail(p.pk[0].f, "invalid index name "+strconv.Quote(name)+" (3-255 characters of a-z, A-Z, 0-9, _ - .)")
		}
		pk, err := order(name, "gsi_pk", p.pk)
		if err != nil {
			return nil, err
		}
		var sk []*Field
		if len(p.sk) > 0 {
			if sk, err = order(name, "gsi_sk", p.sk); err != nil {
				return nil, err
			}
		}
		for _, a := range pk {
			for _, b := range sk {
				if a == b {
					return nil, fail(a, "attribute "+a.Name+" is both a partition and a sort key attribute of index "+name)
				}
			}
		}
		m.Indexes = append(m.Indexes, Index{Name: name, PK: pk, SK: sk, Projection: ProjectAll})
	}
	for name, sk := range lsis {
		if m.SK == nil {
			return nil, fail(sk, "lsi_sk="+name+" needs the table to have a sort key (an LSI shares the table's partition key and differs in sort key)")
		}
		if !validIndexName(name) {
			return nil, fail(sk, "invalid index name "+strconv.Quote(name)+" (3-255 characters of a-z, A-Z, 0-9, _ - .)")
		}
		m.Indexes = append(m.Indexes, Index{Name: name, Local: true, PK: []*Field{m.PK}, SK: []*Field{sk}, Projection: ProjectAll})
	}
	sort.Slice(m.Indexes, func(i, j int) bool { return m.Indexes[i].Name < m.Indexes[j].Name })
	return m, nil
}

func isTimeOrPtr(t reflect.Type) bool {
	return IsTime(t) || (t.Kind() == reflect.Pointer && IsTime(t.Elem()))
}

func validIndexName(s string) bool {
	if len(s) < 3 || len(s) > 255 {
		return false
	}
	for i := 0; i < len(s); i++ {
		c := s[i]
		if !(c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '_' || c == '-' || c == '.') {
			return false
		}
	}
	return true
}
