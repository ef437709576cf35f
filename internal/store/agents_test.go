package store_test

import (
	"errors"
	"reflect"
	"testing"
	"time"

	"github.com/redress-project/redress/internal/access"
	"github.com/redress-project/redress/internal/complaint"
	"github.com/redress-project/redress/internal/store"
	"github.com/redress-project/redress/internal/store/storetest"
)

func staffUser(t *testing.T, s *store.Store, email, name, team string, role complaint.Role) access.User {
	t.Helper()
	u := &access.User{Email: email, Name: name, Role: role, PasswordHash: "x", Team: team}
	if err := s.CreateUser(ctx, u); err != nil {
		t.Fatal(err)
	}
	return *u
}

func TestAgentProfiles(t *testing.T) {
	t.Parallel()
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		store.SetClock(s, func() time.Time { return t0 })
		a := staffUser(t, s, "a@example.com", "陈静", "refunds", complaint.RoleAgent)
		b := staffUser(t, s, "b@example.com", "Bo", "fraud", complaint.RoleSupervisor)
		staffUser(t, s, "c@example.com", "Customer", "", complaint.RoleCustomer)
		gone := &access.User{Email: "d@example.com", Name: "Gone", Role: complaint.RoleAgent, PasswordHash: "x", Disabled: true}
		if err := s.CreateUser(ctx, gone); err != nil {
			t.Fatal(err)
		}

		// Nobody has a profile: the staff read with the defaults.
		got, err := s.AgentProfiles(ctx)
		if err != nil {
			t.Fatal(err)
		}
		want := []store.AgentProfile{
			{UserID: a.ID, Name: "陈静", Team: "refunds", Role: complaint.RoleAgent, Languages: []string{}, Categories: []string{},
				Channels: []string{}, Capacity: store.DefaultAgentCapacity, Availability: store.AvailabilityOnline},
			{UserID: b.ID, Name: "Bo", Team: "fraud", Role: complaint.RoleSupervisor, Languages: []string{}, Categories: []string{},
				Channels: []string{}, Capacity: store.DefaultAgentCapacity, Availability: store.AvailabilityOnline},
		}
		if !reflect.DeepEqual(got, want) {
			t.Fatalf("defaults:\n got %+v\nwant %+v", got, want)
		}

		// A profile, then a replacement of it.
		p := store.AgentProfile{UserID: a.ID, Languages: []string{"zh-Hant", "en"}, Categories: []string{"refund"},
			Capacity: 5, Availability: store.AvailabilityAway}
		if err := s.UpsertAgentProfile(ctx, p); err != nil {
			t.Fatal(err)
		}
		p.Channels, p.Capacity, p.Availability = []string{"app"}, 7, ""
		if err := s.UpsertAgentProfile(ctx, p); err != nil {
			t.Fatal(err)
		}
		// Availability alone, on a stored profile and on a new one.
		if err := s.SetAgentAvailability(ctx, a.ID, store.AvailabilityOffShift); err != nil {
			t.Fatal(err)
		}
		if err := s.SetAgentAvailability(ctx, b.ID, store.AvailabilityAway); err != nil {
			t.Fatal(err)
		}
		got, err = s.AgentProfiles(ctx)
		if err != nil {
			t.Fatal(err)
		}
		want[0].Languages, want[0].Categories, want[0].Channels = []string{"zh-Hant", "en"}, []string{"refund"}, []string{"app"}
		want[0].Capacity, want[0].Availability, want[0].UpdatedAt = 7, store.AvailabilityOffShift, complaint.Timestamp(t0)
		want[1].Availability, want[1].UpdatedAt = store.AvailabilityAway, complaint.Timestamp(t0)
		if !reflect.DeepEqual(got, want) {
			t.Fatalf("after updates:\n got %+v\nwant %+v", got, want)
		}

		// Refusals.
		if err := s.UpsertAgentProfile(ctx, store.AgentProfile{UserID: a.ID, Capacity: -1}); !errors.Is(err, store.ErrInvalidProfile) {
			t.Errorf("negative capacity: %v", err)
		}
		if err := s.SetAgentAvailability(ctx, a.ID, "asleep"); !errors.Is(err, store.ErrInvalidProfile) {
			t.Errorf("unknown availability: %v", err)
		}
		if err := s.UpsertAgentProfile(ctx, store.AgentProfile{UserID: 9999}); !errors.Is(err, complaint.ErrNotFound) {
			t.Errorf("unknown user: %v", err)
		}
		if err := s.SetAgentAvailability(ctx, 9999, store.AvailabilityOnline); !errors.Is(err, complaint.ErrNotFound) {
			t.Errorf("unknown user: %v", err)
		}
	})
}

func TestOpenCaseLoads(t *testing.T) {
	t.Parallel()
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		assign := func(c *complaint.Case, id int64) {
			apply(t, s, c, func(c *complaint.Case) (complaint.Event, error) {
				return c.Assign(complaint.Assignment{Team: "refunds", AssigneeID: id, AssigneeName: "x", Reason: "test"}, agent, t0)
			})
		}
		for i := range 3 {
			assign(create(t, s, newDraft(), t0.Add(time.Duration(i)*time.Second)), 7)
		}
		assign(create(t, s, newDraft(), t0), 8)
		create(t, s, newDraft(), t0) // unassigned
		done := create(t, s, newDraft(), t0)
		assign(done, 8)
		apply(t, s, done, transition(complaint.StatusWithdrawn, t0))
		got, err := s.OpenCaseLoads(ctx)
		if err != nil {
			t.Fatal(err)
		}
		if want := map[int64]int{7: 3, 8: 1}; !reflect.DeepEqual(got, want) {
			t.Fatalf("OpenCaseLoads = %v, want %v", got, want)
		}
	})
}

func TestOpenCaseRefsOf(t *testing.T) {
	t.Parallel()
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		assign := func(c *complaint.Case, id int64) {
			apply(t, s, c, func(c *complaint.Case) (complaint.Event, error) {
				return c.Assign(complaint.Assignment{Team: "refunds", AssigneeID: id, AssigneeName: "x", Reason: "test"}, agent, t0)
			})
		}
		var want []string
		for i := range 3 {
			c := create(t, s, newDraft(), t0.Add(time.Duration(i)*time.Second))
			assign(c, 7)
			want = append(want, c.Ref)
		}
		assign(create(t, s, newDraft(), t0), 8)
		done := create(t, s, newDraft(), t0)
		assign(done, 7)
		apply(t, s, done, transition(complaint.StatusWithdrawn, t0))
		got, err := s.OpenCaseRefsOf(ctx, 7)
		if err != nil {
			t.Fatal(err)
		}
		if !reflect.DeepEqual(got, want) {
			t.Fatalf("OpenCaseRefsOf(7) = %v, want %v", got, want)
		}
		if got, err := s.OpenCaseRefsOf(ctx, 99); err != nil || len(got) != 0 || got == nil {
			t.Fatalf("OpenCaseRefsOf(99) = %#v, %v; want an empty list", got, err)
		}
	})
}

func TestAgentShiftsAndTeamProfiles(t *testing.T) {
	t.Parallel()
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		a := staffUser(t, s, "a@example.com", "A", "refunds", complaint.RoleAgent)
		p := store.AgentProfile{UserID: a.ID, Capacity: 3, Calendar: "cn", Hours: "09:00-18:00"}
		if err := s.UpsertAgentProfile(ctx, p); err != nil {
			t.Fatal(err)
		}
		got, err := s.AgentProfiles(ctx)
		if err != nil {
			t.Fatal(err)
		}
		if len(got) != 1 || got[0].Calendar != "cn" || got[0].Hours != "09:00-18:00" || got[0].Capacity != 3 {
			t.Fatalf("AgentProfiles = %+v", got)
		}
		// Availability alone keeps the shift.
		if err := s.SetAgentAvailability(ctx, a.ID, store.AvailabilityAway); err != nil {
			t.Fatal(err)
		}
		if got, _ = s.AgentProfiles(ctx); got[0].Calendar != "cn" || got[0].Hours != "09:00-18:00" {
			t.Fatalf("after availability: %+v", got)
		}

		if teams, err := s.TeamProfiles(ctx); err != nil || len(teams) != 0 || teams == nil {
			t.Fatalf("TeamProfiles = %#v, %v; want an empty list", teams, err)
		}
		tp := store.TeamProfile{Team: "refunds", Languages: []string{"zh-Hant"}}
		if err := s.UpsertTeamProfile(ctx, tp); err != nil {
			t.Fatal(err)
		}
		tp.Categories = []string{"refund"}
		if err := s.UpsertTeamProfile(ctx, tp); err != nil {
			t.Fatal(err)
		}
		if err := s.UpsertTeamProfile(ctx, store.TeamProfile{Team: "fraud"}); err != nil {
			t.Fatal(err)
		}
		teams, err := s.TeamProfiles(ctx)
		if err != nil {
			t.Fatal(err)
		}
		want := []store.TeamProfile{
			{Team: "fraud", Languages: []string{}, Categories: []string{}, Channels: []string{}},
			{Team: "refunds", Languages: []string{"zh-Hant"}, Categories: []string{"refund"}, Channels: []string{}},
		}
		if !reflect.DeepEqual(teams, want) {
			t.Fatalf("TeamProfiles:\n got %+v\nwant %+v", teams, want)
		}
		if err := s.UpsertTeamProfile(ctx, store.TeamProfile{}); !errors.Is(err, store.ErrInvalidProfile) {
			t.Errorf("empty team: %v", err)
		}
	})
}
