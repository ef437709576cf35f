package route

import (
	"cmp"
	"errors"
	"fmt"
	"slices"
	"sync"
	"time"
)

// Router makes routing decisions. It holds the roster (teams, agents and
// how many open cases each holds), the round-robin turn counter and the
// index that keeps decisions fast. Its methods are safe for concurrent use;
// decisions are serialized, which is what keeps loads and turns exact.
//
// The router does not know the store: the desk tells it about every change
// (an agent's availability, a case closed or reassigned by hand) and
// records the decisions it returns as assignments.
type Router struct {
	mu     sync.Mutex
	teams  map[string]Team
	agents map[int64]*agentState
	roster []*agentState // by ID, for deterministic walks
	pools  map[poolKey]*pool
	turn   uint64
	window shiftWindow   // while it holds, no shift has started or ended
	dirty  []*agentState // agents whose shift must be recomputed
}

// Errors of the roster methods.
var (
	ErrUnknownAgent = errors.New("route: unknown agent")
	ErrInvalidAgent = errors.New("route: invalid agent")
)

// NewRouter returns a router for the given teams and agents, each agent
// with its current load.
func NewRouter(teams []Team, agents []Agent) (*Router, error) {
	r := &Router{
		teams:  make(map[string]Team, len(teams)),
		agents: make(map[int64]*agentState, len(agents)),
		pools:  make(map[poolKey]*pool),
	}
	for _, t := range teams {
		t.Skills = cloneSkills(t.Skills)
		r.teams[t.ID] = t
	}
	for _, a := range agents {
		if err := r.Upsert(a); err != nil {
			return nil, err
		}
	}
	return r, nil
}

// SetTeam adds or replaces a team; its agents' effective skills follow.
func (r *Router) SetTeam(t Team) {
	r.mu.Lock()
	defer r.mu.Unlock()
	t.Skills = cloneSkills(t.Skills)
	r.teams[t.ID] = t
	for _, a := range r.roster {
		if a.Team == t.ID {
			r.detach(a)
			a.skills = r.effective(&a.Agent)
			r.attach(a)
		}
	}
}

// Upsert adds an agent or replaces one with the same ID, taking a.Load as
// the number of open cases the agent holds. An agent keeps its place in
// the round-robin across updates.
func (r *Router) Upsert(a Agent) error {
	if err := validate(&a); err != nil {
		return err
	}
	r.mu.Lock()
	defer r.mu.Unlock()
	s, ok := r.agents[a.ID]
	if ok {
		r.detach(s)
	} else {
		s = &agentState{}
		r.agents[a.ID] = s
		i, _ := slices.BinarySearchFunc(r.roster, a.ID, byID)
		r.roster = slices.Insert(r.roster, i, s)
	}
	s.Agent = a
	s.Skills = cloneSkills(a.Skills)
	s.skills = r.effective(&s.Agent)
	// Not eligible until the next sync has worked out the shift.
	s.shift, s.shiftDue = kShiftUnknown, true
	s.refresh()
	r.dirty = append(r.dirty, s)
	r.attach(s)
	return nil
}

func byID(a *agentState, id int64) int { return cmp.Compare(a.ID, id) }

func cloneSkills(s Skills) Skills {
	return Skills{Categories: slices.Clone(s.Categories), Languages: slices.Clone(s.Languages),
		Channels: slices.Clone(s.Channels)}
}

func validate(a *Agent) error {
	switch {
	case a.ID <= 0:
		return fmt.Errorf("%w: id %d must be positive", ErrInvalidAgent, a.ID)
	case a.Capacity < 0:
		return fmt.Errorf("%w %d: negative capacity %d", ErrInvalidAgent, a.ID, a.Capacity)
	case a.Load < 0:
		return fmt.Errorf("%w %d: negative load %d", ErrInvalidAgent, a.ID, a.Load)
	case !a.Availability.Valid():
		return fmt.Errorf("%w %d: unknown availability %q", ErrInvalidAgent, a.ID, a.Availability)
	}
	if err := a.Shift.validate(); err != nil {
		return fmt.Errorf("%w %d: %v", ErrInvalidAgent, a.ID, err)
	}
	return nil
}

// effective returns a's skills with the team's filled in where a's are empty.
func (r *Router) effective(a *Agent) Skills {
	s := a.Skills
	t, ok := r.teams[a.Team]
	if !ok {
		return s
	}
	if len(s.Categories) == 0 {
		s.Categories = t.Skills.Categories
	}
	if len(s.Languages) == 0 {
		s.Languages = t.Skills.Languages
	}
	if len(s.Channels) == 0 {
		s.Channels = t.Skills.Channels
	}
	return s
}

// Remove takes an agent off the roster and reports whether it was there.
// Their open cases stay theirs until Rebalance moves them.
func (r *Router) Remove(id int64) bool {
	r.mu.Lock()
	defer r.mu.Unlock()
	a, ok := r.agents[id]
	if !ok {
		return false
	}
	r.detach(a)
	a.removed = true
	delete(r.agents, id)
	i, _ := slices.BinarySearchFunc(r.roster, id, byID)
	r.roster = slices.Delete(r.roster, i, i+1)
	return true
}

// SetAvailability records that an agent went online, away or off shift.
func (r *Router) SetAvailability(id int64, av Availability) error {
	if !av.Valid() {
		return fmt.Errorf("%w %d: unknown availability %q", ErrInvalidAgent, id, av)
	}
	return r.update(id, func(a *agentState) error {
		a.Availability = av
		return nil
	})
}

// SetLoad sets how many open cases an agent holds, e.g. after reloading
// from the store.
func (r *Router) SetLoad(id int64, n int) error {
	if n < 0 {
		return fmt.Errorf("%w %d: negative load %d", ErrInvalidAgent, id, n)
	}
	return r.update(id, func(a *agentState) error {
		a.Load = n
		return nil
	})
}

// Release records that one of an agent's open cases was resolved,
// withdrawn or taken from them by hand.
func (r *Router) Release(id int64) error {
	return r.update(id, func(a *agentState) error {
		if a.Load == 0 {
			return fmt.Errorf("%w %d: no open case to release", ErrInvalidAgent, id)
		}
		a.Load--
		return nil
	})
}

func (r *Router) update(id int64, change func(*agentState) error) error {
	r.mu.Lock()
	defer r.mu.Unlock()
	a, ok := r.agents[id]
	if !ok {
		return fmt.Errorf("%w %d", ErrUnknownAgent, id)
	}
	if err := change(a); err != nil {
		return err
	}
	restatus(a)
	return nil
}

// Agent returns an agent as the router knows it, with its current load.
func (r *Router) Agent(id int64) (Agent, bool) {
	r.mu.Lock()
	defer r.mu.Unlock()
	a, ok := r.agents[id]
	if !ok {
		return Agent{}, false
	}
	return a.snapshot(), true
}

// Agents returns the roster ordered by ID, with current loads.
func (r *Router) Agents() []Agent {
	r.mu.Lock()
	defer r.mu.Unlock()
	out := make([]Agent, len(r.roster))
	for i, a := range r.roster {
		out[i] = a.snapshot()
	}
	return out
}

// snapshot copies the agent out, so that callers cannot change the router's
// skill lists.
func (a *agentState) snapshot() Agent {
	out := a.Agent
	out.Skills = cloneSkills(a.Skills)
	return out
}

// attach puts a into every pool.
func (r *Router) attach(a *agentState) {
	for _, p := range r.pools {
		p.join(a)
	}
}

// detach takes a out of every pool.
func (r *Router) detach(a *agentState) {
	for _, e := range a.entries {
		e.drop()
	}
	a.entries = a.entries[:0]
	for _, p := range r.pools {
		p.leave(a)
	}
}

// poolFor returns the pool for k, building it on first use.
func (r *Router) poolFor(k poolKey) *pool {
	if p, ok := r.pools[k]; ok {
		return p
	}
	p := &pool{key: k}
	for _, a := range r.roster {
		p.join(a)
	}
	r.pools[k] = p
	return p
}

// sync brings every agent's shift state up to now. Shift states are
// recomputed only when now leaves the window in which all of them hold, or
// for agents changed since the last sync.
func (r *Router) sync(now time.Time) {
	if !r.window.holds(now) {
		r.window = shiftWindow{from: now, until: farFuture}
		for _, a := range r.roster {
			r.reshift(a, now)
		}
	} else if len(r.dirty) > 0 {
		for _, a := range r.dirty {
			if a.shiftDue && !a.removed {
				r.reshift(a, now)
			}
		}
		// The new states are known to hold from now on only.
		if now.After(r.window.from) {
			r.window.from = now
		}
	}
	clear(r.dirty)
	r.dirty = r.dirty[:0]
}

func (r *Router) reshift(a *agentState, now time.Time) {
	k, until, _ := a.Shift.at(now)
	changed := k != a.shift || a.shiftDue
	a.shift, a.shiftDue = k, false
	if until.Before(r.window.until) {
		r.window.until = until
	}
	if changed {
		restatus(a)
	}
}

// commit gives a one more case as its turn.
func (r *Router) commit(a *agentState) {
	a.Load++
	r.turn++
	a.turn = r.turn
	restatus(a)
}
