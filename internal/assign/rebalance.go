package assign

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"

	"github.com/redress-project/redress/internal/access"
	"github.com/redress-project/redress/internal/complaint"
	"github.com/redress-project/redress/internal/route"
	"github.com/redress-project/redress/internal/store"
)

// Result is what rebalancing did: the cases it gave to other agents
// (Moves; Move.To.Agent is the new holder, Move.Reason is recorded on the
// case's assigned event) and those nobody could take, which stay with
// their holder (Stuck; Move.Reason says why). Assigned are the waiting
// cases routed when an agent came back online.
type Result struct {
	Moves    []route.Move
	Stuck    []route.Move
	Assigned []route.Decision
}

// SetAvailability records whether agent agentID takes cases. An agent may
// change their own availability, a supervisor anyone's; anybody else gets
// access.ErrForbidden. An unknown availability is a
// *complaint.ValidationError, an agentID that is not an active agent or
// supervisor complaint.ErrNotFound.
//
// When the agent goes away or off shift, their open cases are rebalanced
// (route.Router.Rebalance): each one another agent can take is assigned to
// them by the system, with routing's reason; the others, and those a
// supervisor assigned (pinned), stay with the agent. When they come back
// online, the waiting cases of their team (see AssignWaiting) are routed.
func (h *Handler) SetAvailability(ctx context.Context, p access.Principal, agentID int64, av route.Availability) (Result, error) {
	if err := access.AuthorizeAgent(p, access.SetAvailability, agentID); err != nil {
		return Result{}, err
	}
	if !av.Valid() {
		return Result{}, &complaint.ValidationError{Code: complaint.CodeInvalid, Field: "availability",
			Message: fmt.Sprintf("availability must be %s, %s or %s", route.Online, route.Away, route.OffShift)}
	}
	u, err := h.store.UserByID(ctx, agentID)
	if err != nil {
		return Result{}, err
	}
	if u.Disabled || u.Role != complaint.RoleAgent && u.Role != complaint.RoleSupervisor {
		return Result{}, complaint.ErrNotFound
	}
	if err := h.store.SetAgentAvailability(ctx, agentID, string(av)); err != nil {
		return Result{}, err
	}
	h.Invalidate()
	h.log.InfoContext(ctx, "assign: availability changed", "agent", agentID, "availability", av, "by", p.UserID)
	if av == route.Online {
		assigned, err := h.AssignWaiting(ctx, u.Team)
		return Result{Assigned: assigned}, err
	}
	return h.rebalance(ctx, []int64{agentID})
}

// Availability is SetAvailability for api.Options.Availability: moves
// holds the cases rebalanced away from the agent and, when they came back
// online, the waiting cases routed (with From zero).
func (h *Handler) Availability(ctx context.Context, p access.Principal, agentID int64, av route.Availability) (moves, stuck []route.Move, err error) {
	res, err := h.SetAvailability(ctx, p, agentID, av)
	moves = res.Moves
	for _, d := range res.Assigned {
		moves = append(moves, route.Move{CaseRef: d.CaseRef, To: d, Reason: d.Reason})
	}
	return moves, res.Stuck, err
}

// AssignWaiting routes, in queue order, the open cases of team (every team
// when empty) that wait unassigned and that routing may assign (nobody
// ever held them; see Route), at most store.MaxLimit of them, and returns
// the decisions of those it assigned. Call it when capacity frees up: an
// agent comes online, their capacity is raised.
func (h *Handler) AssignWaiting(ctx context.Context, team string) ([]route.Decision, error) {
	sys := access.SystemPrincipal
	var open []complaint.Status
	for _, st := range complaint.Statuses {
		if st.Open() {
			open = append(open, st)
		}
	}
	none := int64(0)
	page, err := h.store.ListCases(ctx, store.CaseFilter{Statuses: open, AssigneeID: &none, Team: team,
		Sort: "priority", Limit: store.MaxLimit})
	if err != nil {
		return nil, err
	}
	var items []route.Item
	for _, listed := range page.Cases {
		c, events, err := h.desk.View(ctx, sys, listed.Ref)
		if errors.Is(err, complaint.ErrNotFound) {
			continue
		}
		if err != nil {
			return nil, err
		}
		if !eligible(c, events) || c.Assessment == nil && (c.Category == "" || c.Category == complaint.DefaultCategory) {
			continue // a person's choice stands; triage routes what it assesses
		}
		item := route.FromCase(c, earliestRunningDeadline(c), false)
		if item.Language == "" && c.Assessment != nil {
			item.Language = c.Assessment.Language
		}
		items = append(items, item)
	}
	if len(items) == 0 {
		return nil, nil
	}

	h.mu.Lock()
	defer h.mu.Unlock()
	h.router = nil
	r, err := h.roster(ctx)
	if err != nil {
		return nil, err
	}
	teams := make(map[string]string, len(items))
	for _, it := range items {
		teams[it.CaseRef] = it.Team
	}
	var out []route.Decision
	for _, d := range r.AssignQueue(items, h.now()) {
		if d.Outcome != route.Assigned {
			continue
		}
		team := teams[d.CaseRef]
		if a, ok := r.Agent(d.Agent.ID); ok && a.Team != "" {
			team = a.Team
		}
		_, recorded, err := h.desk.Assign(ctx, sys, d.CaseRef, complaint.Assignment{Team: team, AssigneeID: d.Agent.ID, Reason: d.Reason})
		if err != nil {
			h.router = nil
			return out, fmt.Errorf("assign: recording the assignment of %s: %w", d.CaseRef, err)
		}
		if restored, err := h.undoOverride(ctx, d.CaseRef, recorded); err != nil || restored {
			h.router = nil
			if err != nil {
				return out, err
			}
			continue
		}
		h.log.InfoContext(ctx, "assign: waiting case assigned", "case", d.CaseRef, "agent", d.Agent.ID, "reason", d.Reason)
		out = append(out, d)
	}
	return out, nil
}

// RebalanceOverCapacity moves the excess cases of every agent who holds
// more open cases than their capacity (after it was lowered, say), and
// every case of an agent who is away or off shift, to agents who can take
// them. Call it after profile changes, or on a timer.
func (h *Handler) RebalanceOverCapacity(ctx context.Context) (Result, error) {
	profiles, err := h.store.AgentProfiles(ctx)
	if err != nil {
		return Result{}, err
	}
	loads, err := h.store.OpenCaseLoads(ctx)
	if err != nil {
		return Result{}, err
	}
	var holders []int64
	for _, p := range profiles {
		n := loads[p.UserID]
		if n > 0 && (n > p.Capacity || p.Availability != string(route.Online)) {
			holders = append(holders, p.UserID)
		}
	}
	if len(holders) == 0 {
		return Result{}, nil
	}
	return h.rebalance(ctx, holders)
}

// rebalance moves what must move of the open cases the holders hold, on a
// roster read afresh.
func (h *Handler) rebalance(ctx context.Context, holders []int64) (Result, error) {
	sys := access.SystemPrincipal
	var items []route.Item
	for _, id := range holders {
		refs, err := h.store.OpenCaseRefsOf(ctx, id)
		if err != nil {
			return Result{}, err
		}
		for _, ref := range refs {
			c, events, err := h.desk.View(ctx, sys, ref)
			if errors.Is(err, complaint.ErrNotFound) {
				continue
			}
			if err != nil {
				return Result{}, err
			}
			if !c.Status.Open() || c.AssigneeID != id {
				continue // changed since it was listed
			}
			item := route.FromCase(c, earliestRunningDeadline(c), pinned(events))
			if item.Language == "" && c.Assessment != nil {
				item.Language = c.Assessment.Language
			}
			items = append(items, item)
		}
	}

	h.mu.Lock()
	defer h.mu.Unlock()
	h.router = nil // rebalance on the store's current loads and profiles
	r, err := h.roster(ctx)
	if err != nil {
		return Result{}, err
	}
	teams := make(map[string]string, len(items))
	for _, it := range items {
		teams[it.CaseRef] = it.Team
	}
	moves, stuck := r.Rebalance(items, h.now())
	res := Result{Stuck: stuck}
	for _, m := range moves {
		team := teams[m.CaseRef]
		if a, ok := r.Agent(m.To.Agent.ID); ok && a.Team != "" {
			team = a.Team
		}
		_, recorded, err := h.desk.Assign(ctx, sys, m.CaseRef,
			complaint.Assignment{Team: team, AssigneeID: m.To.Agent.ID, Reason: m.Reason})
		if err != nil {
			h.router = nil // the router counted moves the store does not have
			return res, fmt.Errorf("assign: rebalancing %s: %w", m.CaseRef, err)
		}
		if restored, err := h.undoRebalanceOverride(ctx, m, recorded); err != nil || restored {
			h.router = nil
			if err != nil {
				return res, err
			}
			continue
		}
		h.log.InfoContext(ctx, "assign: case rebalanced", "case", m.CaseRef, "from", m.From.ID,
			"to", m.To.Agent.ID, "reason", m.Reason)
		res.Moves = append(res.Moves, m)
	}
	for _, m := range stuck {
		h.log.InfoContext(ctx, "assign: case stays with its holder", "case", m.CaseRef, "agent", m.From.ID, "reason", m.Reason)
	}
	return res, nil
}

// undoRebalanceOverride puts back the assignment a person made between the
// reading of the case and its move: if the case no longer belonged to the
// agent it was moved from, routing does not override whoever holds it.
func (h *Handler) undoRebalanceOverride(ctx context.Context, m route.Move, recorded []*complaint.Event) (bool, error) {
	for _, e := range recorded {
		if e.Kind != complaint.KindAssigned {
			continue
		}
		var before complaint.Assignment
		if err := json.Unmarshal(e.Before, &before); err != nil {
			return false, err
		}
		if before.AssigneeID == m.From.ID {
			return false, nil
		}
		before.Reason = "restored: the case was assigned by hand while it was being rebalanced"
		if _, _, err := h.desk.Assign(ctx, access.SystemPrincipal, m.CaseRef, before); err != nil {
			return false, fmt.Errorf("assign: restoring the manual assignment of %s: %w", m.CaseRef, err)
		}
		h.log.WarnContext(ctx, "assign: rebalancing raced with a manual assignment; restored it", "case", m.CaseRef,
			"agent", before.AssigneeID)
		return true, nil
	}
	return false, nil
}

// pinned reports whether the case's current assignment was made by a
// supervisor: its latest assigned event has a supervisor as actor.
// Rebalancing leaves such a case where it is.
func pinned(events []complaint.Event) bool {
	for i := len(events) - 1; i >= 0; i-- {
		if events[i].Kind == complaint.KindAssigned {
			return events[i].Actor.Role == complaint.RoleSupervisor
		}
	}
	return false
}
