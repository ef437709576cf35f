package pii

import (
	"slices"
	"strings"
	"time"
	"unicode/utf8"
)

// run is a maximal run of digits (ASCII or full-width), possibly ending in
// the X check character of a resident ID.
type run struct {
	start, end int    // byte offsets
	digits     string // ASCII digits, and a final 'X' when hasX
	hasX       bool
	joined     bool // separated from the previous run by one separator
}

// maxCandidateDigits bounds the groups tried together: the longest number
// looked for is 0086 + an 11-digit mobile, or a 19-digit card.
const maxCandidateDigits = 19

// findNumbers finds IDs, mobiles and cards outside the taken spans, which
// must not overlap each other.
func findNumbers(text string, taken []Span) []Span {
	slices.SortFunc(taken, func(a, b Span) int { return a.Start - b.Start })
	runs := digitRuns(text, taken)
	var spans []Span
	for i := 0; i < len(runs); {
		j := i + 1
		for j < len(runs) && runs[j].joined {
			j++
		}
		spans = append(spans, matchChain(text, runs[i:j])...)
		i = j
	}
	return spans
}

// digitRuns splits text into runs of digits outside the taken spans.
func digitRuns(text string, taken []Span) []run {
	var runs []run
	prevEnd := -1
	for i := 0; i < len(text); {
		r, size := utf8.DecodeRuneInString(text[i:])
		if digitValue(r) < 0 {
			i += size
			continue
		}
		start := i
		var b strings.Builder
		for i < len(text) {
			r, size = utf8.DecodeRuneInString(text[i:])
			d := digitValue(r)
			if d < 0 {
				break
			}
			b.WriteByte(byte('0' + d))
			i += size
		}
		ru := run{start: start, end: i, digits: b.String()}
		// An ID's check character X counts if nothing word-like follows it.
		if r, size := utf8.DecodeRuneInString(text[i:]); (r == 'X' || r == 'x' || r == 'Ｘ' || r == 'ｘ') && !isWordChar(runeAfter(text, i+size)) {
			ru.end += size
			ru.digits += "X"
			ru.hasX = true
			i += size
		}
		if overlaps(taken, ru.start, ru.end) {
			prevEnd = -1
			continue
		}
		if prevEnd >= 0 {
			sep, sepSize := utf8.DecodeRuneInString(text[prevEnd:])
			ru.joined = prevEnd+sepSize == ru.start && isSeparator(sep)
		}
		runs = append(runs, ru)
		prevEnd = ru.end
	}
	return runs
}

// isSeparator reports whether r may sit between the groups of a number.
func isSeparator(r rune) bool {
	switch r {
	case ' ', '-', '\u00A0', '\u3000', '－':
		return true
	}
	return false
}

// candidate is a number made of chain[a..b].
type candidate struct {
	span Span
	a, b int
}

// matchChain finds numbers in runs joined by single separators. Every
// stretch of consecutive runs is tried; the longest valid ones win.
func matchChain(text string, chain []run) []Span {
	var cands []candidate
	for a := range chain {
		digits := 0
		for b := a; b < len(chain); b++ {
			if b > a && (chain[b-1].hasX || len(chain[b-1].digits) < 2) {
				break // X only ends a number; no grouping has a one-digit group before the last
			}
			digits += len(chain[b].digits)
			if digits > maxCandidateDigits {
				break
			}
			if digits < 11 {
				continue // shorter than any number looked for
			}
			if a == 0 && isWordChar(runeBefore(text, chain[a].start)) {
				continue
			}
			if b == len(chain)-1 && isWordChar(runeAfter(text, chain[b].end)) {
				continue
			}
			if kind, ok := classify(chain[a : b+1]); ok {
				start := chain[a].start
				if kind == Mobile && hasCountryCode(chain[a:b+1]) {
					start = extendPlus(text, start)
				}
				end := chain[b].end
				cands = append(cands, candidate{Span{Kind: kind, Start: start, End: end, Value: text[start:end]}, a, b})
			}
		}
	}
	slices.SortStableFunc(cands, func(x, y candidate) int {
		if gx, gy := x.b-x.a, y.b-y.a; gx != gy {
			return gy - gx
		}
		return x.span.Start - y.span.Start
	})
	// Candidates can only overlap by sharing runs.
	used := make([]bool, len(chain))
	var spans []Span
	for _, c := range cands {
		if !slices.Contains(used[c.a:c.b+1], true) {
			spans = append(spans, c.span)
			for i := c.a; i <= c.b; i++ {
				used[i] = true
			}
		}
	}
	return spans
}

// extendPlus takes in a '+' written right before a country code.
func extendPlus(text string, start int) int {
	r, size := utf8.DecodeLastRuneInString(text[:start])
	if (r == '+' || r == '＋') && !isWordChar(runeBefore(text, start-size)) {
		return start - size
	}
	return start
}

// classify decides what kind of number a stretch of runs is, if any.
func classify(runs []run) (Kind, bool) {
	groups := make([]int, len(runs))
	var all strings.Builder
	for i, r := range runs {
		groups[i] = len(r.digits)
		all.WriteString(r.digits)
	}
	s := all.String()
	last := runs[len(runs)-1]
	if last.hasX {
		if validResidentID(s) && idGrouping(groups) {
			return ResidentID, true
		}
		return "", false
	}
	switch {
	case len(s) == 18 && idGrouping(groups) && validResidentID(s):
		return ResidentID, true
	case isMobile(s, groups):
		return Mobile, true
	case cardGrouping(groups) && validCard(s):
		return BankCard, true
	}
	return "", false
}

func idGrouping(g []int) bool {
	return slices.Equal(g, []int{18}) || slices.Equal(g, []int{6, 8, 4})
}

// isMobile accepts 11 digits 1[3-9]xxxxxxxxx written as 13812345678,
// 138 1234 5678 or 138 12345678, optionally after 86 or 0086.
func isMobile(s string, groups []int) bool {
	switch {
	case len(groups) == 1 && len(s) == 13 && strings.HasPrefix(s, "86"):
		s, groups = s[2:], []int{11}
	case len(groups) == 1 && len(s) == 15 && strings.HasPrefix(s, "0086"):
		s, groups = s[4:], []int{11}
	case len(groups) > 1 && groups[0] == 2 && strings.HasPrefix(s, "86"):
		s, groups = s[2:], groups[1:]
	case len(groups) > 1 && groups[0] == 4 && strings.HasPrefix(s, "0086"):
		s, groups = s[4:], groups[1:]
	}
	if len(s) != 11 || s[0] != '1' || s[1] < '3' {
		return false
	}
	return slices.Equal(groups, []int{11}) || slices.Equal(groups, []int{3, 4, 4}) || slices.Equal(groups, []int{3, 8})
}

// hasCountryCode reports whether a mobile number's runs start with 86 or
// 0086.
func hasCountryCode(runs []run) bool {
	n := 0
	for _, r := range runs {
		n += len(r.digits)
	}
	return n > 11
}

// cardGrouping accepts one run, groups of four with a shorter last group
// (6222 0212 3456 7890 128), and the 4-6-5 and 4-6-4 layouts of Amex and
// Diners cards.
func cardGrouping(g []int) bool {
	if len(g) == 1 {
		return true
	}
	if slices.Equal(g, []int{4, 6, 5}) || slices.Equal(g, []int{4, 6, 4}) {
		return true
	}
	for i, n := range g {
		if n != 4 && (i < len(g)-1 || n > 4) {
			return false
		}
	}
	return true
}

// validCard checks length, issuer prefix and the Luhn check digit. Only
// the major industry identifiers of payment cards are accepted (3 Amex,
// JCB, Diners; 4 Visa; 5 and 2221–2720 Mastercard; 6 Discover, UnionPay
// 62), which keeps order numbers and timestamps out.
func validCard(s string) bool {
	if len(s) < 13 || len(s) > 19 {
		return false
	}
	switch s[0] {
	case '3', '4', '5', '6':
	case '2':
		if s[:4] < "2221" || s[:4] > "2720" {
			return false
		}
	default:
		return false
	}
	return luhn(s)
}

func luhn(s string) bool {
	sum := 0
	double := false
	for i := len(s) - 1; i >= 0; i-- {
		d := int(s[i] - '0')
		if double {
			d *= 2
			if d > 9 {
				d -= 9
			}
		}
		sum += d
		double = !double
	}
	return sum%10 == 0
}

var (
	idWeights    = [17]int{7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2}
	idCheckChars = "10X98765432"
)

// validResidentID checks an 18-character mainland resident ID number: a
// known province code, a real birth date from 1900 on, and the ISO 7064
// MOD 11-2 check character.
func validResidentID(s string) bool {
	if len(s) != 18 || !validProvince(s[:2]) || !validBirthDate(s[6:14]) {
		return false
	}
	sum := 0
	for i := range 17 {
		c := s[i]
		if c < '0' || c > '9' {
			return false
		}
		sum += int(c-'0') * idWeights[i]
	}
	return s[17] == idCheckChars[sum%11]
}

// validProvince accepts the province-level codes of GB/T 2260, plus 81–83
// used on residence permits for Hong Kong, Macao and Taiwan residents.
func validProvince(p string) bool {
	switch p {
	case "11", "12", "13", "14", "15", "21", "22", "23", "31", "32", "33", "34", "35", "36", "37",
		"41", "42", "43", "44", "45", "46", "50", "51", "52", "53", "54", "61", "62", "63", "64", "65",
		"71", "81", "82", "83":
		return true
	}
	return false
}

func validBirthDate(s string) bool {
	t, err := time.Parse("20060102", s)
	return err == nil && t.Year() >= 1900 && t.Year() < 2100
}
