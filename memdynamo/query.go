package memdynamo

import (
	"github.com/dynantic/dynantic/memdynamo/internal/expression"
	"github.com/dynantic/dynantic/memdynamo/internal/value"
	"github.com/dynantic/dynantic/memdynamo/internal/wire"
)

func (e *Engine) query(body []byte) ([]byte, *wire.Error) {
	in, err := decodeReadIn(body)
	if err != nil {
		return nil, err
	}
	t, ix, err := e.validateRead(in, true)
	if err != nil {
		return nil, err
	}
	if !in.hasKC && !hasString(in.legacy, "KeyConditions") {
		return nil, wire.Validation("Either the KeyConditions or KeyConditionExpression parameter must be specified in the request.")
	}
	p, kc, err := e.plan(in, t, ix, true)
	if err != nil {
		return nil, err
	}
	schema := t.keys
	if ix != nil {
		schema = ix.keys
	}
	ks := expression.KeySchema{Index: ix != nil}
	for _, d := range schema.hash {
		ks.Hash = append(ks.Hash, expression.KeyAttr{Name: d.name, Type: d.kind})
	}
	for _, d := range schema.rng {
		ks.Range = append(ks.Range, expression.KeyAttr{Name: d.name, Type: d.kind})
	}
	if kc == nil {
		return nil, wire.Validation("Either the KeyConditions or KeyConditionExpression parameter must be specified in the request.")
	}
	hash, rng, merr := kc.Match(ks)
	if merr != nil {
		return nil, asWire(merr)
	}
	if p.filter != nil {
		for _, n := range p.filter.Attributes() {
			if schema.has(n) {
				return nil, wire.Validation("Filter Expression can only contain non-primary key attributes: Primary key attribute: " + n)
			}
		}
	}
	if err := p.checkGSIProjection(); err != nil {
		return nil, err
	}
	for i, part := range append(append([]expression.KeyPart(nil), hash...), rng...) {
		v := part.Values[0]
		n := len(v.Str()) + len(v.Bytes())
		if v.Kind() != value.KindN && n == 0 && part.Op != expression.KeyBeginsWith {
			return nil, wire.Validation(msgEmptyKeyPrefix + emptyKind(v.Kind()) + " value. Key: " + part.Name)
		}
		if i < len(hash) && n > maxHashKeySize {
			return nil, wire.Validation(msgKeySize)
		}
	}
	p.forward = in.forward
	p.lo, p.hi = keyRange(hash, rng)
	if err := p.start(in); err != nil {
		return nil, err
	}
	if p.after != "" && (p.after < p.lo || p.hi != "" && p.after >= p.hi) {
		return nil, wire.Validation("The provided starting key does not match the range key predicate")
	}
	return p.run(in), nil
}

func hasString(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}

// keyRange returns the tree range [lo, hi) holding exactly the entries a key condition selects:
// the partition's hash prefix and key, the equality sort parts, then the last sort part's range.
func keyRange(hash, rng []expression.KeyPart) (lo, hi string) {
	var pk []byte
	for _, h := range hash {
		pk = value.AppendKey(pk, h.Values[0])
	}
	base := partitionHash(nil, pk)
	base = append(base, pk...)
	for i, r := range rng {
		if i == len(rng)-1 {
			break
		}
		base = value.AppendKey(base, r.Values[0])
	}
	if len(rng) == 0 {
		return string(base), prefixEnd(base)
	}
	last := rng[len(rng)-1]
	enc := func(v value.Value) []byte { return value.AppendKey(append([]byte(nil), base...), v) }
	switch last.Op {
	case expression.KeyEQ:
		k := enc(last.Values[0])
		return string(k), prefixEnd(k)
	case expression.KeyLT:
		return string(base), string(enc(last.Values[0]))
	case expression.KeyLE:
		return string(base), prefixEnd(enc(last.Values[0]))
	case expression.KeyGT:
		return prefixEnd(enc(last.Values[0])), prefixEnd(base)
	case expression.KeyGE:
		return string(enc(last.Values[0])), prefixEnd(base)
	case expression.KeyBetween:
		return string(enc(last.Values[0])), prefixEnd(enc(last.Values[1]))
	case expression.KeyBeginsWith:
		k := value.AppendKeyPrefix(append([]byte(nil), base...), last.Values[0])
		return string(k), prefixEnd(k)
	}
	return string(base), prefixEnd(base)
}

// prefixEnd returns the smallest string greater than every string with prefix p ("" when there is
// none: unbounded).
func prefixEnd(p []byte) string {
	b := append([]byte(nil), p...)
	for len(b) > 0 {
		if b[len(b)-1] < 0xFF {
			b[len(b)-1]++
			return string(b)
		}
		b = b[:len(b)-1]
	}
	return ""
}
