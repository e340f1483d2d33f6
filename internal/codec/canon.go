package codec

import "strconv"

// AppendCanonicalNumber appends a canonical form of the number text s to b:
// two texts get the same form exactly when DynamoDB stores them as the same
// number ("1.50", "1.5", "15e-1" and "+1.5" all give "15E0"; every zero gives
// "0"). Text that is not a number is appended as it is, after a '?', so it
// never equals the form of a number. Used to match keys that DynamoDB echoes
// back (normalized) with the keys that were sent.
func AppendCanonicalNumber(b []byte, s string) []byte {
	d, ok := parseDecimal(s)
	if !ok {
		return append(append(b, '?'), s...)
	}
	if d.isZero() {
		return append(b, '0')
	}
	if d.neg {
		b = append(b, '-')
	}
	n := d.len()
	for i := d.lz; i < n-d.tz; i++ {
		b = append(b, d.at(i))
	}
	b = append(b, 'E')
	return strconv.AppendInt(b, int64(d.adjExp()), 10)
}
