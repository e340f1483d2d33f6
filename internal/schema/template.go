package schema

import (
	"reflect"
	"strconv"
	"strings"
	"unicode/utf8"
)

// Template is a key attribute whose value is built from other fields, for
// single-table design: "ORDER#{Placed}#{OrderID}" stores the Placed and
// OrderID fields behind a constant prefix, joined by '#'.
//
// The grammar: literal text (printable ASCII other than '{' and '}') and
// field references {Name} or, for integers, {Name:W} (zero-padded to W
// digits). Two fields need a literal between them. A template without
// fields is a constant (a "PROFILE" sort key).
//
// Field texts: strings as they are (never empty, valid UTF-8; a string
// followed by a literal must not produce that literal earlier than at its
// end, else the key could not be split again; a string that ends the
// template must not make the key contain a forbidden literal over it, see
// Forbid); integers zero-padded to a fixed width (non-negative only, so that
// text order is number order); times in the fixed-width TimeLayout. Format
// and Parse are exact inverses, and Matches accepts exactly the texts Format
// can return.
type Template struct {
	Attr  string // the key attribute the template fills
	Text  string // the template as written
	Parts []Part // literals and fields, in order; never two fields in a row
	// Fields holds the index in Parts of each field part, in order.
	Fields []int

	// forbid lists literals that must not overlap the last field, with the
	// template each comes from (see Forbid).
	forbid, forbidFrom []string
}

// PartKind tells how a template part is written as text.
type PartKind uint8

// The kinds of template parts.
const (
	PartLiteral PartKind = iota
	PartString           // a string kind, as is
	PartInt              // a signed integer kind, zero-padded to Width
	PartUint             // an unsigned integer kind, zero-padded to Width
	PartTime             // time.Time in TimeLayout (Width characters)
)

// TimeWidth is the length of a time in TimeLayout
// ("2006-01-02T15:04:05.000000000Z").
const TimeWidth = 30

// Part is a literal or a field reference of a Template.
type Part struct {
	Kind  PartKind
	Lit   string // PartLiteral: the text
	Field *Field // the field (Name is "" for a field that is dynamo:"-")
	// Width is the fixed length of the field's text (integers and times);
	// 0 for strings, whose end is found by the literal that follows.
	Width int
	// Next is the literal that follows the field, "" when it ends the
	// template.
	Next string
}

// maxDigits is the default width of an integer field: the digits of the
// largest value of its kind.
func maxDigits(k reflect.Kind) int {
	switch k {
	case reflect.Int8, reflect.Uint8:
		return 3
	case reflect.Int16, reflect.Uint16:
		return 5
	case reflect.Int32, reflect.Uint32:
		return 10
	case reflect.Int, reflect.Int64:
		return 19
	}
	return 20 // uint, uint64, uintptr
}

// ParseTemplate parses text such as "CUSTOMER#{CustomerID}" for the key
// attribute attr of model m. Field names are Go field names or attribute
// names; a Go field tagged dynamo:"-" may be used (it is then stored only
// inside the key). Problems are reported as *Error naming the model.
func ParseTemplate(m *Model, attr, text string) (*Template, error) {
	fail := func(msg string) error {
		return &Error{Model: m.Name, Msg: "key template " + attr + "=" + strconv.Quote(text) + ": " + msg}
	}
	target := m.Field(attr)
	switch {
	case target == nil:
		return nil, fail("the model has no attribute " + strconv.Quote(attr))
	case !target.Opts.IsKey():
		return nil, fail(attr + " is not a key attribute (pk, sk, gsi_pk, gsi_sk or lsi_sk)")
	case target.Type.Kind() != reflect.String || ScalarType(target.Type, target.Opts) != "S":
		return nil, fail("a templated key attribute must be a string field, and " + target.GoName + " is " + target.Type.String())
	case text == "":
		return nil, fail("empty template")
	}
	t := &Template{Attr: attr, Text: text}
	rest := text
	for rest != "" {
		open := strings.IndexByte(rest, '{')
		lit := rest
		if open >= 0 {
			lit = rest[:open]
		}
		if lit != "" {
			for i := 0; i < len(lit); i++ {
				if c := lit[i]; c == '}' {
					return nil, fail("unmatched }")
				} else if c < 0x20 || c > 0x7e {
					return nil, fail("literal text must be printable ASCII, found " + strconv.QuoteRune(rune(c)))
				}
			}
			t.Parts = append(t.Parts, Part{Kind: PartLiteral, Lit: lit})
		}
		if open < 0 {
			break
		}
		end := strings.IndexByte(rest[open:], '}')
		if end < 0 {
			return nil, fail("unclosed {")
		}
		ref := rest[open+1 : open+end]
		rest = rest[open+end+1:]
		name, width, hasWidth := strings.Cut(ref, ":")
		if name == "" {
			return nil, fail("empty {}")
		}
		if strings.IndexByte(name, '{') >= 0 {
			return nil, fail("nested {")
		}
		f := m.templateField(name)
		if f == nil {
			return nil, fail("no field " + strconv.Quote(name))
		}
		if f.Name == attr {
			return nil, fail("the template refers to its own attribute")
		}
		if f.ViaPtr {
			return nil, fail("field " + f.GoName + " is reached through an embedded pointer; embed by value")
		}
		p := Part{Field: f}
		switch k := f.Type.Kind(); {
		case IsTime(f.Type):
			p.Kind, p.Width = PartTime, TimeWidth
		case HasMarshaler(f.Type) || IsNumber(f.Type):
			return nil, fail("field " + f.GoName + " is " + f.Type.String() + "; template fields must be strings, integers or time.Time")
		case k == reflect.String:
			p.Kind = PartString
		case IsInteger(k) && k <= reflect.Int64:
			p.Kind, p.Width = PartInt, maxDigits(k)
		case IsInteger(k):
			p.Kind, p.Width = PartUint, maxDigits(k)
		default:
			return nil, fail("field " + f.GoName + " is " + f.Type.String() + "; template fields must be strings, integers or time.Time")
		}
		if hasWidth {
			if p.Kind != PartInt && p.Kind != PartUint {
				return nil, fail("{" + ref + "}: only integer fields take a width")
			}
			w, err := strconv.Atoi(width)
			if err != nil || w < 1 || w > 20 || width[0] == '+' {
				return nil, fail("{" + ref + "}: the width must be a number of digits from 1 to 20")
			}
			p.Width = w
		}
		if n := len(t.Parts); n > 0 && t.Parts[n-1].Kind != PartLiteral {
			return nil, fail("fields " + t.Parts[n-1].Field.GoName + " and " + f.GoName + " need a literal between them")
		}
		for _, i := range t.Fields {
			if t.Parts[i].Field.GoName == f.GoName && sameIndex(t.Parts[i].Field.Index, f.Index) {
				return nil, fail("field " + f.GoName + " appears twice")
			}
		}
		t.Fields = append(t.Fields, len(t.Parts))
		t.Parts = append(t.Parts, p)
	}
	for i := range t.Parts {
		if t.Parts[i].Kind != PartLiteral && i+1 < len(t.Parts) {
			t.Parts[i].Next = t.Parts[i+1].Lit
		}
	}
	return t, nil
}

func sameIndex(a, b []int) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if a[i] != b[i] {
			return false
		}
	}
	return true
}

// templateField finds a template field by attribute name, Go field name,
// or as an exported Go field that the model skips (dynamo:"-").
func (m *Model) templateField(name string) *Field {
	if f := m.Field(name); f != nil {
		return f
	}
	for i := range m.Fields {
		if m.Fields[i].GoName == name {
			return &m.Fields[i]
		}
	}
	sf, ok := m.Type.FieldByName(name)
	if !ok || !sf.IsExported() || sf.Anonymous {
		return nil
	}
	// Walk the index path for the offset, noting embedded pointers.
	f := &Field{GoName: sf.Name, Index: sf.Index, Type: sf.Type}
	st := m.Type
	for i, x := range sf.Index {
		step := st.Field(x)
		f.Offset += step.Offset
		if i == len(sf.Index)-1 {
			break
		}
		st = step.Type
		if st.Kind() == reflect.Pointer {
			f.ViaPtr = true
			st = st.Elem()
		}
	}
	return f
}

// NumFields is the number of fields in the template.
func (t *Template) NumFields() int { return len(t.Fields) }

// Field returns the i-th field part.
func (t *Template) Field(i int) *Part { return &t.Parts[t.Fields[i]] }

// TemplateError is a value that does not fit a template (Format) or a key
// text that does not match it (Parse). Field is the Go name of the field
// concerned, "" for the template as a whole.
type TemplateError struct {
	Field string
	Msg   string
}

func (e *TemplateError) Error() string {
	if e.Field == "" {
		return e.Msg
	}
	return e.Field + ": " + e.Msg
}

// textProblem says what is wrong with the text of field part p, or
// textOK. It allocates nothing, so that Matches can run on every write.
type textProblem uint8

const (
	textOK        textProblem = iota
	textWidth                 // not Width characters
	textDigits                // an integer text with a non-digit
	textTime                  // not in the form of TimeLayout
	textEmpty                 // an empty string
	textUTF8                  // not valid UTF-8
	textSeparator             // contains the literal that follows it
)

// problem checks the text of field part p (the last one of the key's
// other rules, the forbidden literals, is checked by the template).
func (p *Part) problem(s string) textProblem {
	if p.Width > 0 {
		switch {
		case len(s) != p.Width:
			return textWidth
		case p.Kind == PartTime:
			if !timeShape(s) {
				return textTime
			}
		case !allDigits(s):
			return textDigits
		}
		return textOK
	}
	switch {
	case s == "":
		return textEmpty
	case !utf8.ValidString(s):
		return textUTF8
	case p.Next != "" && firstAfter(s, p.Next) != len(s):
		return textSeparator
	}
	return textOK
}

// checkText checks the text of field part p before it is written.
func (p *Part) checkText(s string) error {
	var msg string
	switch p.problem(s) {
	case textOK:
		return nil
	case textWidth:
		msg = "text " + strconv.Quote(s) + " is not " + strconv.Itoa(p.Width) + " characters wide"
	case textDigits:
		msg = "text " + strconv.Quote(s) + " is not a zero-padded number"
	case textTime:
		msg = "text " + strconv.Quote(s) + " is not a time in the form 2006-01-02T15:04:05.000000000Z"
	case textEmpty:
		msg = "is empty (key parts cannot be empty)"
	case textUTF8:
		msg = "value " + strconv.Quote(s) + " is not valid UTF-8 (DynamoDB strings are UTF-8; the bad bytes would be replaced)"
	case textSeparator:
		msg = "value " + strconv.Quote(s) + " contains " + strconv.Quote(p.Next) +
			", the separator that follows it in the template (the key could not be split again)"
	}
	return &TemplateError{Field: p.Field.GoName, Msg: msg}
}

func allDigits(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return true
}

// timeShape reports whether s has the shape of TimeLayout: digits where
// its digits are, and its punctuation.
func timeShape(s string) bool {
	const layout = "0000-00-00T00:00:00.000000000Z"
	if len(s) != len(layout) {
		return false
	}
	for i := 0; i < len(s); i++ {
		if c := layout[i]; c == '0' {
			if s[i] < '0' || s[i] > '9' {
				return false
			}
		} else if s[i] != c {
			return false
		}
	}
	return true
}

// Forbid sets the literals that the key must not contain where they would
// overlap the template's last field, when that field is a string (whose
// text runs to the end of the key): the literals of the other templates of
// the same key attribute on the table, with the text of the template each
// comes from (for messages). Without this, the last field could spell
// another template's key: with "ORDER#{Placed}#{OrderID}" and
// "ORDER#{Placed}#{OrderID}#LINE#{LineNo:3}", the order ID "A17#LINE#001"
// makes the key of line 1 of order A17. It is a no-op when the last part is
// not a string field.
func (t *Template) Forbid(lits, from []string) {
	last := &t.Parts[len(t.Parts)-1]
	if last.Kind != PartString {
		return
	}
	t.forbid, t.forbidFrom = lits, from
}

// spelled returns the index of a forbidden literal that occurs in key at a
// position overlapping the last field, whose text starts at start; -1 when
// there is none.
func (t *Template) spelled(key string, start int) int {
	for i, lit := range t.forbid {
		from := max(0, start-len(lit)+1)
		if strings.Contains(key[from:], lit) {
			return i
		}
	}
	return -1
}

// Matches reports whether s is a key text this template can write: it
// splits into field texts (Parse) that pass every check Format makes. A
// text that Format returns always matches. It allocates nothing for
// templates of up to 8 fields.
func (t *Template) Matches(s string) bool {
	var buf [8]string
	texts, f := t.split(s, buf[:0])
	if f.kind != splitOK {
		return false
	}
	for i, pi := range t.Fields {
		if t.Parts[pi].problem(texts[i]) != textOK {
			return false
		}
	}
	if len(t.forbid) > 0 {
		return t.spelled(s, len(s)-len(texts[len(texts)-1])) < 0
	}
	return true
}

// firstAfter is the index of the first occurrence of sep in s+sep, without
// building s+sep.
func firstAfter(s, sep string) int {
	if i := strings.Index(s, sep); i >= 0 {
		return i
	}
	// An occurrence that starts inside s and ends inside sep.
	for i := max(0, len(s)-len(sep)+1); i < len(s); i++ {
		if strings.HasPrefix(sep, s[i:]) && strings.HasPrefix(sep[len(s)-i:], sep[:len(sep)-(len(s)-i)]) {
			return i
		}
	}
	return len(s)
}

// Format joins the literals and texts, the text of each field in order.
// Every text is checked (see Template); the result parses back into texts.
func (t *Template) Format(texts []string) (string, error) {
	if len(texts) != len(t.Fields) {
		return "", &TemplateError{Msg: "want " + strconv.Itoa(len(t.Fields)) + " field values, got " + strconv.Itoa(len(texts))}
	}
	return t.prefix(texts, len(t.Parts), false)
}

// Prefix is the text of the template up to the given leading field texts
// (0 to NumFields of them). With open, the last text is a bare prefix of its
// field's text: it is not checked, and nothing follows it. Otherwise the
// literal that follows the last given field is included (every key whose
// leading fields have these values starts with the result).
func (t *Template) Prefix(texts []string, open bool) (string, error) {
	if len(texts) > len(t.Fields) {
		return "", &TemplateError{Msg: "the template has " + strconv.Itoa(len(t.Fields)) + " fields, got " + strconv.Itoa(len(texts)) + " values"}
	}
	if len(texts) == 0 {
		open = false
	}
	end := 0 // parts to write
	if len(texts) == 0 {
		for end < len(t.Parts) && t.Parts[end].Kind == PartLiteral {
			end++
		}
	} else {
		end = t.Fields[len(texts)-1] + 1
		if !open && end < len(t.Parts) {
			end++ // the literal after the last given field
		}
	}
	return t.prefix(texts, end, open)
}

func (t *Template) prefix(texts []string, end int, open bool) (string, error) {
	n := 0
	for i := 0; i < end; i++ {
		n += len(t.Parts[i].Lit)
	}
	for _, s := range texts {
		n += len(s)
	}
	var b strings.Builder
	b.Grow(n)
	fi, start := 0, 0
	closed := true // the last text written is a whole field's text
	for i := 0; i < end; i++ {
		p := &t.Parts[i]
		if p.Kind == PartLiteral {
			b.WriteString(p.Lit)
			continue
		}
		s := texts[fi]
		fi++
		if open && fi == len(texts) {
			// A bare prefix of the field's text: only what DynamoDB
			// needs of every string, valid UTF-8.
			if !utf8.ValidString(s) {
				return "", &TemplateError{Field: p.Field.GoName, Msg: "prefix " + strconv.Quote(s) +
					" is not valid UTF-8 (DynamoDB strings are UTF-8; the bad bytes would be replaced)"}
			}
			closed = false
		} else if err := p.checkText(s); err != nil {
			return "", err
		}
		start = b.Len()
		b.WriteString(s)
	}
	key := b.String()
	if closed && end == len(t.Parts) && len(t.forbid) > 0 {
		if i := t.spelled(key, start); i >= 0 {
			p := &t.Parts[end-1]
			return "", &TemplateError{Field: p.Field.GoName, Msg: "value " + strconv.Quote(texts[len(texts)-1]) + " makes the key " +
				strconv.Quote(key) + " contain " + strconv.Quote(t.forbid[i]) + ", a literal of the key template " +
				strconv.Quote(t.forbidFrom[i]) + " of the same attribute (the key could be read as that template's: " +
				"the text of a template's last field cannot contain another template's literals)"}
		}
	}
	return key, nil
}

// Parse splits a key text into the texts of the template's fields, appended
// to dst. A text that does not match the template is a *TemplateError.
func (t *Template) Parse(s string, dst []string) ([]string, error) {
	dst, f := t.split(s, dst)
	var why string
	switch f.kind {
	case splitOK:
		return dst, nil
	case splitLiteral:
		why = "expected " + strconv.Quote(t.Parts[f.part].Lit)
	case splitShort:
		p := &t.Parts[f.part]
		why = p.Field.GoName + " is shorter than " + strconv.Itoa(p.Width) + " characters"
	case splitNoNext:
		p := &t.Parts[f.part]
		why = "expected " + strconv.Quote(p.Next) + " after " + p.Field.GoName
	case splitEmpty:
		why = t.Parts[f.part].Field.GoName + " is empty"
	case splitTrailing:
		why = "unexpected " + strconv.Quote(f.rest) + " at the end"
	}
	return dst, t.mismatch(s, why)
}

// splitFailure says where and why a key text does not split (kind
// splitOK when it does).
type splitFailure struct {
	kind uint8
	part int    // the part that did not match
	rest string // splitTrailing: the text left over
}

const (
	splitOK uint8 = iota
	splitLiteral
	splitShort
	splitNoNext
	splitEmpty
	splitTrailing
)

// split is Parse without the message, so that it allocates nothing.
func (t *Template) split(s string, dst []string) ([]string, splitFailure) {
	rest := s
	for i := range t.Parts {
		p := &t.Parts[i]
		switch {
		case p.Kind == PartLiteral:
			if !strings.HasPrefix(rest, p.Lit) {
				return dst, splitFailure{kind: splitLiteral, part: i}
			}
			rest = rest[len(p.Lit):]
			continue
		case p.Width > 0:
			if len(rest) < p.Width {
				return dst, splitFailure{kind: splitShort, part: i}
			}
			dst = append(dst, rest[:p.Width])
			rest = rest[p.Width:]
			continue
		}
		end := len(rest)
		if p.Next != "" {
			if end = strings.Index(rest, p.Next); end < 0 {
				return dst, splitFailure{kind: splitNoNext, part: i}
			}
		}
		if end == 0 {
			return dst, splitFailure{kind: splitEmpty, part: i}
		}
		dst = append(dst, rest[:end])
		rest = rest[end:]
	}
	if rest != "" {
		return dst, splitFailure{kind: splitTrailing, rest: rest}
	}
	return dst, splitFailure{}
}

func (t *Template) mismatch(s, why string) error {
	return &TemplateError{Msg: strconv.Quote(s) + " does not match " + strconv.Quote(t.Text) + ": " + why}
}

// FormatInt writes v zero-padded to width digits. Negative values and values
// with more digits are refused: they would not sort as numbers.
func FormatInt(v int64, width int) (string, error) {
	if v < 0 {
		return "", &TemplateError{Msg: "negative value " + strconv.FormatInt(v, 10) + " (template integers must be >= 0 so that text order is number order)"}
	}
	return FormatUint(uint64(v), width)
}

// FormatUint writes v zero-padded to width digits; a value with more digits
// is refused.
func FormatUint(v uint64, width int) (string, error) {
	var buf [20]byte
	d := strconv.AppendUint(buf[:0], v, 10)
	if len(d) > width {
		return "", &TemplateError{Msg: "value " + string(d) + " has more than " + strconv.Itoa(width) + " digits"}
	}
	if len(d) == width {
		return string(d), nil
	}
	out := make([]byte, width)
	pad := width - len(d)
	for i := 0; i < pad; i++ {
		out[i] = '0'
	}
	copy(out[pad:], d)
	return string(out), nil
}

// ParseDigits parses the text of an integer field: only ASCII digits.
func ParseDigits(s string) (uint64, error) {
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return 0, &TemplateError{Msg: strconv.Quote(s) + " is not a zero-padded number"}
		}
	}
	v, err := strconv.ParseUint(s, 10, 64)
	if err != nil {
		return 0, &TemplateError{Msg: strconv.Quote(s) + " is out of range"}
	}
	return v, nil
}
