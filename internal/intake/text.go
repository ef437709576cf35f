package intake

import (
	"strings"
	"unicode"
	"unicode/utf8"
)

// fitLine makes s fit a one-line field of at most max characters: control
// characters become spaces, runs of space one, and a longer text is cut
// with an ellipsis. Text a channel brings is never refused for its length:
// the original is kept whole in the intake record.
func fitLine(s string, max int) string {
	s = strings.Map(func(r rune) rune {
		if unicode.IsControl(r) || r == '\ufeff' {
			return ' '
		}
		return r
	}, s)
	return cut(strings.Join(strings.Fields(s), " "), max)
}

// fitText makes s fit a multi-line field of at most max characters: line
// ends become \n, other control characters go, and a longer text is cut
// with a note that the original is kept.
func fitText(s string, max int) string {
	s = strings.ReplaceAll(s, "\r\n", "\n")
	s = strings.Map(func(r rune) rune {
		switch {
		case r == '\n' || r == '\t':
			return r
		case r == '\r':
			return '\n'
		case unicode.IsControl(r) || r == '\ufeff':
			return -1
		}
		return r
	}, s)
	s = strings.TrimSpace(s)
	if utf8.RuneCountInString(s) <= max {
		return s
	}
	const note = "\n…(cut here; the whole text is kept with the original message)"
	return cut(s, max-utf8.RuneCountInString(note)) + note
}

// cut shortens s to at most max characters, ending with … when cut.
func cut(s string, max int) string {
	if utf8.RuneCountInString(s) <= max {
		return s
	}
	if max <= 1 {
		return string([]rune(s)[:max])
	}
	return strings.TrimSpace(string([]rune(s)[:max-1])) + "…"
}

// firstLine is the first non-empty line of s.
func firstLine(s string) string {
	for _, l := range strings.Split(s, "\n") {
		if l = strings.TrimSpace(l); l != "" {
			return l
		}
	}
	return ""
}

// subjectFrom makes a subject out of a text when there is none: its first
// line, cut to 60 characters.
func subjectFrom(text string) string { return fitLine(cut(firstLine(text), 60), 60) }
