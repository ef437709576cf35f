package sla

import (
	"math"
	"strings"
	"time"

	"github.com/redress-project/redress/internal/clock"
	"github.com/redress-project/redress/internal/complaint"
)

// ClockView describes one clock of a case for display: the customer's case
// page shows the public ones ("we owe you an answer by …"), the agent
// console all of them.
type ClockView struct {
	Name  string                  `json:"name"` // first_response, next_response, resolution, regulator, task:T1
	Spec  string                  `json:"spec,omitempty"`
	Due   time.Time               `json:"due,omitzero"`
	State complaint.DeadlineState `json:"state"`
	// Public is true for the deadlines the customer is owed; task clocks
	// are for staff only.
	Public bool `json:"public"`
	// Remaining is the time until Due (negative once it has passed); for a
	// paused clock, the working time it has left; zero once settled.
	Remaining time.Duration `json:"remaining"`
	// PercentUsed is the share of the clock's working time used, 0 to 100
	// and beyond once overdue, to one decimal.
	PercentUsed float64 `json:"percent_used"`
}

// Describe returns the clocks of a case at now, as the service sees them.
// history is the case's events; the public ones are enough. Without it the
// figures assume the clocks started when the case was filed and never paused.
func (s *Service) Describe(c *complaint.Case, history []complaint.Event, now time.Time) []ClockView {
	return s.policies.Describe(c, history, s.tier(c), now)
}

// Describe returns the clocks of a case at now under these policies; tier
// is the customer's service tier ("" for DefaultTier). See Service.Describe.
func (p *Policies) Describe(c *complaint.Case, history []complaint.Event, tier string, now time.Time) []ClockView {
	rule := p.Select(c, tier)
	f := readHistory(history)
	states := map[string]*clockState{}
	for _, cs := range plan(rule, &f, nil) {
		states[cs.deadline.Name] = cs
	}
	var views []ClockView
	for _, d := range c.Deadlines {
		cs := states[d.Name]
		if cs == nil || cs.deadline.Spec != d.Spec || !cs.deadline.Due.Equal(d.Due) {
			cs = assumed(rule, c, d)
		}
		views = append(views, view(d, cs, now, true))
	}
	for _, t := range c.Tasks {
		if !t.Open || t.Due.IsZero() {
			continue
		}
		d := complaint.Deadline{Name: TaskClockPrefix + t.ID, Due: t.Due, State: complaint.DeadlineRunning}
		start, ok := f.taskOpened[t.ID]
		if !ok {
			start = c.CreatedAt
		}
		views = append(views, view(d, &clockState{start: start, measure: noneCalendar}, now, false))
	}
	return views
}

// assumed is the clock of a recorded deadline when the history does not
// say more: started when the case was filed, never paused.
func assumed(rule *Rule, c *complaint.Case, d complaint.Deadline) *clockState {
	cs := &clockState{start: c.CreatedAt, measure: rule.cal}
	if spec, err := clock.ParseSpec(d.Spec); err == nil {
		cs.measure = measureCalendar(rule.cal, spec)
	}
	if !d.State.Valid() || d.State == complaint.DeadlineMet || d.State == complaint.DeadlineCancelled {
		cs.stop = c.UpdatedAt
	}
	return cs
}

// view describes deadline d of clock cs at now.
func view(d complaint.Deadline, cs *clockState, now time.Time, public bool) ClockView {
	v := ClockView{Name: d.Name, Spec: d.Spec, Due: d.Due, State: d.State, Public: public && !strings.HasPrefix(d.Name, TaskClockPrefix)}
	if d.Due.IsZero() {
		return v
	}
	settled := d.State == complaint.DeadlineMet || d.State == complaint.DeadlineCancelled
	until := now
	if !cs.stop.IsZero() && (settled || cs.stop.Before(now)) {
		until = cs.stop
	}
	pauses := cs.pauses
	if d.State == complaint.DeadlinePaused {
		pauses = append(pauses[:len(pauses):len(pauses)], clock.Interval{Start: lastPauseStart(cs, now), End: now})
	}
	total, errT := cs.measure.WorkingTimeBetween(cs.start, d.Due, cs.pauses)
	used, errU := cs.measure.WorkingTimeBetween(cs.start, until, pauses)
	if errT == nil && errU == nil {
		switch {
		case total > 0:
			v.PercentUsed = math.Round(1000*float64(used)/float64(total)) / 10
		case !until.Before(d.Due):
			v.PercentUsed = 100
		}
	}
	switch {
	case settled:
	case d.State == complaint.DeadlinePaused:
		if errT == nil && errU == nil {
			v.Remaining = total - used
		}
	default:
		v.Remaining = d.Due.Sub(now)
		if v.Remaining <= 0 && d.State != complaint.DeadlineBreached {
			v.State = complaint.DeadlineBreached // due passed; the breach timer is about to fire
		}
	}
	return v
}

// lastPauseStart returns when the wait that pauses the clock began.
func lastPauseStart(cs *clockState, now time.Time) time.Time {
	if cs.waitingSince.IsZero() {
		return now
	}
	return cs.waitingSince
}
