package store

import (
	"context"
	"testing"
	"time"
)

// Hooks into the store for its external tests.

// SetClock makes s read the time from now. Call it before using s.
func SetClock(s *Store, now func() time.Time) { s.now = now }

// WriterStats returns how many batches the SQLite writer committed and how
// many writes they held (zero on PostgreSQL).
func WriterStats(s *Store) (batches, writes int64) {
	if s.w == nil {
		return 0, 0
	}
	return s.w.batches.Load(), s.w.writes.Load()
}

// SetMaxBatch bounds the writes per SQLite transaction; 1 turns group
// commit off.
func SetMaxBatch(s *Store, n int) {
	if s.w != nil {
		s.w.maxBatch.Store(int32(n))
	}
}

// SetLinger makes the SQLite writer wait up to d for more writes to batch.
func SetLinger(s *Store, d time.Duration) {
	if s.w != nil {
		s.w.linger.Store(int64(d))
	}
}

// Count returns the number of rows of table matching where (SQL with ?
// placeholders).
func Count(tb testing.TB, s *Store, table, where string, args ...any) int {
	tb.Helper()
	if where == "" {
		where = "1 = 1"
	}
	var n int
	if err := s.db.QueryRowContext(context.Background(), s.q("SELECT COUNT(*) FROM "+table+" WHERE "+where), args...).Scan(&n); err != nil {
		tb.Fatalf("counting %s: %v", table, err)
	}
	return n
}

// TokenLastUsed returns when the token was last used (zero if never).
func TokenLastUsed(tb testing.TB, s *Store, tokenHash []byte) time.Time {
	tb.Helper()
	var t time.Time
	if err := s.db.QueryRow(s.q("SELECT last_used_at FROM api_tokens WHERE token_hash = ?"), tokenHash).Scan(instant{&t}); err != nil {
		tb.Fatalf("reading token: %v", err)
	}
	return t
}

// WaitBackground waits for the store's background writes.
func WaitBackground(s *Store) { s.bg.Wait() }

// DecodeCursor exposes the cursor decoder.
func DecodeCursor(c string) error {
	_, err := decodeCursor(c)
	return err
}
