package codec

import "time"

// FormatTime returns t in TimeLayout (UTC, fixed width), the form time.Time
// values are stored in. Years outside 0..9999 are an *Error.
func FormatTime(t time.Time) (string, error) { return formatTime(t) }

// ParseTimeLayout parses exactly TimeLayout (the form FormatTime writes) and
// reports false for anything else, so that parsing and formatting are exact
// inverses (key templates rely on it).
func ParseTimeLayout(s string) (time.Time, bool) { return parseFixed(s) }
