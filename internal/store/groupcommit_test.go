package store_test

import (
	"errors"
	"sync"
	"testing"
	"time"

	"github.com/redress-project/redress/internal/complaint"
	"github.com/redress-project/redress/internal/store"
	"github.com/redress-project/redress/internal/store/storetest"
)

// TestConcurrentCreatesOneFailing proves that one failing write among many
// concurrent ones (on SQLite: in the same group commit) is rolled back alone.
func TestConcurrentCreatesOneFailing(t *testing.T) {
	t.Parallel()
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		const n, bad = 100, 42
		cases := make([]*complaint.Case, n)
		errs := make([]error, n)
		start := make(chan struct{})
		var wg sync.WaitGroup
		for i := range n {
			c, e := open(t, newDraft(withEvidence), t0.Add(time.Duration(i)*time.Millisecond))
			if i == bad {
				// The domain refuses a draft listing one transaction twice,
				// so corrupt the projection after the fact: the case row is
				// written, then indexing its transactions fails in the
				// database, inside the transaction.
				c.Transactions[1].ID = c.Transactions[0].ID
			}
			cases[i] = c
			idem := &store.Idempotency{Scope: "user:1", Key: c.Ref, RequestHash: "h"}
			wg.Go(func() {
				<-start
				errs[i] = s.CreateCase(ctx, c, e, idem)
			})
		}
		close(start)
		wg.Wait()

		for i, err := range errs {
			if (err != nil) != (i == bad) {
				t.Errorf("create %d: %v", i, err)
			}
		}
		badRef := cases[bad].Ref
		if _, err := s.CaseByRef(ctx, badRef); !errors.Is(err, complaint.ErrNotFound) {
			t.Errorf("the failed case was stored: %v", err)
		}
		for table, want := range map[string]int{"cases": n - 1, "events": n - 1, "outbox": n - 1,
			"idempotency_keys": n - 1, "case_transactions": 2 * (n - 1)} {
			if got := store.Count(t, s, table, ""); got != want {
				t.Errorf("%s: %d rows, want %d", table, got, want)
			}
		}
		for _, table := range []string{"outbox", "idempotency_keys"} {
			if got := store.Count(t, s, table, "case_ref = ?", badRef); got != 0 {
				t.Errorf("%s has %d rows of the failed case", table, got)
			}
		}
		for i, c := range cases {
			if i != bad {
				mustCase(t, s, c.Ref)
			}
		}
		if batches, writes := store.WriterStats(s); s.Dialect() == "sqlite" {
			t.Logf("%d writes in %d transactions", writes, batches)
			if batches >= writes {
				t.Errorf("no write shared a transaction: %d writes, %d transactions", writes, batches)
			}
		}
	})
}
