package clock

import (
	"errors"
	"testing"
	"time"
)

func FuzzParseSpec(f *testing.F) {
	for _, s := range []string{"30m", "48h", "3d", "16bh", "15bd", "30ld", "0h", "-1d", "99999999999999999999bd", "3", "bh", ""} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		spec, err := ParseSpec(s)
		if err != nil {
			if !errors.Is(err, ErrInvalidSpec) {
				t.Fatalf("error %v is not ErrInvalidSpec", err)
			}
			return
		}
		if err := spec.validate(); err != nil {
			t.Fatalf("ParseSpec(%q) = %v, which is invalid: %v", s, spec, err)
		}
		again, err := ParseSpec(spec.String())
		if err != nil || again != spec {
			t.Fatalf("round trip of %q: %v, %v", s, again, err)
		}
	})
}

func FuzzParseHours(f *testing.F) {
	for _, s := range []string{"09:00-18:00", "09:00-12:00,13:30-18:00", "00:00-24:00", "09:00-12:00,12:00-13:00", "24:00-24:00", "9:00-18:00"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		h, err := ParseHours(s)
		if err != nil {
			return
		}
		if err := h.validate(); err != nil {
			t.Fatalf("ParseHours(%q) = %v, which is invalid: %v", s, h, err)
		}
		again, err := ParseHours(h.String())
		if err != nil || again.String() != h.String() {
			t.Fatalf("round trip of %q: %v, %v", s, again, err)
		}
	})
}

func FuzzParseInterval(f *testing.F) {
	f.Add("2025-10-09T10:00:00+08:00/2025-10-10T15:00:00+08:00")
	f.Add("2025-10-09T10:00:00.123Z/2025-10-09T10:00:00.123Z")
	f.Add("2025-10-09T10:00:00Z/2025-10-09T09:00:00Z")
	f.Fuzz(func(t *testing.T, s string) {
		iv, err := ParseInterval(s)
		if err != nil {
			if !errors.Is(err, ErrInvalidInterval) {
				t.Fatalf("error %v is not ErrInvalidInterval", err)
			}
			return
		}
		if iv.End.Before(iv.Start) {
			t.Fatalf("ParseInterval(%q) ends before it starts", s)
		}
		again, err := ParseInterval(iv.String())
		if err != nil || !again.Start.Equal(iv.Start) || !again.End.Equal(iv.End) {
			t.Fatalf("round trip of %q: %v, %v", s, again, err)
		}
	})
}

func FuzzParseCalendar(f *testing.F) {
	for _, name := range []string{"calendars/cn.cal", "calendars/none.cal"} {
		src, err := builtinFiles.ReadFile(name)
		if err != nil {
			f.Fatal(err)
		}
		f.Add(src)
	}
	f.Add([]byte(nyCalendar))
	f.Add([]byte("zone UTC\nyears 2025\nhours sat,sun 10:00-11:00\nworkday 2025-01-01..2025-01-03 09:00-10:00\n"))
	start := time.Date(2025, 6, 1, 12, 0, 0, 0, time.UTC)
	f.Fuzz(func(t *testing.T, src []byte) {
		cal, err := ParseCalendar(src)
		if err != nil {
			if !errors.Is(err, ErrInvalidCalendar) {
				t.Fatalf("error %v is not ErrInvalidCalendar", err)
			}
			return
		}
		// Any calendar that parses must give answers or clean errors.
		for _, spec := range []Spec{{1, UnitBusinessHour}, {40, UnitBusinessHour}, {3, UnitBusinessDay}, {3, UnitLegalDay}} {
			due, err := cal.Due(start, spec, nil)
			if err != nil && !errors.Is(err, ErrOutsideCoverage) && !errors.Is(err, ErrTooFar) {
				t.Fatalf("Due(%v): %v", spec, err)
			}
			if err == nil && !due.After(start) {
				t.Fatalf("Due(%v) = %v, not after %v", spec, due, start)
			}
		}
	})
}

// FuzzDue checks invariants of Due on random starts, specs and pauses: the
// deadline is never before the start, bh deadlines agree with
// WorkingTimeBetween, elapsed deadlines add exactly the unpaused time, and
// day deadlines end on a working day.
func FuzzDue(f *testing.F) {
	f.Add(int64(1759284000), uint16(16), uint8(3), uint8(0), int64(3600), int64(7200), int64(-600), int64(1800))
	f.Add(int64(1741410000), uint16(1), uint8(2), uint8(2), int64(0), int64(0), int64(0), int64(0))
	f.Add(int64(1767196800), uint16(200), uint8(3), uint8(1), int64(86400), int64(3*86400), int64(90000), int64(60))
	// Found by fuzzing: a bh deadline right after a pause came back in the pause's zone.
	f.Add(int64(1741409992), uint16(0), uint8('3'), uint8('6'), int64(80), int64(0), int64(25), int64(32))
	cals := []*Calendar{testCalendar(f, "cn", "", ""), testCalendar(f, "none", ny, ""),
		testCalendar(f, "ny", "", ""), testCalendar(f, "cn", "", lunch), testCalendar(f, "none", "America/Santiago", "")}
	f.Fuzz(func(t *testing.T, unix int64, n uint16, unit, calIdx uint8, p1, l1, p2, l2 int64) {
		cal := cals[int(calIdx)%len(cals)]
		// Starts spread over 2025-2026, the years every test calendar covers.
		start := time.Unix(1735689600+absMod(unix, 2*365*86400), 0)
		spec := Spec{N: int(n%500) + 1, Unit: Unit(unit%6) + 1}
		var pauses []Interval
		if spec.Pausable() {
			pauses = []Interval{fuzzPause(start, p1, l1), fuzzPause(start, p2, l2)}
		}
		due, err := cal.Due(start, spec, pauses)
		if errors.Is(err, ErrOutsideCoverage) {
			return
		}
		if err != nil {
			t.Fatalf("Due(%v, %v): %v", start, spec, err)
		}
		if !due.After(start) || due.Location() != cal.Location() {
			t.Fatalf("Due(%v, %v) = %v, not after the start or not in %v", start, spec, due, cal.Location())
		}
		checkDue(t, cal, start, due, spec, pauses)
	})
}

func checkDue(t *testing.T, cal *Calendar, start, due time.Time, spec Spec, pauses []Interval) {
	need, _ := spec.Duration()
	switch spec.Unit {
	case UnitBusinessHour:
		if got, err := cal.WorkingTimeBetween(start, due, pauses); err != nil || got != need {
			t.Fatalf("%v from %v: working time to %v is %v, %v", spec, start, due, got, err)
		}
	case UnitMinute, UnitHour:
		paused, _ := normalizePauses(pauses, start)
		var inPause time.Duration
		for _, p := range paused {
			if p.Start.Before(due) {
				inPause += latest(p.Start, minTime(p.End, due)).Sub(p.Start)
			}
		}
		if got := due.Sub(start) - inPause; got != need {
			t.Fatalf("%v from %v with %v: unpaused time to %v is %v", spec, start, pauses, due, got)
		}
	case UnitBusinessDay, UnitLegalDay:
		day := DateOf(due.In(cal.Location()))
		if spec.Unit == UnitLegalDay || due.Equal(cal.at(day, 0)) { // 24:00 of the day before
			day = day.AddDays(-1)
		}
		if ok, err := cal.IsWorkingDay(day); err != nil || !ok {
			t.Fatalf("%v from %v: due %v, but %s is not a working day (%v)", spec, start, due, day, err)
		}
	}
}

func fuzzPause(start time.Time, offset, length int64) Interval {
	s := start.Add(time.Duration(offset%(30*86400)) * time.Second)
	return Interval{s, s.Add(time.Duration(absMod(length, 10*86400)) * time.Second)}
}

func absMod(a, m int64) int64 {
	a %= m
	if a < 0 {
		a += m
	}
	return a
}

func minTime(a, b time.Time) time.Time {
	if a.Before(b) {
		return a
	}
	return b
}
