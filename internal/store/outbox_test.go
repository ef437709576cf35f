package store_test

import (
	"sync"
	"testing"
	"time"

	"github.com/redress-project/redress/internal/complaint"
	"github.com/redress-project/redress/internal/store"
	"github.com/redress-project/redress/internal/store/storetest"
)

func TestOutboxWrittenWithEvents(t *testing.T) {
	t.Parallel()
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		c := create(t, s, newDraft(), t0)
		e := apply(t, s, c, transition(complaint.StatusAcknowledged, t0.Add(time.Minute)))
		items, err := s.ClaimOutbox(ctx, 10)
		if err != nil {
			t.Fatal(err)
		}
		if len(items) != 2 {
			t.Fatalf("%d items, want 2", len(items))
		}
		want := store.OutboxItem{ID: items[1].ID, EventID: e.ID, CaseRef: c.Ref, Kind: string(complaint.KindStatusChanged), CreatedAt: e.At}
		if items[1] != want || items[0].Kind != string(complaint.KindCreated) || items[0].ID >= items[1].ID {
			t.Fatalf("items %+v, want the created event then %+v", items, want)
		}
	})
}

func TestOutboxClaimedOnce(t *testing.T) {
	t.Parallel()
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		const cases = 60
		for range cases {
			create(t, s, newDraft(), t0)
		}
		var (
			mu      sync.Mutex
			claimed = map[int64]int{}
			wg      sync.WaitGroup
		)
		for range 2 {
			wg.Go(func() {
				for {
					items, err := s.ClaimOutbox(ctx, 7)
					if err != nil {
						t.Error(err)
						return
					}
					if len(items) == 0 {
						return
					}
					mu.Lock()
					for _, it := range items {
						claimed[it.ID]++
					}
					mu.Unlock()
				}
			})
		}
		wg.Wait()
		if len(claimed) != cases {
			t.Errorf("%d items claimed, want %d", len(claimed), cases)
		}
		for id, n := range claimed {
			if n != 1 {
				t.Errorf("item %d claimed %d times", id, n)
			}
		}
	})
}

func TestOutboxLeaseAndDone(t *testing.T) {
	t.Parallel()
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		now := t0
		store.SetClock(s, func() time.Time { return now })
		for range 3 {
			create(t, s, newDraft(), t0)
		}
		items, err := s.ClaimOutbox(ctx, 2)
		if err != nil || len(items) != 2 {
			t.Fatalf("claim: %v, %v", items, err)
		}
		if err := s.MarkOutboxDone(ctx, items[0].ID); err != nil {
			t.Fatal(err)
		}
		rest, err := s.ClaimOutbox(ctx, 10)
		if err != nil || len(rest) != 1 {
			t.Fatalf("while leased: %v, %v; want only the unclaimed item", rest, err)
		}
		now = t0.Add(time.Hour) // the leases run out; the item not done comes back
		again, err := s.ClaimOutbox(ctx, 10)
		if err != nil || len(again) != 2 || again[0].ID != items[1].ID || again[1].ID != rest[0].ID {
			t.Fatalf("after the lease: %v, %v; want items %d and %d", again, err, items[1].ID, rest[0].ID)
		}
		if err := s.MarkOutboxDone(ctx, again[0].ID, again[1].ID); err != nil {
			t.Fatal(err)
		}
		now = t0.Add(2 * time.Hour)
		if left, err := s.ClaimOutbox(ctx, 10); err != nil || len(left) != 0 {
			t.Fatalf("all done, yet claimed %v, %v", left, err)
		}
	})
}
