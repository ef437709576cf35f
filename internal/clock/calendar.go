package clock

import (
	"embed"
	"fmt"
	"maps"
	"slices"
	"strconv"
	"strings"
	"sync"
	"time"
)

// Calendar says when work happens: a time zone, weekly working hours,
// holidays and make-up working days, valid for a range of years. A Calendar
// is immutable and safe for concurrent use.
type Calendar struct {
	name     string
	loc      *time.Location
	week     [7]Hours       // indexed by time.Weekday
	standard Hours          // hours of a make-up working day that names none
	holidays map[Date]bool  // never working days
	workdays map[Date]Hours // working days with their hours; nil means standard
	first    int            // first covered year; 0 with last = 0: all years
	last     int
}

//go:embed calendars/*.cal
var builtinFiles embed.FS

var builtins = sync.OnceValue(func() map[string]*Calendar {
	entries, err := builtinFiles.ReadDir("calendars")
	if err != nil {
		panic(err)
	}
	m := make(map[string]*Calendar, len(entries))
	for _, e := range entries {
		src, err := builtinFiles.ReadFile("calendars/" + e.Name())
		if err != nil {
			panic(err)
		}
		cal, err := ParseCalendar(src)
		if err != nil {
			panic(fmt.Sprintf("clock: built-in calendar %s: %v", e.Name(), err))
		}
		m[cal.name] = cal
	}
	return m
})

// Lookup returns a built-in calendar: "cn" (mainland China, Asia/Shanghai,
// Mon-Fri 09:00-18:00, official holidays of the covered years) or "none"
// (UTC, no holidays, working around the clock, every year).
func Lookup(name string) (*Calendar, error) {
	if cal, ok := builtins()[name]; ok {
		return cal, nil
	}
	return nil, fmt.Errorf("%w %q (built in: %s)", ErrUnknownCalendar, name, strings.Join(BuiltinNames(), ", "))
}

// BuiltinNames returns the names Lookup accepts, sorted.
func BuiltinNames() []string {
	return slices.Sorted(maps.Keys(builtins()))
}

// Name returns the calendar's name.
func (c *Calendar) Name() string { return c.name }

// Location returns the time zone in which the calendar's dates and hours
// are read.
func (c *Calendar) Location() *time.Location { return c.loc }

// Years returns the first and last year the calendar covers; both are zero
// when it covers every year.
func (c *Calendar) Years() (first, last int) { return c.first, c.last }

// Covers reports whether d lies in a year the calendar covers.
func (c *Calendar) Covers(d Date) bool {
	return c.first == 0 && c.last == 0 || d.Year >= c.first && d.Year <= c.last
}

// yearsString describes the covered years, e.g. "2025-2026".
func (c *Calendar) yearsString() string {
	switch {
	case c.first == 0 && c.last == 0:
		return "all years"
	case c.first == c.last:
		return strconv.Itoa(c.first)
	}
	return fmt.Sprintf("%d-%d", c.first, c.last)
}

// WithLocation returns a copy of the calendar whose dates and working hours
// are read in loc instead.
func (c *Calendar) WithLocation(loc *time.Location) *Calendar {
	if loc == nil {
		loc = time.UTC
	}
	cp := *c
	cp.loc = loc
	return &cp
}

// WithHours returns a copy of the calendar in which every day that has
// working hours (a working weekday or a make-up working day) has h instead.
// Days without working hours stay without.
func (c *Calendar) WithHours(h Hours) (*Calendar, error) {
	if err := h.validate(); err != nil {
		return nil, fmt.Errorf("%w: %v", ErrInvalidHours, err)
	}
	h = slices.Clone(h).merged()
	cp := *c
	for wd := range cp.week {
		if cp.week[wd] != nil {
			cp.week[wd] = h
		}
	}
	cp.standard = h
	cp.workdays = make(map[Date]Hours, len(c.workdays))
	for d := range c.workdays {
		cp.workdays[d] = nil
	}
	return &cp, nil
}

// HoursOn returns the working hours on d, nil if d is not a working day.
// It fails with ErrOutsideCoverage if d is in a year the calendar does not
// cover.
func (c *Calendar) HoursOn(d Date) (Hours, error) {
	h, err := c.hoursOn(d.AddDays(0))
	return slices.Clone(h), err
}

// IsWorkingDay reports whether d has working hours: a weekday with hours
// that is not a holiday, or a make-up working day.
func (c *Calendar) IsWorkingDay(d Date) (bool, error) {
	h, err := c.hoursOn(d.AddDays(0))
	return h != nil, err
}

// hoursOn is HoursOn for a normalized date, without copying.
func (c *Calendar) hoursOn(d Date) (Hours, error) {
	if !c.Covers(d) {
		return nil, fmt.Errorf("%w: calendar %q covers %s, not %s", ErrOutsideCoverage, c.name, c.yearsString(), d)
	}
	if c.holidays[d] {
		return nil, nil
	}
	if h, ok := c.workdays[d]; ok {
		if h == nil {
			return c.standard, nil
		}
		return h, nil
	}
	return c.week[d.Weekday()], nil
}

// at returns the instant of local date d and clock time (minutes after
// midnight, up to 24*60) in the calendar's zone.
func (c *Calendar) at(d Date, minutes int) time.Time {
	return wallTime(c.loc, d, 0, minutes, 0, 0)
}

// wallTime resolves a local date and clock time in loc to an instant. Around
// clock changes it behaves like RFC 5545 and JavaScript Temporal: a time that
// a forward change skips is moved later by the length of the gap (02:30 on
// the spring-forward day in New York becomes 03:30 EDT), and a time that a
// backward change repeats resolves to its first, earlier occurrence.
func wallTime(loc *time.Location, d Date, hour, minute, sec, nsec int) time.Time {
	w := time.Date(d.Year, d.Month, d.Day, hour, minute, sec, nsec, time.UTC)
	const day = 24 * time.Hour
	// Offsets in force a day before and a day after; clock changes are far
	// rarer than daily, so a valid reading uses one of them.
	_, before := w.Add(-day).In(loc).Zone()
	_, after := w.Add(day).In(loc).Zone()
	for _, off := range []int{before, after} {
		// Offsets only fall at a backward change, so trying the offset from
		// before first yields the earlier of two valid readings.
		t := w.Add(-time.Duration(off) * time.Second).In(loc)
		if _, o := t.Zone(); o == off {
			return t
		}
	}
	// No valid reading: the time is in a gap. Reading it with the offset
	// from before the gap lands the same distance past the gap's end.
	return w.Add(-time.Duration(before) * time.Second).In(loc)
}

// intervalsOn returns the working intervals of day d as instants.
func (c *Calendar) intervalsOn(d Date) ([]Interval, error) {
	h, err := c.hoursOn(d)
	if err != nil || h == nil {
		return nil, err
	}
	ivs := make([]Interval, 0, len(h))
	var prevEnd time.Time
	for _, s := range h {
		// A clock change can move a span's ends out of order (a start in a
		// gap moves later); clamping keeps the intervals ordered and disjoint.
		iv := Interval{latest(c.at(d, s.From), prevEnd), c.at(d, s.To)}
		iv.End = latest(iv.End, iv.Start)
		ivs = append(ivs, iv)
		prevEnd = iv.End
	}
	return ivs, nil
}

func latest(a, b time.Time) time.Time {
	if b.After(a) {
		return b
	}
	return a
}
