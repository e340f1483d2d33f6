package wire

import (
	"encoding/json"
	"strings"
	"testing"
	"unicode/utf8"
)

// appendStringRef is AppendString written byte by byte, with no fast path.
func appendStringRef(dst []byte, s string) []byte {
	dst = append(dst, '"')
	for i := 0; i < len(s); {
		c := s[i]
		if c < utf8.RuneSelf {
			switch {
			case c >= 0x20 && c != '"' && c != '\\':
				dst = append(dst, c)
			case c == '"' || c == '\\':
				dst = append(dst, '\\', c)
			case c == '\n':
				dst = append(dst, '\\', 'n')
			case c == '\r':
				dst = append(dst, '\\', 'r')
			case c == '\t':
				dst = append(dst, '\\', 't')
			default:
				dst = append(dst, '\\', 'u', '0', '0', hexDigits[c>>4], hexDigits[c&0xF])
			}
			i++
			continue
		}
		r, size := utf8.DecodeRuneInString(s[i:])
		if r == utf8.RuneError && size == 1 {
			dst = append(dst, `\ufffd`...)
		} else {
			dst = append(dst, s[i:i+size]...)
		}
		i += size
	}
	return append(dst, '"')
}

func checkAppendString(t *testing.T, s string) {
	t.Helper()
	got, want := string(AppendString(nil, s)), string(appendStringRef(nil, s))
	if got != want {
		t.Fatalf("AppendString(%q) = %s, want %s", s, got, want)
	}
	var back string
	if err := json.Unmarshal([]byte(got), &back); err != nil || utf8.ValidString(s) && back != s {
		t.Fatalf("AppendString(%q) = %s reads back as %q (%v)", s, got, back, err)
	}
}

// Every byte value at every position of an 8-byte block and around it is escaped as the
// byte-by-byte reference escapes it.
func TestAppendStringBlocks(t *testing.T) {
	for c := 0; c < 256; c++ {
		for pos := 0; pos < 17; pos++ {
			b := []byte(strings.Repeat("a", 17))
			b[pos] = byte(c)
			checkAppendString(t, string(b))
			checkAppendString(t, string(b[:pos+1]))
		}
	}
	for _, s := range []string{"", "plain ascii text, longer than eight", "é😀 and \"quotes\" \\ \x7f\x1f", strings.Repeat("é", 9) + "\xff\xfe"} {
		checkAppendString(t, s)
	}
}

func FuzzAppendString(f *testing.F) {
	f.Add("plain ascii text\n\"q\" é \xff")
	f.Fuzz(checkAppendString)
}

func BenchmarkAppendString(b *testing.B) {
	s := "item number 12 with a payload of plain text, " + strings.Repeat("x", 60)
	var buf []byte
	b.SetBytes(int64(len(s)))
	for b.Loop() {
		buf = AppendString(buf[:0], s)
	}
}
