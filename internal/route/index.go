package route

import "time"

// The index: for every combination of team, category, language and channel
// that a case has asked for, a pool of the agents who qualify, with those
// who can take a case now in a heap ordered by load. A decision is a map
// lookup and a look at the top of a heap; a change to one agent touches
// only the pools the agent belongs to. Pools are made on first use.

// agentState is an agent as the router tracks it.
type agentState struct {
	rank // first: what the heaps compare sits together
	Agent
	skills   Skills // effective: the agent's own, or the team's where the agent's is empty
	shift    kind   // kOK, kOutsideShift or kShiftUnknown, as of the last sync
	status   kind   // kOK when the agent can take a case now, else why not
	entries  []*entry
	removed  bool
	shiftDue bool // shift must be recomputed at the next sync
}

// rank is the part of an agent the heaps order by, copied out of Agent by
// restatus.
type rank struct {
	load, capacity int
	turn           uint64 // the router's turn when last given a case by rule; 0: never
	id             int64
}

// poolKey is what a case asks for, as written on the case.
type poolKey struct{ team, category, language, channel string }

func keyOf(it *Item) poolKey { return poolKey{it.Team, it.Category, it.Language, it.Channel} }

// entry is one agent's membership of one pool.
type entry struct {
	a *agentState
	p *pool
	i int // position in p.heap; -1 when not there
}

// pool is every agent that qualifies for one poolKey.
type pool struct {
	key     poolKey
	heap    []*entry        // members with status kOK, least loaded first
	members int             // agents who qualify
	byKind  [numKinds]int32 // members by status; other agents by why they do not qualify
}

// qualify returns kOK if agent a may take cases with key k, else the first
// reason it may not.
func qualify(a *agentState, k poolKey) kind {
	switch {
	case k.team != "" && a.Team != k.team:
		return kOtherTeam
	case !matches(a.skills.Categories, k.category):
		return kNoCategory
	case !matches(a.skills.Languages, k.language):
		return kNoLanguage
	case !matches(a.skills.Channels, k.channel):
		return kNoChannel
	}
	return kOK
}

// refresh recomputes a's status and rank from its fields.
func (a *agentState) refresh() {
	a.status = statusOf(a)
	a.rank = rank{load: a.Load, capacity: a.Capacity, turn: a.turn, id: a.ID}
}

// statusOf says whether a can take a case now, and if not why.
func statusOf(a *agentState) kind {
	switch {
	case a.Availability == Away:
		return kAway
	case a.Availability == OffShift:
		return kOffShift
	case a.shift != kOK:
		return a.shift
	case a.Load >= a.Capacity:
		return kAtCapacity
	}
	return kOK
}

// before is the order of the heaps: the lower share of capacity in use
// first, then the fewer open cases, then the one whose last turn is older
// (round-robin), then the lower ID.
func before(a, b *agentState) bool {
	// a.load/a.capacity < b.load/b.capacity without division or rounding.
	if l, r := a.load*b.capacity, b.load*a.capacity; l != r {
		return l < r
	}
	if a.load != b.load {
		return a.load < b.load
	}
	if a.turn != b.turn {
		return a.turn < b.turn
	}
	return a.id < b.id
}

// level reports whether a and b are equally loaded, so only the turn
// decides between them.
func level(a, b *agentState) bool {
	return a.load == b.load && a.load*b.capacity == b.load*a.capacity
}

// join adds a to p, if it qualifies.
func (p *pool) join(a *agentState) {
	k := qualify(a, p.key)
	if k != kOK {
		p.byKind[k]++
		return
	}
	e := &entry{a: a, p: p, i: -1}
	a.entries = append(a.entries, e)
	p.members++
	p.byKind[a.status]++
	if a.status == kOK {
		p.push(e)
	}
}

// leave removes a, whose entries the caller drops, from p.
func (p *pool) leave(a *agentState) {
	if k := qualify(a, p.key); k != kOK {
		p.byKind[k]--
	}
}

// drop removes e from its pool.
func (e *entry) drop() {
	p := e.p
	p.members--
	p.byKind[e.a.status]--
	if e.i >= 0 {
		p.remove(e.i)
	}
}

// moved updates e's pool after its agent's status went from old to
// e.a.status or its place in the order changed.
func (e *entry) moved(old kind) {
	p, now := e.p, e.a.status
	p.byKind[old]--
	p.byKind[now]++
	switch {
	case now == kOK && e.i < 0:
		p.push(e)
	case now == kOK:
		p.fix(e.i)
	case e.i >= 0:
		p.remove(e.i)
	}
}

// top returns the agent who gets the next case, nil if nobody can take it.
func (p *pool) top() *agentState {
	if len(p.heap) == 0 {
		return nil
	}
	return p.heap[0].a
}

// level counts the agents in the heap as loaded as the top, the top
// included. Only subtrees whose root is level with the top can hold more.
func (p *pool) level(i int) int {
	if i >= len(p.heap) || !level(p.heap[i].a, p.heap[0].a) {
		return 0
	}
	return 1 + p.level(2*i+1) + p.level(2*i+2)
}

// The heap, written out so that no interface boxing costs allocations.

func (p *pool) push(e *entry) {
	e.i = len(p.heap)
	p.heap = append(p.heap, e)
	p.up(e.i)
}

func (p *pool) remove(i int) {
	last := len(p.heap) - 1
	p.heap[i].i = -1
	if i != last {
		p.heap[i] = p.heap[last]
		p.heap[i].i = i
	}
	p.heap[last] = nil
	p.heap = p.heap[:last]
	if i != last {
		p.fix(i)
	}
}

func (p *pool) fix(i int) {
	if !p.down(i) {
		p.up(i)
	}
}

func (p *pool) up(i int) {
	for i > 0 {
		parent := (i - 1) / 2
		if !before(p.heap[i].a, p.heap[parent].a) {
			return
		}
		p.swap(i, parent)
		i = parent
	}
}

// down sifts i down and reports whether it moved.
func (p *pool) down(i int) bool {
	start, n := i, len(p.heap)
	for {
		least := 2*i + 1
		if least >= n {
			break
		}
		if r := least + 1; r < n && before(p.heap[r].a, p.heap[least].a) {
			least = r
		}
		if !before(p.heap[least].a, p.heap[i].a) {
			break
		}
		p.swap(i, least)
		i = least
	}
	return i > start
}

func (p *pool) swap(i, j int) {
	p.heap[i], p.heap[j] = p.heap[j], p.heap[i]
	p.heap[i].i, p.heap[j].i = i, j
}

// restatus recomputes a's status and rank and updates every pool it
// belongs to. Call it after any change to a's load, capacity,
// availability, shift or turn.
func restatus(a *agentState) {
	old := a.status
	a.refresh()
	for _, e := range a.entries {
		e.moved(old)
	}
}

// shiftWindow is the span of time in which every agent's cached shift
// state holds.
type shiftWindow struct{ from, until time.Time }

func (w shiftWindow) holds(t time.Time) bool { return !t.Before(w.from) && t.Before(w.until) }
