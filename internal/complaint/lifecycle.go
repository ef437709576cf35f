package complaint

import (
	"fmt"
	"time"
)

// Status is where a case stands in its lifecycle.
type Status string

// The statuses of the lifecycle:
//
//	new → acknowledged → in_progress ⇄ awaiting_customer | awaiting_merchant | awaiting_internal
//	in_progress → resolved → closed
//	resolved | closed → reopened (within the reopen window) → in_progress | awaiting_* | resolved
//	any open status → withdrawn
const (
	StatusNew              Status = "new"
	StatusAcknowledged     Status = "acknowledged"
	StatusInProgress       Status = "in_progress"
	StatusAwaitingCustomer Status = "awaiting_customer"
	StatusAwaitingMerchant Status = "awaiting_merchant"
	StatusAwaitingInternal Status = "awaiting_internal"
	StatusResolved         Status = "resolved"
	StatusClosed           Status = "closed"
	StatusReopened         Status = "reopened"
	StatusWithdrawn        Status = "withdrawn"
)

// Statuses lists every status in lifecycle order.
var Statuses = []Status{
	StatusNew, StatusAcknowledged, StatusInProgress,
	StatusAwaitingCustomer, StatusAwaitingMerchant, StatusAwaitingInternal,
	StatusResolved, StatusClosed, StatusReopened, StatusWithdrawn,
}

// Valid reports whether s is a known status.
func (s Status) Valid() bool { return contains(Statuses, s) }

// Open reports whether work on the case is still owed.
func (s Status) Open() bool {
	return s != StatusResolved && s != StatusClosed && s != StatusWithdrawn
}

// Awaiting reports whether the case waits on someone other than its owner;
// service clocks pause in these statuses.
func (s Status) Awaiting() bool {
	return s == StatusAwaitingCustomer || s == StatusAwaitingMerchant || s == StatusAwaitingInternal
}

var awaiting = []Status{StatusAwaitingCustomer, StatusAwaitingMerchant, StatusAwaitingInternal}

// transitions is the lifecycle graph: the statuses each status may move to.
// Withdrawal is allowed from every open status and added by CanTransition.
var transitions = map[Status][]Status{
	StatusNew:              {StatusAcknowledged},
	StatusAcknowledged:     {StatusInProgress},
	StatusInProgress:       append([]Status{StatusResolved}, awaiting...),
	StatusAwaitingCustomer: {StatusInProgress},
	StatusAwaitingMerchant: {StatusInProgress},
	StatusAwaitingInternal: {StatusInProgress},
	StatusResolved:         {StatusClosed, StatusReopened},
	StatusClosed:           {StatusReopened},
	StatusReopened:         append([]Status{StatusInProgress, StatusResolved}, awaiting...),
}

// Next lists the statuses a case in status s may move to, withdrawal included.
func (s Status) Next() []Status {
	next := append([]Status(nil), transitions[s]...)
	if s.Open() {
		next = append(next, StatusWithdrawn)
	}
	return next
}

// CanTransition reports whether the lifecycle graph has an edge from s to to.
// It does not check time windows; Case.Transition does.
func (s Status) CanTransition(to Status) bool { return contains(s.Next(), to) }

// AfterMessageFrom is the status a message from someone in role moves a
// case in status s to, or "" for none: the first staff message on a new
// case acknowledges it; the answer of the party a case is waiting for puts
// it back in progress, so its clocks run again.
func (s Status) AfterMessageFrom(role Role) Status {
	switch {
	case role.Staff() && s == StatusNew:
		return StatusAcknowledged
	case role == RoleCustomer && s == StatusAwaitingCustomer,
		role == RoleMerchant && s == StatusAwaitingMerchant:
		return StatusInProgress
	}
	return ""
}

// DefaultReopenWindow is how long after resolution or closing a customer may
// reopen a case.
const DefaultReopenWindow = 30 * 24 * time.Hour

// Rules are the tunable parts of the lifecycle.
type Rules struct {
	ReopenWindow time.Duration
}

// DefaultRules are the rules used when none are configured.
var DefaultRules = Rules{ReopenWindow: DefaultReopenWindow}

// checkTransition returns a *RuleError when c may not move to status to at now.
func (r Rules) checkTransition(c *Case, to Status, now time.Time, overrideTasks bool) error {
	if !to.Valid() {
		return invalid("status", fmt.Sprintf("unknown status %q", to))
	}
	if !c.Status.CanTransition(to) {
		return &RuleError{Code: CodeIllegalTransition,
			Message: fmt.Sprintf("a case that is %s cannot become %s", c.Status, to)}
	}
	if to == StatusResolved && len(c.OpenTasks()) > 0 && !overrideTasks {
		return &RuleError{Code: CodeOpenTasks,
			Message: fmt.Sprintf("the case has %d open task(s) with other departments; close them first, or a supervisor may override", len(c.OpenTasks()))}
	}
	if to == StatusReopened {
		since := c.ResolvedAt
		if c.Status == StatusClosed {
			since = c.ClosedAt
		}
		if since.IsZero() || now.Sub(since) > r.ReopenWindow {
			return &RuleError{Code: CodeReopenWindowPassed,
				Message: fmt.Sprintf("a case can be reopened only within %s of being %s", formatWindow(r.ReopenWindow), c.Status)}
		}
	}
	return nil
}

func formatWindow(d time.Duration) string {
	if d%(24*time.Hour) == 0 {
		return fmt.Sprintf("%d days", d/(24*time.Hour))
	}
	return d.String()
}

// CanAdvanceStage reports whether a case may move from stage s to to:
// stages only move forward, and may skip (a regulator referral can follow
// a complaint directly).
func (s Stage) CanAdvanceStage(to Stage) bool {
	return to.Valid() && index(Stages, to) > index(Stages, s)
}
