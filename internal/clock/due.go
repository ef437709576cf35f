package clock

import (
	"fmt"
	"slices"
	"sort"
	"time"
)

// Due returns the instant at which spec, started at start, runs out under
// the calendar, in the calendar's time zone. Pauses are intervals during
// which the clock stops; they apply to m, h and bh only, and giving any with
// another unit is an error (ErrPauseNotSupported). Units that consult the
// calendar (bh, bd, ld) fail with ErrOutsideCoverage as soon as they need a
// day the calendar does not cover. docs/clock.md states the rules.
func (c *Calendar) Due(start time.Time, spec Spec, pauses []Interval) (time.Time, error) {
	if err := spec.validate(); err != nil {
		return time.Time{}, fmt.Errorf("%w %v: %v", ErrInvalidSpec, spec, err)
	}
	if len(pauses) > 0 && !spec.Pausable() {
		return time.Time{}, fmt.Errorf("%w, not to %v", ErrPauseNotSupported, spec)
	}
	paused, err := normalizePauses(pauses, start)
	if err != nil {
		return time.Time{}, err
	}
	start = start.Round(0).In(c.loc) // no monotonic reading; results in c.loc
	need, _ := spec.Duration()
	switch spec.Unit {
	case UnitMinute, UnitHour:
		return afterElapsed(start, need, paused).In(c.loc), nil
	case UnitDay:
		return wallTime(c.loc, DateOf(start).AddDays(spec.N), start.Hour(), start.Minute(), start.Second(), start.Nanosecond()), nil
	case UnitBusinessHour:
		return c.afterWorking(start, need, paused)
	case UnitBusinessDay:
		return c.afterWorkingDays(start, spec.N)
	default:
		return c.afterLegalDays(start, spec.N)
	}
}

// afterElapsed adds need to start, skipping the paused intervals, which are
// sorted, disjoint and start no earlier than start.
func afterElapsed(start time.Time, need time.Duration, paused []Interval) time.Time {
	t := start
	for _, p := range paused {
		run := p.Start.Sub(t)
		if need <= run {
			break
		}
		need -= run
		t = p.End
	}
	return t.Add(need)
}

// afterWorking adds need of working time to start, skipping paused time.
// It steps by working interval, not by minute. Running out exactly at
// closing time (or when a pause begins) gives that instant.
func (c *Calendar) afterWorking(start time.Time, need time.Duration, paused []Interval) (time.Time, error) {
	var due time.Time
	found := false
	err := c.walk(start, DateOf(start.In(c.loc)).AddDays(maxScanYears*366), func(iv Interval) bool {
		for _, piece := range subtract(iv, paused) {
			if d := piece.Duration(); need > d {
				need -= d
				continue
			}
			due, found = piece.Start.Add(need).In(c.loc), true // piece may start at a pause's end, in its zone
			return false
		}
		return true
	})
	if err == nil && !found {
		err = fmt.Errorf("%w: not within %d years of %s", ErrTooFar, maxScanYears, start.Format(time.RFC3339))
	}
	return due, err
}

// afterWorkingDays returns the closing time of the n-th working day after
// the day of start.
func (c *Calendar) afterWorkingDays(start time.Time, n int) (time.Time, error) {
	d := DateOf(start.In(c.loc))
	for range maxScanYears * 366 {
		d = d.AddDays(1)
		h, err := c.hoursOn(d)
		if err != nil {
			return time.Time{}, err
		}
		if h == nil {
			continue
		}
		if n--; n == 0 {
			return c.at(d, h[len(h)-1].To), nil
		}
	}
	return time.Time{}, fmt.Errorf("%w: not within %d years of %s", ErrTooFar, maxScanYears, start.Format(time.RFC3339))
}

// afterLegalDays counts n days from the day after start; the period ends at
// 24:00 of the last day or, if that is not a working day, of the first
// working day after it (PRC Civil Code arts. 201-203).
func (c *Calendar) afterLegalDays(start time.Time, n int) (time.Time, error) {
	last := DateOf(start.In(c.loc)).AddDays(n)
	for range maxScanYears * 366 {
		h, err := c.hoursOn(last)
		if err != nil {
			return time.Time{}, err
		}
		if h != nil {
			return c.at(last.AddDays(1), 0), nil
		}
		last = last.AddDays(1)
	}
	return time.Time{}, fmt.Errorf("%w: no working day within %d years after %s", ErrTooFar, maxScanYears, last)
}

// WorkingTimeBetween returns how much working time lies between a and b,
// not counting paused time: for a bh clock started at a, the part of the
// spec used up by b. It is negative if b is before a.
func (c *Calendar) WorkingTimeBetween(a, b time.Time, pauses []Interval) (time.Duration, error) {
	if b.Before(a) {
		d, err := c.WorkingTimeBetween(b, a, pauses)
		return -d, err
	}
	paused, err := normalizePauses(pauses, a)
	if err != nil || !a.Before(b) {
		return 0, err
	}
	if b.After(a.AddDate(maxScanYears, 0, 0)) {
		return 0, fmt.Errorf("%w: more than %d years between %s and %s", ErrTooFar, maxScanYears, a.Format(time.RFC3339), b.Format(time.RFC3339))
	}
	var total time.Duration
	// The day of the last instant before b; a working interval starting at b
	// adds nothing and must not make the walk look at a day beyond coverage.
	lastDay := DateOf(b.Add(-time.Nanosecond).In(c.loc))
	err = c.walk(a, lastDay, func(iv Interval) bool {
		if !iv.Start.Before(b) {
			return false
		}
		if iv.End.After(b) {
			iv.End = b
		}
		for _, piece := range subtract(iv, paused) {
			total += piece.Duration()
		}
		return true
	})
	return total, err
}

// walk calls fn with each working interval that ends after from, in order,
// clipped to start no earlier than from, until fn returns false or the
// intervals of day last have been passed.
func (c *Calendar) walk(from time.Time, last Date, fn func(Interval) bool) error {
	for d := DateOf(from.In(c.loc)); d.Compare(last) <= 0; d = d.AddDays(1) {
		ivs, err := c.intervalsOn(d)
		if err != nil {
			return err
		}
		for _, iv := range ivs {
			if !iv.End.After(from) {
				continue
			}
			iv.Start = latest(iv.Start, from)
			if !fn(iv) {
				return nil
			}
		}
	}
	return nil
}

// normalizePauses checks the pauses and returns them clipped to start no
// earlier than from, without empty ones, sorted and with overlapping or
// touching ones merged, so that no paused time counts twice.
func normalizePauses(pauses []Interval, from time.Time) ([]Interval, error) {
	var out []Interval
	for i, p := range pauses {
		if err := p.validate(); err != nil {
			return nil, fmt.Errorf("pause %d: %w", i+1, err)
		}
		p.Start = latest(p.Start, from)
		if p.End.After(p.Start) {
			out = append(out, p)
		}
	}
	slices.SortFunc(out, func(x, y Interval) int { return x.Start.Compare(y.Start) })
	merged := out[:0]
	for _, p := range out {
		if n := len(merged); n > 0 && !p.Start.After(merged[n-1].End) {
			merged[n-1].End = latest(merged[n-1].End, p.End)
			continue
		}
		merged = append(merged, p)
	}
	return merged, nil
}

// subtract returns the parts of iv not covered by paused, which must be
// sorted and disjoint.
func subtract(iv Interval, paused []Interval) []Interval {
	// Disjoint sorted pauses have sorted ends too; skip those over by iv.Start.
	i := sort.Search(len(paused), func(k int) bool { return paused[k].End.After(iv.Start) })
	var out []Interval
	cur := iv.Start
	for _, p := range paused[i:] {
		if !p.Start.Before(iv.End) {
			break
		}
		if p.Start.After(cur) {
			out = append(out, Interval{cur, p.Start})
		}
		cur = latest(cur, p.End)
	}
	if cur.Before(iv.End) {
		out = append(out, Interval{cur, iv.End})
	}
	return out
}
