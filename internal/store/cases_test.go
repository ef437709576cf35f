package store_test

import (
	"errors"
	"reflect"
	"testing"
	"time"

	"github.com/redress-project/redress/internal/complaint"
	"github.com/redress-project/redress/internal/store"
	"github.com/redress-project/redress/internal/store/storetest"
)

func TestCreateCaseRoundTrip(t *testing.T) {
	t.Parallel()
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		for name, d := range map[string]complaint.Draft{
			"with evidence": newDraft(withEvidence),
			"bare":          newDraft(),
		} {
			t.Run(name, func(t *testing.T) {
				c, e := open(t, d, t0)
				want := *c
				if err := s.CreateCase(ctx, c, e, nil); err != nil {
					t.Fatal(err)
				}
				if c.ID == 0 || e.ID == 0 || e.CaseID != c.ID {
					t.Fatalf("ids not set: case %d, event %d for case %d", c.ID, e.ID, e.CaseID)
				}
				want.ID = c.ID
				got := mustCase(t, s, c.Ref)
				if !reflect.DeepEqual(got, &want) {
					t.Errorf("read back\n%+v\nwant\n%+v", got, &want)
				}
				if got.Transactions == nil || got.Attachments == nil {
					t.Error("Transactions and Attachments must be non-nil when read")
				}
				events, err := s.Events(ctx, c.ID)
				if err != nil {
					t.Fatal(err)
				}
				if !reflect.DeepEqual(events, []complaint.Event{*e}) {
					t.Errorf("events\n%+v\nwant\n%+v", events, []complaint.Event{*e})
				}
			})
		}
	})
}

func TestCreateCaseRefTaken(t *testing.T) {
	t.Parallel()
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		first := create(t, s, newDraft(), t0)
		c, e, err := complaint.Open(newDraft(), first.Ref, agent, t0)
		if err != nil {
			t.Fatal(err)
		}
		if err := s.CreateCase(ctx, c, &e, nil); !errors.Is(err, store.ErrRefTaken) {
			t.Fatalf("CreateCase with a taken ref: %v, want ErrRefTaken", err)
		}
		if c.ID != 0 {
			t.Error("c.ID set after a failed create")
		}
		if n := store.Count(t, s, "events", ""); n != 1 {
			t.Errorf("%d events stored, want 1", n)
		}
	})
}

func TestCaseByRefNotFound(t *testing.T) {
	t.Parallel()
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		if _, err := s.CaseByRef(ctx, "CP-2026-00000000"); !errors.Is(err, complaint.ErrNotFound) {
			t.Fatalf("got %v, want ErrNotFound", err)
		}
		events, err := s.Events(ctx, 42)
		if err != nil || len(events) != 0 {
			t.Fatalf("Events of an unknown case: %v, %v", events, err)
		}
	})
}

// history runs a case through most of the lifecycle, storing the events one
// by one and in groups, and returns every event.
func history(t *testing.T, s *store.Store, c *complaint.Case) {
	t.Helper()
	at := c.CreatedAt
	next := func() time.Time { at = at.Add(time.Hour + 1234*time.Nanosecond); return at }
	apply(t, s, c, transition(complaint.StatusAcknowledged, next()))
	apply(t, s, c, func(c *complaint.Case) (complaint.Event, error) {
		return c.Assign(complaint.Assignment{Team: "cards", AssigneeID: 7, AssigneeName: "王芳"}, agent, next())
	})
	// Several events in one append, as a message that also changes status.
	var batch []*complaint.Event
	for _, cmd := range []func() (complaint.Event, error){
		func() (complaint.Event, error) { return c.Message("我们正在处理。", agent, next()) },
		func() (complaint.Event, error) {
			return c.Transition(complaint.StatusInProgress, "", agent, next(), complaint.DefaultRules)
		},
		func() (complaint.Event, error) {
			return c.Classify(complaint.Classification{Category: "double_charge", Severity: complaint.SeverityHigh,
				Priority: complaint.PriorityP1}, agent, next())
		},
		func() (complaint.Event, error) {
			return c.LinkTransaction(complaint.Transaction{ID: "tx-9", Time: t0.Add(-time.Hour),
				Amount: complaint.Money{Minor: 999, Currency: "CNY"}, MerchantID: "m-linked"}, agent, next())
		},
		func() (complaint.Event, error) { return c.Note("internal only", agent, next()) },
	} {
		e, err := cmd()
		if err != nil {
			t.Fatal(err)
		}
		batch = append(batch, &e)
	}
	if err := s.AppendEvents(ctx, c, batch...); err != nil {
		t.Fatal(err)
	}
	for _, e := range batch {
		if e.ID == 0 || e.CaseID != c.ID {
			t.Fatalf("event %d: id %d case %d not set", e.Seq, e.ID, e.CaseID)
		}
	}
	apply(t, s, c, func(c *complaint.Case) (complaint.Event, error) {
		return c.AdvanceStage(complaint.StageAppeal, "customer appealed", agent, next())
	})
	apply(t, s, c, transition(complaint.StatusResolved, next()))
	apply(t, s, c, transition(complaint.StatusClosed, next()))
}

func TestAppendEventsRoundTripAndReplay(t *testing.T) {
	t.Parallel()
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		c := create(t, s, newDraft(withEvidence), t0)
		history(t, s, c)

		got := mustCase(t, s, c.Ref)
		if !reflect.DeepEqual(got, c) {
			t.Fatalf("read back\n%+v\nwant\n%+v", got, c)
		}
		events, err := s.Events(ctx, c.ID)
		if err != nil {
			t.Fatal(err)
		}
		if len(events) != int(c.Version) {
			t.Fatalf("%d events, want %d", len(events), c.Version)
		}
		if err := complaint.VerifyChain(events); err != nil {
			t.Fatalf("VerifyChain: %v", err)
		}
		replayed, err := complaint.Replay(c.ID, events)
		if err != nil {
			t.Fatal(err)
		}
		if !reflect.DeepEqual(replayed, got) {
			t.Fatalf("Replay(events)\n%+v\ndiffers from the stored projection\n%+v", replayed, got)
		}
		if n := store.Count(t, s, "outbox", ""); n != len(events) {
			t.Errorf("%d outbox rows, want one per event (%d)", n, len(events))
		}
		page, err := s.ListCases(ctx, store.CaseFilter{Scope: scopeMerchant("m-linked")})
		if err != nil || len(page.Cases) != 1 {
			t.Errorf("a linked transaction's merchant sees %d cases (%v), want 1", len(page.Cases), err)
		}
	})
}

func TestAppendEventsConflictStoresNothing(t *testing.T) {
	t.Parallel()
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		c := create(t, s, newDraft(), t0)
		mine, theirs := mustCase(t, s, c.Ref), mustCase(t, s, c.Ref)

		apply(t, s, theirs, transition(complaint.StatusAcknowledged, t0.Add(time.Minute)))
		before := mustCase(t, s, c.Ref)
		outbox := store.Count(t, s, "outbox", "")

		e1, err := mine.Note("stale view", agent, t0.Add(2*time.Minute))
		if err != nil {
			t.Fatal(err)
		}
		e2, err := mine.LinkTransaction(complaint.Transaction{ID: "tx-x", Time: t0,
			Amount: complaint.Money{Minor: 1, Currency: "CNY"}, MerchantID: "m-x"}, agent, t0.Add(2*time.Minute))
		if err != nil {
			t.Fatal(err)
		}
		if err := s.AppendEvents(ctx, mine, &e1, &e2); !errors.Is(err, complaint.ErrConflict) {
			t.Fatalf("append on a stale case: %v, want ErrConflict", err)
		}
		if e1.ID != 0 || e2.ID != 0 {
			t.Error("event ids set after a conflict")
		}
		if after := mustCase(t, s, c.Ref); !reflect.DeepEqual(after, before) {
			t.Errorf("case changed by a conflicting append:\n%+v\nwas\n%+v", after, before)
		}
		if n := store.Count(t, s, "events", "case_id = ?", c.ID); n != 2 {
			t.Errorf("%d events stored, want 2", n)
		}
		if n := store.Count(t, s, "outbox", ""); n != outbox {
			t.Errorf("%d outbox rows, want %d", n, outbox)
		}
		if n := store.Count(t, s, "case_transactions", "merchant_id = ?", "m-x"); n != 0 {
			t.Errorf("transaction index written by a conflicting append")
		}
	})
}

func TestAppendEventsRefusesBrokenChain(t *testing.T) {
	t.Parallel()
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		c := create(t, s, newDraft(), t0)
		e, err := c.Note("note", agent, t0.Add(time.Minute))
		if err != nil {
			t.Fatal(err)
		}
		e.Seq = 5
		if err := s.AppendEvents(ctx, c, &e); err == nil || errors.Is(err, complaint.ErrConflict) {
			t.Fatalf("append of an event out of sequence: %v, want an error", err)
		}
	})
}

func TestCountCasesByStatus(t *testing.T) {
	t.Parallel()
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		create(t, s, newDraft(), t0)
		c := create(t, s, newDraft(), t0)
		apply(t, s, c, transition(complaint.StatusAcknowledged, t0.Add(time.Minute)))
		counts, err := s.CountCasesByStatus(ctx)
		if err != nil {
			t.Fatal(err)
		}
		if len(counts) != len(complaint.Statuses) || counts[complaint.StatusNew] != 1 ||
			counts[complaint.StatusAcknowledged] != 1 || counts[complaint.StatusClosed] != 0 {
			t.Fatalf("counts %v", counts)
		}
	})
}
