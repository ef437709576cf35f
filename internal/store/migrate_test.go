package store_test

import (
	"testing"

	"github.com/redress-project/redress/internal/store"
	"github.com/redress-project/redress/internal/store/storetest"
)

func TestReadyNeedsMigrations(t *testing.T) {
	t.Parallel()
	for _, backend := range storetest.Backends {
		t.Run(backend, func(t *testing.T) {
			s, err := store.Connect(ctx, storetest.URL(t, backend))
			if err != nil {
				t.Fatal(err)
			}
			defer s.Close()
			if s.Dialect() != backend {
				t.Errorf("Dialect() = %q, want %q", s.Dialect(), backend)
			}
			if err := s.Ready(ctx); err == nil {
				t.Fatal("Ready before migrating: nil, want an error")
			}
			for range 2 {
				if err := s.Migrate(ctx); err != nil {
					t.Fatalf("Migrate: %v", err)
				}
			}
			if err := s.Ready(ctx); err != nil {
				t.Fatalf("Ready after migrating: %v", err)
			}
		})
	}
}

func TestOpenMemory(t *testing.T) {
	t.Parallel()
	s, err := store.Open(ctx, ":memory:")
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	c := create(t, s, newDraft(withEvidence), t0)
	if got := mustCase(t, s, c.Ref); got.ID != c.ID {
		t.Fatalf("got case %d, want %d", got.ID, c.ID)
	}
	if err := s.Ready(ctx); err != nil {
		t.Fatal(err)
	}
}

func TestClosedStore(t *testing.T) {
	t.Parallel()
	s := storetest.Open(t, "sqlite")
	if err := s.Close(); err != nil {
		t.Fatal(err)
	}
	if err := s.Close(); err != nil {
		t.Fatalf("second Close: %v", err)
	}
	c, e := open(t, newDraft(), t0)
	if err := s.CreateCase(ctx, c, e, nil); err != store.ErrClosed {
		t.Fatalf("write after Close: %v, want ErrClosed", err)
	}
}
