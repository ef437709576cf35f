package route

import (
	"fmt"
	"slices"
	"time"
)

// Move is one case that Rebalance takes from its holder, or would take if
// anyone could have it.
type Move struct {
	CaseRef string   `json:"case_ref"`
	From    AgentRef `json:"from"`
	// Cause is why the case leaves From: IsAway, IsOffShift, OutsideShift,
	// ShiftUnknown, AtCapacity (From holds more than their capacity) or
	// Unknown (From is no longer on the roster).
	Cause Code `json:"cause"`
	// To is the routing decision for the case: Outcome Assigned to
	// To.Agent, or, for a case that stays, Queued with the reason nobody
	// can take it.
	To     Decision `json:"to"`
	Reason string   `json:"reason"`
}

// Rebalance moves open cases away from agents who cannot work on them: every
// case of an agent who is away, off shift or no longer on the roster, and
// the cases above capacity of an agent who holds too many. Pinned cases stay.
// The cases are placed by the same rules and order as AssignQueue, without
// putting anyone over capacity.
//
// Rebalance never unassigns: a case that nobody can take now stays with its
// holder and is returned in stuck, with the reason, so the desk can show it
// and call Rebalance again when someone becomes available.
//
// open holds the assigned open cases to consider (those of other agents are
// ignored, so passing every open case is fine). The router's loads are
// updated as if the moves were made; the desk records them as assignments.
func (r *Router) Rebalance(open []Item, now time.Time) (moves, stuck []Move) {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.sync(now)
	leaving := r.leaving(open)
	slices.SortFunc(leaving, func(a, b leaver) int { return CompareQueue(*a.item, *b.item) })
	for _, l := range leaving {
		if m := r.move(l); m.To.Outcome == Assigned {
			moves = append(moves, m)
		} else {
			stuck = append(stuck, m)
		}
	}
	return moves, stuck
}

// leaver is a case that has to leave its holder, who may be unknown (nil).
type leaver struct {
	item   *Item
	holder *agentState
	from   AgentRef
	cause  kind
}

// leaving picks the cases that must move, holder by holder in ID order.
func (r *Router) leaving(open []Item) []leaver {
	byHolder := make(map[int64][]*Item)
	var holders []int64
	for i := range open {
		it := &open[i]
		if it.AssigneeID == 0 || it.Pinned {
			continue
		}
		if _, seen := byHolder[it.AssigneeID]; !seen {
			holders = append(holders, it.AssigneeID)
		}
		byHolder[it.AssigneeID] = append(byHolder[it.AssigneeID], it)
	}
	slices.Sort(holders)

	var out []leaver
	for _, id := range holders {
		items := byHolder[id]
		a, known := r.agents[id]
		switch {
		case !known:
			out = appendLeavers(out, items, nil, AgentRef{ID: id}, kUnknown)
		case a.status != kOK && a.status != kAtCapacity:
			out = appendLeavers(out, items, a, refOf(&a.Agent), a.status)
		case a.Load > a.Capacity:
			// Keep the most urgent, which the holder is likeliest to be
			// working on already; the least urgent go.
			slices.SortFunc(items, func(x, y *Item) int { return CompareQueue(*x, *y) })
			excess := min(a.Load-a.Capacity, len(items))
			out = appendLeavers(out, items[len(items)-excess:], a, refOf(&a.Agent), kAtCapacity)
		}
	}
	return out
}

func appendLeavers(out []leaver, items []*Item, a *agentState, from AgentRef, cause kind) []leaver {
	for _, it := range items {
		out = append(out, leaver{item: it, holder: a, from: from, cause: cause})
	}
	return out
}

// move places one leaving case and updates the loads, if anyone can take it.
func (r *Router) move(l leaver) Move {
	it := *l.item
	it.AssigneeID = 0
	p := r.poolFor(keyOf(&it))
	d := r.decide(p, &it)
	m := Move{CaseRef: it.CaseRef, From: l.from, Cause: l.cause.code(), To: d, Reason: r.moveReason(l, &it, &d)}
	if d.Outcome != Assigned {
		return m
	}
	r.commit(p.top())
	if l.holder != nil && l.holder.Load > 0 {
		l.holder.Load--
		restatus(l.holder)
	}
	return m
}

func (r *Router) moveReason(l leaver, it *Item, d *Decision) string {
	from := l.from.Name
	if from == "" {
		from = "agent #" + itoa(l.from.ID)
	}
	why := describe(l.cause)
	if l.cause == kAtCapacity && l.holder != nil {
		why = fmt.Sprintf("over capacity, %d/%d open", l.holder.Load, l.holder.Capacity)
	}
	if d.Outcome == Assigned {
		return fmt.Sprintf("from %s (%s) to %s", from, why, d.Reason)
	}
	return fmt.Sprintf("stays with %s (%s) for now: %s", from, why, whyQueued(d, it, len(r.roster)))
}
