package route

import (
	"reflect"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/redress-project/redress/internal/complaint"
)

// heldBy returns n open cases of agent id, older as they go.
func heldBy(id int64, prefix string, n int) []Item {
	var out []Item
	for i := range n {
		it := item(prefix+ref(i), "refund", "zh-Hans")
		it.AssigneeID = id
		it.CreatedAt = it.CreatedAt.Add(-time.Duration(i) * time.Hour)
		out = append(out, it)
	}
	return out
}

func TestRebalanceWhenAgentGoesAway(t *testing.T) {
	r := newRouter(t, nil, ag(1, "王芳", 5, 10), ag(2, "李娜", 2, 10), ag(3, "张伟", 3, 10))
	open := append(heldBy(1, "w", 5), heldBy(2, "l", 2)...)
	open[0].Pinned = true // a supervisor wants 王芳 to keep this one
	if err := r.SetAvailability(1, Away); err != nil {
		t.Fatal(err)
	}
	moves, stuck := r.Rebalance(open, t0)

	if len(moves) != 4 || len(stuck) != 0 {
		t.Fatalf("got %d moves, want 4 (5 cases less the pinned one): %+v", len(moves), moves)
	}
	to := map[int64]int{}
	for _, m := range moves {
		if m.From.ID != 1 || m.Cause != IsAway || m.To.Outcome != Assigned || m.CaseRef == open[0].CaseRef {
			t.Errorf("move %+v", m)
		}
		to[m.To.Agent.ID]++
	}
	// 李娜 2→3; then level at 3, 张伟 has not had a turn yet: 张伟 3→4,
	// 李娜 3→4; level at 4, 张伟's turn is the older: 张伟 4→5.
	if to[2] != 2 || to[3] != 2 {
		t.Errorf("moves by target = %v, want 2 to 李娜 and 2 to 张伟", to)
	}
	if got := []int{load(t, r, 1), load(t, r, 2), load(t, r, 3)}; !slices.Equal(got, []int{1, 4, 5}) {
		t.Errorf("loads after = %v, want [1 4 5]", got)
	}
	if !strings.HasPrefix(moves[0].Reason, "from 王芳 (away) to 李娜: speaks zh-Hans") {
		t.Errorf("reason: %s", moves[0].Reason)
	}
	checkIndex(t, r)
}

func TestRebalanceKeepsWhatNobodyCanTake(t *testing.T) {
	r := newRouter(t, []Team{{ID: "refunds", Name: "Refunds"}},
		with(ag(1, "王芳", 2, 10), func(a *Agent) { a.Team = "refunds"; a.Availability = OffShift }),
		with(ag(2, "李娜", 10, 10), func(a *Agent) { a.Team = "refunds" }),
	)
	open := heldBy(1, "w", 2)
	for i := range open {
		open[i].Team = "refunds"
	}
	moves, stuck := r.Rebalance(open, t0)
	if len(moves) != 0 || len(stuck) != 2 {
		t.Fatalf("moves %+v, stuck %+v", moves, stuck)
	}
	want := "stays with 王芳 (off shift) for now: 2 agents qualify but none can take it now (1 off shift, 1 at capacity)"
	if m := stuck[0]; m.To.Outcome != Queued || m.Cause != IsOffShift || m.Reason != want {
		t.Errorf("stuck\n got %s: %s\nwant %s", m.To.Outcome, m.Reason, want)
	}
	if load(t, r, 1) != 2 || load(t, r, 2) != 10 {
		t.Errorf("loads: %d %d", load(t, r, 1), load(t, r, 2))
	}
}

func TestRebalanceOverCapacity(t *testing.T) {
	r := newRouter(t, nil, ag(1, "王芳", 6, 6), ag(2, "李娜", 0, 10), ag(3, "张伟", 1, 1))
	open := heldBy(1, "w", 6)
	open[0].Priority = complaint.PriorityP4
	open[5].Priority = complaint.PriorityP1
	open[1].Pinned = true
	// Lower 王芳's capacity to 3: three must go, the least urgent first,
	// never the pinned one.
	a, _ := r.Agent(1)
	a.Capacity = 3
	if err := r.Upsert(a); err != nil {
		t.Fatal(err)
	}
	moves, stuck := r.Rebalance(open, t0)
	if len(stuck) != 0 {
		t.Errorf("stuck: %+v", stuck)
	}
	var refs []string
	for _, m := range moves {
		refs = append(refs, m.CaseRef)
		if m.Cause != AtCapacity || m.To.Agent.ID != 2 {
			t.Errorf("move %+v", m)
		}
	}
	// Queue order of 王芳's movable cases: P1 (5), then P3 by age 4 3 2,
	// then P4 (0). The last three go.
	want := []string{open[3].CaseRef, open[2].CaseRef, open[0].CaseRef}
	slices.Sort(refs)
	slices.Sort(want)
	if !slices.Equal(refs, want) {
		t.Errorf("moved %v, want %v", refs, want)
	}
	if !strings.HasPrefix(moves[0].Reason, "from 王芳 (over capacity, 6/3 open) to 李娜") {
		t.Errorf("reason: %s", moves[0].Reason)
	}
	if load(t, r, 1) != 3 || load(t, r, 2) != 3 {
		t.Errorf("loads after: %d, %d", load(t, r, 1), load(t, r, 2))
	}
	// Balanced now: nothing more to do.
	open = slices.DeleteFunc(open, func(it Item) bool { return slices.Contains(refs, it.CaseRef) })
	if moves, stuck := r.Rebalance(open, t0); len(moves)+len(stuck) != 0 {
		t.Errorf("second rebalance: moves %+v, stuck %+v", moves, stuck)
	}
}

func TestRebalanceOverCapacityStaysWhenNobodyHasRoom(t *testing.T) {
	r := newRouter(t, nil, ag(1, "王芳", 5, 3), ag(2, "李娜", 2, 2))
	moves, stuck := r.Rebalance(heldBy(1, "w", 5), t0)
	if len(moves) != 0 || len(stuck) != 2 {
		t.Fatalf("moves %+v, stuck %+v", moves, stuck)
	}
	want := "stays with 王芳 (over capacity, 5/3 open) for now: 2 agents qualify but none can take it now (2 at capacity)"
	if stuck[0].Reason != want || stuck[0].Cause != AtCapacity {
		t.Errorf("stuck\n got %s\nwant %s", stuck[0].Reason, want)
	}
	if load(t, r, 1) != 5 {
		t.Errorf("load changed to %d", load(t, r, 1))
	}
}

func TestRebalanceRemovedAgent(t *testing.T) {
	r := newRouter(t, nil, ag(1, "王芳", 1, 3), ag(2, "李娜", 0, 2))
	r.Remove(1)
	moves, _ := r.Rebalance(heldBy(1, "w", 1), t0)
	want := Move{CaseRef: "w" + ref(0), From: AgentRef{ID: 1}, Cause: Unknown}
	if len(moves) != 1 {
		t.Fatalf("moves: %+v", moves)
	}
	got := moves[0]
	if got.CaseRef != want.CaseRef || got.From != want.From || got.Cause != want.Cause || got.To.Agent.ID != 2 ||
		!strings.HasPrefix(got.Reason, "from agent #1 (no longer on the roster) to 李娜") {
		t.Errorf("move %+v", got)
	}
}

func TestPinIsRespected(t *testing.T) {
	r := newRouter(t, nil,
		ag(1, "王芳", 3, 3),
		ag(2, "李娜", 1, 10),
		with(ag(3, "Tom", 0, 10), func(a *Agent) { a.Skills.Languages = []string{"en"} }),
	)
	it := item("a", "refund", "zh-Hans")
	it.AssigneeID = 2
	pinned, d, err := r.Pin(it, 1, t0)
	if err != nil {
		t.Fatal(err)
	}
	if !pinned.Pinned || pinned.AssigneeID != 1 || d.Outcome != Pinned || d.Agent.ID != 1 {
		t.Fatalf("pin: %+v, %+v", pinned, d)
	}
	want := "pinned to 王芳 by a supervisor; routing and rebalancing leave it there (note: now over capacity, 4/3 open)"
	if d.Reason != want {
		t.Errorf("reason\n got %s\nwant %s", d.Reason, want)
	}
	if load(t, r, 1) != 4 || load(t, r, 2) != 0 {
		t.Errorf("loads: %d, %d", load(t, r, 1), load(t, r, 2))
	}
	// 王芳 is over capacity, then goes away: the pinned case stays.
	if d := r.Assign(pinned, t0); d.Outcome != Pinned || d.Agent.ID != 1 {
		t.Errorf("Assign moved a pinned case: %+v", d)
	}
	if err := r.SetAvailability(1, Away); err != nil {
		t.Fatal(err)
	}
	if moves, stuck := r.Rebalance([]Item{pinned}, t0); len(moves)+len(stuck) != 0 {
		t.Errorf("Rebalance touched a pinned case: %+v %+v", moves, stuck)
	}
	// Unpinned, it moves.
	pinned.Pinned = false
	if moves, _ := r.Rebalance([]Item{pinned}, t0); len(moves) != 1 || moves[0].To.Agent.ID != 2 {
		t.Errorf("unpinned: %+v", moves)
	}

	// A pin may break the rules, and says which.
	_, d, err = r.Pin(item("b", "refund", "zh-Hans"), 3, t0)
	if err != nil || !strings.HasSuffix(d.Reason, "(note: does not speak zh-Hans)") {
		t.Errorf("pin to a non-speaker: %v, %s", err, d.Reason)
	}
	if _, _, err := r.Pin(it, 42, t0); err == nil {
		t.Error("pinned to an unknown agent")
	}
	checkIndex(t, r)
}

func TestRebalanceIsDeterministic(t *testing.T) {
	run := func() []Move {
		r := newRouter(t, nil, ag(1, "a", 6, 10), ag(2, "b", 6, 10), ag(3, "c", 0, 10), ag(4, "d", 0, 10), ag(5, "e", 1, 10))
		open := append(heldBy(2, "b", 6), heldBy(1, "a", 6)...)
		for _, id := range []int64{1, 2} {
			if err := r.SetAvailability(id, Away); err != nil {
				t.Fatal(err)
			}
		}
		moves, stuck := r.Rebalance(open, t0)
		return append(moves, stuck...)
	}
	first := run()
	if len(first) != 12 {
		t.Fatalf("%d moves", len(first))
	}
	for range 5 {
		if again := run(); !reflect.DeepEqual(first, again) {
			t.Fatal("two runs of the same rebalance differ")
		}
	}
}
