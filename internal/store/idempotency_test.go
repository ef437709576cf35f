package store_test

import (
	"errors"
	"sync"
	"testing"

	"github.com/redress-project/redress/internal/complaint"
	"github.com/redress-project/redress/internal/store"
	"github.com/redress-project/redress/internal/store/storetest"
)

func TestIdempotency(t *testing.T) {
	t.Parallel()
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		key := &store.Idempotency{Scope: "user:1", Key: "k-1", RequestHash: "h-1"}
		first, e := open(t, newDraft(), t0)
		if err := s.CreateCase(ctx, first, e, key); err != nil {
			t.Fatal(err)
		}

		retry, e := open(t, newDraft(), t0)
		err := s.CreateCase(ctx, retry, e, key)
		var replay *store.IdempotentReplay
		if !errors.As(err, &replay) || replay.Ref != first.Ref {
			t.Fatalf("same key and hash: %v, want a replay of %s", err, first.Ref)
		}
		if retry.ID != 0 {
			t.Error("a replayed create set the case id")
		}
		if _, err := s.CaseByRef(ctx, retry.Ref); !errors.Is(err, complaint.ErrNotFound) {
			t.Errorf("a replayed create stored its case: %v", err)
		}

		other, e := open(t, newDraft(), t0)
		if err := s.CreateCase(ctx, other, e, &store.Idempotency{Scope: "user:1", Key: "k-1", RequestHash: "h-2"}); !errors.Is(err, store.ErrIdempotencyMismatch) {
			t.Fatalf("same key, other hash: %v, want ErrIdempotencyMismatch", err)
		}

		// The same key of another caller is another key.
		theirs, e := open(t, newDraft(), t0)
		if err := s.CreateCase(ctx, theirs, e, &store.Idempotency{Scope: "user:2", Key: "k-1", RequestHash: "h-2"}); err != nil {
			t.Fatalf("same key of another scope: %v", err)
		}
		if n := store.Count(t, s, "cases", ""); n != 2 {
			t.Errorf("%d cases, want 2", n)
		}
	})
}

func TestIdempotencyConcurrent(t *testing.T) {
	t.Parallel()
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		key := &store.Idempotency{Scope: "user:1", Key: "same", RequestHash: "h"}
		const n = 20
		var wg sync.WaitGroup
		refs := make([]string, n)
		errs := make([]error, n)
		for i := range n {
			wg.Go(func() {
				c, e := open(t, newDraft(), t0)
				errs[i] = s.CreateCase(ctx, c, e, key)
				refs[i] = c.Ref
			})
		}
		wg.Wait()
		created := ""
		for i, err := range errs {
			if err == nil {
				if created != "" {
					t.Fatalf("two cases created with one key: %s and %s", created, refs[i])
				}
				created = refs[i]
			}
		}
		if created == "" {
			t.Fatalf("no case created: %v", errs)
		}
		for _, err := range errs {
			var replay *store.IdempotentReplay
			if err != nil && (!errors.As(err, &replay) || replay.Ref != created) {
				t.Errorf("got %v, want a replay of %s", err, created)
			}
		}
		if n := store.Count(t, s, "cases", ""); n != 1 {
			t.Errorf("%d cases stored, want 1", n)
		}
		if n := store.Count(t, s, "outbox", ""); n != 1 {
			t.Errorf("%d outbox rows, want 1", n)
		}
	})
}
