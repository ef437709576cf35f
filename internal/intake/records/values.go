package records

import (
	"encoding/json"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"
)

// ChinaTime is the zone of times written without an offset: China
// Standard Time, UTC+8, which has no daylight saving.
var ChinaTime = time.FixedZone("CST", 8*60*60)

var timeLayouts = []string{
	time.RFC3339Nano,
	"2006-01-02T15:04:05",
	"2006-01-02 15:04:05",
	"2006-01-02T15:04",
	"2006-01-02 15:04",
	"2006/01/02 15:04:05",
	"2006/01/02 15:04",
}

// ParseTime reads a time: RFC 3339 (2026-03-01T09:12:05+08:00), or
// "2026-03-01 09:12:05" and its variants without an offset, which are China
// Standard Time.
func ParseTime(s string) (time.Time, error) {
	s = strings.TrimSpace(s)
	if s == "" {
		return time.Time{}, errors.New("no time given")
	}
	for i, layout := range timeLayouts {
		var t time.Time
		var err error
		if i == 0 {
			t, err = time.Parse(layout, s)
		} else {
			t, err = time.ParseInLocation(layout, s, ChinaTime)
		}
		if err == nil {
			return t.UTC(), nil
		}
	}
	return time.Time{}, fmt.Errorf("%q is not a time such as 2026-03-01T09:12:05+08:00 or 2026-03-01 09:12:05", clip(s, 40))
}

// ParseDeadline reads a time like ParseTime, or a date alone, which means
// the end of that day in China Standard Time.
func ParseDeadline(s string) (time.Time, error) {
	s = strings.TrimSpace(s)
	for _, layout := range []string{"2006-01-02", "2006/01/02"} {
		if d, err := time.ParseInLocation(layout, s, ChinaTime); err == nil {
			return d.Add(24*time.Hour - time.Second).UTC(), nil
		}
	}
	t, err := ParseTime(s)
	if err != nil {
		return time.Time{}, fmt.Errorf("%q is not a date (2026-03-15) or a time", clip(s, 40))
	}
	return t, nil
}

// SplitIDs splits a list of ids written in one CSV field, separated by
// semicolons, commas, vertical bars or white space.
func SplitIDs(s string) []string {
	f := strings.FieldsFunc(s, func(r rune) bool {
		return r == ';' || r == ',' || r == '|' || r == '，' || r == '；' || unicode.IsSpace(r)
	})
	out := f[:0]
	seen := map[string]bool{}
	for _, id := range f {
		if !seen[id] {
			seen[id] = true
			out = append(out, id)
		}
	}
	return out
}

// ParseAmount reads a decimal amount such as 128.50 into minor units of a
// currency with digits decimal places, exactly (no floating point).
func ParseAmount(s string, digits int) (int64, error) {
	s = strings.TrimSpace(s)
	orig := s
	s = strings.TrimPrefix(s, "+")
	if s == "" {
		return 0, errors.New("no amount given")
	}
	if strings.HasPrefix(s, "-") {
		return 0, fmt.Errorf("amount %q is negative", clip(orig, 40))
	}
	whole, frac, hasDot := strings.Cut(s, ".")
	if whole == "" && hasDot {
		whole = "0"
	}
	if !allDigits(whole) || hasDot && !allDigits(frac) || hasDot && frac == "" {
		return 0, fmt.Errorf("amount %q is not a decimal number such as 128.50", clip(orig, 40))
	}
	trimmed := strings.TrimRight(frac, "0")
	if len(trimmed) > digits {
		return 0, fmt.Errorf("amount %q has more decimal places than the currency's %d", clip(orig, 40), digits)
	}
	frac = trimmed + strings.Repeat("0", digits-len(trimmed))
	if len(whole)+len(frac) > 18 {
		return 0, fmt.Errorf("amount %q is too large", clip(orig, 40))
	}
	n, err := strconv.ParseInt(whole+frac, 10, 64)
	if err != nil {
		return 0, fmt.Errorf("amount %q is too large", clip(orig, 40))
	}
	return n, nil
}

func allDigits(s string) bool {
	if s == "" {
		return false
	}
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return true
}

// Unmarshal decodes a JSON record into v with errors that name the field
// at fault in words a person fixing the file understands.
func Unmarshal(raw []byte, v any) error {
	err := json.Unmarshal(raw, v)
	var typ *json.UnmarshalTypeError
	var syn *json.SyntaxError
	switch {
	case err == nil:
		return nil
	case errors.As(err, &typ):
		field := typ.Field
		if field == "" {
			return fmt.Errorf("the record must be a JSON object, not %s", typ.Value)
		}
		return fmt.Errorf("field %q must be %s, not %s", field, kindName(typ.Type.Kind().String()), typ.Value)
	case errors.As(err, &syn):
		return fmt.Errorf("malformed JSON: %v", err)
	}
	return err
}

func kindName(k string) string {
	switch k {
	case "string":
		return "a string"
	case "slice":
		return "an array"
	case "struct", "map":
		return "an object"
	case "int", "int64", "int32":
		return "a whole number"
	case "bool":
		return "true or false"
	}
	return "a " + k
}

func clip(s string, n int) string {
	if utf8.RuneCountInString(s) <= n {
		return s
	}
	return string([]rune(s)[:n]) + "…"
}
