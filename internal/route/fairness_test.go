package route

import (
	"slices"
	"testing"
)

// fairDesk is 20 equal agents with room for everything, and the open cases
// of each, so that the test can complete them.
type fairDesk struct {
	t         *testing.T
	r         *Router
	open      map[int64][]string
	assigned  map[int64]int
	completed map[int64]int
	ids       []int64
}

func newFairDesk(t *testing.T) *fairDesk {
	f := &fairDesk{t: t, open: map[int64][]string{}, assigned: map[int64]int{}, completed: map[int64]int{}}
	var agents []Agent
	for id := int64(1); id <= 20; id++ {
		agents = append(agents, ag(id, "", 0, 100_000))
		f.ids = append(f.ids, id)
	}
	f.r = newRouter(t, nil, agents...)
	return f
}

// arrive routes one case and checks that open loads stay level.
func (f *fairDesk) arrive(i int) {
	f.t.Helper()
	d := f.r.Assign(item(ref(i), "refund", "zh-Hans"), t0)
	if d.Outcome != Assigned {
		f.t.Fatalf("case %d: %s", i, d.Reason)
	}
	f.open[d.Agent.ID] = append(f.open[d.Agent.ID], d.CaseRef)
	f.assigned[d.Agent.ID]++
	if lo, hi := f.spread(func(id int64) int { return load(f.t, f.r, id) }); hi-lo > 1 {
		f.t.Fatalf("after case %d open loads range from %d to %d", i, lo, hi)
	}
}

// complete finishes a random open case of agent id.
func (f *fairDesk) complete(id int64, pick int) {
	f.t.Helper()
	cases := f.open[id]
	i := pick % len(cases)
	f.open[id] = slices.Delete(cases, i, i+1)
	f.completed[id]++
	if err := f.r.Release(id); err != nil {
		f.t.Fatal(err)
	}
}

func (f *fairDesk) spread(of func(int64) int) (lo, hi int) {
	lo, hi = of(f.ids[0]), of(f.ids[0])
	for _, id := range f.ids[1:] {
		lo, hi = min(lo, of(id)), max(hi, of(id))
	}
	return lo, hi
}

// Equal agents working at an equal pace (each finishes one case per round,
// in a random order within the round, at random moments between arrivals)
// end with equal totals within one case, and at every routing decision
// their open loads differ by at most one.
func TestFairnessEqualPace(t *testing.T) {
	const items, warmup, rounds = 10_000, 200, 200
	rng := newRand(42)
	f := newFairDesk(t)

	// Which arrivals are preceded by a completion: rounds*20 of those after
	// the warm-up, at most one each, so that no two completions are adjacent.
	completes := make([]bool, items)
	for _, i := range rng.Perm(items - warmup)[:rounds*20] {
		completes[warmup+i] = true
	}
	var turn []int64
	boundaries := 0
	for i := range items {
		if completes[i] {
			if len(turn) == 0 {
				turn = slices.Clone(f.ids)
				rng.Shuffle(len(turn), func(a, b int) { turn[a], turn[b] = turn[b], turn[a] })
			}
			f.complete(turn[0], rng.IntN(1<<30))
			turn = turn[1:]
		}
		f.arrive(i)
		if lo, hi := f.spread(func(id int64) int { return f.completed[id] }); lo == hi {
			boundaries++
			if lo, hi := f.spread(func(id int64) int { return f.assigned[id] }); hi-lo > 1 {
				t.Fatalf("after case %d, with equal work done, totals range from %d to %d", i, lo, hi)
			}
		}
	}
	if lo, hi := f.spread(func(id int64) int { return f.completed[id] }); lo != rounds || hi != rounds {
		t.Fatalf("completed %d-%d per agent, want %d", lo, hi, rounds)
	}
	lo, hi := f.spread(func(id int64) int { return f.assigned[id] })
	if hi-lo > 1 || lo < items/20-1 {
		t.Errorf("final totals range from %d to %d", lo, hi)
	}
	if boundaries < rounds {
		t.Errorf("checked totals at only %d moments", boundaries)
	}
	t.Logf("totals %d-%d per agent, checked at %d moments of equal work", lo, hi, boundaries)
}

// When cases are completed uniformly at random, agents finish different
// numbers of cases and least-loaded routing must make that up, so totals
// cannot stay within one case of each other (no policy can do both). What
// routing guarantees: open loads level at every decision, so the gap in
// totals between any two agents exceeds the gap in their completed cases
// by at most one.
func TestFairnessRandomCompletions(t *testing.T) {
	const items = 10_000
	rng := newRand(7)
	f := newFairDesk(t)
	for i := range items {
		if i > 100 && rng.IntN(2) == 0 {
			var busy []int64
			for _, id := range f.ids {
				for range f.open[id] {
					busy = append(busy, id)
				}
			}
			// Uniform over open cases: an agent with more open cases is
			// likelier to finish one.
			f.complete(busy[rng.IntN(len(busy))], rng.IntN(1<<30))
		}
		f.arrive(i)
	}
	worst := 0
	for _, a := range f.ids {
		for _, b := range f.ids {
			gap := abs(f.assigned[a]-f.assigned[b]) - abs(f.completed[a]-f.completed[b])
			worst = max(worst, gap)
		}
	}
	if worst > 1 {
		t.Errorf("totals differ by %d more than completions explain", worst)
	}
	lo, hi := f.spread(func(id int64) int { return f.assigned[id] })
	clo, chi := f.spread(func(id int64) int { return f.completed[id] })
	t.Logf("totals %d-%d, completed %d-%d per agent", lo, hi, clo, chi)
}

func abs(n int) int {
	if n < 0 {
		return -n
	}
	return n
}

// When every case is finished before the next arrives, loads never differ
// and only the round-robin turn spreads the work.
func TestFairnessWhenWorkIsInstant(t *testing.T) {
	f := newFairDesk(t)
	for i := range 10_000 {
		f.arrive(i)
		for _, id := range f.ids {
			if len(f.open[id]) > 0 {
				f.complete(id, 0)
			}
		}
	}
	if lo, hi := f.spread(func(id int64) int { return f.assigned[id] }); lo != 500 || hi != 500 {
		t.Errorf("totals range from %d to %d, want 500 each", lo, hi)
	}
}
