package assign_test

import (
	"errors"
	"strings"
	"testing"

	"github.com/redress-project/redress/internal/access"
	"github.com/redress-project/redress/internal/assign"
	"github.com/redress-project/redress/internal/complaint"
	"github.com/redress-project/redress/internal/route"
	"github.com/redress-project/redress/internal/store"
	"github.com/redress-project/redress/internal/store/storetest"
)

// hold files a case (without routing it) and assigns it to holder as by.
func (r *rig) hold(by access.Principal, holder access.User, mods ...func(*complaint.Draft)) *complaint.Case {
	r.t.Helper()
	c := r.file(mods...)
	if _, _, err := r.desk.Assign(ctx, by, c.Ref, complaint.Assignment{Team: "refunds", AssigneeID: holder.ID}); err != nil {
		r.t.Fatalf("assigning %s: %v", c.Ref, err)
	}
	return c
}

func TestAgentGoingAwayRebalancesTheirCases(t *testing.T) {
	t.Parallel()
	storetest.Each(t, func(t *testing.T, st *store.Store) {
		r := newRig(t, st, assign.Options{})
		leaving := r.staff("Leaving", "refunds", complaint.RoleAgent, &store.AgentProfile{Languages: []string{"en", "fr"}, Capacity: 20})
		a := r.staff("Ann", "refunds", complaint.RoleAgent, &store.AgentProfile{Languages: []string{"en"}, Capacity: 20})
		b := r.staff("Bob", "refunds", complaint.RoleAgent, &store.AgentProfile{Languages: []string{"en"}, Capacity: 20})
		sup := r.staff("Sue", "refunds", complaint.RoleSupervisor, &store.AgentProfile{Languages: []string{"en"}, Capacity: 20, Availability: store.AvailabilityOffShift})
		self := access.PrincipalOf(leaving)

		var moving []*complaint.Case
		for range 4 {
			moving = append(moving, r.hold(self, leaving, language("en")))
		}
		pin := r.hold(access.PrincipalOf(sup), leaving, language("en"))
		french := r.hold(self, leaving, language("fr"))

		res, err := r.h.SetAvailability(ctx, self, leaving.ID, route.Away)
		if err != nil {
			t.Fatal(err)
		}
		if len(res.Moves) != 4 || len(res.Stuck) != 1 || res.Stuck[0].CaseRef != french.Ref {
			t.Fatalf("moves %+v, stuck %+v", res.Moves, res.Stuck)
		}
		if !strings.Contains(res.Stuck[0].Reason, "stays with Leaving (away)") {
			t.Errorf("stuck reason %q", res.Stuck[0].Reason)
		}
		per := map[int64]int{}
		for _, m := range res.Moves {
			got, events := r.get(m.CaseRef)
			per[got.AssigneeID]++
			if got.AssigneeID != m.To.Agent.ID || got.Team != "refunds" {
				t.Errorf("%s is with %d in %s; the move said %d", m.CaseRef, got.AssigneeID, got.Team, m.To.Agent.ID)
			}
			as := r.assignments(m.CaseRef)
			last := as[len(as)-1]
			if last.Reason != m.Reason || !strings.HasPrefix(last.Reason, "from Leaving (away) to ") {
				t.Errorf("%s: recorded reason %q, move reason %q", m.CaseRef, last.Reason, m.Reason)
			}
			if e := events[len(events)-1]; e.Kind != complaint.KindAssigned || e.Actor.Role != complaint.RoleSystem {
				t.Errorf("%s: last event %s by %+v", m.CaseRef, e.Kind, e.Actor)
			}
		}
		if per[a.ID] != 2 || per[b.ID] != 2 {
			t.Errorf("moved cases per agent %v; want 2 each for Ann (%d) and Bob (%d)", per, a.ID, b.ID)
		}
		for _, c := range moving {
			if got, _ := r.get(c.Ref); got.AssigneeID == leaving.ID {
				t.Errorf("%s did not move", c.Ref)
			}
		}
		for _, c := range []*complaint.Case{pin, french} {
			if got, _ := r.get(c.Ref); got.AssigneeID != leaving.ID {
				t.Errorf("%s moved to %d; it should stay with Leaving", c.Ref, got.AssigneeID)
			}
		}
		profiles, err := st.AgentProfiles(ctx)
		if err != nil {
			t.Fatal(err)
		}
		for _, p := range profiles {
			if p.UserID == leaving.ID && p.Availability != store.AvailabilityAway {
				t.Errorf("Leaving is %s", p.Availability)
			}
		}

		// Back online: nothing moves, and new cases may go to them again.
		res, err = r.h.SetAvailability(ctx, self, leaving.ID, route.Online)
		if err != nil || len(res.Moves)+len(res.Stuck) != 0 {
			t.Fatalf("coming back online: %+v, %v", res, err)
		}
		// Off shift again, by a supervisor: the pinned and French cases
		// still stay.
		res, err = r.h.SetAvailability(ctx, access.PrincipalOf(sup), leaving.ID, route.OffShift)
		if err != nil || len(res.Moves) != 0 || len(res.Stuck) != 1 {
			t.Fatalf("off shift: %+v, %v", res, err)
		}
	})
}

func TestSetAvailabilityPermissions(t *testing.T) {
	t.Parallel()
	storetest.Each(t, func(t *testing.T, st *store.Store) {
		r := newRig(t, st, assign.Options{})
		ann := r.staff("Ann", "refunds", complaint.RoleAgent, nil)
		bob := r.staff("Bob", "refunds", complaint.RoleAgent, nil)
		sup := r.staff("Sue", "refunds", complaint.RoleSupervisor, nil)
		cust := r.staff("Cus", "", complaint.RoleCustomer, nil)
		for _, tc := range []struct {
			name string
			p    access.Principal
			id   int64
			av   route.Availability
			want error
		}{
			{"customer", access.PrincipalOf(cust), ann.ID, route.Away, access.ErrForbidden},
			{"merchant", access.Principal{UserID: 77, Role: complaint.RoleMerchant, MerchantID: "m"}, ann.ID, route.Away, access.ErrForbidden},
			{"another agent", access.PrincipalOf(bob), ann.ID, route.Away, access.ErrForbidden},
			{"the system", system, ann.ID, route.Away, access.ErrForbidden},
			{"unknown agent", access.PrincipalOf(sup), 99999, route.Away, complaint.ErrNotFound},
			{"not an agent", access.PrincipalOf(sup), cust.ID, route.Away, complaint.ErrNotFound},
			{"themselves", access.PrincipalOf(ann), ann.ID, route.Away, nil},
			{"supervisor", access.PrincipalOf(sup), bob.ID, route.OffShift, nil},
			{"supervisor themselves", access.PrincipalOf(sup), sup.ID, route.Online, nil},
		} {
			_, err := r.h.SetAvailability(ctx, tc.p, tc.id, tc.av)
			if !errors.Is(err, tc.want) {
				t.Errorf("%s: %v, want %v", tc.name, err, tc.want)
			}
		}
		_, err := r.h.SetAvailability(ctx, access.PrincipalOf(ann), ann.ID, "lunch")
		var invalid *complaint.ValidationError
		if !errors.As(err, &invalid) || invalid.Field != "availability" {
			t.Errorf("an unknown availability: %v", err)
		}
		profiles, err := st.AgentProfiles(ctx)
		if err != nil {
			t.Fatal(err)
		}
		want := map[int64]string{ann.ID: store.AvailabilityAway, bob.ID: store.AvailabilityOffShift, sup.ID: store.AvailabilityOnline}
		for _, p := range profiles {
			if p.Availability != want[p.UserID] {
				t.Errorf("%s is %s, want %s", p.Name, p.Availability, want[p.UserID])
			}
		}
	})
}

func TestRebalanceOverCapacity(t *testing.T) {
	t.Parallel()
	storetest.Each(t, func(t *testing.T, st *store.Store) {
		r := newRig(t, st, assign.Options{})
		full := r.staff("Full", "refunds", complaint.RoleAgent, &store.AgentProfile{Capacity: 5})
		other := r.staff("Other", "refunds", complaint.RoleAgent, &store.AgentProfile{Capacity: 5})
		self := access.PrincipalOf(full)
		for range 5 {
			r.hold(self, full)
		}
		if res, err := r.h.RebalanceOverCapacity(ctx); err != nil || len(res.Moves)+len(res.Stuck) != 0 {
			t.Fatalf("nobody over capacity: %+v, %v", res, err)
		}
		if err := st.UpsertAgentProfile(ctx, store.AgentProfile{UserID: full.ID, Capacity: 2}); err != nil {
			t.Fatal(err)
		}
		res, err := r.h.RebalanceOverCapacity(ctx)
		if err != nil {
			t.Fatal(err)
		}
		if len(res.Moves) != 3 || len(res.Stuck) != 0 {
			t.Fatalf("moves %+v, stuck %+v", res.Moves, res.Stuck)
		}
		for _, m := range res.Moves {
			if m.To.Agent.ID != other.ID || !strings.Contains(m.Reason, "over capacity, ") {
				t.Errorf("move %+v", m)
			}
		}
		loads, err := st.OpenCaseLoads(ctx)
		if err != nil {
			t.Fatal(err)
		}
		if loads[full.ID] != 2 || loads[other.ID] != 3 {
			t.Errorf("loads %v", loads)
		}
	})
}

func TestComingBackOnlineTakesTheWaitingCases(t *testing.T) {
	t.Parallel()
	storetest.Each(t, func(t *testing.T, st *store.Store) {
		r := newRig(t, st, assign.Options{})
		solo := r.staff("Solo", "refunds", complaint.RoleAgent, &store.AgentProfile{Capacity: 2, Availability: store.AvailabilityAway})
		r.staff("Fraud", "fraud", complaint.RoleAgent, nil)
		var waiting []*complaint.Case
		for range 3 {
			waiting = append(waiting, r.file())
		}
		untriaged := r.file(func(d *complaint.Draft) { d.Category = "" })
		r.drain()
		for _, c := range append(waiting, untriaged) {
			if got, _ := r.get(c.Ref); got.AssigneeID != 0 {
				t.Fatalf("%s was assigned to %d while Solo was away", c.Ref, got.AssigneeID)
			}
		}
		res, err := r.h.SetAvailability(ctx, access.PrincipalOf(solo), solo.ID, route.Online)
		if err != nil {
			t.Fatal(err)
		}
		if len(res.Assigned) != 2 || len(res.Moves)+len(res.Stuck) != 0 {
			t.Fatalf("coming back online: %+v", res)
		}
		held := 0
		for _, c := range waiting {
			got, _ := r.get(c.Ref)
			if got.AssigneeID == solo.ID {
				held++
				if as := r.assignments(c.Ref); len(as) != 1 || !strings.HasPrefix(as[0].Reason, "Solo: ") {
					t.Errorf("%s: %+v", c.Ref, as)
				}
			}
		}
		if held != 2 {
			t.Errorf("Solo (capacity 2) holds %d cases", held)
		}
		if got, _ := r.get(untriaged.Ref); got.AssigneeID != 0 {
			t.Errorf("an untriaged case went to %d", got.AssigneeID)
		}
	})
}
