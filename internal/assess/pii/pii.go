// Package pii finds and masks personal data in complaint text: mainland
// China resident ID numbers, mainland mobile numbers, bank card numbers,
// email addresses and IBANs.
//
// Numbers are only reported when they pass their checks (ID check digit
// and birth date, Luhn for cards, mod 97 for IBANs), stand alone (not part
// of a longer run of digits or glued to letters) and, when written in
// groups, use a usual grouping (138 1234 5678, 6222 0212 3456 7890 128).
// Full-width digits (１３８…) are recognised like ASCII ones.
package pii

import (
	"slices"
	"strings"
	"unicode/utf8"
)

// Kind is a kind of personal data.
type Kind string

// The kinds Find reports.
const (
	ResidentID Kind = "resident_id" // 居民身份证号码, 18 characters
	Mobile     Kind = "mobile"      // mainland mobile number, optionally +86
	BankCard   Kind = "bank_card"   // payment card number (incl. UnionPay 62…)
	Email      Kind = "email"
	IBAN       Kind = "iban"
)

// Span is one piece of personal data in a text.
type Span struct {
	Kind Kind `json:"kind"`
	// Start and End are byte offsets: the data is text[Start:End].
	Start int `json:"start"`
	End   int `json:"end"`
	// Value is the personal data itself. It is left out of JSON so that
	// a span that is logged or stored does not leak what it points at.
	Value string `json:"-"`
}

// Find returns the personal data in text, ordered by position and never
// overlapping.
func Find(text string) []Span {
	var spans []Span
	spans = append(spans, findEmails(text)...)
	ibans, notIBANs := findIBANs(text, spans)
	spans = append(spans, ibans...)
	spans = append(spans, findNumbers(text, append(notIBANs, spans...))...)
	slices.SortFunc(spans, func(a, b Span) int { return a.Start - b.Start })
	return spans
}

// Mask returns text with the personal data Find reports masked: an ID
// keeps its first 6 and last 4 characters (110105********1234), a mobile
// its first 3 and last 4 digits (138****5678), a card its last 4, an IBAN
// its country code and last 4, an email the first character of its local
// part (z***@example.com). Separators inside a number are kept. Invalid
// UTF-8 in text comes out as U+FFFD.
func Mask(text string) string {
	return MaskSpans(text, Find(text))
}

// MaskSpans masks the given spans of text, which must be ordered and not
// overlap, as Find returns them.
func MaskSpans(text string, spans []Span) string {
	var b strings.Builder
	b.Grow(len(text))
	last := 0
	for _, s := range spans {
		if s.Start < last || s.End > len(text) || s.Start > s.End {
			continue
		}
		b.WriteString(strings.ToValidUTF8(text[last:s.Start], "\uFFFD"))
		b.WriteString(maskValue(s.Kind, text[s.Start:s.End]))
		last = s.End
	}
	b.WriteString(strings.ToValidUTF8(text[last:], "\uFFFD"))
	return b.String()
}

func maskValue(k Kind, v string) string {
	switch k {
	case Email:
		at := strings.LastIndexByte(v, '@')
		if at < 1 {
			return "***"
		}
		first, _ := utf8.DecodeRuneInString(v)
		return string(first) + "***" + v[at:]
	case ResidentID:
		return maskChars(v, 6, 4)
	case Mobile:
		prefix, national := splitCountryCode(v)
		return prefix + maskChars(national, 3, 4)
	case IBAN:
		return maskChars(v, 2, 4)
	default:
		return maskChars(v, 0, 4)
	}
}

// maskChars replaces the letters and digits of v with '*', except the
// first keepFirst and the last keepLast of them; other characters
// (separators) are kept.
func maskChars(v string, keepFirst, keepLast int) string {
	total := 0
	for _, r := range v {
		if isAlnum(r) {
			total++
		}
	}
	var b strings.Builder
	i := 0
	for _, r := range v {
		if isAlnum(r) {
			if i >= keepFirst && i < total-keepLast {
				r = '*'
			}
			i++
		}
		b.WriteRune(r)
	}
	return b.String()
}

// splitCountryCode splits a mobile span into its "+86 " part (possibly
// empty) and the 11-digit national number.
func splitCountryCode(v string) (prefix, national string) {
	skip := countDigits(v) - 11
	if skip <= 0 {
		return "", v
	}
	for i, r := range v {
		if digitValue(r) >= 0 {
			if skip == 0 {
				return v[:i], v[i:]
			}
			skip--
		}
	}
	return "", v
}

func countDigits(v string) int {
	n := 0
	for _, r := range v {
		if digitValue(r) >= 0 {
			n++
		}
	}
	return n
}

// digitValue returns the value of an ASCII or full-width digit, or -1.
func digitValue(r rune) int {
	switch {
	case r >= '0' && r <= '9':
		return int(r - '0')
	case r >= '０' && r <= '９':
		return int(r - '０')
	}
	return -1
}

// isAlnum reports whether r is an ASCII or full-width letter or digit.
func isAlnum(r rune) bool {
	return digitValue(r) >= 0 || isLetter(r)
}

func isLetter(r rune) bool {
	return (r >= 'a' && r <= 'z') || (r >= 'A' && r <= 'Z') ||
		(r >= 'ａ' && r <= 'ｚ') || (r >= 'Ａ' && r <= 'Ｚ')
}

// isWordChar reports whether r, next to a number, makes it part of a
// longer identifier (TB13812345678, 13812345678abc, 1381234567_8).
func isWordChar(r rune) bool {
	return isAlnum(r) || r == '_'
}

// overlaps reports whether [start, end) overlaps any of spans, which must
// be sorted by position and not overlap each other.
func overlaps(spans []Span, start, end int) bool {
	i, _ := slices.BinarySearchFunc(spans, start, func(s Span, start int) int {
		if s.End <= start {
			return -1
		}
		return 1
	})
	return i < len(spans) && spans[i].Start < end
}

// runeBefore and runeAfter return the rune next to a byte offset, or 0.
func runeBefore(text string, i int) rune {
	if i <= 0 {
		return 0
	}
	r, _ := utf8.DecodeLastRuneInString(text[:i])
	return r
}

func runeAfter(text string, i int) rune {
	if i >= len(text) {
		return 0
	}
	r, _ := utf8.DecodeRuneInString(text[i:])
	return r
}
