package desk

import (
	"context"
	"time"

	"github.com/redress-project/redress/internal/access"
	"github.com/redress-project/redress/internal/complaint"
)

// SetDeadline records a service clock's new state on the case (the sla
// package calls this as access.SystemPrincipal).
func (d *Desk) SetDeadline(ctx context.Context, p access.Principal, ref string, dl complaint.Deadline) (*complaint.Case, []*complaint.Event, error) {
	return d.change(ctx, p, ref, access.SetDeadline, func(c *complaint.Case) ([]*complaint.Event, error) {
		return one(c.SetDeadline(dl, p.Actor(), d.now()))
	})
}

// Assess records what was understood from the case's text.
func (d *Desk) Assess(ctx context.Context, p access.Principal, ref string, a complaint.Assessment) (*complaint.Case, []*complaint.Event, error) {
	return d.change(ctx, p, ref, access.RecordAssessment, func(c *complaint.Case) ([]*complaint.Event, error) {
		return one(c.Assess(a, p.Actor(), d.now()))
	})
}

// AddRepeat links a repeat complaint to an open case.
func (d *Desk) AddRepeat(ctx context.Context, p access.Principal, ref string, r complaint.Repeat) (*complaint.Case, []*complaint.Event, error) {
	return d.change(ctx, p, ref, access.LinkRepeat, func(c *complaint.Case) ([]*complaint.Event, error) {
		return one(c.AddRepeat(r, p.Actor(), d.now()))
	})
}

// RevealPII records that p was shown a masked field of the case in full;
// the caller shows the value only after this succeeds.
func (d *Desk) RevealPII(ctx context.Context, p access.Principal, ref, field string) (*complaint.Case, error) {
	c, _, err := d.change(ctx, p, ref, access.RevealPII, func(c *complaint.Case) ([]*complaint.Event, error) {
		return one(c.RevealPII(field, p.Actor(), d.now()))
	})
	return c, err
}

// OpenTask asks another department for work on the case, due by due (zero
// for no deadline).
func (d *Desk) OpenTask(ctx context.Context, p access.Principal, ref, department, title string, due time.Time) (*complaint.Case, []*complaint.Event, error) {
	return d.change(ctx, p, ref, access.ManageTasks, func(c *complaint.Case) ([]*complaint.Event, error) {
		return one(c.OpenTask(department, title, due, p.Actor(), d.now()))
	})
}

// CloseTask records a department's outcome.
func (d *Desk) CloseTask(ctx context.Context, p access.Principal, ref, id, outcome string) (*complaint.Case, []*complaint.Event, error) {
	return d.change(ctx, p, ref, access.ManageTasks, func(c *complaint.Case) ([]*complaint.Event, error) {
		return one(c.CloseTask(id, outcome, p.Actor(), d.now()))
	})
}

// OverrideResolve resolves a case whose tasks are still open: only a
// supervisor may, with a reason.
func (d *Desk) OverrideResolve(ctx context.Context, p access.Principal, ref, reason string) (*complaint.Case, []*complaint.Event, error) {
	return d.change(ctx, p, ref, access.OverrideDecision, func(c *complaint.Case) ([]*complaint.Event, error) {
		return one(c.ResolveOverridingTasks(reason, p.Actor(), d.now(), d.rules))
	})
}
