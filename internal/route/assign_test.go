package route

import (
	"errors"
	"reflect"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/redress-project/redress/internal/complaint"
)

func TestReasonNamesTheChoiceAndTheSkipped(t *testing.T) {
	r := newRouter(t, nil,
		ag(1, "李娜", 3, 10),
		ag(2, "王芳", 5, 10),
		ag(3, "张伟", 6, 10),
		ag(4, "刘洋", 9, 10),
		ag(5, "陈静", 10, 10),
		ag(6, "杨磊", 12, 10),
		with(ag(7, "赵敏", 0, 10), func(a *Agent) { a.Availability = Away }),
		with(ag(8, "Tom", 0, 10), func(a *Agent) { a.Skills.Languages = []string{"en"} }),
	)
	it := item("CP-1", "refund", "zh-Hans")
	it.Channel = ""
	d := mustAssign(t, r, it, t0, 1)
	want := "李娜: speaks zh-Hans, handles refund, 3/10 open — least loaded of 4 available agents (7 qualify; skipped: 1 away, 2 at capacity)"
	if d.Reason != want {
		t.Errorf("reason\n got %s\nwant %s", d.Reason, want)
	}
	wantExcluded := []Count{{NoLanguage, 1}, {IsAway, 1}, {AtCapacity, 2}}
	if d.Qualified != 7 || d.Available != 4 || d.Load != 3 || d.Capacity != 10 || d.Level != 1 ||
		!reflect.DeepEqual(d.Excluded, wantExcluded) {
		t.Errorf("facts: %+v", d)
	}
	if got := load(t, r, 1); got != 4 {
		t.Errorf("load after assignment = %d, want 4", got)
	}
}

func TestSkillsFiltering(t *testing.T) {
	r := newRouter(t, nil,
		with(ag(1, "refunds only", 0, 10), func(a *Agent) { a.Skills.Categories = []string{"refund"} }),
		with(ag(2, "fraud, hotline", 0, 10), func(a *Agent) {
			a.Skills.Categories = []string{"fraud"}
			a.Skills.Channels = []string{"hotline"}
		}),
		with(ag(3, "refund by app", 1, 10), func(a *Agent) {
			a.Skills.Categories = []string{"Refund", "fraud"}
			a.Skills.Channels = []string{"app", "web"}
		}),
	)
	// Agent 1 is less loaded but for app refunds both 1 and 3 qualify;
	// only 3 takes fraud through the app, only 2 through the hotline.
	mustAssign(t, r, item("a", "refund", "zh-Hans"), t0, 1)
	mustAssign(t, r, item("b", "fraud", "zh-Hans"), t0, 3)
	hot := item("c", "fraud", "zh-Hans")
	hot.Channel = "hotline"
	mustAssign(t, r, hot, t0, 2)

	d := r.Assign(item("d", "merchant_dispute", "zh-Hans"), t0)
	if d.Outcome != Queued || d.Qualified != 0 {
		t.Fatalf("unhandled category: %+v", d)
	}
	if want := "stays in the general queue: no agent qualifies — of 3 agents, 3 do not handle merchant_dispute"; d.Reason != want {
		t.Errorf("reason\n got %s\nwant %s", d.Reason, want)
	}
	// A case not yet classified places no requirement on the category.
	mustAssign(t, r, item("e", "", "zh-Hans"), t0, 1)
}

func TestLanguageRouting(t *testing.T) {
	hant := func(a *Agent) { a.Skills.Languages = []string{"zh-Hant", "en"} }
	r := newRouter(t, nil,
		ag(1, "hans, idle", 0, 10),
		with(ag(2, "hant, busy", 8, 10), hant),
		ag(3, "hans, idle too", 0, 10),
	)
	for i := range 2 {
		mustAssign(t, r, item(ref(i), "refund", "zh-Hant"), t0, 2)
	}
	// Tags match regardless of letter case.
	d := r.Assign(item("lower", "refund", "zh-hant"), t0)
	if d.Outcome != Queued {
		t.Fatalf("agent 2 is full, yet: %+v", d)
	}
	want := "stays in the general queue: 1 agent qualifies but none can take it now (1 at capacity)"
	if d.Reason != want {
		t.Errorf("reason\n got %s\nwant %s", d.Reason, want)
	}
	r.Remove(2)
	d = r.Assign(item("x", "refund", "zh-Hant"), t0)
	want = "stays in the general queue: no agent qualifies — of 2 agents, 2 do not speak zh-Hant"
	if d.Outcome != Queued || d.Reason != want {
		t.Errorf("without a zh-Hant agent: %s: %s", d.Outcome, d.Reason)
	}
	if !reflect.DeepEqual(d.Excluded, []Count{{NoLanguage, 2}}) {
		t.Errorf("excluded = %v", d.Excluded)
	}
}

func TestTeams(t *testing.T) {
	teams := []Team{
		{ID: "refunds", Name: "Refunds", Skills: Skills{Categories: []string{"refund"}}},
		{ID: "fraud", Name: "Fraud desk", Skills: Skills{Categories: []string{"fraud"}, Languages: []string{"zh-Hans", "en"}}},
	}
	inTeam := func(team string) func(*Agent) { return func(a *Agent) { a.Team = team; a.Skills = Skills{} } }
	r := newRouter(t, teams,
		with(ag(1, "r1", 0, 10), inTeam("refunds")),
		with(ag(2, "f1", 1, 10), inTeam("fraud")),
		with(ag(3, "f2, own categories", 0, 10), func(a *Agent) {
			a.Team = "fraud"
			a.Skills = Skills{Categories: []string{"refund", "fraud"}}
		}),
	)
	it := item("a", "refund", "en")
	it.Team = "fraud"
	mustAssign(t, r, it, t0, 3) // agent 1 is idle but in the other team

	// Agent 2 inherits the fraud team's categories and languages.
	mustAssign(t, r, item("b", "fraud", "en"), t0, 2)
	d := r.Assign(item("c", "fraud", "ja"), t0)
	if want := "stays in the general queue: no agent qualifies — of 3 agents, 1 does not handle fraud, 2 do not speak ja"; d.Reason != want {
		t.Errorf("reason\n got %s\nwant %s", d.Reason, want)
	}

	it = item("d", "chargeback", "en")
	it.Team = "refunds"
	d = r.Assign(it, t0)
	if want := "stays in the queue of team Refunds: no agent qualifies — of 3 agents, 2 are in other teams, 1 does not handle chargeback"; d.Reason != want {
		t.Errorf("reason\n got %s\nwant %s", d.Reason, want)
	}
	// Widening the team widens its members; agent 1 then qualifies.
	r.SetTeam(Team{ID: "refunds", Name: "Refunds", Skills: Skills{Categories: []string{"refund", "chargeback"}}})
	mustAssign(t, r, it, t0, 1)
	checkIndex(t, r)
}

func TestLeastLoadedByShareOfCapacity(t *testing.T) {
	r := newRouter(t, nil,
		ag(1, "3 of 10", 3, 10), // 30%
		ag(2, "4 of 20", 4, 20), // 20%: fewer in proportion, though more cases
		ag(3, "8 of 40", 8, 40), // 20% too, but more cases than agent 2
	)
	mustAssign(t, r, item("a", "refund", "zh-Hans"), t0, 2) // 5/20 = 25%
	mustAssign(t, r, item("b", "refund", "zh-Hans"), t0, 3) // 9/40 = 22.5%
	mustAssign(t, r, item("c", "refund", "zh-Hans"), t0, 3) // 10/40 = 25%
	// Now 2 and 3 are both at 25%; 2 holds fewer cases.
	mustAssign(t, r, item("d", "refund", "zh-Hans"), t0, 2)
}

// Equal agents take turns even when each case is finished at once, so that
// load alone never separates them.
func TestRoundRobinAmongTies(t *testing.T) {
	r := newRouter(t, nil, ag(3, "c", 0, 5), ag(1, "a", 0, 5), ag(2, "b", 0, 5))
	var got []int64
	for i := range 7 {
		d := r.Assign(item(ref(i), "refund", "zh-Hans"), t0)
		got = append(got, d.Agent.ID)
		if i == 1 && !strings.Contains(d.Reason, "level with 2 others and next in turn") {
			t.Errorf("second reason does not explain the turn: %s", d.Reason)
		}
		if err := r.Release(d.Agent.ID); err != nil {
			t.Fatal(err)
		}
	}
	if want := []int64{1, 2, 3, 1, 2, 3, 1}; !slices.Equal(got, want) {
		t.Errorf("turns = %v, want %v", got, want)
	}
	// A newcomer has never had a turn, so goes next; then the rotation
	// continues where it was.
	if err := r.Upsert(ag(4, "d", 0, 5)); err != nil {
		t.Fatal(err)
	}
	got = got[:0]
	for i := range 4 {
		d := r.Assign(item(ref(100+i), "refund", "zh-Hans"), t0)
		got = append(got, d.Agent.ID)
		if err := r.Release(d.Agent.ID); err != nil {
			t.Fatal(err)
		}
	}
	if want := []int64{4, 2, 3, 1}; !slices.Equal(got, want) {
		t.Errorf("turns with a newcomer = %v, want %v", got, want)
	}
}

func TestQueueOrder(t *testing.T) {
	due := func(h int) time.Time { return t0.Add(time.Duration(h) * time.Hour) }
	mk := func(ref string, p complaint.Priority, dueAt time.Time, ageHours int) Item {
		it := item(ref, "refund", "zh-Hans")
		it.Priority, it.Due, it.CreatedAt = p, dueAt, t0.Add(-time.Duration(ageHours)*time.Hour)
		return it
	}
	items := []Item{
		mk("p3-old", complaint.PriorityP3, time.Time{}, 50),
		mk("p2-no-deadline", complaint.PriorityP2, time.Time{}, 90),
		mk("p1-late-deadline", complaint.PriorityP1, due(48), 1),
		mk("unknown-priority", "", due(1), 99),
		mk("p2-due-soon", complaint.PriorityP2, due(2), 1),
		mk("p1-due-soon", complaint.PriorityP1, due(4), 1),
		mk("p3-new", complaint.PriorityP3, time.Time{}, 1),
		mk("p2-due-soon-older", complaint.PriorityP2, due(2), 5),
	}
	want := []string{"p1-due-soon", "p1-late-deadline", "p2-due-soon-older", "p2-due-soon",
		"p2-no-deadline", "p3-old", "p3-new", "unknown-priority"}

	sorted := slices.Clone(items)
	SortQueue(sorted)
	var refs []string
	for _, it := range sorted {
		refs = append(refs, it.CaseRef)
	}
	if !slices.Equal(refs, want) {
		t.Errorf("queue order\n got %v\nwant %v", refs, want)
	}

	// With room for three cases, the three most urgent are assigned.
	r := newRouter(t, nil, ag(1, "a", 0, 2), ag(2, "b", 0, 1))
	before := slices.Clone(items)
	decisions := r.AssignQueue(items, t0)
	if !reflect.DeepEqual(items, before) {
		t.Error("AssignQueue modified its input")
	}
	for i, d := range decisions {
		if d.CaseRef != want[i] {
			t.Fatalf("decision %d is for %s, want %s", i, d.CaseRef, want[i])
		}
		if assigned := d.Outcome == Assigned; assigned != (i < 3) {
			t.Errorf("%s: %s (%s)", d.CaseRef, d.Outcome, d.Reason)
		}
	}
}

func TestCapacityNeverExceeded(t *testing.T) {
	rng := newRand(7)
	var agents []Agent
	for id := int64(1); id <= 12; id++ {
		agents = append(agents, with(ag(id, "", rng.IntN(3), 1+rng.IntN(4)), func(a *Agent) {
			a.Skills.Categories = []string{pickOne(rng, []string{"refund", "fraud"})}
		}))
	}
	r := newRouter(t, nil, agents...)
	for i := range 2000 {
		it := item(ref(i), pickOne(rng, []string{"refund", "fraud"}), "zh-Hans")
		if rng.IntN(3) == 0 {
			id := 1 + rng.Int64N(12)
			if load(t, r, id) > 0 {
				if err := r.Release(id); err != nil {
					t.Fatal(err)
				}
			}
		}
		d := r.Assign(it, t0)
		for _, a := range r.Agents() {
			if a.Load > a.Capacity {
				t.Fatalf("step %d: agent %d holds %d, capacity %d", i, a.ID, a.Load, a.Capacity)
			}
		}
		if d.Outcome == Queued && d.Available != 0 {
			t.Fatalf("queued with %d available", d.Available)
		}
	}
}

func TestHeldCasesAreNotRerouted(t *testing.T) {
	r := newRouter(t, nil, ag(1, "李娜", 4, 10), ag(2, "王芳", 0, 10))
	it := item("a", "refund", "zh-Hans")
	it.AssigneeID = 1
	d := r.Assign(it, t0)
	if d.Outcome != Held || d.Agent.ID != 1 || d.Load != 3 {
		t.Errorf("held case: %+v", d)
	}
	if load(t, r, 1) != 4 || load(t, r, 2) != 0 {
		t.Error("Assign of a held case changed loads")
	}
}

func TestRosterErrors(t *testing.T) {
	r := newRouter(t, nil, ag(1, "a", 0, 1))
	for _, bad := range []Agent{
		{ID: 0, Availability: Online},
		{ID: 2, Availability: "busy"},
		{ID: 2, Availability: Online, Capacity: -1},
		{ID: 2, Availability: Online, Load: -1},
		{ID: 2, Availability: Online, Shift: Shift{Hours: mustHours(t, "09:00-18:00")}},
	} {
		if err := r.Upsert(bad); !errors.Is(err, ErrInvalidAgent) {
			t.Errorf("Upsert(%+v) = %v", bad, err)
		}
	}
	if err := r.Release(1); !errors.Is(err, ErrInvalidAgent) {
		t.Errorf("releasing from an empty agent: %v", err)
	}
	if err := r.SetLoad(9, 1); !errors.Is(err, ErrUnknownAgent) {
		t.Errorf("SetLoad of an unknown agent: %v", err)
	}
	if err := r.SetAvailability(1, "busy"); !errors.Is(err, ErrInvalidAgent) {
		t.Errorf("unknown availability: %v", err)
	}
	if r.Remove(9) {
		t.Error("removed an unknown agent")
	}
	if d := r.Assign(item("a", "refund", "zh-Hans"), t0); d.Outcome != Assigned {
		t.Errorf("after the failed updates: %+v", d)
	}
	r.Remove(1)
	if d := r.Assign(item("b", "refund", "zh-Hans"), t0); d.Reason != "stays in the general queue: there are no agents on the roster" {
		t.Errorf("empty roster: %s", d.Reason)
	}
}

func TestExplain(t *testing.T) {
	r := newRouter(t, nil,
		ag(1, "busy", 5, 10),
		with(ag(2, "away", 0, 10), func(a *Agent) { a.Availability = Away }),
		ag(3, "free", 1, 10),
		with(ag(4, "english", 0, 10), func(a *Agent) { a.Skills.Languages = []string{"en"} }),
	)
	got := r.Explain(item("a", "refund", "zh-Hans"), t0)
	want := []Candidate{
		{Agent: AgentRef{3, "free"}, Load: 1, Capacity: 10},
		{Agent: AgentRef{1, "busy"}, Load: 5, Capacity: 10},
		{Agent: AgentRef{2, "away"}, Code: IsAway, Capacity: 10},
		{Agent: AgentRef{4, "english"}, Code: NoLanguage, Capacity: 10},
	}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("Explain\n got %+v\nwant %+v", got, want)
	}
	if d := r.Suggest(item("a", "refund", "zh-Hans"), t0); d.Agent.ID != 3 || load(t, r, 3) != 1 {
		t.Errorf("Suggest: %+v, and it must not assign", d)
	}
}
