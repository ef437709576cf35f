package outbox_test

import (
	"context"
	"errors"
	"log/slog"
	"sync"
	"testing"
	"time"

	"github.com/redress-project/redress/internal/access"
	"github.com/redress-project/redress/internal/complaint"
	"github.com/redress-project/redress/internal/desk"
	"github.com/redress-project/redress/internal/outbox"
	"github.com/redress-project/redress/internal/store"
	"github.com/redress-project/redress/internal/store/storetest"
)

var customer = access.Principal{UserID: 1, Name: "Wang", Role: complaint.RoleCustomer, CustomerID: "c1"}

func TestEveryEventReachesEveryHandlerAndFailuresAreRetried(t *testing.T) {
	storetest.Each(t, func(t *testing.T, st *store.Store) {
		ctx := context.Background()
		d := desk.New(st)
		for range 3 {
			if _, _, err := d.File(ctx, customer, complaint.Draft{Subject: "退款", Description: "没到账"}, ""); err != nil {
				t.Fatal(err)
			}
		}
		var mu sync.Mutex
		seen := map[string][]int64{}
		record := func(name string) outbox.Handler {
			return outbox.HandlerFunc{ID: name, Fn: func(_ context.Context, it store.OutboxItem) error {
				mu.Lock()
				defer mu.Unlock()
				seen[name] = append(seen[name], it.EventID)
				return nil
			}}
		}
		failOnce := true
		flaky := outbox.HandlerFunc{ID: "flaky", Fn: func(context.Context, store.OutboxItem) error {
			if failOnce {
				failOnce = false
				return errors.New("downstream unavailable")
			}
			return nil
		}}
		st.SetOutboxLease(time.Millisecond)
		disp := outbox.New(st, slog.New(slog.DiscardHandler), record("first"), flaky, record("last"))
		n, err := disp.RunOnce(ctx)
		if err != nil || n != 2 {
			t.Fatalf("first run: %d delivered, %v (want 2: one item failed)", n, err)
		}
		if len(seen["first"]) != 3 || len(seen["last"]) != 2 {
			t.Errorf("a failing handler must stop later handlers for that item: %v", seen)
		}
		// The failed item stays leased; once the lease is over it comes back.
		time.Sleep(20 * time.Millisecond)
		n, err = disp.RunOnce(ctx)
		if err != nil || n != 1 {
			t.Fatalf("retry: %d delivered, %v", n, err)
		}
		if n, _ := disp.RunOnce(ctx); n != 0 {
			t.Errorf("delivered items came back: %d", n)
		}
		if len(seen["last"]) != 3 {
			t.Errorf("every event must finally reach every handler: %v", seen)
		}
	})
}
