package desk

import (
	"context"
	"errors"
	"math/rand/v2"
	"time"

	"github.com/redress-project/redress/internal/access"
	"github.com/redress-project/redress/internal/complaint"
)

// command runs domain commands on a loaded case and returns the events it
// recorded. It may return no events and no error to change nothing.
type command func(c *complaint.Case) ([]*complaint.Event, error)

// change loads the case, authorizes action on it, runs cmd and stores the
// events; after a concurrent change it reloads and tries again.
func (d *Desk) change(ctx context.Context, p access.Principal, ref string, action access.Action, cmd command) (*complaint.Case, []*complaint.Event, error) {
	for attempt := range maxChangeAttempts {
		if attempt > 0 {
			if err := backoff(ctx, attempt); err != nil {
				return nil, nil, err
			}
		}
		c, err := d.load(ctx, ref)
		if err != nil {
			return nil, nil, err
		}
		if err := access.Authorize(p, action, c); err != nil {
			return nil, nil, err
		}
		events, err := cmd(c)
		if err != nil || len(events) == 0 {
			return c, nil, err
		}
		err = d.store.AppendEvents(ctx, c, events...)
		if errors.Is(err, complaint.ErrConflict) {
			continue
		}
		return c, events, err
	}
	return nil, nil, complaint.ErrConflict
}

// maxChangeAttempts bounds how often a change is retried after losing a
// race with another change to the same case.
const maxChangeAttempts = 20

// backoff waits a little longer after each lost race, with jitter so that
// the racers spread out.
func backoff(ctx context.Context, attempt int) error {
	wait := time.Duration(attempt) * time.Millisecond * time.Duration(1+rand.IntN(4))
	t := time.NewTimer(wait)
	defer t.Stop()
	select {
	case <-ctx.Done():
		return ctx.Err()
	case <-t.C:
		return nil
	}
}

// one adapts a single-event domain command.
func one(e complaint.Event, err error) ([]*complaint.Event, error) {
	if err != nil {
		return nil, err
	}
	return []*complaint.Event{&e}, nil
}

// Message posts on the case's public thread. The first staff message on a
// new case acknowledges it; a customer's message on a case awaiting them
// puts it back in progress, so the clocks run again.
func (d *Desk) Message(ctx context.Context, p access.Principal, ref, body string) (*complaint.Case, []*complaint.Event, error) {
	return d.change(ctx, p, ref, access.PostMessage, func(c *complaint.Case) ([]*complaint.Event, error) {
		now := d.now()
		events, err := one(c.Message(body, p.Actor(), now))
		if err != nil {
			return nil, err
		}
		if follow := c.Status.AfterMessageFrom(p.Role); follow != "" {
			more, err := one(c.Transition(follow, "", p.Actor(), now, d.rules))
			if err != nil {
				return nil, err
			}
			events = append(events, more...)
		}
		return events, nil
	})
}

// Note adds an internal note.
func (d *Desk) Note(ctx context.Context, p access.Principal, ref, body string) (*complaint.Case, []*complaint.Event, error) {
	return d.change(ctx, p, ref, access.AddNote, func(c *complaint.Case) ([]*complaint.Event, error) {
		return one(c.Note(body, p.Actor(), d.now()))
	})
}

// Transition moves the case to another status. Customers may only withdraw
// or reopen their own cases; staff may make any move the lifecycle allows.
func (d *Desk) Transition(ctx context.Context, p access.Principal, ref string, to complaint.Status, reason string) (*complaint.Case, []*complaint.Event, error) {
	return d.change(ctx, p, ref, transitionAction(p.Role, to), func(c *complaint.Case) ([]*complaint.Event, error) {
		return one(c.Transition(to, reason, p.Actor(), d.now(), d.rules))
	})
}

func transitionAction(role complaint.Role, to complaint.Status) access.Action {
	if role.Staff() {
		return access.Transition
	}
	switch to {
	case complaint.StatusWithdrawn:
		return access.Withdraw
	case complaint.StatusReopened:
		return access.Reopen
	}
	return access.Transition
}

// Assign hands the case to a team and optionally an agent. The agent must
// be a staff account; their name is taken from the account, not the caller.
func (d *Desk) Assign(ctx context.Context, p access.Principal, ref string, to complaint.Assignment) (*complaint.Case, []*complaint.Event, error) {
	to, err := d.resolveAssignee(ctx, to)
	if err != nil {
		return nil, nil, err
	}
	return d.change(ctx, p, ref, access.AssignCase, func(c *complaint.Case) ([]*complaint.Event, error) {
		return one(c.Assign(to, p.Actor(), d.now()))
	})
}

// Classify sets or corrects category, severity and priority; corrections by
// agents are the training data of the classifier.
func (d *Desk) Classify(ctx context.Context, p access.Principal, ref string, to complaint.Classification) (*complaint.Case, []*complaint.Event, error) {
	return d.change(ctx, p, ref, access.ClassifyCase, func(c *complaint.Case) ([]*complaint.Event, error) {
		return one(c.Classify(to, p.Actor(), d.now()))
	})
}

// AdvanceStage moves the case to a later stage.
func (d *Desk) AdvanceStage(ctx context.Context, p access.Principal, ref string, to complaint.Stage, reason string) (*complaint.Case, []*complaint.Event, error) {
	return d.change(ctx, p, ref, access.AdvanceStage, func(c *complaint.Case) ([]*complaint.Event, error) {
		return one(c.AdvanceStage(to, reason, p.Actor(), d.now()))
	})
}

// LinkTransaction attaches transaction evidence to the case.
func (d *Desk) LinkTransaction(ctx context.Context, p access.Principal, ref string, t complaint.Transaction) (*complaint.Case, []*complaint.Event, error) {
	return d.change(ctx, p, ref, access.LinkTransaction, func(c *complaint.Case) ([]*complaint.Event, error) {
		return one(c.LinkTransaction(t, p.Actor(), d.now()))
	})
}

func (d *Desk) resolveAssignee(ctx context.Context, to complaint.Assignment) (complaint.Assignment, error) {
	to.AssigneeName = ""
	if err := to.Validate(); err != nil || to.AssigneeID == 0 {
		return to, err
	}
	u, err := d.store.UserByID(ctx, to.AssigneeID)
	if errors.Is(err, complaint.ErrNotFound) || err == nil && (u.Disabled || !canHoldCases(u.Role)) {
		return to, &complaint.ValidationError{Code: complaint.CodeInvalid, Field: "assignee_id",
			Message: "the assignee must be an active agent or supervisor"}
	}
	if err != nil {
		return to, err
	}
	to.AssigneeName = u.Name
	return to, nil
}

func canHoldCases(r complaint.Role) bool {
	return r == complaint.RoleAgent || r == complaint.RoleSupervisor
}
