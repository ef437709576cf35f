// Package clock computes deadlines: it parses duration specs such as "48h",
// "15bd" or "30ld" and adds them to an instant under a working calendar (time
// zone, weekly working hours, holidays and make-up working days), skipping
// paused intervals. All functions are pure; docs/clock.md states the rules.
package clock

import (
	"errors"
	"fmt"
	"strings"
	"time"

	// Calendars name IANA zones; embedding the database keeps results the
	// same on hosts without /usr/share/zoneinfo.
	_ "time/tzdata"
)

var (
	// ErrOutsideCoverage is returned when a computation needs to know about
	// a date in a year that the calendar does not cover.
	ErrOutsideCoverage = errors.New("outside the calendar's coverage")
	// ErrUnknownCalendar is returned by Lookup for a name that is not built in.
	ErrUnknownCalendar = errors.New("unknown calendar")
	// ErrInvalidSpec is returned for a malformed or out-of-range duration spec.
	ErrInvalidSpec = errors.New("invalid duration spec")
	// ErrInvalidInterval is returned for an interval that ends before it starts
	// or cannot be parsed.
	ErrInvalidInterval = errors.New("invalid interval")
	// ErrPauseNotSupported is returned when pauses are given with a spec
	// whose unit does not pause (d, bd, ld).
	ErrPauseNotSupported = errors.New("pauses apply only to m, h and bh")
	// ErrInvalidCalendar is returned for a calendar file that cannot be parsed.
	ErrInvalidCalendar = errors.New("invalid calendar")
	// ErrInvalidHours is returned for malformed working hours.
	ErrInvalidHours = errors.New("invalid working hours")
	// ErrTooFar is returned when a deadline lies more than maxScanYears
	// ahead, which only happens with calendars that have almost no working time.
	ErrTooFar = errors.New("deadline too far in the future")
)

// maxScanYears bounds every day-by-day walk, so that no input can make a
// computation run for long.
const maxScanYears = 100

// Interval is the half-open time interval [Start, End).
type Interval struct {
	Start, End time.Time
}

// Duration returns the length of the interval.
func (iv Interval) Duration() time.Duration { return iv.End.Sub(iv.Start) }

// String formats the interval as two RFC 3339 times separated by a slash,
// the form ParseInterval reads.
func (iv Interval) String() string {
	return iv.Start.Format(time.RFC3339Nano) + "/" + iv.End.Format(time.RFC3339Nano)
}

// ParseInterval parses "START/END", two RFC 3339 times with explicit
// offsets, e.g. "2025-10-09T10:00:00+08:00/2025-10-10T15:00:00+08:00".
// END must not be before START.
func ParseInterval(s string) (Interval, error) {
	a, b, ok := strings.Cut(s, "/")
	if !ok {
		return Interval{}, fmt.Errorf("%w %q: want START/END, two RFC 3339 times", ErrInvalidInterval, s)
	}
	start, err := ParseTime(a)
	if err != nil {
		return Interval{}, fmt.Errorf("%w %q: start: %v", ErrInvalidInterval, s, err)
	}
	end, err := ParseTime(b)
	if err != nil {
		return Interval{}, fmt.Errorf("%w %q: end: %v", ErrInvalidInterval, s, err)
	}
	iv := Interval{start, end}
	if err := iv.validate(); err != nil {
		return Interval{}, err
	}
	return iv, nil
}

func (iv Interval) validate() error {
	if iv.End.Before(iv.Start) {
		return fmt.Errorf("%w %s: ends before it starts", ErrInvalidInterval, iv)
	}
	return nil
}

// ParseTime parses an RFC 3339 time with an explicit offset or Z, with or
// without fractional seconds.
func ParseTime(s string) (time.Time, error) {
	t, err := time.Parse(time.RFC3339, s)
	if err != nil {
		return time.Time{}, fmt.Errorf("%q is not an RFC 3339 time like 2025-10-01T09:00:00+08:00", s)
	}
	return t, nil
}
