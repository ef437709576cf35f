package route

import (
	"slices"
	"time"
)

// Decision is what routing did with one case, and why. Reason is for
// people, in English; the other fields are the same facts for programs,
// e.g. to render the reason in another language.
type Decision struct {
	CaseRef string   `json:"case_ref"`
	Outcome Outcome  `json:"outcome"`
	Agent   AgentRef `json:"agent,omitzero"` // who holds the case; nobody when Queued
	Reason  string   `json:"reason"`

	// What the case asked for.
	Team     string `json:"team,omitempty"`
	Category string `json:"category,omitempty"`
	Language string `json:"language,omitempty"`
	Channel  string `json:"channel,omitempty"`

	// The holder's open cases other than this one (before it, for a new
	// assignment), and capacity.
	Load     int `json:"load"`
	Capacity int `json:"capacity"`
	// Qualified agents match the case's team and skills; Available ones of
	// them could take it (online, on shift, under capacity).
	Qualified int `json:"qualified"`
	Available int `json:"available"`
	// Level counts the available agents exactly as loaded as the chosen
	// one, it included; when above 1 the round-robin turn chose.
	Level int `json:"level,omitempty"`
	// Excluded counts the agents passed over, by reason, in Code order.
	Excluded []Count `json:"excluded,omitempty"`
}

// Assign routes a waiting case: it gives it to the best agent who can take
// it now and counts it in their load, or leaves it queued. A case that
// already has an assignee is left alone (Outcome Held or Pinned).
func (r *Router) Assign(it Item, now time.Time) Decision {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.sync(now)
	return r.assign(&it)
}

// Suggest says what Assign would decide, without assigning.
func (r *Router) Suggest(it Item, now time.Time) Decision {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.sync(now)
	if d, held := r.held(&it); held {
		return d
	}
	return r.decide(r.poolFor(keyOf(&it)), &it)
}

// AssignQueue routes waiting cases in queue order (see CompareQueue), so
// that the most urgent get the best-placed agents first, and returns the
// decisions in that order. items is not modified.
func (r *Router) AssignQueue(items []Item, now time.Time) []Decision {
	order := make([]int, len(items))
	for i := range order {
		order[i] = i
	}
	slices.SortFunc(order, func(i, j int) int { return CompareQueue(items[i], items[j]) })

	r.mu.Lock()
	defer r.mu.Unlock()
	r.sync(now)
	out := make([]Decision, len(items))
	for n, i := range order {
		it := items[i]
		out[n] = r.assign(&it)
	}
	return out
}

func (r *Router) assign(it *Item) Decision {
	if d, held := r.held(it); held {
		return d
	}
	p := r.poolFor(keyOf(it))
	d := r.decide(p, it)
	if d.Outcome == Assigned {
		r.commit(p.top())
	}
	return d
}

// held returns the decision for a case that already has an assignee.
func (r *Router) held(it *Item) (Decision, bool) {
	if it.AssigneeID == 0 {
		return Decision{}, false
	}
	d := factsOf(it)
	d.Agent = AgentRef{ID: it.AssigneeID}
	if a, ok := r.agents[it.AssigneeID]; ok {
		d.Agent.Name = a.Name
		d.Load, d.Capacity = max(a.Load-1, 0), a.Capacity
	}
	d.Outcome = Held
	if it.Pinned {
		d.Outcome = Pinned
	}
	d.Reason = heldReason(&d)
	return d, true
}

// decide picks the agent for it from p without changing anything.
func (r *Router) decide(p *pool, it *Item) Decision {
	d := factsOf(it)
	d.Qualified, d.Available = p.members, len(p.heap)
	d.Excluded = p.excluded()
	a := p.top()
	if a == nil {
		d.Outcome = Queued
		d.Reason = "stays in " + r.queueName(it) + ": " + whyQueued(&d, it, len(r.roster))
		return d
	}
	d.Outcome = Assigned
	d.Agent = refOf(&a.Agent)
	d.Load, d.Capacity = a.Load, a.Capacity
	d.Level = p.level(0)
	d.Reason = assignedReason(&d, a)
	return d
}

func factsOf(it *Item) Decision {
	return Decision{CaseRef: it.CaseRef, Team: it.Team, Category: it.Category,
		Language: it.Language, Channel: it.Channel}
}

// excluded lists the non-zero counts of p's passed-over agents.
func (p *pool) excluded() []Count {
	n := 0
	for k := kind(1); k < numKinds; k++ {
		if p.byKind[k] > 0 {
			n++
		}
	}
	if n == 0 {
		return nil
	}
	out := make([]Count, 0, n)
	for k := kind(1); k < numKinds; k++ {
		if n := p.byKind[k]; n > 0 {
			out = append(out, Count{Code: k.code(), N: int(n)})
		}
	}
	return out
}

// Candidate is one agent's standing for a case, as Explain reports it.
type Candidate struct {
	Agent    AgentRef `json:"agent"`
	Code     Code     `json:"code,omitempty"` // empty: could take the case now
	Load     int      `json:"load"`
	Capacity int      `json:"capacity"`
}

// Explain lists every agent on the roster with their standing for it: first
// those who could take it now, in the order routing would choose them, then
// the others by ID with the reason they cannot. It walks the whole roster,
// so it is for answering "why not her?", not for routing.
func (r *Router) Explain(it Item, now time.Time) []Candidate {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.sync(now)
	k := keyOf(&it)
	var able []*agentState
	var others []Candidate
	for _, a := range r.roster {
		why := qualify(a, k)
		if why == kOK {
			why = a.status
		}
		if why == kOK {
			able = append(able, a)
			continue
		}
		others = append(others, Candidate{Agent: refOf(&a.Agent), Code: why.code(), Load: a.Load, Capacity: a.Capacity})
	}
	slices.SortFunc(able, func(a, b *agentState) int {
		switch {
		case a == b:
			return 0
		case before(a, b):
			return -1
		}
		return 1
	})
	out := make([]Candidate, 0, len(r.roster))
	for _, a := range able {
		out = append(out, Candidate{Agent: refOf(&a.Agent), Load: a.Load, Capacity: a.Capacity})
	}
	return append(out, others...)
}
