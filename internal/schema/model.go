package schema

import (
	"reflect"
	"sort"
	"strconv"
)

// Index is a secondary index declared by a model's tags.
type Index struct {
	Name  string
	Local bool   // LSI: shares the table's partition key
	PK    *Field // the table's partition key for an LSI
	SK    *Field // nil for a GSI without a sort key
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
	type indexParts struct{ pk, sk *Field }
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
		for _, name := range o.GSIPK {
			p := gsis[name]
			if p == nil {
				p = &indexParts{}
				gsis[name] = p
			}
			if err := one(&p.pk, f, "gsi_pk="+name); err != nil {
				return nil, err
			}
		}
		for _, name := range o.GSISK {
			p := gsis[name]
			if p == nil {
				p = &indexParts{}
				gsis[name] = p
			}
			if err := one(&p.sk, f, "gsi_sk="+name); err != nil {
				return nil, err
			}
		}
		for _, name := range o.LSISK {
			if prev := lsis[name]; prev != nil {
				return nil, fail(f, "second lsi_sk="+name+" field (the first is "+prev.GoName+")")
			}
			lsis[name] = f
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
	for name, p := range gsis {
		if p.pk == nil {
			return nil, fail(p.sk, "gsi_sk="+name+" without a gsi_pk="+name+" field")
		}
		if _, clash := lsis[name]; clash {
			return nil, fail(p.pk, "index "+name+" is declared both as a GSI and as an LSI")
		}
		if !validIndexName(name) {
			return nil, fail(p.pk, "invalid index name "+strconv.Quote(name)+" (3-255 characters of a-z, A-Z, 0-9, _ - .)")
		}
		m.Indexes = append(m.Indexes, Index{Name: name, PK: p.pk, SK: p.sk})
	}
	for name, sk := range lsis {
		if m.SK == nil {
			return nil, fail(sk, "lsi_sk="+name+" needs the table to have a sort key (an LSI shares the table's partition key and differs in sort key)")
		}
		if !validIndexName(name) {
			return nil, fail(sk, "invalid index name "+strconv.Quote(name)+" (3-255 characters of a-z, A-Z, 0-9, _ - .)")
		}
		m.Indexes = append(m.Indexes, Index{Name: name, Local: true, PK: m.PK, SK: sk})
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
