package demo

import (
	"context"
	"fmt"
	"strings"
	"time"

	"github.com/redress-project/redress/internal/access"
	"github.com/redress-project/redress/internal/complaint"
	"github.com/redress-project/redress/internal/desk"
)

// A case's history can be run in two ways, which give the same events:
//
//   - do runs each action as a desk call: the desk loads the case,
//     authorizes, runs the domain command and stores its events, one write
//     per action (Options.ViaDesk).
//   - history runs the same domain commands under the same access rules and
//     lifecycle rules on the filed case in memory, and returns every event
//     for one AppendEvents. A demo case has a dozen actions, so this is a
//     dozen times fewer writes and no reads, which is what lets "redress
//     demo" seed thousands of cases in seconds. TestHistoryMatchesDesk
//     checks that both give the same cases and events.

// do runs one action through the desk.
func (s *seeder) do(ctx context.Context, dk *desk.Desk, p *plan, ref string, a action) error {
	who := s.principal(p, a.by, a.staff)
	text := strings.ReplaceAll(a.text, "{ref}", ref)
	var err error
	switch a.op {
	case opMessage:
		_, _, err = dk.Message(ctx, who, ref, text)
	case opNote:
		_, _, err = dk.Note(ctx, who, ref, text)
	case opTransition:
		_, _, err = dk.Transition(ctx, who, ref, a.status, text)
	case opAssign:
		_, _, err = dk.Assign(ctx, who, ref, s.assignment(a.assign))
	case opClassify:
		_, _, err = dk.Classify(ctx, who, ref, a.class)
	case opStage:
		_, _, err = dk.AdvanceStage(ctx, who, ref, a.stage, text)
	case opLink:
		_, _, err = dk.LinkTransaction(ctx, who, ref, a.tx)
	default:
		err = fmt.Errorf("unknown action %d", a.op)
	}
	return err
}

// history applies the plan's actions to c, the case as filed, and returns
// the events they record, as the desk would have recorded them.
func (s *seeder) history(p *plan, c *complaint.Case) ([]*complaint.Event, error) {
	var events []*complaint.Event
	for k, a := range p.actions {
		es, err := s.apply(c, s.principal(p, a.by, a.staff), a, p.filedAt.Add(a.at))
		if err != nil {
			return nil, fmt.Errorf("demo: case %d (%s) action %d (%d): %w", p.index, c.Ref, k, a.op, err)
		}
		events = append(events, es...)
	}
	return events, nil
}

// apply is one desk command on a case in memory: authorize as the desk
// does, run the domain command, and add the desk's follow-up transition
// for messages.
func (s *seeder) apply(c *complaint.Case, who access.Principal, a action, now time.Time) ([]*complaint.Event, error) {
	if err := access.Authorize(who, actionOf(who.Role, a), c); err != nil {
		return nil, err
	}
	actor := who.Actor()
	text := strings.ReplaceAll(a.text, "{ref}", c.Ref)
	switch a.op {
	case opMessage:
		e, err := c.Message(text, actor, now)
		if err != nil {
			return nil, err
		}
		events := []*complaint.Event{&e}
		if follow := c.Status.AfterMessageFrom(who.Role); follow != "" {
			more, err := c.Transition(follow, "", actor, now, complaint.DefaultRules)
			if err != nil {
				return nil, err
			}
			events = append(events, &more)
		}
		return events, nil
	case opNote:
		return single(c.Note(text, actor, now))
	case opTransition:
		return single(c.Transition(a.status, text, actor, now, complaint.DefaultRules))
	case opAssign:
		return single(c.Assign(s.assignment(a.assign), actor, now))
	case opClassify:
		return single(c.Classify(a.class, actor, now))
	case opStage:
		return single(c.AdvanceStage(a.stage, text, actor, now))
	case opLink:
		return single(c.LinkTransaction(a.tx, actor, now))
	}
	return nil, fmt.Errorf("unknown action %d", a.op)
}

func single(e complaint.Event, err error) ([]*complaint.Event, error) {
	if err != nil {
		return nil, err
	}
	return []*complaint.Event{&e}, nil
}

// actionOf is the access.Action the desk authorizes for an action.
func actionOf(role complaint.Role, a action) access.Action {
	switch a.op {
	case opMessage:
		return access.PostMessage
	case opNote:
		return access.AddNote
	case opAssign:
		return access.AssignCase
	case opClassify:
		return access.ClassifyCase
	case opStage:
		return access.AdvanceStage
	case opLink:
		return access.LinkTransaction
	}
	switch {
	case role.Staff():
		return access.Transition
	case a.status == complaint.StatusWithdrawn:
		return access.Withdraw
	case a.status == complaint.StatusReopened:
		return access.Reopen
	}
	return access.Transition
}
