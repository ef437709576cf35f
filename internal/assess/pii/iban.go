package pii

import (
	"regexp"
	"strconv"
	"strings"
)

// ibanLengths is the length of an IBAN for each country in the SWIFT IBAN
// registry.
var ibanLengths = map[string]int{
	"AD": 24, "AE": 23, "AL": 28, "AT": 20, "AZ": 28, "BA": 20, "BE": 16, "BG": 22, "BH": 22, "BI": 27,
	"BR": 29, "BY": 28, "CH": 21, "CR": 22, "CY": 28, "CZ": 24, "DE": 22, "DJ": 27, "DK": 18, "DO": 28,
	"EE": 20, "EG": 29, "ES": 24, "FI": 18, "FK": 18, "FO": 18, "FR": 27, "GB": 22, "GE": 22, "GI": 23,
	"GL": 18, "GR": 27, "GT": 28, "HN": 28, "HR": 21, "HU": 28, "IE": 22, "IL": 23, "IQ": 23, "IS": 26,
	"IT": 27, "JO": 30, "KW": 30, "KZ": 20, "LB": 28, "LC": 32, "LI": 21, "LT": 20, "LU": 20, "LV": 21,
	"LY": 25, "MC": 27, "MD": 24, "ME": 22, "MK": 19, "MN": 20, "MR": 27, "MT": 31, "MU": 30, "NI": 28,
	"NL": 18, "NO": 15, "OM": 23, "PK": 24, "PL": 28, "PS": 29, "PT": 25, "QA": 29, "RO": 24, "RS": 22,
	"RU": 33, "SA": 24, "SC": 31, "SD": 18, "SE": 24, "SI": 19, "SK": 24, "SM": 27, "SO": 23, "ST": 25,
	"SV": 28, "TL": 23, "TN": 24, "TR": 26, "UA": 29, "VA": 22, "VG": 24, "XK": 20, "YE": 30,
}

// ibanStartRE finds where an IBAN may start: a country code and two check
// digits, not glued to a preceding letter or digit.
var ibanStartRE = regexp.MustCompile(`[A-Z]{2}[0-9]{2}`)

// findIBANs returns the valid IBANs in text, and separately the stretches
// shaped like an IBAN that fail its check: the digits in those must not be
// taken for a card number either.
func findIBANs(text string, taken []Span) (spans, invalid []Span) {
	lastEnd := 0
	for _, m := range ibanStartRE.FindAllStringIndex(text, -1) {
		start := m[0]
		if isWordChar(runeBefore(text, start)) || start < lastEnd {
			continue
		}
		want, ok := ibanLengths[text[start:start+2]]
		if !ok {
			continue
		}
		end, compact := takeIBAN(text, start, want)
		if end < 0 || isWordChar(runeAfter(text, end)) || overlaps(taken, start, end) {
			continue
		}
		s := Span{Kind: IBAN, Start: start, End: end, Value: text[start:end]}
		if ibanChecksumOK(compact) {
			spans = append(spans, s)
		} else {
			invalid = append(invalid, s)
		}
		lastEnd = end
	}
	return spans, invalid
}

// takeIBAN reads n letters and digits from text[start:], allowing single
// spaces between them (the printed form groups by four). It returns the
// end offset and the compact form, or -1.
func takeIBAN(text string, start, n int) (int, string) {
	var b strings.Builder
	i := start
	for b.Len() < n {
		if i < len(text) && text[i] == ' ' && b.Len() > 0 {
			i++
		}
		if i >= len(text) {
			return -1, ""
		}
		c := text[i]
		switch {
		case c >= '0' && c <= '9', c >= 'A' && c <= 'Z':
			b.WriteByte(c)
			i++
		default:
			return -1, ""
		}
	}
	return i, b.String()
}

// ibanChecksumOK applies the ISO 13616 check: move the first four
// characters to the end, replace letters by 10..35, and the number must
// be 1 modulo 97.
func ibanChecksumOK(iban string) bool {
	var digits strings.Builder
	for _, c := range iban[4:] + iban[:4] {
		if c >= 'A' && c <= 'Z' {
			digits.WriteString(strconv.Itoa(int(c - 'A' + 10)))
		} else {
			digits.WriteRune(c)
		}
	}
	rem := 0
	for _, c := range digits.String() {
		rem = (rem*10 + int(c-'0')) % 97
	}
	return rem == 1
}
