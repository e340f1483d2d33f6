package codec

import (
	"reflect"
	"strconv"
	"time"
	"unsafe"

	"github.com/aws/aws-sdk-go-v2/service/dynamodb/types"
)

// TimeLayout is the layout times are stored in: fixed width, UTC, nanosecond
// precision, so that string order is time order.
const TimeLayout = "2006-01-02T15:04:05.000000000Z"

func emptyTime(p unsafe.Pointer) bool { return (*time.Time)(p).IsZero() }

// timeCodec stores time.Time as S in TimeLayout.
func timeCodec(t reflect.Type) *valueCodec {
	return &valueCodec{
		typ: t,
		enc: func(p unsafe.Pointer, _ int) (types.AttributeValue, error) {
			s, err := formatTime(*(*time.Time)(p))
			if err != nil {
				return nil, err
			}
			return &types.AttributeValueMemberS{Value: s}, nil
		},
		dec:   decodeTime,
		empty: emptyTime,
	}
}

// unixTimeCodec stores time.Time as N epoch seconds (unixtime, ttl); the zero
// time is omitted.
func unixTimeCodec(t reflect.Type) *valueCodec {
	return &valueCodec{
		typ: t,
		enc: func(p unsafe.Pointer, _ int) (types.AttributeValue, error) {
			tm := (*time.Time)(p)
			if tm.IsZero() {
				return nil, nil
			}
			return &types.AttributeValueMemberN{Value: strconv.FormatInt(tm.Unix(), 10)}, nil
		},
		dec:   decodeTime,
		empty: emptyTime,
	}
}

var timeType = reflect.TypeFor[time.Time]()

// decodeTime takes S in any RFC 3339 form and N epoch seconds (with an
// optional fraction); the result is in UTC.
func decodeTime(av types.AttributeValue, p unsafe.Pointer) error {
	switch a := av.(type) {
	case *types.AttributeValueMemberS:
		if a == nil {
			return nil
		}
		tm, err := parseTime(a.Value)
		if err != nil {
			return err
		}
		*(*time.Time)(p) = tm
		return nil
	case *types.AttributeValueMemberN:
		if a == nil {
			return nil
		}
		tm, err := parseEpoch(a.Value)
		if err != nil {
			return err
		}
		*(*time.Time)(p) = tm
		return nil
	case *types.AttributeValueMemberNULL:
		*(*time.Time)(p) = time.Time{}
		return nil
	}
	return decodeOther(av, timeType, p)
}

// formatTime writes t in TimeLayout without going through time.Format.
func formatTime(t time.Time) (string, error) {
	t = t.UTC()
	year, month, day := t.Date()
	if year < 0 || year > 9999 {
		return "", encErr("time " + t.String() + " has a year outside 0..9999")
	}
	hour, min, sec := t.Clock()
	var b [len(TimeLayout)]byte
	put4(b[0:], year)
	b[4] = '-'
	put2(b[5:], int(month))
	b[7] = '-'
	put2(b[8:], day)
	b[10] = 'T'
	put2(b[11:], hour)
	b[13] = ':'
	put2(b[14:], min)
	b[16] = ':'
	put2(b[17:], sec)
	b[19] = '.'
	ns := t.Nanosecond()
	for i := 28; i >= 20; i-- {
		b[i] = byte('0' + ns%10)
		ns /= 10
	}
	b[29] = 'Z'
	return string(b[:]), nil
}

func put2(b []byte, v int) {
	b[0] = byte('0' + v/10)
	b[1] = byte('0' + v%10)
}

func put4(b []byte, v int) {
	put2(b, v/100)
	put2(b[2:], v%100)
}

// parseTime parses RFC 3339, with a fast path for TimeLayout itself.
func parseTime(s string) (time.Time, error) {
	if t, ok := parseFixed(s); ok {
		return t, nil
	}
	t, err := time.Parse(time.RFC3339Nano, s)
	if err != nil {
		return time.Time{}, &Error{Op: opDecode, Msg: "cannot decode S " + quote(s) + " into time.Time: not an RFC 3339 time"}
	}
	return t.UTC(), nil
}

// parseFixed parses exactly TimeLayout. It reports false for anything else,
// including out-of-range fields, leaving those to time.Parse.
func parseFixed(s string) (time.Time, bool) {
	if len(s) != len(TimeLayout) || s[4] != '-' || s[7] != '-' || s[10] != 'T' ||
		s[13] != ':' || s[16] != ':' || s[19] != '.' || s[29] != 'Z' {
		return time.Time{}, false
	}
	ok := true
	num := func(i, j int) int {
		v := 0
		for ; i < j; i++ {
			c := s[i]
			if !isDigit(c) {
				ok = false
			}
			v = v*10 + int(c-'0')
		}
		return v
	}
	year, month, day := num(0, 4), num(5, 7), num(8, 10)
	hour, min, sec, ns := num(11, 13), num(14, 16), num(17, 19), num(20, 29)
	if !ok || month < 1 || month > 12 || day < 1 || day > daysIn(month, year) ||
		hour > 23 || min > 59 || sec > 59 {
		return time.Time{}, false
	}
	return time.Date(year, time.Month(month), day, hour, min, sec, ns, time.UTC), true
}

func daysIn(month, year int) int {
	switch month {
	case 2:
		if year%4 == 0 && (year%100 != 0 || year%400 == 0) {
			return 29
		}
		return 28
	case 4, 6, 9, 11:
		return 30
	}
	return 31
}

// parseEpoch parses N epoch seconds, with an optional fraction (kept to the
// nanosecond).
func parseEpoch(s string) (time.Time, error) {
	if sec, err := strconv.ParseInt(s, 10, 64); err == nil {
		return time.Unix(sec, 0).UTC(), nil
	}
	d, ok := parseDecimal(s)
	if !ok {
		return time.Time{}, badNumber(s, timeType, "not a number")
	}
	var sec, nsec int64
	if !d.isZero() {
		top := d.adjExp()
		if top > 17 {
			return time.Time{}, badNumber(s, timeType, "out of range")
		}
		for k := top; k >= 0; k-- {
			sec = sec*10 + int64(d.digit(k)-'0')
		}
		for k := -1; k >= -9; k-- {
			nsec = nsec*10 + int64(d.digit(k)-'0')
		}
		if d.neg {
			sec, nsec = -sec, -nsec
		}
	}
	return time.Unix(sec, nsec).UTC(), nil
}
