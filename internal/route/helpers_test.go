package route

import (
	"fmt"
	"math/rand/v2"
	"testing"
	"time"

	"github.com/redress-project/redress/internal/clock"
	"github.com/redress-project/redress/internal/complaint"
)

var shanghai = mustLocation("Asia/Shanghai")

// t0 is a Thursday morning and an ordinary working day in mainland China.
var t0 = time.Date(2025, 10, 9, 10, 0, 0, 0, shanghai)

func mustLocation(name string) *time.Location {
	loc, err := time.LoadLocation(name)
	if err != nil {
		panic(err)
	}
	return loc
}

func cn(t testing.TB) *clock.Calendar {
	t.Helper()
	cal, err := clock.Lookup("cn")
	if err != nil {
		t.Fatal(err)
	}
	return cal
}

// ag is an online agent without shift limits who speaks zh-Hans and takes
// any category and channel.
func ag(id int64, name string, load, capacity int) Agent {
	return Agent{ID: id, Name: name, Load: load, Capacity: capacity, Availability: Online,
		Skills: Skills{Languages: []string{"zh-Hans"}}}
}

func with(a Agent, change func(*Agent)) Agent {
	change(&a)
	return a
}

func newRouter(t testing.TB, teams []Team, agents ...Agent) *Router {
	t.Helper()
	r, err := NewRouter(teams, agents)
	if err != nil {
		t.Fatal(err)
	}
	return r
}

func item(ref, category, language string) Item {
	return Item{CaseRef: ref, Category: category, Language: language, Channel: "app",
		Priority: complaint.PriorityP3, CreatedAt: t0.Add(-time.Hour)}
}

func load(t testing.TB, r *Router, id int64) int {
	t.Helper()
	a, ok := r.Agent(id)
	if !ok {
		t.Fatalf("agent %d not on the roster", id)
	}
	return a.Load
}

func mustAssign(t testing.TB, r *Router, it Item, now time.Time, want int64) Decision {
	t.Helper()
	d := r.Assign(it, now)
	if d.Outcome != Assigned || d.Agent.ID != want {
		t.Fatalf("%s: got %s to %d, want assigned to %d; reason: %s", it.CaseRef, d.Outcome, d.Agent.ID, want, d.Reason)
	}
	return d
}

// checkIndex compares every pool with a count made from scratch, and
// checks the heap order and positions.
func checkIndex(t testing.TB, r *Router) {
	t.Helper()
	r.mu.Lock()
	defer r.mu.Unlock()
	for k, p := range r.pools {
		var want [numKinds]int32
		members := 0
		for _, a := range r.roster {
			q := qualify(a, k)
			if q != kOK {
				want[q]++
				continue
			}
			members++
			want[a.status]++
		}
		if p.members != members || p.byKind != want || int(want[kOK]) != len(p.heap) {
			t.Fatalf("pool %+v: members %d counts %v heap %d, want %d %v", k, p.members, p.byKind, len(p.heap), members, want)
		}
		for i, e := range p.heap {
			if e.i != i || e.p != p || e.a.status != kOK {
				t.Fatalf("pool %+v: entry %d has position %d, status %d", k, i, e.i, e.a.status)
			}
			if i > 0 && before(e.a, p.heap[(i-1)/2].a) {
				t.Fatalf("pool %+v: heap order broken at %d", k, i)
			}
		}
	}
}

// oracle finds the agent for it by walking the whole roster with shift
// states computed afresh, as the index should have found it.
func oracle(r *Router, it Item, now time.Time) (best *agentState, qualified, available int) {
	r.mu.Lock()
	defer r.mu.Unlock()
	for _, a := range r.roster {
		if qualify(a, keyOf(&it)) != kOK {
			continue
		}
		qualified++
		shift, _, _ := a.Shift.at(now)
		if a.Availability != Online || shift != kOK || a.Load >= a.Capacity {
			continue
		}
		available++
		if best == nil || before(a, best) {
			best = a
		}
	}
	return best, qualified, available
}

func pickOne[T any](rng *rand.Rand, list []T) T { return list[rng.IntN(len(list))] }

func ref(i int) string { return fmt.Sprintf("CP-2025-%08d", i) }

func newRand(seed uint64) *rand.Rand { return rand.New(rand.NewPCG(seed, seed^0x9e3779b97f4a7c15)) }

func mustHours(t testing.TB, s string) clock.Hours {
	t.Helper()
	h, err := clock.ParseHours(s)
	if err != nil {
		t.Fatal(err)
	}
	return h
}
