package assign_test

import (
	"testing"
	"time"

	"github.com/redress-project/redress/internal/assign"
	"github.com/redress-project/redress/internal/complaint"
	"github.com/redress-project/redress/internal/store"
	"github.com/redress-project/redress/internal/store/storetest"
)

func TestShiftCalendarKeepsHolidayAgentOut(t *testing.T) {
	t.Parallel()
	storetest.Each(t, func(t *testing.T, st *store.Store) {
		// 2 October 2026 is a public holiday in mainland China.
		at := time.Date(2026, 10, 2, 10, 0, 0, 0, time.FixedZone("CST", 8*3600))
		r := newRig(t, st, assign.Options{TTL: -1, Now: func() time.Time { return at }})
		cn := r.staff("Chen", "refunds", complaint.RoleAgent, &store.AgentProfile{Capacity: 5, Calendar: "cn", Hours: "09:00-18:00"})
		any := r.staff("Ana", "refunds", complaint.RoleAgent, &store.AgentProfile{Capacity: 5, Calendar: "none"})
		for range 2 {
			c := r.file()
			r.drain()
			got, _ := r.get(c.Ref)
			if got.AssigneeID != any.ID {
				t.Fatalf("case %s went to %d; want the none-calendar agent %d (not %d, on holiday)", c.Ref, got.AssigneeID, any.ID, cn.ID)
			}
		}
	})
}

func TestUnusableStoredShiftIsNoShift(t *testing.T) {
	t.Parallel()
	storetest.Each(t, func(t *testing.T, st *store.Store) {
		at := time.Date(2026, 10, 2, 10, 0, 0, 0, time.UTC)
		r := newRig(t, st, assign.Options{TTL: -1, Now: func() time.Time { return at }})
		a := r.staff("Odd", "refunds", complaint.RoleAgent, &store.AgentProfile{Capacity: 5, Calendar: "atlantis", Hours: "nine to five"})
		c := r.file()
		r.drain()
		if got, _ := r.get(c.Ref); got.AssigneeID != a.ID {
			t.Fatalf("case went to %d; want %d (an unknown calendar is no shift)", got.AssigneeID, a.ID)
		}
	})
}

func TestTeamSkillsAreInherited(t *testing.T) {
	t.Parallel()
	storetest.Each(t, func(t *testing.T, st *store.Store) {
		r := newRig(t, st, assign.Options{TTL: -1})
		if err := st.UpsertTeamProfile(ctx, store.TeamProfile{Team: "refunds", Languages: []string{"zh-Hant"}}); err != nil {
			t.Fatal(err)
		}
		a := r.staff("Lin", "refunds", complaint.RoleAgent, &store.AgentProfile{Capacity: 5})
		en := r.file(language("en"))
		r.drain()
		if got, _ := r.get(en.Ref); got.AssigneeID != 0 {
			t.Fatalf("en case went to %d; the refunds team only takes zh-Hant", got.AssigneeID)
		}
		zh := r.file(language("zh-Hant"))
		r.drain()
		if got, _ := r.get(zh.Ref); got.AssigneeID != a.ID {
			t.Fatalf("zh-Hant case went to %d; want %d", got.AssigneeID, a.ID)
		}
	})
}
