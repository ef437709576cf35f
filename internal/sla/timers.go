package sla

import (
	"fmt"
	"time"

	"github.com/redress-project/redress/internal/clock"
	"github.com/redress-project/redress/internal/complaint"
	"github.com/redress-project/redress/internal/store"
)

// Timer kinds besides the warnings ("warning-75"; see warningKind).
const (
	KindBreach  = "breach"  // a clock runs out
	KindOverdue = "overdue" // a department's task passes its due time
)

// TaskClockPrefix begins the clock name of a task's timer: task:T1.
const TaskClockPrefix = "task:"

// timersFor returns the timers the case should have pending: a warning
// per threshold and a breach for each running clock, and an overdue alarm
// for each open task with a due time. A threshold that cannot be worked
// out (a calendar not covering the dates) is left out and reported.
func timersFor(rule *Rule, c *complaint.Case, states []*clockState) ([]store.Timer, []error) {
	var (
		timers   []store.Timer
		problems []error
	)
	for _, cs := range states {
		if !cs.running() {
			continue
		}
		name, due := cs.deadline.Name, cs.deadline.Due
		warnings := rule.Warnings
		if name != Regulator {
			warnings = rule.warnings(name)
		}
		for _, w := range warnings {
			at, err := cs.threshold(w.At)
			if err != nil {
				problems = append(problems, fmt.Errorf("case %s: %s warning at %d%%: %w", c.Ref, name, w.At, err))
				continue
			}
			timers = append(timers, store.Timer{CaseRef: c.Ref, Clock: name, Kind: warningKind(w.At), Epoch: cs.epoch, Due: due, FireAt: at})
		}
		timers = append(timers, store.Timer{CaseRef: c.Ref, Clock: name, Kind: KindBreach, Epoch: cs.epoch, Due: due, FireAt: due})
	}
	for _, t := range c.Tasks {
		if t.Open && !t.Due.IsZero() {
			timers = append(timers, store.Timer{CaseRef: c.Ref, Clock: TaskClockPrefix + t.ID, Kind: KindOverdue,
				Epoch: t.Due.UTC().Format(time.RFC3339Nano), Due: t.Due, FireAt: t.Due})
		}
	}
	return timers, problems
}

// threshold returns the instant at which percent of the clock's working
// time (between its start and its due, pauses not counted) is used up.
func (cs *clockState) threshold(percent int) (time.Time, error) {
	total, err := cs.measure.WorkingTimeBetween(cs.start, cs.deadline.Due, cs.pauses)
	if err != nil {
		return time.Time{}, err
	}
	target := total * time.Duration(percent) / 100
	at, err := reach(cs.measure, cs.start, cs.deadline.Due, cs.pauses, target)
	return complaint.Timestamp(at), err
}

// reach returns the earliest instant t in [start, end] with at least target
// working time between start and t. Working time grows with t, at the rate
// of real time inside working hours and not at all outside them, so a
// bisection to the second finds t's neighbourhood and one step back along
// that slope finds t exactly.
func reach(cal *clock.Calendar, start, end time.Time, pauses []clock.Interval, target time.Duration) (time.Time, error) {
	if target <= 0 {
		return start, nil
	}
	used := func(t time.Time) (time.Duration, error) { return cal.WorkingTimeBetween(start, t, pauses) }
	lo, hi := start, end
	for hi.Sub(lo) > time.Second {
		mid := lo.Add(hi.Sub(lo) / 2)
		w, err := used(mid)
		if err != nil {
			return time.Time{}, err
		}
		if w >= target {
			hi = mid
		} else {
			lo = mid
		}
	}
	w, err := used(hi)
	if err != nil {
		return time.Time{}, err
	}
	if exact := hi.Add(-(w - target)); exact.After(lo) {
		if w2, err := used(exact); err == nil && w2 == target {
			return exact, nil
		}
	}
	return hi, nil
}
