package store

import (
	"context"
	"path/filepath"
	"sync"
	"testing"
	"time"
)

func openSQLite(t *testing.T) *Store {
	t.Helper()
	return openSQLiteAt(t, filepath.Join(t.TempDir(), "db.sqlite"))
}

func openSQLiteAt(t *testing.T, path string) *Store {
	t.Helper()
	s, err := Open(context.Background(), path)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { s.Close() })
	return s
}

// queueBehindBlocker holds the writer in a write until fns are all queued,
// so that they form one batch, and returns each fn's outcome: its error, or
// the value it panicked with.
func queueBehindBlocker(t *testing.T, s *Store, fns []writeFunc) []any {
	t.Helper()
	ctx := context.Background()
	release := make(chan struct{})
	blocked := make(chan struct{})
	go s.write(ctx, func(*tx) error { close(blocked); <-release; return nil })
	<-blocked
	out := make([]any, len(fns))
	var wg sync.WaitGroup
	for i, fn := range fns {
		wg.Go(func() {
			defer func() {
				if v := recover(); v != nil {
					out[i] = v
				}
			}()
			out[i] = s.write(ctx, fn)
		})
	}
	for deadline := time.Now().Add(5 * time.Second); len(s.w.queue) < len(fns); {
		if time.Now().After(deadline) {
			t.Fatal("writes did not queue")
		}
		time.Sleep(time.Millisecond)
	}
	close(release)
	wg.Wait()
	return out
}

func insertValue(v int) writeFunc {
	return func(t *tx) error {
		_, err := t.exec("INSERT INTO scratch (v) VALUES (?)", v)
		return err
	}
}

func scratchValues(t *testing.T, s *Store) int {
	t.Helper()
	var n int
	if err := s.db.QueryRow("SELECT COUNT(*) FROM scratch").Scan(&n); err != nil {
		t.Fatal(err)
	}
	return n
}

func newScratch(t *testing.T, s *Store) {
	t.Helper()
	err := s.write(context.Background(), func(t *tx) error {
		_, err := t.exec("CREATE TABLE scratch (v INTEGER NOT NULL CHECK (v >= 0)) STRICT")
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
}

func TestGroupCommitFailingWriteRollsBackAlone(t *testing.T) {
	s := openSQLite(t)
	newScratch(t, s)
	fns := []writeFunc{insertValue(1), insertValue(2), func(t *tx) error {
		insertValue(3)(t)
		return insertValue(-1)(t) // violates the CHECK: the 3 goes too
	}, insertValue(4)}
	batches := s.w.batches.Load()
	out := queueBehindBlocker(t, s, fns)
	if got := s.w.batches.Load() - batches; got != 2 {
		t.Errorf("%d transactions, want 2 (the blocker, then one batch)", got)
	}
	for i, o := range out {
		if (o != nil) != (i == 2) {
			t.Errorf("write %d: %v", i, o)
		}
	}
	if n := scratchValues(t, s); n != 3 {
		t.Errorf("%d rows, want 3", n)
	}
}

func TestGroupCommitBrokenBatchRetriesEachAlone(t *testing.T) {
	s := openSQLite(t)
	newScratch(t, s)
	// Ending the transaction from inside a write breaks the batch; each
	// write then runs alone and only the culprit fails.
	culprit := func(t *tx) error {
		_, err := t.tx.ExecContext(t.ctx, "ROLLBACK")
		return err
	}
	out := queueBehindBlocker(t, s, []writeFunc{insertValue(1), culprit, insertValue(2), insertValue(3)})
	for i, o := range out {
		if (o != nil) != (i == 1) {
			t.Errorf("write %d: %v", i, o)
		}
	}
	if n := scratchValues(t, s); n != 3 {
		t.Errorf("%d rows, want 3", n)
	}
}

func TestGroupCommitPanicReachesItsCaller(t *testing.T) {
	s := openSQLite(t)
	newScratch(t, s)
	out := queueBehindBlocker(t, s, []writeFunc{insertValue(1), func(t *tx) error {
		insertValue(2)(t)
		panic("boom")
	}, insertValue(3)})
	if out[0] != nil || out[1] != "boom" || out[2] != nil {
		t.Fatalf("outcomes %v, want nil, boom, nil", out)
	}
	if n := scratchValues(t, s); n != 2 {
		t.Errorf("%d rows, want 2", n)
	}
}

func TestGroupCommitSkipsCancelledWrites(t *testing.T) {
	s := openSQLite(t)
	newScratch(t, s)
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if err := s.write(ctx, insertValue(1)); err != context.Canceled {
		t.Fatalf("write with a cancelled context: %v", err)
	}
	if n := scratchValues(t, s); n != 0 {
		t.Errorf("%d rows, want 0", n)
	}
}

func TestCloseWaitsForQueuedWrites(t *testing.T) {
	path := filepath.Join(t.TempDir(), "db.sqlite")
	s := openSQLiteAt(t, path)
	newScratch(t, s)
	const n = 200
	var wg sync.WaitGroup
	errs := make(chan error, n)
	for i := range n {
		wg.Go(func() { errs <- s.write(context.Background(), insertValue(i)) })
	}
	time.Sleep(time.Millisecond)
	if err := s.Close(); err != nil {
		t.Fatal(err)
	}
	wg.Wait()
	close(errs)
	stored := 0
	for err := range errs {
		switch err {
		case nil:
			stored++
		case ErrClosed:
		default:
			t.Errorf("write: %v", err)
		}
	}
	if got := scratchValues(t, openSQLiteAt(t, path)); got != stored {
		t.Errorf("%d rows after reopening, want the %d writes that succeeded", got, stored)
	}
}
