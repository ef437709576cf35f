package route

import (
	"errors"
	"time"

	"github.com/redress-project/redress/internal/clock"
)

// Shift is when an agent works: the working days of a calendar (its time
// zone, weekends, public holidays and make-up working days) and either the
// calendar's working hours or the agent's own. An agent off shift by the
// calendar receives no cases even when marked online. The zero Shift means
// no limit: the agent is on shift whenever online.
//
// Hours are read within one local day, so a night shift is written as two
// spans of the same working day (00:00-06:00,22:00-24:00).
type Shift struct {
	Calendar *clock.Calendar
	Hours    clock.Hours // nil: the calendar's hours
}

var errHoursWithoutCalendar = errors.New(`shift hours need a calendar (clock.Lookup("none") works every day)`)

// validate checks hours that did not come from clock.ParseHours.
func (s Shift) validate() error {
	switch {
	case s.Calendar == nil && s.Hours != nil:
		return errHoursWithoutCalendar
	case s.Hours != nil:
		_, err := s.Calendar.WithHours(s.Hours)
		return err
	}
	return nil
}

// On reports whether t falls in the shift. It fails when the calendar does
// not cover t's date.
func (s Shift) On(t time.Time) (bool, error) {
	k, _, err := s.at(t)
	return k == kOK, err
}

// farFuture stands for "until something else changes".
var farFuture = time.Date(9999, 1, 1, 0, 0, 0, 0, time.UTC)

// at says whether t is in the shift (kOK, kOutsideShift or kShiftUnknown)
// and until when that answer holds at least.
func (s Shift) at(t time.Time) (kind, time.Time, error) {
	if s.Calendar == nil {
		return kOK, farFuture, nil
	}
	loc := s.Calendar.Location()
	local := t.In(loc)
	day := clock.DateOf(local)
	midnight := after(t, wallClock(day, 24*60, loc))
	hours, err := s.hoursOn(day)
	if err != nil {
		return kShiftUnknown, midnight, err
	}
	m := local.Hour()*60 + local.Minute()
	for _, span := range hours {
		if m < span.From {
			return kOutsideShift, after(t, wallClock(day, span.From, loc)), nil
		}
		if m < span.To {
			return kOK, after(t, wallClock(day, span.To, loc)), nil
		}
	}
	return kOutsideShift, midnight, nil
}

func (s Shift) hoursOn(d clock.Date) (clock.Hours, error) {
	if s.Hours == nil {
		return s.Calendar.HoursOn(d)
	}
	working, err := s.Calendar.IsWorkingDay(d)
	if err != nil || !working {
		return nil, err
	}
	return s.Hours, nil
}

func wallClock(d clock.Date, minutes int, loc *time.Location) time.Time {
	return time.Date(d.Year, d.Month, d.Day, 0, minutes, 0, 0, loc)
}

// after returns until, or a minute after t when a clock change has put
// until at or before t, so that a cached answer always expires.
func after(t, until time.Time) time.Time {
	if until.After(t) {
		return until
	}
	return t.Add(time.Minute)
}
