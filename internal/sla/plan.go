package sla

import (
	"encoding/json"
	"time"

	"github.com/redress-project/redress/internal/clock"
	"github.com/redress-project/redress/internal/complaint"
)

// This file reads a case's history into where each of its clocks stands.
// Everything is derived from the history and the recorded deadlines, never
// from how often an event was delivered, so the outbox handler can run any
// number of times and reach the same answer.

// run is one running of a clock: from the event that started it to the
// event that stopped it.
type run struct {
	start    time.Time
	startSeq int64
	stop     time.Time               // zero while running
	outcome  complaint.DeadlineState // met or cancelled, once stopped
}

// facts are what a case's history says about its clocks.
type facts struct {
	created    time.Time
	status     complaint.Status
	awaiting   []clock.Interval // spans the case waited on someone else; the last has a zero End while it still waits
	runs       map[string]*run  // the latest run of first_response, next_response, resolution and regulator
	deadlines  []deadlineEvent  // every deadline recorded, in order
	taskOpened map[string]time.Time
}

type deadlineEvent struct {
	seq int64
	d   complaint.Deadline
}

// readHistory goes through a case's events once.
func readHistory(history []complaint.Event) facts {
	f := facts{runs: map[string]*run{}, taskOpened: map[string]time.Time{}}
	answered := false // a staff member has written to the customer
	for _, e := range history {
		switch e.Kind {
		case complaint.KindCreated:
			f.created, f.status = e.At, complaint.StatusNew
			f.start(FirstResponse, e)
			f.start(Resolution, e)
			f.start(Regulator, e)
		case complaint.KindStatusChanged:
			var to complaint.Status
			if json.Unmarshal(e.After, &to) == nil {
				f.changeStatus(to, e)
			}
		case complaint.KindMessage:
			switch {
			case humanStaff(e.Actor.Role):
				answered = true
				f.stop(FirstResponse, complaint.DeadlineMet, e.At)
				f.stop(NextResponse, complaint.DeadlineMet, e.At)
			case e.Actor.Role == complaint.RoleCustomer && answered && f.status.Open() && !f.running(NextResponse):
				f.start(NextResponse, e)
			}
		case complaint.KindDeadline:
			var d complaint.Deadline
			if json.Unmarshal(e.After, &d) == nil {
				f.deadlines = append(f.deadlines, deadlineEvent{e.Seq, d})
			}
		case complaint.KindTaskOpened:
			var t complaint.Task
			if json.Unmarshal(e.After, &t) == nil {
				f.taskOpened[t.ID] = e.At
			}
		}
	}
	return f
}

// humanStaff reports whether a message by this role answers the customer:
// staff, but not the system's automatic messages.
func humanStaff(r complaint.Role) bool { return r.Staff() && r != complaint.RoleSystem }

func (f *facts) changeStatus(to complaint.Status, e complaint.Event) {
	from := f.status
	f.status = to
	switch {
	case to.Awaiting() && !from.Awaiting():
		f.awaiting = append(f.awaiting, clock.Interval{Start: e.At})
	case !to.Awaiting() && from.Awaiting() && len(f.awaiting) > 0:
		f.awaiting[len(f.awaiting)-1].End = e.At
	}
	switch to {
	case complaint.StatusResolved, complaint.StatusClosed:
		for _, name := range []string{FirstResponse, NextResponse, Resolution, Regulator} {
			f.stop(name, complaint.DeadlineMet, e.At)
		}
	case complaint.StatusWithdrawn:
		for _, name := range []string{FirstResponse, NextResponse, Resolution, Regulator} {
			f.stop(name, complaint.DeadlineCancelled, e.At)
		}
	case complaint.StatusReopened:
		f.start(Resolution, e)
	}
}

func (f *facts) start(name string, e complaint.Event) {
	f.runs[name] = &run{start: e.At, startSeq: e.Seq}
}

func (f *facts) stop(name string, outcome complaint.DeadlineState, at time.Time) {
	if r := f.runs[name]; r != nil && r.stop.IsZero() {
		r.stop, r.outcome = at, outcome
	}
}

func (f *facts) running(name string) bool {
	r := f.runs[name]
	return r != nil && r.stop.IsZero()
}

// awaitingNow reports whether the case waits on someone else now.
func (f *facts) awaitingNow() bool {
	return len(f.awaiting) > 0 && f.awaiting[len(f.awaiting)-1].End.IsZero()
}

// closedPauses returns the waiting spans that have ended.
func (f *facts) closedPauses() []clock.Interval {
	var out []clock.Interval
	for _, p := range f.awaiting {
		if !p.End.IsZero() {
			out = append(out, p)
		}
	}
	return out
}

// pausesUntil returns the waiting spans before t, the one still open
// ending at t.
func (f *facts) pausesUntil(t time.Time) []clock.Interval {
	var out []clock.Interval
	for _, p := range f.awaiting {
		if !p.Start.Before(t) {
			break
		}
		if p.End.IsZero() || p.End.After(t) {
			p.End = t
		}
		out = append(out, p)
	}
	return out
}

// record returns the deadline last recorded for the run of clock name that
// started at startSeq, and whether a warning or a breach was recorded for
// it with spec (an extension starts its warnings afresh).
func (f *facts) record(name string, startSeq int64, spec string) (last *complaint.Deadline, warned, breached bool) {
	for i := range f.deadlines {
		de := &f.deadlines[i]
		if de.d.Name != name || de.seq <= startSeq {
			continue
		}
		last = &de.d
		if de.d.Spec == spec {
			warned = warned || de.d.State == complaint.DeadlineWarning
			breached = breached || de.d.State == complaint.DeadlineBreached
		}
	}
	return last, warned, breached
}

// clockState is where one clock of a case stands: the deadline it should
// have recorded, and what its timers are measured against.
type clockState struct {
	deadline complaint.Deadline  // what should be recorded
	recorded *complaint.Deadline // what is recorded for this run, nil if nothing
	start    time.Time
	stop     time.Time
	measure  *clock.Calendar  // whose working time the thresholds count
	pauses   []clock.Interval // the pauses that count
	// waitingSince is when the wait pausing the clock began (paused clocks).
	waitingSince time.Time
	epoch        string
	err          error // the due could not be worked out
}

// running reports whether the clock is counting towards a breach, so its
// timers should be pending.
func (cs *clockState) running() bool {
	s := cs.deadline.State
	return cs.err == nil && !cs.deadline.Due.IsZero() && (s == complaint.DeadlineRunning || s == complaint.DeadlineWarning)
}

// changed reports whether the deadline must be recorded again.
func (cs *clockState) changed() bool {
	r, d := cs.recorded, cs.deadline
	return r == nil || r.Spec != d.Spec || !r.Due.Equal(d.Due) || r.State != d.State
}

var noneCalendar, _ = clock.Lookup("none")

// measureCalendar returns the calendar whose working time a clock of spec
// uses up: elapsed time (the none calendar) for m, h and d, the rule's
// working hours for bh, bd and ld.
func measureCalendar(cal *clock.Calendar, spec clock.Spec) *clock.Calendar {
	switch spec.Unit {
	case clock.UnitMinute, clock.UnitHour, clock.UnitDay:
		return noneCalendar
	}
	return cal
}

// plan works out every clock of the case under rule. override gives
// clocks a spec other than the recorded or the policy's (an extension).
func plan(rule *Rule, f *facts, override map[string]clock.Spec) []*clockState {
	var out []*clockState
	for _, name := range policyClocks {
		if cs := planClock(rule, f, name, override[name]); cs != nil {
			out = append(out, cs)
		}
	}
	if cs := planRegulator(rule, f); cs != nil {
		out = append(out, cs)
	}
	return out
}

// planClock works out a clock the policy starts.
func planClock(rule *Rule, f *facts, name string, override clock.Spec) *clockState {
	r := f.runs[name]
	if r == nil {
		return nil
	}
	last, _, _ := f.record(name, r.startSeq, "")
	spec, ok := specFor(rule, name, last, override)
	if !ok {
		return nil
	}
	_, warned, breached := f.record(name, r.startSeq, spec.String())
	cs := &clockState{recorded: last, start: r.start, stop: r.stop, measure: measureCalendar(rule.cal, spec),
		epoch: complaint.Timestamp(r.start).Format(time.RFC3339Nano) + "/" + spec.String()}
	state := complaint.DeadlineRunning
	switch {
	case !r.stop.IsZero():
		cs.pauses = pausable(spec, f.pausesUntil(r.stop))
		state = r.outcome
	case spec.Pausable() && f.awaitingNow():
		cs.pauses = f.closedPauses()
		cs.waitingSince = f.awaiting[len(f.awaiting)-1].Start
		state = complaint.DeadlinePaused
	default:
		cs.pauses = pausable(spec, f.closedPauses())
		if warned {
			state = complaint.DeadlineWarning
		}
	}
	due, err := rule.cal.Due(r.start, spec, cs.pauses)
	cs.err = err
	if err == nil {
		due = complaint.Timestamp(due)
	}
	if breached || state == complaint.DeadlineMet && err == nil && r.stop.After(due) {
		state = complaint.DeadlineBreached
	}
	cs.deadline = complaint.Deadline{Name: name, Spec: spec.String(), Due: due, State: state}
	return cs
}

// specFor returns the spec of a clock's run: an override, else the one
// recorded for the run (a deadline once promised does not move when the
// policy or the case's classification changes), else the policy's.
func specFor(rule *Rule, name string, last *complaint.Deadline, override clock.Spec) (clock.Spec, bool) {
	if override.N > 0 {
		return override, true
	}
	if last != nil {
		if s, err := clock.ParseSpec(last.Spec); err == nil {
			return s, true
		}
	}
	if cp := rule.Clock(name); cp != nil {
		return cp.Spec, true
	}
	return clock.Spec{}, false
}

func pausable(spec clock.Spec, pauses []clock.Interval) []clock.Interval {
	if !spec.Pausable() {
		return nil
	}
	return pauses
}

// planRegulator works out the regulator's deadline: its due and spec stay
// exactly as intake recorded them; only its state follows the case.
func planRegulator(rule *Rule, f *facts) *clockState {
	last, _, _ := f.record(Regulator, 0, "")
	if last == nil {
		return nil
	}
	_, warned, breached := f.record(Regulator, 0, last.Spec)
	r := f.runs[Regulator]
	cs := &clockState{recorded: last, start: f.created, measure: rule.cal,
		epoch: "regulator/" + last.Due.UTC().Format(time.RFC3339Nano)}
	if r != nil {
		cs.stop = r.stop
	}
	d := *last
	switch {
	case breached:
		d.State = complaint.DeadlineBreached
	case !cs.stop.IsZero():
		d.State = r.outcome
		if d.State == complaint.DeadlineMet && !d.Due.IsZero() && cs.stop.After(d.Due) {
			d.State = complaint.DeadlineBreached
		}
	case warned:
		d.State = complaint.DeadlineWarning
	default:
		d.State = complaint.DeadlineRunning
	}
	cs.deadline = d
	return cs
}
