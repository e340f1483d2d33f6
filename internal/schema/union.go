package schema

import "sort"

// Union is the model of a polymorphic table as a whole: the keys and
// discriminator of base, and every attribute and secondary index that base
// or one of the variants declares. It is used to check attribute names in
// conditions and projections, and to create the table; items are encoded
// and decoded with each variant's own model.
//
// An attribute declared by several models keeps its first declaration (base
// first, then variants in order). An index declared by several models must
// have the same key attributes of the same types, and at most one ttl
// attribute name may be declared: anything else is an *Error.
func Union(base *Model, variants []*Model) (*Model, error) {
	u := &Model{Type: base.Type, Name: base.Name, byName: map[string]*Field{}}
	seen := map[string]bool{}
	for _, m := range append([]*Model{base}, variants...) {
		for i := range m.Fields {
			if f := &m.Fields[i]; !seen[f.Name] {
				seen[f.Name] = true
				u.Fields = append(u.Fields, *f)
			}
		}
	}
	for i := range u.Fields {
		u.byName[u.Fields[i].Name] = &u.Fields[i]
	}
	u.PK = u.byName[base.PK.Name]
	if base.SK != nil {
		u.SK = u.byName[base.SK.Name]
	}
	if base.Discriminator != nil {
		u.Discriminator = u.byName[base.Discriminator.Name]
	}

	type declared struct {
		ix    Index
		model string
	}
	indexes := map[string]declared{}
	var ttlFrom string
	for _, m := range append([]*Model{base}, variants...) {
		if m.TTL != nil {
			switch {
			case u.TTL == nil:
				u.TTL, ttlFrom = u.byName[m.TTL.Name], m.Name
			case u.TTL.Name != m.TTL.Name:
				return nil, &Error{Model: base.Name, Msg: "variants disagree on the ttl attribute: " + ttlFrom + " uses " +
					u.TTL.Name + ", " + m.Name + " uses " + m.TTL.Name + " (a DynamoDB table has one TTL attribute)"}
			}
		}
		for _, ix := range m.Indexes {
			prev, ok := indexes[ix.Name]
			if !ok {
				indexes[ix.Name] = declared{ix, m.Name}
				continue
			}
			if !sameKeys(prev.ix.PK, ix.PK) || !sameKeys(prev.ix.SK, ix.SK) || prev.ix.Local != ix.Local {
				return nil, &Error{Model: base.Name, Msg: "index " + ix.Name + " is declared differently by " + prev.model + " (" +
					describeIndex(prev.ix) + ") and " + m.Name + " (" + describeIndex(ix) + ")"}
			}
		}
	}
	for _, d := range indexes {
		u.Indexes = append(u.Indexes, d.ix)
	}
	sort.Slice(u.Indexes, func(i, j int) bool { return u.Indexes[i].Name < u.Indexes[j].Name })
	return u, nil
}

func sameKeys(a, b []*Field) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if a[i].Name != b[i].Name || ScalarType(a[i].Type, a[i].Opts) != ScalarType(b[i].Type, b[i].Opts) {
			return false
		}
	}
	return true
}

func describeIndex(ix Index) string {
	kind := "GSI"
	if ix.Local {
		kind = "LSI"
	}
	s := kind
	for i, f := range append(append([]*Field(nil), ix.PK...), ix.SK...) {
		if i > 0 {
			s += ","
		}
		s += " " + f.Name + " " + ScalarType(f.Type, f.Opts)
	}
	return s
}
