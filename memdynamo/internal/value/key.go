package value

// Type tags of the key encoding: they keep values of different kinds from ever colliding.
const (
	tagS byte = 0x01
	tagN byte = 0x02
	tagB byte = 0x03
)

// AppendKey appends the typed, order-preserving, self-delimiting encoding of a key value (S, N or
// B) to dst. For two values a, b of the same kind, bytes.Compare of their encodings equals
// Compare(a, b); numbers equal in value (1, 1.0, 1E0, 01) encode identically; a sequence of encoded
// values can be concatenated (multi-attribute keys) and still compares element by element.
// Other kinds append nothing.
func AppendKey(dst []byte, v Value) []byte {
	switch v.kind {
	case KindS:
		return appendEscaped(append(dst, tagS), v.s)
	case KindB:
		return appendEscaped(append(dst, tagB), v.s)
	case KindN:
		return appendNumberKey(append(dst, tagN), v.Decimal())
	}
	return dst
}

// appendEscaped writes s with 0x00 escaped as 0x00 0xFF and terminates it with 0x00 0x01, which
// keeps byte order and makes the encoding self-delimiting.
func appendEscaped(dst []byte, s string) []byte {
	for i := 0; i < len(s); i++ {
		c := s[i]
		dst = append(dst, c)
		if c == 0 {
			dst = append(dst, 0xFF)
		}
	}
	return append(dst, 0x00, 0x01)
}

// appendNumberKey: a sign class (negative 0x01 < zero 0x02 < positive 0x03), then for non-zero
// numbers the adjusted exponent biased to 16 bits and the digits, terminated; negative numbers
// have exponent and digits inverted so larger magnitudes sort first.
func appendNumberKey(dst []byte, d Decimal) []byte {
	switch d.Sign() {
	case 0:
		return append(dst, 0x02)
	case 1:
		e := uint16(d.adjusted() + 0x8000)
		dst = append(dst, 0x03, byte(e>>8), byte(e))
		dst = append(dst, d.digits...)
		return append(dst, 0x00)
	default:
		e := 0xFFFF - uint16(d.adjusted()+0x8000)
		dst = append(dst, 0x01, byte(e>>8), byte(e))
		for i := 0; i < len(d.digits); i++ {
			dst = append(dst, 0xFF-d.digits[i])
		}
		return append(dst, 0xFF)
	}
}

// KeyString returns AppendKey's encoding of v as a string, for use as a map key.
func KeyString(v Value) string { return string(AppendKey(nil, v)) }

// AppendKeyPrefix appends the encoding of an S or B value without its terminator: every key
// encoding of a value that begins with v (begins_with) starts with it.
func AppendKeyPrefix(dst []byte, v Value) []byte {
	tag := tagS
	if v.kind == KindB {
		tag = tagB
	}
	dst = append(dst, tag)
	for i := 0; i < len(v.s); i++ {
		c := v.s[i]
		dst = append(dst, c)
		if c == 0 {
			dst = append(dst, 0xFF)
		}
	}
	return dst
}
