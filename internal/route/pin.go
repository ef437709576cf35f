package route

import (
	"fmt"
	"strings"
	"time"
)

// Pin is a supervisor's override: it gives the case to the agent with the given
// ID whatever the rules say, and marks the assignment pinned so that Assign
// and Rebalance leave it there. It returns the updated item (the desk must
// store the Pinned flag with the case) and a Decision whose reason notes any
// rule the override breaks: a missing skill, the agent being unavailable,
// or the agent going over capacity. The loads of the old and the new holder
// are updated. To undo, clear Item.Pinned; the case then routes normally.
func (r *Router) Pin(it Item, agentID int64, now time.Time) (Item, Decision, error) {
	r.mu.Lock()
	defer r.mu.Unlock()
	a, ok := r.agents[agentID]
	if !ok {
		return it, Decision{}, fmt.Errorf("%w %d", ErrUnknownAgent, agentID)
	}
	r.sync(now)
	d := factsOf(&it)
	d.Outcome, d.Agent = Pinned, refOf(&a.Agent)
	if it.AssigneeID != agentID {
		if old, ok := r.agents[it.AssigneeID]; ok && old.Load > 0 {
			old.Load--
			restatus(old)
		}
		a.Load++
		restatus(a)
	}
	d.Load, d.Capacity = max(a.Load-1, 0), a.Capacity
	d.Reason = heldReason(&d) + overrideNotes(a, &it)
	it.AssigneeID, it.Pinned = agentID, true
	return it, d, nil
}

// overrideNotes lists the routing rules a pin breaks, after the pin.
func overrideNotes(a *agentState, it *Item) string {
	var notes []string
	switch k := qualify(a, keyOf(it)); k {
	case kOK:
	case kNoCategory:
		notes = append(notes, "does not handle "+it.Category)
	case kNoLanguage:
		notes = append(notes, "does not speak "+it.Language)
	case kNoChannel:
		notes = append(notes, "does not take "+it.Channel)
	default:
		notes = append(notes, describe(k))
	}
	if a.Availability != Online {
		notes = append(notes, describe(kindOf(a.Availability)))
	} else if a.shift != kOK {
		notes = append(notes, describe(a.shift))
	}
	if a.Load > a.Capacity {
		notes = append(notes, fmt.Sprintf("now over capacity, %d/%d open", a.Load, a.Capacity))
	}
	if len(notes) == 0 {
		return ""
	}
	return " (note: " + strings.Join(notes, "; ") + ")"
}

func kindOf(av Availability) kind {
	if av == Away {
		return kAway
	}
	return kOffShift
}
