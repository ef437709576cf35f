package route

import (
	"fmt"
	"testing"
	"time"

	"github.com/redress-project/redress/internal/complaint"
)

// benchDesk is a large desk: 500 agents in 5 teams holding about 90,000
// open cases between them, and 10,000 cases waiting, 100,000 open in all.
type benchDesk struct {
	router  *Router
	queue   []Item
	now     time.Time
	teams   []Team
	agents  []Agent
	holding int
}

func newBenchDesk(b *testing.B) *benchDesk {
	b.Helper()
	rng := newRand(2025)
	cal := cn(b)
	late, err := cal.WithHours(mustHours(b, "13:00-22:00"))
	if err != nil {
		b.Fatal(err)
	}
	categories := []string{"refund", "unauthorized", "fraud", "account_frozen", "transfer_failed", "merchant_dispute",
		"fees", "kyc", "card", "loan", "privacy", "other"}
	channels := []string{"app", "web", "hotline", "chat", "email", "social", "regulator", "consumer_association"}
	d := &benchDesk{now: t0}
	for i := range 5 {
		d.teams = append(d.teams, Team{ID: fmt.Sprint("team", i), Name: fmt.Sprint("Team ", i),
			Skills: Skills{Categories: categories[i*2 : i*2+4]}})
	}
	for id := int64(1); id <= 500; id++ {
		team := d.teams[(id-1)/100]
		a := Agent{ID: id, Name: fmt.Sprint("agent ", id), Team: team.ID,
			Capacity: 200 + rng.IntN(51), Load: 140 + rng.IntN(81), Availability: Online}
		if rng.IntN(10) < 3 {
			a.Skills.Categories = team.Skills.Categories[:2]
		}
		a.Skills.Languages = []string{"zh-Hans"}
		if rng.IntN(100) < 15 {
			a.Skills.Languages = append(a.Skills.Languages, "zh-Hant")
		}
		if rng.IntN(100) < 30 {
			a.Skills.Languages = append(a.Skills.Languages, "en")
		}
		if rng.IntN(10) < 3 {
			a.Skills.Channels = []string{pickOne(rng, channels), pickOne(rng, channels), pickOne(rng, channels)}
		}
		switch n := rng.IntN(100); {
		case n < 10:
			a.Availability = Away
		case n < 15:
			a.Availability = OffShift
		}
		switch rng.IntN(4) {
		case 0, 1:
			a.Shift = Shift{Calendar: cal}
		case 2:
			a.Shift = Shift{Calendar: late}
		}
		d.agents = append(d.agents, a)
		d.holding += a.Load
	}
	d.levelTo(90_000)
	d.router, err = NewRouter(d.teams, d.agents)
	if err != nil {
		b.Fatal(err)
	}
	for i := range 100_000 - d.holding {
		team := pickOne(rng, d.teams)
		it := Item{CaseRef: ref(i), Category: pickOne(rng, team.Skills.Categories), Channel: pickOne(rng, channels),
			Language: "zh-Hans", Priority: pickOne(rng, complaint.Priorities),
			CreatedAt: t0.Add(-time.Duration(rng.IntN(72*60)) * time.Minute)}
		if rng.IntN(2) == 0 {
			it.Team = team.ID
		}
		switch n := rng.IntN(100); {
		case n < 10:
			it.Language = "zh-Hant"
		case n < 15:
			it.Language = "en"
		}
		if rng.IntN(4) > 0 {
			it.Due = it.CreatedAt.Add(time.Duration(4+rng.IntN(240)) * time.Hour)
		}
		d.queue = append(d.queue, it)
	}
	return d
}

// levelTo adds or removes single cases round the roster until the agents
// hold n between them, keeping each within capacity.
func (d *benchDesk) levelTo(n int) {
	for i := 0; d.holding != n; i = (i + 1) % len(d.agents) {
		a := &d.agents[i]
		switch {
		case d.holding < n && a.Load < a.Capacity:
			a.Load++
			d.holding++
		case d.holding > n && a.Load > 0:
			a.Load--
			d.holding--
		}
	}
}

// warm builds the pools the queue needs, as a running desk would have.
func (d *benchDesk) warm() {
	for _, it := range d.queue {
		d.router.Suggest(it, d.now)
	}
}

// BenchmarkAssign measures one routing decision with its bookkeeping, then
// releases the case again (so that the desk stays at 100,000 open cases):
// both are in the time per op.
func BenchmarkAssign(b *testing.B) {
	d := newBenchDesk(b)
	d.warm()
	b.ReportAllocs()
	b.ResetTimer()
	defer reportCPU(b)()
	assigned := 0
	for i := 0; b.Loop(); i++ {
		dec := d.router.Assign(d.queue[i%len(d.queue)], d.now)
		if dec.Outcome == Assigned {
			assigned++
			if err := d.router.Release(dec.Agent.ID); err != nil {
				b.Fatal(err)
			}
		}
	}
	b.ReportMetric(float64(assigned)/float64(b.N), "assigned/op")
}

// BenchmarkSuggest measures the decision alone, reasons included.
func BenchmarkSuggest(b *testing.B) {
	d := newBenchDesk(b)
	d.warm()
	b.ReportAllocs()
	b.ResetTimer()
	defer reportCPU(b)()
	for i := 0; b.Loop(); i++ {
		d.router.Suggest(d.queue[i%len(d.queue)], d.now)
	}
}

// BenchmarkAssignQueue drains the 10,000 waiting cases in queue order.
func BenchmarkAssignQueue(b *testing.B) {
	d := newBenchDesk(b)
	d.warm()
	b.ReportAllocs()
	b.ResetTimer()
	defer reportCPU(b)()
	assigned := 0
	for b.Loop() {
		decisions := d.router.AssignQueue(d.queue, d.now)
		b.StopTimer()
		assigned = 0
		for _, dec := range decisions {
			if dec.Outcome == Assigned {
				assigned++
				if err := d.router.Release(dec.Agent.ID); err != nil {
					b.Fatal(err)
				}
			}
		}
		b.StartTimer()
	}
	b.ReportMetric(float64(assigned), "assigned/drain")
}

// BenchmarkColdStart measures building the router for the desk and the
// pools for the waiting queue, as at a restart.
func BenchmarkColdStart(b *testing.B) {
	d := newBenchDesk(b)
	b.ReportAllocs()
	b.ResetTimer()
	defer reportCPU(b)()
	pools := 0
	for b.Loop() {
		r, err := NewRouter(d.teams, d.agents)
		if err != nil {
			b.Fatal(err)
		}
		for _, it := range d.queue {
			r.Suggest(it, d.now)
		}
		pools = len(r.pools)
	}
	b.ReportMetric(float64(pools), "pools")
}
