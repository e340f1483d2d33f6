package dynantic

import (
	"bytes"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/base64"
	"encoding/binary"
	"errors"
	"slices"
	"strconv"

	"github.com/aws/aws-sdk-go-v2/service/dynamodb/types"

	"github.com/dynantic/dynantic/internal/codec"
)

// A cursor is the URL-safe base64 (unpadded) of:
//
//	version (1 byte, 2) | flags (1 byte, bit 0: signed) | n (1 byte) |
//	n × { uvarint len | attribute name | type ('S', 'N', 'B') | uvarint len | value } |
//	tag
//
// The n attributes are the read's start-key attributes in a fixed order
// (table keys, then index keys). The tag covers the binding of the cursor
// (table, index and the whole compiled query, see binding) and every byte
// before it: HMAC-SHA256 under the DB's cursor secret (32 bytes) when the
// cursor is signed, else the first 8 bytes of SHA-256. The unkeyed digest
// catches mix-ups (a cursor of another table or query with the same key
// schema) and corruption; only the secret protects against forgery.
const (
	cursorVersion   = 2
	cursorSigned    = 1 << 0
	cursorDigestLen = 8    // bytes of SHA-256 in an unsigned cursor
	maxCursorLen    = 8192 // characters; real cursors are well under 1 KB
	minCursorSecret = 16   // bytes
)

// WithCursorSecret signs the pagination cursors that Page returns with
// HMAC-SHA256 under key. Every cursor is bound to its table, index and query
// (key condition, filter, projection and their values, direction) whether
// it is signed or not, so a cursor of another table or query is rejected
// with ErrInvalidCursor before any request; without a secret a client that
// knows the format can still forge a start key (within the key schema), with
// one it cannot: a cursor that was tampered with, signed with another key,
// or not signed at all is rejected. Cursors signed with one of the previous
// keys are still accepted, so keys can be rotated without breaking the
// cursors clients hold. Keys must be at least 16 bytes (use 32 random
// bytes): with a shorter one, NewTable, NewPoly and Open return an error
// matching ErrInvalidOption (MustTable panics with it).
//
// Cursors are not encrypted: the key values they carry can be decoded by
// whoever holds them.
func WithCursorSecret(key []byte, previous ...[]byte) Option {
	return func(o *options) {
		o.cursorKeys, o.cursorErr = o.cursorKeys[:0], nil
		for i, k := range append([][]byte{key}, previous...) {
			if len(k) < minCursorSecret && o.cursorErr == nil {
				o.cursorErr = &inputError{"dynantic: WithCursorSecret: key " + strconv.Itoa(i) + " has " + strconv.Itoa(len(k)) +
					" bytes, cursor secrets need at least " + strconv.Itoa(minCursorSecret) + " (use 32 random bytes)", ErrInvalidOption}
			}
			o.cursorKeys = append(o.cursorKeys, slices.Clone(k))
		}
	}
}

// optionErr is the error of an option the DB cannot use, or nil.
func (db *DB) optionErr() error { return db.opts.cursorErr }

// cursorErr is an invalid cursor: it matches ErrInvalidCursor and says why.
func (rq *request) cursorErr(why string) error {
	return &inputError{"dynantic: " + rq.t.model.Name + ": invalid cursor: " + why, ErrInvalidCursor}
}

// encodeCursor encodes the start key of the next page.
func (rq *request) encodeCursor(key map[string]types.AttributeValue) (string, error) {
	keys := rq.t.db.opts.cursorKeys
	b := make([]byte, 0, 96)
	flags := byte(0)
	if len(keys) > 0 {
		flags = cursorSigned
	}
	b = append(b, cursorVersion, flags, byte(len(rq.keyAttrs)))
	for _, ka := range rq.keyAttrs {
		v, ok := scalarText(key[ka.name], ka.typ)
		if !ok {
			return "", errors.New("dynantic: " + rq.t.model.Name + ": cannot build a cursor: the last item lacks key attribute " + strconv.Quote(ka.name))
		}
		b = appendLP(b, ka.name)
		b = append(b, ka.typ)
		b = appendLP(b, v)
	}
	if len(keys) > 0 {
		b = append(b, rq.mac(keys[0], b)...)
	} else {
		b = append(b, rq.digest(b)...)
	}
	return base64.RawURLEncoding.EncodeToString(b), nil
}

// decodeCursor checks a cursor and returns the start key it holds; "" is
// the first page (nil, nil). Every failure matches ErrInvalidCursor.
func (rq *request) decodeCursor(s string) (map[string]types.AttributeValue, error) {
	if s == "" {
		return nil, nil
	}
	keys := rq.t.db.opts.cursorKeys
	if len(s) > maxCursorLen {
		return nil, rq.cursorErr("too long")
	}
	raw, err := base64.RawURLEncoding.DecodeString(s)
	if err != nil {
		return nil, rq.cursorErr("not URL-safe base64")
	}
	if len(raw) < 3 {
		return nil, rq.cursorErr("truncated")
	}
	if raw[0] != cursorVersion {
		return nil, rq.cursorErr("unknown version " + strconv.Itoa(int(raw[0])))
	}
	switch {
	case raw[1]&^cursorSigned != 0:
		return nil, rq.cursorErr("unknown flags")
	case raw[1] == cursorSigned && len(keys) == 0:
		return nil, rq.cursorErr("signed, but this DB has no cursor secret")
	case raw[1] == 0 && len(keys) > 0:
		return nil, rq.cursorErr("not signed")
	}
	tagLen := cursorDigestLen
	if len(keys) > 0 {
		tagLen = sha256.Size
	}
	if len(raw) < 3+tagLen {
		return nil, rq.cursorErr("truncated")
	}
	body, tag := raw[:len(raw)-tagLen], raw[len(raw)-tagLen:]
	if len(keys) == 0 {
		if !bytes.Equal(tag, rq.digest(body)) {
			return nil, rq.cursorErr("issued for another table, index or query (or damaged)")
		}
		return rq.parseStartKey(body)
	}
	ok := false
	for _, k := range keys {
		if hmac.Equal(tag, rq.mac(k, body)) {
			ok = true
			break
		}
	}
	if !ok {
		return nil, rq.cursorErr("bad signature (tampered with, or issued for another table, index, query or secret)")
	}
	return rq.parseStartKey(body)
}

// parseStartKey checks the payload against the read's key schema: exactly
// its key attributes, in order, each of the right type, non-empty and (for
// numbers) a valid number; a Query's partition key must be the queried one.
func (rq *request) parseStartKey(b []byte) (map[string]types.AttributeValue, error) {
	if int(b[2]) != len(rq.keyAttrs) {
		return nil, rq.cursorErr("it holds " + strconv.Itoa(int(b[2])) + " key attributes, this read's key has " + strconv.Itoa(len(rq.keyAttrs)))
	}
	b = b[3:]
	key := make(map[string]types.AttributeValue, len(rq.keyAttrs))
	for _, ka := range rq.keyAttrs {
		name, rest, ok := readLP(b)
		if !ok {
			return nil, rq.cursorErr("truncated")
		}
		if name != ka.name {
			return nil, rq.cursorErr("key attribute " + strconv.Quote(name) + " is not " + strconv.Quote(ka.name) + " (a cursor of another table or index?)")
		}
		if len(rest) == 0 {
			return nil, rq.cursorErr("truncated")
		}
		if rest[0] != ka.typ {
			return nil, rq.cursorErr("key attribute " + strconv.Quote(name) + " has the wrong type")
		}
		val, rest, ok := readLP(rest[1:])
		if !ok {
			return nil, rq.cursorErr("truncated")
		}
		if val == "" {
			return nil, rq.cursorErr("key attribute " + strconv.Quote(name) + " is empty")
		}
		var av types.AttributeValue
		switch ka.typ {
		case 'S':
			av = &types.AttributeValueMemberS{Value: val}
		case 'N':
			if !codec.ValidNumber(val) {
				return nil, rq.cursorErr("key attribute " + strconv.Quote(name) + " is not a number")
			}
			av = &types.AttributeValueMemberN{Value: val}
		default:
			av = &types.AttributeValueMemberB{Value: []byte(val)}
		}
		key[ka.name] = av
		b = rest
	}
	if len(b) != 0 {
		return nil, rq.cursorErr("trailing bytes")
	}
	for _, p := range rq.pkParts {
		if !sameScalar(key[p.name], p.value) {
			return nil, rq.cursorErr("it was issued for another partition key value")
		}
	}
	return key, nil
}

// scalarText returns the text of an S or N value, or the bytes of a B value,
// when av has type typ and is not empty.
func scalarText(av types.AttributeValue, typ byte) (string, bool) {
	switch v := av.(type) {
	case *types.AttributeValueMemberS:
		return v.Value, typ == 'S' && v.Value != ""
	case *types.AttributeValueMemberN:
		return v.Value, typ == 'N' && v.Value != ""
	case *types.AttributeValueMemberB:
		return string(v.Value), typ == 'B' && len(v.Value) > 0
	}
	return "", false
}

// sameScalar reports whether two key values are equal as DynamoDB compares
// them.
func sameScalar(a, b types.AttributeValue) bool {
	switch x := a.(type) {
	case *types.AttributeValueMemberS:
		y, ok := b.(*types.AttributeValueMemberS)
		return ok && x.Value == y.Value
	case *types.AttributeValueMemberN:
		y, ok := b.(*types.AttributeValueMemberN)
		return ok && codec.SameNumber(x.Value, y.Value)
	case *types.AttributeValueMemberB:
		y, ok := b.(*types.AttributeValueMemberB)
		return ok && string(x.Value) == string(y.Value)
	}
	return false
}

// mac is the HMAC-SHA256 under key of the read's binding and body.
func (rq *request) mac(key, body []byte) []byte {
	if rq.bind == nil {
		rq.bind = rq.binding()
	}
	h := hmac.New(sha256.New, key)
	h.Write(rq.bind)
	h.Write(body)
	return h.Sum(nil)
}

// digest is the unkeyed tag of an unsigned cursor: the first bytes of
// SHA-256 of the read's binding and body.
func (rq *request) digest(body []byte) []byte {
	if rq.bind == nil {
		rq.bind = rq.binding()
	}
	h := sha256.New()
	h.Write(rq.bind)
	h.Write(body)
	return h.Sum(nil)[:cursorDigestLen]
}

// binding identifies what a cursor may be used for: the table, the
// index, the operation, the direction, and the compiled key condition,
// filter and projection with their names and values. Limit, PageSize,
// Consistent and WithCapacity are left out: they may change between pages.
func (rq *request) binding() []byte {
	b := make([]byte, 0, 256)
	b = appendLP(b, "dynantic cursor")
	b = appendLP(b, rq.t.name)
	b = appendLP(b, rq.index)
	b = appendLP(b, rq.op)
	var keyCond, filter, proj *string
	var names map[string]string
	var values map[string]types.AttributeValue
	if rq.qin != nil {
		keyCond, filter, proj = rq.qin.KeyConditionExpression, rq.qin.FilterExpression, rq.qin.ProjectionExpression
		names, values = rq.qin.ExpressionAttributeNames, rq.qin.ExpressionAttributeValues
	} else {
		filter, proj = rq.sin.FilterExpression, rq.sin.ProjectionExpression
		names, values = rq.sin.ExpressionAttributeNames, rq.sin.ExpressionAttributeValues
	}
	if rq.reverse {
		b = append(b, 1)
	} else {
		b = append(b, 0)
	}
	for _, s := range [...]*string{keyCond, filter, proj} {
		if s == nil {
			b = appendLP(b, "")
		} else {
			b = appendLP(b, *s)
		}
	}
	b = binary.AppendUvarint(b, uint64(len(names)))
	for _, k := range sortedKeys(names) {
		b = appendLP(appendLP(b, k), names[k])
	}
	b = binary.AppendUvarint(b, uint64(len(values)))
	for _, k := range sortedKeys(values) {
		if k == rq.volatile {
			continue
		}
		b = appendAV(appendLP(b, k), values[k], 0)
	}
	return b
}

func sortedKeys[V any](m map[string]V) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	return keys
}

// appendLP appends s with its length before it.
func appendLP(b []byte, s string) []byte {
	b = binary.AppendUvarint(b, uint64(len(s)))
	return append(b, s...)
}

// readLP reads what appendLP wrote.
func readLP(b []byte) (s string, rest []byte, ok bool) {
	n, w := binary.Uvarint(b)
	if w <= 0 || n > uint64(len(b)-w) {
		return "", nil, false
	}
	end := w + int(n)
	return string(b[w:end]), b[end:], true
}

// appendAV appends an unambiguous encoding of av (maps in key order).
func appendAV(b []byte, av types.AttributeValue, depth int) []byte {
	if depth > 64 {
		return append(b, '!')
	}
	switch v := av.(type) {
	case *types.AttributeValueMemberS:
		return appendLP(append(b, 'S'), v.Value)
	case *types.AttributeValueMemberN:
		return appendLP(append(b, 'N'), v.Value)
	case *types.AttributeValueMemberB:
		return appendLP(append(b, 'B'), string(v.Value))
	case *types.AttributeValueMemberBOOL:
		if v.Value {
			return append(b, 'T')
		}
		return append(b, 'F')
	case *types.AttributeValueMemberNULL:
		return append(b, '0')
	case *types.AttributeValueMemberSS:
		b = binary.AppendUvarint(append(b, 's'), uint64(len(v.Value)))
		for _, s := range v.Value {
			b = appendLP(b, s)
		}
		return b
	case *types.AttributeValueMemberNS:
		b = binary.AppendUvarint(append(b, 'n'), uint64(len(v.Value)))
		for _, s := range v.Value {
			b = appendLP(b, s)
		}
		return b
	case *types.AttributeValueMemberBS:
		b = binary.AppendUvarint(append(b, 'b'), uint64(len(v.Value)))
		for _, s := range v.Value {
			b = appendLP(b, string(s))
		}
		return b
	case *types.AttributeValueMemberL:
		b = binary.AppendUvarint(append(b, 'L'), uint64(len(v.Value)))
		for _, e := range v.Value {
			b = appendAV(b, e, depth+1)
		}
		return b
	case *types.AttributeValueMemberM:
		b = binary.AppendUvarint(append(b, 'M'), uint64(len(v.Value)))
		for _, k := range sortedKeys(v.Value) {
			b = appendAV(appendLP(b, k), v.Value[k], depth+1)
		}
		return b
	}
	return append(b, '?')
}
