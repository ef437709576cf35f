package assign

import (
	"context"

	"github.com/redress-project/redress/internal/access"
	"github.com/redress-project/redress/internal/complaint"
	"github.com/redress-project/redress/internal/route"
	"github.com/redress-project/redress/internal/store"
)

// SetProfile stores the skills, capacity and shift of agent agentID
// (prof.UserID and the account fields are ignored; the agent's
// availability is kept), then rebalances every agent over capacity (see
// RebalanceOverCapacity) and returns the stored profile and what moved.
// Only a supervisor may change a profile (access.ErrForbidden otherwise).
// A negative capacity, an unknown calendar or hours that do not parse are
// a *complaint.ValidationError naming the field; an agentID that is not an
// active agent or supervisor is complaint.ErrNotFound.
func (h *Handler) SetProfile(ctx context.Context, p access.Principal, agentID int64, prof store.AgentProfile) (store.AgentProfile, Result, error) {
	if err := access.AuthorizeAgent(p, access.ManageAgents, agentID); err != nil {
		return store.AgentProfile{}, Result{}, err
	}
	if prof.Capacity < 0 {
		return store.AgentProfile{}, Result{}, &complaint.ValidationError{Code: complaint.CodeInvalid, Field: "capacity",
			Message: "capacity must be 0 or more"}
	}
	if _, err := ParseShift(prof.Calendar, prof.Hours); err != nil {
		field := "calendar"
		if se, ok := err.(*ShiftError); ok {
			field = se.Field
		}
		return store.AgentProfile{}, Result{}, &complaint.ValidationError{Code: complaint.CodeInvalid, Field: field,
			Message: err.Error()}
	}
	profiles, err := h.store.AgentProfiles(ctx) // active agents and supervisors only
	if err != nil {
		return store.AgentProfile{}, Result{}, err
	}
	var cur *store.AgentProfile
	for i := range profiles {
		if profiles[i].UserID == agentID {
			cur = &profiles[i]
		}
	}
	if cur == nil {
		return store.AgentProfile{}, Result{}, complaint.ErrNotFound
	}
	next := *cur
	next.Languages, next.Categories, next.Channels = nonNil(prof.Languages), nonNil(prof.Categories), nonNil(prof.Channels)
	next.Capacity, next.Calendar, next.Hours = prof.Capacity, prof.Calendar, prof.Hours
	if err := h.store.UpsertAgentProfile(ctx, next); err != nil {
		return store.AgentProfile{}, Result{}, err
	}
	h.Invalidate()
	h.log.InfoContext(ctx, "assign: profile changed", "agent", agentID, "capacity", next.Capacity,
		"calendar", next.Calendar, "hours", next.Hours, "by", p.UserID)
	res, err := h.RebalanceOverCapacity(ctx)
	return next, res, err
}

// Profile is SetProfile for api.Options.Profile.
func (h *Handler) Profile(ctx context.Context, p access.Principal, agentID int64, prof store.AgentProfile) (saved store.AgentProfile, moves, stuck []route.Move, err error) {
	saved, res, err := h.SetProfile(ctx, p, agentID, prof)
	return saved, res.Moves, res.Stuck, err
}

func nonNil(list []string) []string {
	if list == nil {
		return []string{}
	}
	return list
}
