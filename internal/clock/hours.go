package clock

import (
	"fmt"
	"strings"
)

const minutesPerDay = 24 * 60

// Span is the half-open range [From, To) of local wall-clock time within one
// day, in minutes after midnight; To may be 24*60, the end of the day.
type Span struct {
	From, To int
}

// Hours are the working hours of one day: ascending, non-overlapping spans.
// A day without working hours has nil Hours.
type Hours []Span

// ParseHours parses working hours such as "09:00-18:00" or
// "09:00-12:00,13:30-18:00". Times are HH:MM from 00:00 to 24:00; the spans
// must be ascending and must not overlap. Touching spans are merged.
func ParseHours(s string) (Hours, error) {
	var h Hours
	for part := range strings.SplitSeq(s, ",") {
		span, err := parseSpan(part)
		if err != nil {
			return nil, fmt.Errorf("%w %q: %v", ErrInvalidHours, s, err)
		}
		h = append(h, span)
	}
	if err := h.validate(); err != nil {
		return nil, fmt.Errorf("%w %q: %v", ErrInvalidHours, s, err)
	}
	return h.merged(), nil
}

func parseSpan(s string) (Span, error) {
	a, b, ok := strings.Cut(s, "-")
	if !ok {
		return Span{}, fmt.Errorf("%q is not a range like 09:00-18:00", s)
	}
	from, err := parseClock(a)
	if err != nil {
		return Span{}, err
	}
	to, err := parseClock(b)
	if err != nil {
		return Span{}, err
	}
	return Span{from, to}, nil
}

// parseClock parses HH:MM into minutes after midnight, allowing 24:00.
func parseClock(s string) (int, error) {
	if len(s) != 5 || s[2] != ':' || !isDigits(s[:2]) || !isDigits(s[3:]) {
		return 0, fmt.Errorf("%q is not a time HH:MM", s)
	}
	hh := int(s[0]-'0')*10 + int(s[1]-'0')
	mm := int(s[3]-'0')*10 + int(s[4]-'0')
	if mm > 59 || hh > 24 || (hh == 24 && mm != 0) {
		return 0, fmt.Errorf("%q is not a time between 00:00 and 24:00", s)
	}
	return hh*60 + mm, nil
}

func isDigits(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return true
}

// validate checks hours that may not have come from ParseHours.
func (h Hours) validate() error {
	if len(h) == 0 {
		return fmt.Errorf("no spans")
	}
	prevEnd := 0
	for _, s := range h {
		switch {
		case s.From < 0 || s.To > minutesPerDay:
			return fmt.Errorf("span %s is outside 00:00-24:00", s)
		case s.From >= s.To:
			return fmt.Errorf("span %s does not end after it starts", s)
		case s.From < prevEnd:
			return fmt.Errorf("span %s overlaps or precedes the one before", s)
		}
		prevEnd = s.To
	}
	return nil
}

// merged joins spans that touch, e.g. 09:00-12:00,12:00-18:00.
func (h Hours) merged() Hours {
	out := Hours{h[0]}
	for _, s := range h[1:] {
		if last := &out[len(out)-1]; last.To == s.From {
			last.To = s.To
		} else {
			out = append(out, s)
		}
	}
	return out
}

// String formats a span as HH:MM-HH:MM.
func (s Span) String() string {
	return fmt.Sprintf("%02d:%02d-%02d:%02d", s.From/60, s.From%60, s.To/60, s.To%60)
}

// String formats the hours in the form ParseHours reads.
func (h Hours) String() string {
	parts := make([]string, len(h))
	for i, s := range h {
		parts[i] = s.String()
	}
	return strings.Join(parts, ",")
}
