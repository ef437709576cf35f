package sla

import (
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/redress-project/redress/internal/access"
	"github.com/redress-project/redress/internal/complaint"
	"github.com/redress-project/redress/internal/store"
)

// fireFunc returns what the scheduler does with a case's due timers at
// now: record the warning or breach on the deadline and carry out the
// policy's actions, all as events of the system in the firing's
// transaction. A timer whose clock has moved on (met, paused, another due)
// is stale and does nothing.
func (s *Service) fireFunc(now time.Time) store.FireFunc {
	return func(c *complaint.Case, due []store.Timer) ([]*complaint.Event, error) {
		f := &firing{recorder: recorder{c: c, now: now}, rule: s.policies.Select(c, s.tier(c)), policies: s.policies}
		for _, tm := range due {
			if err := f.fire(tm); err != nil {
				return nil, fmt.Errorf("firing %s/%s of case %s: %w", tm.Clock, tm.Kind, c.Ref, err)
			}
		}
		return f.events, nil
	}
}

// recorder runs domain commands on a case as the system, authorized like
// the desk authorizes them, and collects their events.
type recorder struct {
	c      *complaint.Case
	now    time.Time
	events []*complaint.Event
}

func (r *recorder) record(action access.Action, cmd func(actor complaint.Actor, now time.Time) (complaint.Event, error)) error {
	if err := access.Authorize(access.SystemPrincipal, action, r.c); err != nil {
		return err
	}
	e, err := cmd(access.SystemPrincipal.Actor(), r.now)
	if err != nil {
		return err
	}
	r.events = append(r.events, &e)
	return nil
}

func (r *recorder) setDeadline(d complaint.Deadline) error {
	return r.record(access.SetDeadline, func(a complaint.Actor, now time.Time) (complaint.Event, error) {
		return r.c.SetDeadline(d, a, now)
	})
}

func (r *recorder) note(body string) error {
	return r.record(access.AddNote, func(a complaint.Actor, now time.Time) (complaint.Event, error) {
		return r.c.Note(body, a, now)
	})
}

type firing struct {
	recorder
	rule     *Rule
	policies *Policies
}

func (f *firing) fire(tm store.Timer) error {
	if id, ok := strings.CutPrefix(tm.Clock, TaskClockPrefix); ok {
		return f.taskOverdue(id, tm)
	}
	dl, ok := f.c.DeadlineNamed(tm.Clock)
	if !ok || !dl.Due.Equal(tm.Due) || dl.State != complaint.DeadlineRunning && dl.State != complaint.DeadlineWarning {
		return nil
	}
	if at, ok := warningAt(tm.Kind); ok {
		if dl.State == complaint.DeadlineRunning {
			dl.State = complaint.DeadlineWarning
			if err := f.setDeadline(dl); err != nil {
				return err
			}
		}
		return f.act(f.rule.warningActions(dl.Name, at),
			fmt.Sprintf("SLA warning: %s has used %d%% of its time (%s); due %s.", dl.Name, at, specText(dl), f.format(dl.Due)))
	}
	if tm.Kind != KindBreach {
		return nil
	}
	dl.State = complaint.DeadlineBreached
	if err := f.setDeadline(dl); err != nil {
		return err
	}
	return f.act(f.rule.breachActions(dl.Name),
		fmt.Sprintf("SLA breach: %s ran out at %s (%s).", dl.Name, f.format(dl.Due), specText(dl)))
}

func specText(d complaint.Deadline) string { return cmpOr(d.Spec, "as set at intake") }

// taskOverdue escalates an open task past its due time.
func (f *firing) taskOverdue(id string, tm store.Timer) error {
	i := slices.IndexFunc(f.c.Tasks, func(t complaint.Task) bool { return t.ID == id })
	if i < 0 || !f.c.Tasks[i].Open || !f.c.Tasks[i].Due.Equal(tm.Due) {
		return nil
	}
	t := f.c.Tasks[i]
	return f.act(f.policies.TaskOverdue,
		fmt.Sprintf("Task %s for %s (%s) is overdue: it was due %s.", t.ID, t.Department, t.Title, f.format(t.Due)))
}

func (f *firing) format(t time.Time) string {
	return t.In(f.rule.cal.Location()).Format("2006-01-02 15:04 MST")
}

// act carries out actions; why says what prompted them.
func (f *firing) act(actions []Action, why string) error {
	for _, a := range actions {
		var err error
		switch a.Kind {
		case Notify:
			err = f.note(why)
		case RaisePriority:
			err = f.raisePriority()
		case Reassign:
			err = f.assign(a.Team)
		case Escalate:
			team := cmpOr(a.Team, f.policies.SupervisorTeam)
			if err = f.assign(team); err == nil {
				err = f.note("Escalated to " + team + ". " + why)
			}
		}
		if err != nil {
			return fmt.Errorf("%s: %w", a, err)
		}
	}
	return nil
}

// raisePriority raises the priority one step; a P1 case stays P1.
func (f *firing) raisePriority() error {
	rank := f.c.Priority.Rank()
	if rank <= 1 {
		return nil
	}
	to := complaint.Classification{Category: f.c.Category, Severity: f.c.Severity, Priority: complaint.Priorities[rank-2]}
	return f.record(access.ClassifyCase, func(a complaint.Actor, now time.Time) (complaint.Event, error) {
		return f.c.Classify(to, a, now)
	})
}

// assign hands the case to team's queue, unless it is there already.
func (f *firing) assign(team string) error {
	if f.c.Team == team && f.c.AssigneeID == 0 {
		return nil
	}
	return f.record(access.AssignCase, func(a complaint.Actor, now time.Time) (complaint.Event, error) {
		return f.c.Assign(complaint.Assignment{Team: team}, a, now)
	})
}
