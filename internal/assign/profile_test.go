package assign_test

import (
	"errors"
	"testing"

	"github.com/redress-project/redress/internal/access"
	"github.com/redress-project/redress/internal/assign"
	"github.com/redress-project/redress/internal/complaint"
	"github.com/redress-project/redress/internal/store"
	"github.com/redress-project/redress/internal/store/storetest"
)

func TestLoweringCapacityMovesCases(t *testing.T) {
	t.Parallel()
	storetest.Each(t, func(t *testing.T, st *store.Store) {
		r := newRig(t, st, assign.Options{})
		a := r.staff("Ann", "refunds", complaint.RoleAgent, &store.AgentProfile{Capacity: 4})
		b := r.staff("Bob", "refunds", complaint.RoleAgent, &store.AgentProfile{Capacity: 20})
		sup := r.staff("Sue", "refunds", complaint.RoleSupervisor, &store.AgentProfile{Capacity: 20, Availability: store.AvailabilityOffShift})
		for range 4 {
			r.hold(access.PrincipalOf(a), a)
		}

		// Refusals first: nothing changes.
		if _, _, err := r.h.SetProfile(ctx, access.PrincipalOf(a), a.ID, store.AgentProfile{Capacity: 1}); !errors.Is(err, access.ErrForbidden) {
			t.Fatalf("agent changing a profile: %v", err)
		}
		boss := access.PrincipalOf(sup)
		for _, c := range []struct {
			prof  store.AgentProfile
			field string
		}{
			{store.AgentProfile{Capacity: -1}, "capacity"},
			{store.AgentProfile{Capacity: 1, Calendar: "atlantis"}, "calendar"},
			{store.AgentProfile{Capacity: 1, Calendar: "cn", Hours: "nine to five"}, "hours"},
			{store.AgentProfile{Capacity: 1, Hours: "09:00-18:00"}, "hours"},
		} {
			var invalid *complaint.ValidationError
			if _, _, err := r.h.SetProfile(ctx, boss, a.ID, c.prof); !errors.As(err, &invalid) || invalid.Field != c.field {
				t.Errorf("%+v: %v; want a validation error on %s", c.prof, err, c.field)
			}
		}
		if _, _, err := r.h.SetProfile(ctx, boss, 9999, store.AgentProfile{Capacity: 1}); !errors.Is(err, complaint.ErrNotFound) {
			t.Errorf("unknown agent: %v", err)
		}

		saved, res, err := r.h.SetProfile(ctx, boss, a.ID, store.AgentProfile{Capacity: 1, Calendar: "none",
			Categories: []string{"refund"}})
		if err != nil {
			t.Fatal(err)
		}
		if saved.Capacity != 1 || saved.Calendar != "none" || saved.Categories[0] != "refund" || saved.Availability != store.AvailabilityOnline {
			t.Errorf("saved %+v", saved)
		}
		if len(res.Moves) != 3 || len(res.Stuck) != 0 {
			t.Fatalf("moves %+v, stuck %+v", res.Moves, res.Stuck)
		}
		for _, m := range res.Moves {
			if got, _ := r.get(m.CaseRef); got.AssigneeID != b.ID || m.To.Agent.ID != b.ID {
				t.Errorf("%s is with %d (move says %d); want Bob %d", m.CaseRef, got.AssigneeID, m.To.Agent.ID, b.ID)
			}
		}
		if loads, _ := st.OpenCaseLoads(ctx); loads[a.ID] != 1 || loads[b.ID] != 3 {
			t.Errorf("loads %v", loads)
		}
	})
}
