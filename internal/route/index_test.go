package route

import (
	"fmt"
	"reflect"
	"sync"
	"testing"
	"time"
)

// randomDesk drives a router with random roster changes, decisions and
// passing time, and checks every decision against a walk of the whole
// roster, and the index against a count from scratch.
func randomDesk(t *testing.T, seed uint64, steps int) []Decision {
	rng := newRand(seed)
	cal := cn(t)
	early, err := cal.WithHours(mustHours(t, "07:00-12:00,13:00-16:00"))
	if err != nil {
		t.Fatal(err)
	}
	teams := []string{"", "refunds", "fraud"}
	categories := []string{"refund", "fraud", "account", "merchant"}
	languages := []string{"zh-Hans", "zh-Hant", "en"}
	channels := []string{"app", "hotline", "email"}
	subset := func(all []string) []string {
		var out []string
		for _, s := range all {
			if rng.IntN(2) == 0 {
				out = append(out, s)
			}
		}
		return out
	}
	randomAgent := func(id int64) Agent {
		a := Agent{ID: id, Name: fmt.Sprint("agent ", id), Team: pickOne(rng, teams),
			Skills:   Skills{Categories: subset(categories), Languages: subset(languages), Channels: subset(channels)},
			Capacity: rng.IntN(6), Load: rng.IntN(5),
			Availability: pickOne(rng, []Availability{Online, Online, Online, Away, OffShift})}
		switch rng.IntN(3) {
		case 0:
			a.Shift = Shift{Calendar: cal}
		case 1:
			a.Shift = Shift{Calendar: early}
		}
		return a
	}
	var agents []Agent
	for id := int64(1); id <= 40; id++ {
		agents = append(agents, randomAgent(id))
	}
	r := newRouter(t, []Team{{ID: "fraud", Skills: Skills{Languages: []string{"zh-Hans"}}}}, agents...)
	now := time.Date(2025, 9, 26, 6, 0, 0, 0, shanghai)
	var decisions []Decision
	for step := range steps {
		now = now.Add(time.Duration(rng.IntN(90)) * time.Minute)
		id := 1 + rng.Int64N(45)
		switch rng.IntN(10) {
		case 0:
			_ = r.SetAvailability(id, pickOne(rng, []Availability{Online, Away, OffShift}))
		case 1:
			_ = r.Release(id)
		case 2:
			_ = r.SetLoad(id, rng.IntN(6))
		case 3:
			if err := r.Upsert(randomAgent(id)); err != nil {
				t.Fatal(err)
			}
		case 4:
			r.Remove(id)
		case 5:
			r.SetTeam(Team{ID: "refunds", Skills: Skills{Categories: subset(categories)}})
		}
		it := Item{CaseRef: ref(step), Team: pickOne(rng, teams), Category: pickOne(rng, categories),
			Language: pickOne(rng, languages), Channel: pickOne(rng, channels), CreatedAt: now}
		want, qualified, available := oracle(r, it, now)
		d := r.Assign(it, now)
		switch {
		case want == nil && d.Outcome != Queued,
			want != nil && (d.Outcome != Assigned || d.Agent.ID != want.ID),
			d.Qualified != qualified || d.Available != available:
			t.Fatalf("step %d at %v: decided %s to %d (%d qualified, %d available), a full walk says %v (%d, %d)\n%s",
				step, now, d.Outcome, d.Agent.ID, d.Qualified, d.Available, want, qualified, available, d.Reason)
		}
		decisions = append(decisions, d)
		if step%50 == 0 {
			checkIndex(t, r)
		}
	}
	checkIndex(t, r)
	return decisions
}

func TestIndexAgreesWithFullWalk(t *testing.T) {
	for seed := range uint64(5) {
		randomDesk(t, seed, 3000)
	}
}

func TestDeterministic(t *testing.T) {
	a := randomDesk(t, 99, 1000)
	b := randomDesk(t, 99, 1000)
	if !reflect.DeepEqual(a, b) {
		t.Fatal("the same seed gave different decisions")
	}
	// The order agents are added in does not matter either.
	agents := []Agent{ag(1, "a", 0, 3), ag(2, "b", 1, 3), ag(3, "c", 0, 3), ag(4, "d", 2, 6)}
	run := func(order []int) []int64 {
		var list []Agent
		for _, i := range order {
			list = append(list, agents[i])
		}
		r := newRouter(t, nil, list...)
		var got []int64
		for i := range 10 {
			got = append(got, r.Assign(item(ref(i), "refund", "zh-Hans"), t0).Agent.ID)
		}
		return got
	}
	if x, y := run([]int{0, 1, 2, 3}), run([]int{3, 1, 0, 2}); !reflect.DeepEqual(x, y) {
		t.Errorf("insertion order changed decisions: %v vs %v", x, y)
	}
}

func TestConcurrentUse(t *testing.T) {
	var agents []Agent
	for id := int64(1); id <= 8; id++ {
		agents = append(agents, ag(id, "", 0, 50))
	}
	r := newRouter(t, nil, agents...)
	var wg sync.WaitGroup
	for g := range 4 {
		wg.Go(func() {
			for i := range 200 {
				d := r.Assign(item(ref(g*1000+i), "refund", "zh-Hans"), t0)
				if d.Outcome == Assigned && i%2 == 0 {
					if err := r.Release(d.Agent.ID); err != nil {
						t.Error(err)
					}
				}
				_ = r.SetAvailability(int64(1+i%8), Online)
				r.Explain(item("x", "refund", "zh-Hans"), t0)
			}
		})
	}
	wg.Wait()
	total := 0
	for _, a := range r.Agents() {
		total += a.Load
	}
	if total != 4*100 {
		t.Errorf("total load %d, want 400", total)
	}
	checkIndex(t, r)
}
