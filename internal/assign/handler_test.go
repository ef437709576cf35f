package assign_test

import (
	"context"
	"encoding/json"
	"fmt"
	"log/slog"
	"strings"
	"testing"
	"time"

	"github.com/redress-project/redress/internal/access"
	"github.com/redress-project/redress/internal/assign"
	"github.com/redress-project/redress/internal/complaint"
	"github.com/redress-project/redress/internal/desk"
	"github.com/redress-project/redress/internal/outbox"
	"github.com/redress-project/redress/internal/store"
	"github.com/redress-project/redress/internal/store/storetest"
)

var (
	ctx    = context.Background()
	system = access.SystemPrincipal
	quiet  = slog.New(slog.DiscardHandler)
)

// rig is a desk over a fresh store with the assignment handler behind an
// outbox dispatcher.
type rig struct {
	t    *testing.T
	st   *store.Store
	desk *desk.Desk
	h    *assign.Handler
	disp *outbox.Dispatcher
}

func newRig(t *testing.T, st *store.Store, opts assign.Options) *rig {
	t.Helper()
	d := desk.New(st)
	opts.Logger = quiet
	h := assign.New(d, st, opts)
	return &rig{t: t, st: st, desk: d, h: h, disp: outbox.New(st, quiet, h.Handler())}
}

// drain runs the dispatcher until the outbox is empty.
func (r *rig) drain() {
	r.t.Helper()
	for range 50 {
		n, err := r.disp.RunOnce(ctx)
		if err != nil {
			r.t.Fatal(err)
		}
		if n == 0 {
			return
		}
	}
	r.t.Fatal("the outbox does not drain")
}

// staff creates an agent (or supervisor) of team with a profile when p is
// not nil.
func (r *rig) staff(name, team string, role complaint.Role, p *store.AgentProfile) access.User {
	r.t.Helper()
	u := &access.User{Email: strings.ToLower(name) + "@example.com", Name: name, Role: role, PasswordHash: "x", Team: team}
	if err := r.st.CreateUser(ctx, u); err != nil {
		r.t.Fatal(err)
	}
	if p != nil {
		p.UserID = u.ID
		if err := r.st.UpsertAgentProfile(ctx, *p); err != nil {
			r.t.Fatal(err)
		}
	}
	return *u
}

// file opens a case as intake does: classified, in team refunds, unless
// mods say otherwise.
func (r *rig) file(mods ...func(*complaint.Draft)) *complaint.Case {
	r.t.Helper()
	d := complaint.Draft{Customer: complaint.Customer{ID: "c-1", Name: "王芳"}, Channel: complaint.ChannelApp,
		Category: "refund", Team: "refunds", Subject: "退款一直没有到账", Description: "商家已经同意退款，十天了钱还没有退回来。"}
	for _, m := range mods {
		m(&d)
	}
	c, _, err := r.desk.File(ctx, system, d, "")
	if err != nil {
		r.t.Fatalf("filing: %v", err)
	}
	return c
}

func (r *rig) get(ref string) (*complaint.Case, []complaint.Event) {
	r.t.Helper()
	c, events, err := r.desk.View(ctx, system, ref)
	if err != nil {
		r.t.Fatal(err)
	}
	return c, events
}

// assignments returns the After of every assigned event of the case.
func (r *rig) assignments(ref string) []complaint.Assignment {
	r.t.Helper()
	_, events := r.get(ref)
	var out []complaint.Assignment
	for _, e := range events {
		if e.Kind == complaint.KindAssigned {
			var a complaint.Assignment
			if err := json.Unmarshal(e.After, &a); err != nil {
				r.t.Fatal(err)
			}
			out = append(out, a)
		}
	}
	return out
}

func language(tag string) func(*complaint.Draft) {
	return func(d *complaint.Draft) { d.Language = tag }
}

func TestLanguageGoesToAgentWhoSpeaksIt(t *testing.T) {
	t.Parallel()
	storetest.Each(t, func(t *testing.T, st *store.Store) {
		r := newRig(t, st, assign.Options{})
		r.staff("Hans", "refunds", complaint.RoleAgent, &store.AgentProfile{Languages: []string{"zh-Hans", "en"}, Capacity: 20})
		hant := r.staff("Hant", "refunds", complaint.RoleAgent, &store.AgentProfile{Languages: []string{"zh-Hant"}, Capacity: 20})
		r.staff("Other", "fraud", complaint.RoleAgent, nil) // any language, another team

		var cases []*complaint.Case
		for range 4 {
			cases = append(cases, r.file(language("zh-Hant")))
		}
		// Filed uncategorized: left for triage; routed once assessed, on
		// the assessed language.
		later := r.file(func(d *complaint.Draft) { d.Category = "" })
		r.drain()
		if c, _ := r.get(later.Ref); c.AssigneeID != 0 {
			t.Fatalf("an uncategorized case was routed on filing, to %d", c.AssigneeID)
		}
		if _, _, err := r.desk.Assess(ctx, system, later.Ref, complaint.Assessment{Language: "zh-Hant", Category: "refund"}); err != nil {
			t.Fatal(err)
		}
		r.drain()
		for _, c := range append(cases, later) {
			got, _ := r.get(c.Ref)
			if got.AssigneeID != hant.ID || got.Team != "refunds" || got.AssigneeName != "Hant" {
				t.Errorf("%s went to %d (%s) in %s, want %d", c.Ref, got.AssigneeID, got.AssigneeName, got.Team, hant.ID)
			}
		}
	})
}

func TestCapacityAvailabilityAndReason(t *testing.T) {
	t.Parallel()
	storetest.Each(t, func(t *testing.T, st *store.Store) {
		r := newRig(t, st, assign.Options{TTL: -1})
		busy := r.staff("Busy", "refunds", complaint.RoleAgent, &store.AgentProfile{Capacity: 2})
		away := r.staff("Away", "refunds", complaint.RoleAgent, &store.AgentProfile{Capacity: 20, Availability: store.AvailabilityAway})
		r.staff("Off", "refunds", complaint.RoleSupervisor, &store.AgentProfile{Capacity: 20, Availability: store.AvailabilityOffShift})

		var cases []*complaint.Case
		for range 4 {
			cases = append(cases, r.file())
		}
		r.drain()
		held := 0
		for _, c := range cases {
			got, events := r.get(c.Ref)
			switch got.AssigneeID {
			case 0:
				if n := len(r.assignments(c.Ref)); n != 0 {
					t.Errorf("queued case %s has %d assignments", c.Ref, n)
				}
			case busy.ID:
				held++
				as := r.assignments(c.Ref)
				if len(as) != 1 || !strings.HasPrefix(as[0].Reason, "Busy: ") || as[0].AssigneeID != busy.ID {
					t.Errorf("assignment of %s: %+v", c.Ref, as)
				}
				for _, e := range events {
					if e.Kind == complaint.KindAssigned && (e.Actor.Role != complaint.RoleSystem || e.Visibility != complaint.Internal) {
						t.Errorf("assigned by %+v, %s", e.Actor, e.Visibility)
					}
				}
			default:
				t.Errorf("%s went to %d; Busy is %d, Away %d", c.Ref, got.AssigneeID, busy.ID, away.ID)
			}
		}
		if held != 2 {
			t.Fatalf("Busy (capacity 2) holds %d cases", held)
		}

		// Redelivering every event changes nothing.
		before := map[string]int64{}
		for _, c := range cases {
			got, _ := r.get(c.Ref)
			before[c.Ref] = got.Version
			for _, kind := range []complaint.EventKind{complaint.KindCreated, complaint.KindAssessed} {
				if err := r.h.Handle(ctx, store.OutboxItem{CaseRef: c.Ref, Kind: string(kind)}); err != nil {
					t.Fatal(err)
				}
			}
		}
		for _, c := range cases {
			if got, _ := r.get(c.Ref); got.Version != before[c.Ref] {
				t.Errorf("redelivery changed %s: version %d, was %d", c.Ref, got.Version, before[c.Ref])
			}
		}

		// An unknown case is no error.
		if err := r.h.Handle(ctx, store.OutboxItem{CaseRef: "CMP-NOPE", Kind: string(complaint.KindCreated)}); err != nil {
			t.Errorf("unknown case: %v", err)
		}
	})
}

func TestEqualAgentsShareCases(t *testing.T) {
	t.Parallel()
	storetest.Each(t, func(t *testing.T, st *store.Store) {
		r := newRig(t, st, assign.Options{TTL: time.Minute})
		ids := map[int64]int{}
		for i := range 3 {
			u := r.staff(fmt.Sprintf("Agent%d", i), "refunds", complaint.RoleAgent, nil)
			ids[u.ID] = 0
		}
		var cases []*complaint.Case
		for range 20 {
			cases = append(cases, r.file())
		}
		r.drain()
		for _, c := range cases {
			got, _ := r.get(c.Ref)
			if _, ok := ids[got.AssigneeID]; !ok {
				t.Fatalf("%s went to %d", c.Ref, got.AssigneeID)
			}
			ids[got.AssigneeID]++
		}
		lo, hi := 20, 0
		for _, n := range ids {
			lo, hi = min(lo, n), max(hi, n)
		}
		if hi-lo > 1 {
			t.Fatalf("loads %v differ by more than 1", ids)
		}
		loads, err := st.OpenCaseLoads(ctx)
		if err != nil {
			t.Fatal(err)
		}
		for id, n := range ids {
			if loads[id] != n {
				t.Errorf("store load of %d is %d, cases say %d", id, loads[id], n)
			}
		}
	})
}

func TestPeopleDecide(t *testing.T) {
	t.Parallel()
	storetest.Each(t, func(t *testing.T, st *store.Store) {
		r := newRig(t, st, assign.Options{})
		sup := r.staff("Sup", "refunds", complaint.RoleSupervisor, &store.AgentProfile{Capacity: 0})
		agent := r.staff("Agent", "refunds", complaint.RoleAgent, nil)
		boss := access.Principal{UserID: sup.ID, Name: sup.Name, Role: complaint.RoleSupervisor, Team: "refunds"}

		// Assigned by hand before routing saw it.
		byHand := r.file()
		if _, _, err := r.desk.Assign(ctx, boss, byHand.Ref, complaint.Assignment{Team: "refunds", AssigneeID: sup.ID}); err != nil {
			t.Fatal(err)
		}
		// Assigned, then unassigned, by hand: it stays in the queue.
		unassigned := r.file()
		for _, id := range []int64{agent.ID, 0} {
			if _, _, err := r.desk.Assign(ctx, boss, unassigned.Ref, complaint.Assignment{Team: "refunds", AssigneeID: id}); err != nil {
				t.Fatal(err)
			}
		}
		// Withdrawn before routing: closed cases are not routed.
		withdrawn := r.file()
		if _, _, err := r.desk.Transition(ctx, system, withdrawn.Ref, complaint.StatusWithdrawn, "duplicate"); err != nil {
			t.Fatal(err)
		}
		// Transferred to another team by hand, nobody holding it: routed
		// within that team.
		transferred := r.file()
		if _, _, err := r.desk.Assign(ctx, boss, transferred.Ref, complaint.Assignment{Team: "fraud"}); err != nil {
			t.Fatal(err)
		}
		fraud := r.staff("Fraud", "fraud", complaint.RoleAgent, nil)
		r.drain()

		if as := r.assignments(byHand.Ref); len(as) != 1 || as[0].AssigneeID != sup.ID || as[0].Reason != "" {
			t.Errorf("the hand-assigned case: %+v", as)
		}
		if c, _ := r.get(unassigned.Ref); c.AssigneeID != 0 || len(r.assignments(unassigned.Ref)) != 2 {
			t.Errorf("the hand-unassigned case went to %d", c.AssigneeID)
		}
		if c, _ := r.get(withdrawn.Ref); c.AssigneeID != 0 {
			t.Errorf("the withdrawn case went to %d", c.AssigneeID)
		}
		if c, _ := r.get(transferred.Ref); c.AssigneeID != fraud.ID || c.Team != "fraud" {
			t.Errorf("the transferred case went to %d in %s, want %d in fraud", c.AssigneeID, c.Team, fraud.ID)
		}
	})
}

// A person who assigns the case while routing is deciding wins: routing
// puts their assignment back.
func TestRaceWithPersonRestoresTheirAssignment(t *testing.T) {
	t.Parallel()
	storetest.Each(t, func(t *testing.T, st *store.Store) {
		var r *rig
		var ref string
		var sup access.User
		raced := false
		r = newRig(t, st, assign.Options{Now: func() time.Time {
			if !raced && ref != "" {
				raced = true
				boss := access.Principal{UserID: sup.ID, Name: sup.Name, Role: complaint.RoleSupervisor, Team: "refunds"}
				if _, _, err := r.desk.Assign(ctx, boss, ref, complaint.Assignment{Team: "refunds", AssigneeID: sup.ID}); err != nil {
					t.Error(err)
				}
			}
			return time.Now()
		}})
		sup = r.staff("Sup", "refunds", complaint.RoleSupervisor, &store.AgentProfile{Capacity: 0})
		agent := r.staff("Agent", "refunds", complaint.RoleAgent, nil)
		ref = r.file().Ref
		r.drain()
		if !raced {
			t.Fatal("routing did not consult its clock")
		}
		c, _ := r.get(ref)
		as := r.assignments(ref)
		if c.AssigneeID != sup.ID || len(as) != 3 || as[0].AssigneeID != sup.ID || as[1].AssigneeID != agent.ID ||
			as[2].AssigneeID != sup.ID || !strings.HasPrefix(as[2].Reason, "restored") {
			t.Fatalf("held by %d; assignments %+v", c.AssigneeID, as)
		}
		// Later cases are routed on a fresh roster, so Agent's load is right.
		next := r.file()
		r.drain()
		if c, _ := r.get(next.Ref); c.AssigneeID != agent.ID {
			t.Errorf("the next case went to %d", c.AssigneeID)
		}
	})
}
