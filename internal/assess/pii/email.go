package pii

import "regexp"

// emailRE matches an address with a dotted domain and an alphabetic TLD.
// Go's regexp runs in linear time, so hostile input cannot blow it up.
var emailRE = regexp.MustCompile(`[A-Za-z0-9._%+\-]+@[A-Za-z0-9](?:[A-Za-z0-9\-]*[A-Za-z0-9])?(?:\.[A-Za-z0-9](?:[A-Za-z0-9\-]*[A-Za-z0-9])?)*\.[A-Za-z]{2,24}`)

func findEmails(text string) []Span {
	var spans []Span
	for _, m := range emailRE.FindAllStringIndex(text, -1) {
		start, end := m[0], m[1]
		for start < end && text[start] == '.' { // a sentence's full stop is not part of it
			start++
		}
		if text[start] == '@' || isWordChar(runeAfter(text, end)) || runeAfter(text, end) == '@' {
			continue
		}
		spans = append(spans, Span{Kind: Email, Start: start, End: end, Value: text[start:end]})
	}
	return spans
}
